"""apigateway-restapi-body-operation-security: every operation of an OpenAPI body is protected."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..bodies import COGNITO_SCHEME_FIX, validate_body
from ..model.resource_types import REST_BODY_TYPES
from ..policy_config import ALLOWED_POOL_ARNS, EXEMPT_MOCK_OPTIONS, schema

NAME = "apigateway-restapi-body-operation-security"
# aws-native only: a body kept in S3, or the methods of another API copied wholesale.
UNREADABLE_SOURCES = ("bodyS3Location", "cloneFrom")


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type in REST_BODY_TYPES:
        validate_body(args, report, UNREADABLE_SOURCES, COGNITO_SCHEME_FIX, "rest")


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every operation in a REST API's OpenAPI body requires, at operation level, a Cognito "
        "user-pool authorizer and at least one OAuth scope."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=schema(EXEMPT_MOCK_OPTIONS, ALLOWED_POOL_ARNS),
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
