"""The links of an HTTP API route that only the stack shows, for the references policy.

A JWT route's `authorizerId` (or an override's) must name a JWT authorizer of this stack (whose
issuer apigateway-route-cognito-jwt-authorizer judged when it was created), and a route the
resource policy handed over because its API's kind decides must belong to a listed WebSocket
API (see `websocket_routes`). A route whose own settings are at fault, or not known yet, was
reported or deferred before it existed, and is skipped.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import ReportViolation

from .authorizers import check_authorizer_reference
from .model.labels import override_label, route_label
from .model.resource_graph import GraphResource, ResourceGraph
from .model.resource_types import HTTP_AUTHORIZER_TYPES, JWT, ROUTE_TYPES
from .model.unknown import UNKNOWN
from .route_authorization import override_route, problems_of
from .websocket_routes import decide_route

FIX = (
    "point authorizerId at an apigatewayv2 Authorizer of this stack with authorizerType JWT and "
    "jwtConfiguration.issuer https://cognito-idp.<region>.amazonaws.com/<pool-id>"
)


def _link(authorizer: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The link's own fault: a JWT route naming an authorizer that is not JWT (a REQUEST one,
    which is not judged when created: WebSocket APIs the admin allows need it). A JWT
    authorizer's issuer was judged when it was created."""
    kind = authorizer.get("authorizerType")
    if kind is UNKNOWN or kind == JWT:
        return [], []
    return [f"its authorizer has authorizerType {kind!r}, not {JWT!r}"], []


def check_route(
    report: ReportViolation, resource: GraphResource, graph: ResourceGraph, handed: Any
) -> list[str]:
    """Report a Route's (or a managed override's) link faults; return what is unknown."""
    if resource.type in ROUTE_TYPES:
        if handed is not None:
            return decide_route(report, resource, graph, handed)
        route: GraphResource | None = resource
        label = route_label(resource.type, resource.name, dict(resource.props))
    else:
        # The quick-created route's override, judged exactly like a Route.
        route, label = override_route(resource), override_label(resource.type, resource.name)
    if route is None:
        return []
    problems, unknown = problems_of(dict(route.props))
    if problems or unknown:
        return []  # reported or deferred by apigateway-route-cognito-jwt-authorization
    return check_authorizer_reference(
        report, route, lambda: label, HTTP_AUTHORIZER_TYPES, graph, _link, FIX
    )
