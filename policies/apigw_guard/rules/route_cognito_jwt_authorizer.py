"""apigateway-route-cognito-jwt-authorizer: a route's JWT authorizer trusts a Cognito user pool."""

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
from ..model.options import JudgeOptions
from ..model.resource_graph import GraphResource
from ..model.resource_types import HTTP_AUTHORIZER_TYPES, MANAGED_OVERRIDES_TYPE, ROUTE_TYPES
from ..model.schemes import check_issuer
from ..model.unknown import UNKNOWN
from ..policy_config import CONFIG_SCHEMA, configured_options
from ..reporting import defer
from ..route_settings import override_label, override_route, route_label
from ..stack import has_any, stack_graph

NAME = "apigateway-route-cognito-jwt-authorizer"

FIX = (
    "point authorizerId at an apigatewayv2 Authorizer with authorizerType JWT and "
    "jwtConfiguration.issuer https://cognito-idp.<region>.amazonaws.com/<pool-id>"
)


def authorizer_problems(
    props: dict[str, Any], options: JudgeOptions
) -> tuple[list[str], list[str]]:
    """(faults, unknowns) of an apigatewayv2 Authorizer resource that a Route names."""
    kind = props.get("authorizerType")
    if kind is UNKNOWN:
        return [], ["authorizerType"]
    if kind != "JWT":
        return [f"its authorizer has authorizerType {kind!r}, not 'JWT'"], []
    jwt = props.get("jwtConfiguration")
    issuer = jwt.get("issuer") if isinstance(jwt, dict) else None
    if jwt is UNKNOWN or issuer is UNKNOWN:
        return [], ["jwtConfiguration.issuer"]
    problem = check_issuer(issuer, options.allowed_pool_arns)
    return ([f"its authorizer {problem}"] if problem else []), []


def validate(args: StackValidationArgs, report: ReportViolation) -> None:
    options = configured_options(args, report)
    if not has_any(args.resources, (*ROUTE_TYPES, MANAGED_OVERRIDES_TYPE)):
        return
    graph = stack_graph(args.resources)
    pending: list[str] = []
    for resource in graph.resources:
        if resource.type in ROUTE_TYPES:
            route: GraphResource | None = resource
            label = route_label(resource.type, resource.name, dict(resource.props))
        elif resource.type == MANAGED_OVERRIDES_TYPE:
            # The quick-created route's override, judged exactly like a Route.
            route, label = override_route(resource), override_label(resource.name)
        else:
            continue
        if route is None or route.props.get("authorizationType", "NONE") != "JWT":
            continue  # reported by apigateway-route-cognito-jwt-authorization
        pending.extend(
            check_authorizer_reference(
                report,
                route,
                label,
                HTTP_AUTHORIZER_TYPES,
                graph,
                lambda authorizer: authorizer_problems(authorizer, options),
                FIX,
            )
        )
    defer(pending)


policy = StackValidationPolicy(
    name=NAME,
    description=(
        "Every API Gateway HTTP API route's JWT authorizer trusts a Cognito user pool as issuer."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=CONFIG_SCHEMA,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Create an `aws.apigatewayv2.Authorizer` with `authorizer_type='JWT'` and "
        "`jwt_configuration={'issuer': 'https://cognito-idp.<region>.amazonaws.com/<pool-id>', "
        "'audiences': [<app client id>]}` and pass its `id` as the route's `authorizer_id`."
    ),
)
