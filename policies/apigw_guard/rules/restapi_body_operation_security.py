"""apigateway-restapi-body-operation-security: every operation of an OpenAPI body is protected.

A resource policy on every resource whose `body` API Gateway imports as a REST API's methods
(`RestApi`, `RestApiPut`, aws-native and Terraform-bridged), judged before the import: each
operation's own `security` names a Cognito user-pool authorizer scheme with at least one scope.
`judge_options` is this policy's reading of its config; the report judges bodies with it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..body_reports import COGNITO_SCHEME_FIX, validate_body
from ..model.options import JudgeOptions
from ..model.resource_types import REST_BODY_TYPES
from ..policy_config import (
    ALLOWED_USER_POOL_ARNS,
    EXEMPT_CORS_PREFLIGHT_MOCK,
    read_config,
    schema,
)

NAME = "apigateway-restapi-body-operation-security"
# aws-native only: a body kept in S3, or the methods of another API copied wholesale.
UNREADABLE_SOURCES = ("bodyS3Location", "cloneFrom")
CONFIG = (EXEMPT_CORS_PREFLIGHT_MOCK, ALLOWED_USER_POOL_ARNS)


def judge_options(config: Mapping[str, Any] | None, region: str | None = None) -> JudgeOptions:
    """How this policy judges a body under its config, imported in `region` (None: any)."""
    return JudgeOptions(
        exempt_mock_options=EXEMPT_CORS_PREFLIGHT_MOCK.value(config),
        allowed_pool_arns=ALLOWED_USER_POOL_ARNS.value(config),
        import_region=region,
    )


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in REST_BODY_TYPES:
        return
    config = read_config(args, report, CONFIG)
    validate_body(
        args,
        report,
        UNREADABLE_SOURCES,
        COGNITO_SCHEME_FIX,
        "rest",
        lambda region: judge_options(config, region),
    )


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every operation in a REST API's OpenAPI body requires, at operation level, a Cognito "
        "user-pool authorizer and at least one OAuth scope."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=schema(*CONFIG),
    severity=Severity.CRITICAL,
    remediation_steps=(
        "In the OpenAPI body, define a security scheme (OpenAPI 2.0: securityDefinitions; 3.x: "
        "components.securitySchemes) of type apiKey with x-amazon-apigateway-authorizer "
        "{type: cognito_user_pools, providerARNs: [<user pool ARN>]}, and give every operation "
        "its own `security: [{<scheme>: [<scope>, ...]}]` with at least one scope. Root-level "
        "security is ignored by API Gateway's import; API keys, Lambda authorizers and native "
        "oauth2/http/openIdConnect schemes do not qualify. Bodies are read strictly: duplicate "
        "keys, both swagger and openapi, $ref path items, upper-case operation keys, "
        "bodyS3Location and cloneFrom fail closed."
    ),
)
