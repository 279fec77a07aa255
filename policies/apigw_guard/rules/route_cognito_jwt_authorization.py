"""apigateway-route-cognito-jwt-authorization: every HTTP API route demands a JWT with scopes.

Also judges the `route` block of an aws-native ApiGatewayManagedOverrides exactly like a Route:
it is the only way to protect the route HTTP API quick create makes (whether one is there at
all is apigateway-httpapi-no-quick-create's to say).
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.resource_graph import GraphResource
from ..model.resource_types import MANAGED_OVERRIDES_TYPE, ROUTE_TYPES
from ..policy_config import CONFIG_SCHEMA, configured_options
from ..props import props_of
from ..reporting import report_problems
from ..route_settings import FIX, override_label, override_route, problems_of, route_label

NAME = "apigateway-route-cognito-jwt-authorization"


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in (*ROUTE_TYPES, MANAGED_OVERRIDES_TYPE):
        return
    configured_options(args, report)  # only to report config errors; routes have no exemption
    props = props_of(args.props)
    if args.resource_type == MANAGED_OVERRIDES_TYPE:
        route = override_route(GraphResource(args.urn, args.resource_type, args.name, props, {}))
        if route is None:
            return  # overrides no route: the quick-create policy reports the open route
        props, label = dict(route.props), override_label(args.name)
    else:
        label = route_label(args.resource_type, args.name, props)
    problems, pending = problems_of(props)
    report_problems(report, label, problems, pending, FIX)


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every API Gateway HTTP API route (and quick-create route override) requires a JWT "
        "authorizer and at least one OAuth scope."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=CONFIG_SCHEMA,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Set `authorization_type='JWT'`, `authorizer_id` to an `aws.apigatewayv2.Authorizer` "
        "with `authorizer_type='JWT'` and a Cognito issuer, and `authorization_scopes` to the "
        "scopes callers must hold. NONE, AWS_IAM and CUSTOM do not qualify."
    ),
)
