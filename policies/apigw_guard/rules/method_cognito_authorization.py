"""apigateway-method-cognito-authorization: a REST API Method demands a Cognito token + scopes."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..method_settings import FIX, is_mock_options, method_label, problems_of
from ..model.resource_types import METHOD_TYPES
from ..policy_config import CONFIG_SCHEMA, configured_options
from ..props import props_of
from ..reporting import describe, report_problems

NAME = "apigateway-method-cognito-authorization"


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in METHOD_TYPES:
        return
    props = props_of(args.props)
    options = configured_options(args, report)
    if options.exempt_mock_options and is_mock_options(args.resource_type, props) is not False:
        return  # classic OPTIONS: the stack policy checks that its integration is MOCK
    problems, pending = problems_of(args.resource_type, props)
    label = f"{describe(args.resource_type, args.name)} ({method_label(props)})"
    report_problems(report, label, problems, pending, FIX)


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every API Gateway REST API method requires a Cognito user-pool authorizer and at least "
        "one OAuth scope."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=CONFIG_SCHEMA,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Set `authorization` (aws-native: `authorizationType`) to `COGNITO_USER_POOLS`, set "
        "`authorizerId` to an `aws.apigateway.Authorizer` of type COGNITO_USER_POOLS, and set "
        "`authorizationScopes` to the resource-server scopes callers must hold, e.g. "
        "`['https://api.example.com/read']`. NONE (even with an API key), AWS_IAM and CUSTOM "
        "do not qualify."
    ),
)
