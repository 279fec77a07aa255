"""apigateway-cloudformation-method-authorization: a template's REST API Methods are protected.

A CloudFormation stack (classic or aws-native `Stack`/`StackSet`, Terraform-bridged) whose
template the pack can read creates its `AWS::ApiGateway::Method`s itself; each is judged from
what the template states literally (see `model.cloudformation`), before the stack is created.
What the pack cannot read (a template URL, nested stacks, SAM applications, `AWS::Include`) is
apigateway-cloudformation-hidden-methods' to advise.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.cloudformation import method_faults, parse_template
from ..model.labels import describe
from ..model.resource_types import CLOUDFORMATION_STACK_TYPES
from ..model.unknown import UNKNOWN
from ..policy_config import (
    ALLOWED_USER_POOL_ARNS,
    EXEMPT_CORS_PREFLIGHT_MOCK,
    read_config,
    schema,
)
from ..props import props_of
from ..redacted import is_redacted, redacted_message
from ..reporting import defer

NAME = "apigateway-cloudformation-method-authorization"
CONFIG = (EXEMPT_CORS_PREFLIGHT_MOCK, ALLOWED_USER_POOL_ARNS)

FIX = (
    "give the Method AuthorizationType COGNITO_USER_POOLS, AuthorizerId !Ref (or !GetAtt "
    "<id>.AuthorizerId) of an AWS::ApiGateway::Authorizer of type COGNITO_USER_POOLS in the same "
    "template, and AuthorizationScopes listing at least one resource-server scope, written "
    "literally; or declare the API with Pulumi resources"
)


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in CLOUDFORMATION_STACK_TYPES:
        return
    config = read_config(args, report, CONFIG)
    props = props_of(args.props)
    who = describe(args.resource_type, args.name)
    body = props.get("templateBody")
    if is_redacted(body):
        report(
            redacted_message(who, "templateBody", "the methods it creates cannot be judged"),
            None,
        )
        return
    if body is UNKNOWN:
        defer([f"{who}: templateBody"])
    template = parse_template(body) if isinstance(body, str) else body
    if not isinstance(template, dict):
        return  # unreadable: apigateway-cloudformation-hidden-methods says so
    for fault in method_faults(
        template,
        exempt_mock_options=EXEMPT_CORS_PREFLIGHT_MOCK.value(config),
        allowed_pool_arns=ALLOWED_USER_POOL_ARNS.value(config),
    ):
        report(f"{who}: template resource {fault.method}: {fault.problem}. Fix: {FIX}.", None)


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every API Gateway REST API method in a readable CloudFormation template requires a "
        "Cognito user-pool authorizer of the same template and at least one OAuth scope."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=schema(*CONFIG),
    severity=Severity.CRITICAL,
    remediation_steps=(
        "In the template, give every AWS::ApiGateway::Method `AuthorizationType: "
        "COGNITO_USER_POOLS`, `AuthorizerId: !Ref <Authorizer>` (an AWS::ApiGateway::Authorizer "
        "of type COGNITO_USER_POOLS with ProviderARNs) and `AuthorizationScopes`, as literals; "
        "parameters, conditions and other intrinsic functions there fail closed."
    ),
)
