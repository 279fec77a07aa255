"""An HTTP API Route's own authorization settings: what they are and what is wrong with them.

Shared by the Route policies and the built-in-scopes advisory.
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
"""

from __future__ import annotations

from typing import Any

from .model.resource_graph import GraphResource
from .model.resource_types import MANAGED_OVERRIDES_TYPE
from .model.unknown import UNKNOWN
from .props import authorizer_and_scopes
from .reporting import describe

FIX = (
    "set authorizationType to JWT, authorizerId to an apigatewayv2 Authorizer of type JWT whose "
    "issuer is https://cognito-idp.<region>.amazonaws.com/<pool-id>, and authorizationScopes to "
    "at least one resource-server scope"
)


def route_label(resource_type: str, name: str, props: dict[str, Any]) -> str:
    """`Route 'getPets' (GET /pets)`: how a message names a route."""
    key = props.get("routeKey")
    key_text = "<route key unknown>" if key is UNKNOWN else str(key)
    return f"{describe(resource_type, name)} ({key_text})"


def problems_of(props: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(faults, unknowns) of one Route's own authorization settings (see `authorizerId`)."""
    problems: list[str] = []
    pending: list[str] = []
    # Omitted authorizationType means NONE for both providers.
    auth = props.get("authorizationType", "NONE")
    if auth is UNKNOWN:
        pending.append("authorizationType")
    elif auth != "JWT":  # exactly as the API spells it
        problems.append(f"authorizationType is {auth!r}, not 'JWT'")
        return problems, pending
    authorizer_and_scopes(
        props,
        problems,
        pending,
        authorizer="a Cognito JWT authorizer",
        who_gets_in="any client the authorizer accepts (its audience)",
    )
    # An authorizerId not known until the update is an output of the authorizer it names,
    # never blank: which authorizer that is belongs to the stack half.
    return problems, [p for p in pending if p != "authorizerId"]


def override_label(name: str) -> str:
    """How a message names the quick-created route an ApiGatewayManagedOverrides sets."""
    return f"{describe(MANAGED_OVERRIDES_TYPE, name)} (route override of the quick-created route)"


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
