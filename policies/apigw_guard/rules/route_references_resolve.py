"""apigateway-route-references-resolve: what an HTTP API route's own inputs cannot show.

A stack policy, for the links between resources only: a JWT route's `authorizerId` (or an
override's) must name a JWT authorizer of this stack (whose issuer
apigateway-route-cognito-jwt-authorizer judged when it was created), and a route the resource
policy handed over because its API's kind decides (`websocket_routes`) must belong to a listed
WebSocket API. A route whose own settings are at fault, or not known yet, was reported or
deferred before it existed, and is skipped here.

AnalyzeStack runs at the end: under `pulumi up --skip-preview` (and the Automation API) these
faults are found after the update, with the route already live. policies/README lists them.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from ..authorizers import check_authorizer_reference
from ..handoff import ROUTE_REFERENCES, handed_to
from ..model.resource_graph import GraphResource
from ..model.resource_types import HTTP_AUTHORIZER_TYPES, MANAGED_OVERRIDES_TYPE, ROUTE_TYPES
from ..model.unknown import UNKNOWN
from ..reporting import defer
from ..route_settings import override_label, override_route, problems_of, route_label
from ..stack import has_any, stack_graph
from ..websocket_routes import decide_route

NAME = ROUTE_REFERENCES

FIX = (
    "point authorizerId at an apigatewayv2 Authorizer of this stack with authorizerType JWT and "
    "jwtConfiguration.issuer https://cognito-idp.<region>.amazonaws.com/<pool-id>"
)


def _link(authorizer: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The link's own fault: a JWT route naming an authorizer that is not JWT (a REQUEST one,
    which is not judged when created: WebSocket APIs the admin allows need it). A JWT
    authorizer's issuer was judged when it was created."""
    kind = authorizer.get("authorizerType")
    if kind is UNKNOWN or kind == "JWT":
        return [], []
    return [f"its authorizer has authorizerType {kind!r}, not 'JWT'"], []


def validate(args: StackValidationArgs, report: ReportViolation) -> None:
    handed = handed_to(NAME)
    if not has_any(args.resources, (*ROUTE_TYPES, MANAGED_OVERRIDES_TYPE)):
        return
    graph = stack_graph(args.resources)
    pending: list[str] = []
    for resource in graph.resources:
        if resource.type in ROUTE_TYPES:
            if resource.urn in handed:
                pending.extend(decide_route(report, resource, graph, handed[resource.urn]))
                continue
            route: GraphResource | None = resource
            label = route_label(resource.type, resource.name, dict(resource.props))
        elif resource.type == MANAGED_OVERRIDES_TYPE:
            # The quick-created route's override, judged exactly like a Route.
            route, label = override_route(resource), override_label(resource.name)
        else:
            continue
        if route is None:
            continue
        problems, unknown = problems_of(dict(route.props))
        if problems or unknown:
            continue  # reported or deferred by apigateway-route-cognito-jwt-authorization
        pending.extend(
            check_authorizer_reference(
                report, route, label, HTTP_AUTHORIZER_TYPES, graph, _link, FIX
            )
        )
    defer(pending)


policy = StackValidationPolicy(
    name=NAME,
    description=(
        "Every JWT route's authorizer is a JWT authorizer of the same stack, and every route "
        "of a WebSocket API belongs to one the policy admin allows."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Create the `aws.apigatewayv2.Authorizer` (authorizer_type JWT, a Cognito issuer) in the "
        "same stack as the route and pass its `id` as the route's `authorizer_id`."
    ),
)
