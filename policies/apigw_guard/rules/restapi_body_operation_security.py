"""apigateway-restapi-body-operation-security: every operation of an OpenAPI body is protected."""

from __future__ import annotations

import functools
import gc
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.security import ApiKind, BodyJudgement, JudgeOptions, judge_api_body
from ._common import (
    COGNITO_SCHEME_FIX,
    CONFIG_SCHEMA,
    configured_options,
    describe,
    props_of,
    report_body,
    report_unreadable_source,
)

NAME = "apigateway-restapi-body-operation-security"
BODY_TYPES = (
    "aws:apigateway/restApi:RestApi",
    "aws:apigateway/restApiPut:RestApiPut",
    "aws-native:apigateway:RestApi",
)
# aws-native only: a body kept in S3, or the methods of another API copied wholesale.
UNREADABLE_SOURCES = ("bodyS3Location", "cloneFrom")


def body_of(props: dict[str, Any]) -> Any:
    return props.get("body")


@functools.lru_cache(maxsize=1)
def _judge_text(body: str, options: JudgeOptions, source: str, api: ApiKind) -> BodyJudgement:
    return _judge_without_gc(body, options, source, api)


def _judge_without_gc(body: Any, options: JudgeOptions, source: str, api: ApiKind) -> BodyJudgement:
    # Parsing a large body allocates many containers, which triggers full garbage collections
    # that walk every live object; none of them is garbage, so collection is paused meanwhile.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return judge_api_body(body, options, source, api)
    finally:
        if enabled:
            gc.enable()


def judge_resource(
    resource_type: str,
    name: str,
    props: dict[str, Any],
    options: JudgeOptions,
    api: ApiKind = "rest",
) -> BodyJudgement | None:
    """The body's judgement, or None when the resource carries no body."""
    body = body_of(props)
    if body is None:
        return None
    source = f"{describe(resource_type, name)} body"
    if isinstance(body, str):
        # Two policies judge the same body within one Analyze call; parse and judge it once.
        return _judge_text(body, options, source, api)
    return _judge_without_gc(body, options, source, api)


def validate_body(
    args: ResourceValidationArgs,
    report: ReportViolation,
    unreadable_sources: tuple[str, ...],
    fix: str,
    api: ApiKind,
) -> None:
    """Judge the resource's OpenAPI body (REST or HTTP API) and report it; shared by both."""
    props = props_of(args.props)
    who = describe(args.resource_type, args.name)
    report_unreadable_source(report, who, props, unreadable_sources)
    options = configured_options(args, report)
    judgement = judge_resource(args.resource_type, args.name, props, options, api)
    if judgement is not None:
        report_body(report, who, judgement, fix)


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type in BODY_TYPES:
        validate_body(args, report, UNREADABLE_SOURCES, COGNITO_SCHEME_FIX, "rest")


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every operation in a REST API's OpenAPI body requires, at operation level, a Cognito "
        "user-pool authorizer and at least one OAuth scope."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=CONFIG_SCHEMA,
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
