"""apigateway-route-cognito-jwt-authorization: every HTTP API route demands a JWT with scopes.

A resource policy, judged before the route exists: `authorizationType` JWT, an `authorizerId`
and non-blank scopes on every Route (classic, aws-native, Terraform-bridged) and on the `route`
block of an aws-native ApiGatewayManagedOverrides. WebSocket APIs have no Cognito or JWT
authorizer at all: an Api with `protocolType: WEBSOCKET` is refused unless the policy admin
lists it in `allowedWebSocketApis` (its URN, or its id), and so is a WebSocket route (a route
key that is neither `METHOD /path` nor `$default`) while that list is empty. With APIs listed,
a WebSocket route, and a `$default` route without JWT (which exists in both kinds of API), are
handed to apigateway-references-resolve, which sees the route's Api.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from .. import websocket
from ..handoff import REFERENCES, hand_off, withdraw
from ..model.labels import describe, override_label, route_label
from ..model.resource_graph import GraphResource
from ..model.resource_types import HTTP_BODY_TYPES, MANAGED_OVERRIDES_TYPE, ROUTE_TYPES
from ..model.unknown import UNKNOWN
from ..policy_config import ALLOWED_WEBSOCKET_APIS, read_config, schema
from ..props import props_of
from ..redacted import is_redacted, redacted_message
from ..reporting import defer, report_problems
from ..route_authorization import FIX, override_route, problems_of

NAME = "apigateway-route-cognito-jwt-authorization"
CONFIG = (ALLOWED_WEBSOCKET_APIS,)


def _websocket_api(
    args: ResourceValidationArgs, report: ReportViolation, allowed: frozenset[str]
) -> None:
    props = props_of(args.props)
    protocol = props.get("protocolType")
    who = describe(args.resource_type, args.name)
    if protocol is UNKNOWN:
        defer([f"{who}: protocolType"])
    if protocol != "WEBSOCKET":
        return
    if websocket.is_listed(allowed, args.urn, ()):
        return
    report(
        f"{who}: protocolType is WEBSOCKET. {websocket.WHY}. Fix: {websocket.AUTHOR_FIX}; "
        f"{websocket.admin_fix(args.urn)}.",
        None,
    )


def _route(args: ResourceValidationArgs, report: ReportViolation, allowed: frozenset[str]) -> None:
    props = props_of(args.props)
    label = route_label(args.resource_type, args.name, props)
    if not props:
        withdraw(REFERENCES, args.urn)
        return  # a read resource in `pulumi policy analyze`: the stack declares nothing
    if is_redacted(props.get("authorizationScopes")):
        withdraw(REFERENCES, args.urn)
        report(redacted_message(label, "authorizationScopes", "its scopes cannot be judged"), None)
        return
    problems, pending = problems_of(props)
    kind = websocket.route_kind(props.get("routeKey"))
    if (problems or pending) and allowed and kind in ("websocket", "default", "unknown"):
        # Its API decides: a listed WebSocket API's routes cannot carry JWT.
        item = (kind, tuple(sorted(allowed)), tuple(problems), tuple(pending))
        hand_off(REFERENCES, args.urn, item)
        return
    withdraw(REFERENCES, args.urn)
    if kind == "websocket" and (problems or pending):
        report(
            f"{label}: route key {props['routeKey']!r} is a WebSocket route. {websocket.WHY}. "
            f"Fix: {websocket.AUTHOR_FIX}; {websocket.admin_fix(None)}.",
            None,
        )
        return
    fix = FIX
    if kind == "default":
        fix += (
            " (a WebSocket API's $default route cannot use JWT: WebSocket APIs are allowed only "
            f"when the policy admin lists them in {ALLOWED_WEBSOCKET_APIS.name})"
        )
    report_problems(report, label, problems, pending, fix)


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in (*ROUTE_TYPES, MANAGED_OVERRIDES_TYPE, *HTTP_BODY_TYPES):
        return
    allowed = ALLOWED_WEBSOCKET_APIS.value(read_config(args, report, CONFIG))
    if args.resource_type in HTTP_BODY_TYPES:
        _websocket_api(args, report, allowed)
    elif args.resource_type in ROUTE_TYPES:
        _route(args, report, allowed)
    else:
        props = props_of(args.props)
        route = override_route(GraphResource(args.urn, args.resource_type, args.name, props, {}))
        if route is None:
            return  # overrides no route: the quick-create policy refuses the quick create
        problems, pending = problems_of(dict(route.props))
        label = override_label(args.resource_type, args.name)
        report_problems(report, label, problems, pending, FIX)


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every API Gateway HTTP API route (and quick-create route override) requires a JWT "
        "authorizer and at least one OAuth scope; WebSocket APIs, which cannot, only where the "
        "policy admin allows them."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=schema(*CONFIG),
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Set `authorization_type='JWT'`, `authorizer_id` to an `aws.apigatewayv2.Authorizer` "
        "with `authorizer_type='JWT'` and a Cognito issuer, and `authorization_scopes` to the "
        "scopes callers must hold. NONE, AWS_IAM and CUSTOM do not qualify. WebSocket APIs "
        "(no Cognito or JWT authorizer exists for them) pass only when the policy admin lists "
        "them in `allowedWebSocketApis`."
    ),
)
