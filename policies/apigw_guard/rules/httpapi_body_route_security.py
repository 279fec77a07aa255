"""apigateway-httpapi-body-route-security: every route of an HTTP API's OpenAPI body is protected.

An `aws.apigatewayv2.Api` with `body` imports its routes and authorizers from the document; no
Route resource shows them, so without this policy they would pass unchecked.
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html
HTTP APIs have no MOCK integration (API Gateway answers their preflights from the Api's
`corsConfiguration`), so no CORS exemption applies here.
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

from ..body_reports import validate_body
from ..model.options import JudgeOptions
from ..model.resource_types import HTTP_BODY_TYPES
from ..policy_config import ALLOWED_USER_POOL_ARNS, read_config, schema

NAME = "apigateway-httpapi-body-route-security"
UNREADABLE_SOURCES = ("bodyS3Location",)  # aws-native only
CONFIG = (ALLOWED_USER_POOL_ARNS,)

FIX = (
    "define a security scheme with x-amazon-apigateway-authorizer {type: jwt, "
    "identitySource: '$request.header.Authorization', jwtConfiguration: {issuer: "
    "'https://cognito-idp.<region>.amazonaws.com/<pool-id>', audience: [<app client id>]}} and "
    'give every operation security: [{<scheme>: ["<resource-server-identifier>/<scope>"]}]'
)


def judge_options(config: Mapping[str, Any] | None, region: str | None = None) -> JudgeOptions:
    """How this policy judges a body under its config, imported in `region` (None: any)."""
    return JudgeOptions(
        allowed_pool_arns=ALLOWED_USER_POOL_ARNS.value(config), import_region=region
    )


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in HTTP_BODY_TYPES:
        return
    config = read_config(args, report, CONFIG)
    validate_body(
        args, report, UNREADABLE_SOURCES, FIX, "http", lambda region: judge_options(config, region)
    )


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every route in an HTTP API's OpenAPI body requires, at operation level, a JWT authorizer "
        "whose issuer is a Cognito user pool and at least one OAuth scope."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=schema(*CONFIG),
    severity=Severity.CRITICAL,
    remediation_steps=(
        "In the HTTP API's OpenAPI body, define a security scheme with "
        "x-amazon-apigateway-authorizer {type: jwt, jwtConfiguration: {issuer: "
        "https://cognito-idp.<region>.amazonaws.com/<pool-id>, audience: [...]}} and give every "
        "operation its own `security: [{<scheme>: [<scope>, ...]}]`. Lambda (request) "
        "authorizers, IAM and routes without security do not qualify; a `$default` path and "
        "bodyS3Location cannot be judged and fail closed: declare such routes as "
        "aws.apigatewayv2.Route resources instead."
    ),
)
