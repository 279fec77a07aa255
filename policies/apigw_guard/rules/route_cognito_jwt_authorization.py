"""apigateway-route-cognito-jwt-authorization: every HTTP API route demands a JWT with scopes."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.resource_types import ROUTE_TYPES
from ..policy_config import CONFIG_SCHEMA, configured_options
from ..props import props_of
from ..reporting import report_problems
from ..route_settings import FIX, problems_of, route_label

NAME = "apigateway-route-cognito-jwt-authorization"


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in ROUTE_TYPES:
        return
    configured_options(args, report)  # only to report config errors; routes have no exemption
    props = props_of(args.props)
    label = route_label(args.resource_type, args.name, props)
    problems, pending = problems_of(props)
    report_problems(report, label, problems, pending, FIX)


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every API Gateway HTTP API route requires a JWT authorizer and at least one OAuth scope."
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
