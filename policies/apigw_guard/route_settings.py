"""An HTTP API Route's own authorization settings: what they are and what is wrong with them.

Shared by the Route policies and the built-in-scopes advisory.
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
"""

from __future__ import annotations

from typing import Any

from .model.unknown import UNKNOWN
from .props import blank_entries
from .reporting import describe

FIX = (
    "set authorizationType to JWT, authorizerId to an apigatewayv2 Authorizer of type JWT whose "
    "issuer is https://cognito-idp.<region>.amazonaws.com/<pool-id>, and authorizationScopes to "
    "at least one resource-server scope"
)


def route_label(resource_type: str, name: str, props: dict[str, Any]) -> str:
    key = props.get("routeKey")
    key_text = "<route key unknown>" if key is UNKNOWN else str(key)
    return f"{describe(resource_type, name)} ({key_text})"


def problems_of(props: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(faults, unknowns) of one Route's own authorization settings."""
    problems: list[str] = []
    pending: list[str] = []
    # Omitted authorizationType means NONE for both providers.
    auth = props.get("authorizationType", "NONE")
    if auth is UNKNOWN:
        pending.append("authorizationType")
    elif auth != "JWT":  # exactly as the API spells it
        problems.append(f"authorizationType is {auth!r}, not 'JWT'")
        return problems, pending
    authorizer_id = props.get("authorizerId")
    if authorizer_id is UNKNOWN:
        pending.append("authorizerId")
    elif not isinstance(authorizer_id, str) or not authorizer_id.strip():
        problems.append("authorizerId is missing; it must name a Cognito JWT authorizer")
    scopes = props.get("authorizationScopes")
    if scopes is UNKNOWN or (isinstance(scopes, list) and UNKNOWN in scopes):
        pending.append("authorizationScopes")
    elif not isinstance(scopes, list) or not scopes:
        problems.append("authorizationScopes is empty, so any token of the issuer gets in")
    elif blank_entries(scopes):
        problems.append(f"authorizationScopes has blank entries: {scopes!r}")
    return problems, pending
