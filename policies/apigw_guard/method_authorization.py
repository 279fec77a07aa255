"""A REST API Method's own authorization settings, and what is wrong with them.

Shared by the Method policies (the resource half judges them before the Method exists, the stack
half skips what it flags), the built-in-scopes advisory and the scope grants of the stack.
https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .authorization_fields import authorizer_and_scopes
from .model.resource_types import COGNITO_USER_POOLS, METHOD_NATIVE
from .model.unknown import UNKNOWN

FIX = (
    "set authorization to COGNITO_USER_POOLS, authorizerId to a Cognito user-pool authorizer "
    "and authorizationScopes to at least one resource-server scope"
)


def authorization_field(resource_type: str) -> str:
    """The property holding a Method's authorization type: aws-native's differs."""
    return "authorizationType" if resource_type == METHOD_NATIVE else "authorization"


def authorization_of(resource_type: str, props: Mapping[str, Any]) -> Any:
    """A Method's authorization type; aws-native omits it for NONE (CloudFormation's default)."""
    if resource_type == METHOD_NATIVE:
        return props.get("authorizationType", "NONE")
    return props.get("authorization")


def problems_of(resource_type: str, props: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(faults, unknowns) of one Method's own authorization settings.

    An `authorizerId` not known until the update is not among the unknowns (see
    `authorization_fields`).
    """
    problems: list[str] = []
    pending: list[str] = []
    auth = authorization_of(resource_type, props)
    field = authorization_field(resource_type)
    if auth is UNKNOWN:
        pending.append(field)
    elif auth != COGNITO_USER_POOLS:
        extra = (
            " (an API key identifies callers but authorizes nobody)"
            if props.get("apiKeyRequired") is True
            else ""
        )
        problems.append(f"{field} is {auth!r}, not {COGNITO_USER_POOLS!r}{extra}")
        return problems, pending  # the rest is moot without a Cognito authorizer
    authorizer_and_scopes(
        props,
        problems,
        pending,
        authorizer="the Cognito user-pool authorizer",
        who_gets_in="any app client of the authorizer's user pool(s)",
    )
    return problems, pending


def is_options(props: Mapping[str, Any]) -> bool:
    """An OPTIONS method: what a browser's CORS preflight calls."""
    method = props.get("httpMethod")
    return isinstance(method, str) and method.upper() == "OPTIONS"


def nested_integration_type(props: Mapping[str, Any]) -> Any:
    """An aws-native Method's own integration type: a string, UNKNOWN, or None (none nested)."""
    integration = props.get("integration")
    if integration is None:
        return None
    if not isinstance(integration, dict):
        return UNKNOWN
    return integration.get("type")
