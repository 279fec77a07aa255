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

from ..model.security import COGNITO_ISSUER, UNKNOWN, JudgeOptions, pool_id_of_arn
from . import route_cognito_jwt_authorization as route_rule
from ._common import (
    CONFIG_SCHEMA,
    check_authorizer_reference,
    configured_options,
    defer,
    props_of,
)

NAME = "apigateway-route-cognito-jwt-authorizer"
AUTHORIZER_TYPES = ("aws:apigatewayv2/authorizer:Authorizer", "aws-native:apigatewayv2:Authorizer")

FIX = (
    "point authorizerId at an apigatewayv2 Authorizer with authorizerType JWT and "
    "jwtConfiguration.issuer https://cognito-idp.<region>.amazonaws.com/<pool-id>"
)


def authorizer_problems(
    props: dict[str, Any], options: JudgeOptions
) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    pending: list[str] = []
    kind = props.get("authorizerType")
    if kind is UNKNOWN:
        return problems, ["authorizerType"]
    if kind != "JWT":
        return [f"its authorizer has authorizerType {kind!r}, not 'JWT'"], pending
    jwt = props.get("jwtConfiguration")
    issuer = jwt.get("issuer") if isinstance(jwt, dict) else None
    if jwt is UNKNOWN or issuer is UNKNOWN:
        return problems, ["jwtConfiguration.issuer"]
    match = COGNITO_ISSUER.match(issuer) if isinstance(issuer, str) else None
    if not match:
        return [f"its JWT issuer {issuer!r} is not a Cognito user pool"], pending
    if options.allowed_pool_arns is not None:
        allowed = {pool_id_of_arn(a) for a in options.allowed_pool_arns}
        if match.group("pool") not in allowed:
            problems.append(f"its JWT issuer {issuer!r} is a user pool outside allowedUserPoolArns")
    return problems, pending


def validate(args: StackValidationArgs, report: ReportViolation) -> None:
    options = configured_options(args, report)
    pending: list[str] = []
    for route in args.resources:
        if route.resource_type not in route_rule.TYPES:
            continue
        props = props_of(route.props)
        if props.get("authorizationType", "NONE") != "JWT":
            continue  # reported by apigateway-route-cognito-jwt-authorization
        pending.extend(
            check_authorizer_reference(
                report,
                route,
                route_rule.route_label(route.resource_type, route.name, props),
                AUTHORIZER_TYPES,
                args.resources,
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
