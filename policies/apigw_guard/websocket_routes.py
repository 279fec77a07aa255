"""Deciding a route handed over because its API's kind decides (see `websocket`).

apigateway-route-cognito-jwt-authorization, while the admin lists WebSocket APIs, cannot tell
from a route alone whether a WebSocket route belongs to a listed API, or whether a `$default`
route without JWT is a listed WebSocket API's (allowed) or an HTTP API's (open). The stack shows
the Api its `apiId` names: a listed WebSocket API's routes pass; any other is reported here,
with the allowlist the resource policy decided under.
"""

from __future__ import annotations

from pulumi_policy import ReportViolation

from . import websocket
from .model.labels import describe, route_label
from .model.resource_graph import GraphResource, ResourceGraph
from .model.resource_types import HTTP_BODY_TYPES
from .model.unknown import UNKNOWN
from .reporting import unknown_input
from .route_authorization import FIX


def decide_route(
    report: ReportViolation,
    route: GraphResource,
    graph: ResourceGraph,
    handed: tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]],
) -> list[str]:
    """Report the handed-over route unless its API is a listed WebSocket API; return unknowns.

    `handed` is (route kind, the allowlist, the route's own faults, its own unknowns), as the
    resource policy judged them.
    """
    kind, listed, problems, unknown = handed
    allowed = frozenset(listed)
    label = route_label(route.type, route.name, dict(route.props))
    api_id = route.props.get("apiId")
    apis = graph.referenced(route, "apiId", HTTP_BODY_TYPES)
    if not apis:
        if api_id is UNKNOWN:
            return [f"{label}: {unknown_input(graph, route, 'apiId')}, which decides its API"]
        if isinstance(api_id, str) and websocket.is_listed(allowed, None, (api_id,)):
            return []
        report(
            f"{label}: its API ({api_id!r}) is not an Api of this stack and not in "
            "allowedWebSocketApis, so the route cannot be shown to belong to an allowed WebSocket "
            f"API, and it has no JWT authorizer with scopes. Fix: {FIX}; "
            f"{websocket.admin_fix(None)}.",
            route.urn,
        )
        return []
    pending: list[str] = []
    for api in apis:
        protocol = api.props.get("protocolType")
        if protocol is UNKNOWN:
            pending.append(f"{label}: the protocolType of {describe(api.type, api.name)}")
        elif protocol == "WEBSOCKET":
            if not websocket.is_listed(allowed, api.urn, ResourceGraph.ids(api)):
                report(
                    f"{label}: {describe(api.type, api.name)} is a WebSocket API not in "
                    f"allowedWebSocketApis. {websocket.WHY}. Fix: {websocket.AUTHOR_FIX}; "
                    f"{websocket.admin_fix(api.urn)}.",
                    route.urn,
                )
        elif kind == "websocket":
            report(
                f"{label}: route key {route.props.get('routeKey')!r} is not METHOD /path, which "
                f"an HTTP API ({describe(api.type, api.name)}) needs. Fix: {FIX}.",
                route.urn,
            )
        else:
            for problem in problems:
                report(
                    f"{label}: {problem} ({describe(api.type, api.name)} is an HTTP API). "
                    f"Fix: {FIX}.",
                    route.urn,
                )
            pending.extend(f"{label}: {u}" for u in unknown)
    return pending
