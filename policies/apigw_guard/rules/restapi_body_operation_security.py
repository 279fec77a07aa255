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

from ..model.security import BodyJudgement, JudgeOptions, judge_body
from ._common import (
    COGNITO_SCHEME_FIX,
    CONFIG_SCHEMA,
    defer,
    describe,
    judge_options,
    props_of,
)

NAME = "apigateway-restapi-body-operation-security"
BODY_TYPES = (
    "aws:apigateway/restApi:RestApi",
    "aws:apigateway/restApiPut:RestApiPut",
    "aws-native:apigateway:RestApi",
)


def body_of(props: dict[str, Any]) -> Any:
    return props.get("body")


@functools.lru_cache(maxsize=1)
def _judge_text(body: str, options: JudgeOptions, source: str) -> BodyJudgement:
    return _judge_without_gc(body, options, source)


def _judge_without_gc(body: Any, options: JudgeOptions, source: str) -> BodyJudgement:
    # Parsing a large body allocates many containers, which triggers full garbage collections
    # that walk every live object; none of them is garbage, so collection is paused meanwhile.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return judge_body(body, options, source)
    finally:
        if enabled:
            gc.enable()


def judge_resource(
    resource_type: str, name: str, props: dict[str, Any], options: JudgeOptions
) -> BodyJudgement | None:
    """The body's judgement, or None when the resource carries no body."""
    body = body_of(props)
    if body is None:
        return None
    source = f"{describe(resource_type, name)} body"
    if isinstance(body, str):
        # Two policies judge the same body within one Analyze call; parse and judge it once.
        return _judge_text(body, options, source)
    return _judge_without_gc(body, options, source)


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in BODY_TYPES:
        return
    judgement = judge_resource(
        args.resource_type, args.name, props_of(args.props), judge_options(args.get_config())
    )
    if judgement is None:
        return
    who = describe(args.resource_type, args.name)
    if judgement.error:
        report(
            f"{judgement.error}. The body cannot be read, so no operation can be shown to be "
            f"protected (failing closed). Fix: provide a valid OpenAPI 2.0 or 3.x JSON/YAML "
            f"document; {COGNITO_SCHEME_FIX}.",
            None,
        )
        return
    if judgement.pending:
        defer([judgement.pending])
    pending: list[str] = []
    for verdict in judgement.verdicts:
        if not verdict.problems and not verdict.pending:
            continue
        for problem in verdict.problems:
            report(f"{who}: {verdict.operation.key} {problem}. Fix: {COGNITO_SCHEME_FIX}.", None)
        pending.extend(f"{who}: {verdict.operation.key}: {p}" for p in verdict.pending)
    defer(pending)


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
        "oauth2/http/openIdConnect schemes do not qualify."
    ),
)
