"""An HTTP API Route's own authorization settings, and what is wrong with them.

Shared by the Route policies, the built-in-scopes advisory and the scope grants of the stack;
the `route` block of an aws-native ApiGatewayManagedOverrides is judged exactly like a Route.
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .authorization_fields import authorizer_and_scopes
from .model.resource_graph import GraphResource
from .model.resource_types import JWT
from .model.unknown import UNKNOWN

FIX = (
    "set authorizationType to JWT, authorizerId to an apigatewayv2 Authorizer of type JWT whose "
    "issuer is https://cognito-idp.<region>.amazonaws.com/<pool-id>, and authorizationScopes to "
    "at least one resource-server scope"
)


def authorization_of(props: Mapping[str, Any]) -> Any:
    """A Route's authorization type; omitted means NONE for both providers."""
    return props.get("authorizationType", "NONE")


def problems_of(props: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(faults, unknowns) of one Route's own authorization settings (see `authorization_fields`
    for an `authorizerId` not known until the update)."""
    problems: list[str] = []
    pending: list[str] = []
    auth = authorization_of(props)
    if auth is UNKNOWN:
        pending.append("authorizationType")
    elif auth != JWT:
        problems.append(f"authorizationType is {auth!r}, not {JWT!r}")
        return problems, pending
    authorizer_and_scopes(
        props,
        problems,
        pending,
        authorizer="a Cognito JWT authorizer",
        who_gets_in="any client the authorizer accepts (its audience)",
    )
    return problems, pending


def override_route(resource: GraphResource) -> GraphResource | None:
    """An override's `route` block as a Route to judge exactly like one; None if it has none.

    Property dependencies are recorded per top-level property, so the block's `authorizerId`
    comes from whatever `route` depends on.
    """
    route = resource.props.get("route")
    if route is None:
        return None
    return GraphResource(
        urn=resource.urn,
        type=resource.type,
        name=resource.name,
        props=route if isinstance(route, dict) else {"authorizationType": route},
        property_dependencies={
            "authorizerId": resource.property_dependencies.get("route", ()),
            "authorizationScopes": resource.property_dependencies.get("route", ()),
        },
    )
