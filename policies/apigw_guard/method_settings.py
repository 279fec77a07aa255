"""A REST API Method's own authorization settings: what they are and what is wrong with them.

Shared by the Method policies and the built-in-scopes advisory.
https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html
"""

from __future__ import annotations

from typing import Any

from .model.resource_types import METHOD_NATIVE
from .model.unknown import UNKNOWN
from .props import blank_entries

# Exactly as the API spells it: the pack does not guess how API Gateway reads other spellings.
COGNITO = "COGNITO_USER_POOLS"

FIX = (
    "set authorization to COGNITO_USER_POOLS, authorizerId to a Cognito user-pool authorizer "
    "and authorizationScopes to at least one resource-server scope"
)


def method_label(props: dict[str, Any]) -> str:
    """`POST on resource abc123`: a Method resource names its path only through resourceId."""
    method = props.get("httpMethod")
    method_text = method.upper() if isinstance(method, str) else "<method unknown>"
    resource_id = props.get("resourceId")
    where = "<unknown>" if resource_id is UNKNOWN else repr(resource_id)
    return f"{method_text} on resource {where}"


def authorization_of(resource_type: str, props: dict[str, Any]) -> Any:
    # aws-native omits authorizationType for NONE (CloudFormation's default).
    if resource_type == METHOD_NATIVE:
        return props.get("authorizationType", "NONE")
    return props.get("authorization")


def is_mock_options(resource_type: str, props: dict[str, Any]) -> bool | None:
    """Whether a Method is an OPTIONS method with a MOCK integration; None if not visible here."""
    method = props.get("httpMethod")
    if not isinstance(method, str) or method.upper() != "OPTIONS":
        return False
    if resource_type == METHOD_NATIVE:
        integration = props.get("integration")
        return isinstance(integration, dict) and str(integration.get("type", "")).upper() == "MOCK"
    return None  # classic: the Integration is a separate resource, checked at stack level


def problems_of(resource_type: str, props: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(faults, unknowns) of one Method's own authorization settings."""
    problems: list[str] = []
    pending: list[str] = []
    auth = authorization_of(resource_type, props)
    field = "authorizationType" if resource_type == METHOD_NATIVE else "authorization"
    if auth is UNKNOWN:
        pending.append(f"{field}")
    elif auth != COGNITO:
        extra = (
            " (an API key identifies callers but authorizes nobody)"
            if props.get("apiKeyRequired") is True
            else ""
        )
        problems.append(f"{field} is {auth!r}, not 'COGNITO_USER_POOLS'{extra}")
        return problems, pending  # the rest is moot without a Cognito authorizer
    authorizer_id = props.get("authorizerId")
    if authorizer_id is UNKNOWN:
        pending.append("authorizerId")
    elif not isinstance(authorizer_id, str) or not authorizer_id.strip():
        problems.append("authorizerId is missing; it must name the Cognito user-pool authorizer")
    scopes = props.get("authorizationScopes")
    if scopes is UNKNOWN or (isinstance(scopes, list) and UNKNOWN in scopes):
        pending.append("authorizationScopes")
    elif not isinstance(scopes, list) or not scopes:
        problems.append(
            "authorizationScopes is empty, so the authorizer accepts any ID token of the pool"
        )
    elif blank_entries(scopes):
        problems.append(f"authorizationScopes has blank entries: {scopes!r}")
    return problems, pending
