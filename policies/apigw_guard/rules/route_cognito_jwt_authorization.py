"""apigateway-route-cognito-jwt-authorization: every HTTP API route demands a JWT with scopes."""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.security import UNKNOWN
from ._common import (
    CONFIG_SCHEMA,
    blank_entries,
    configured_options,
    describe,
    props_of,
    report_problems,
)

NAME = "apigateway-route-cognito-jwt-authorization"
TYPES = ("aws:apigatewayv2/route:Route", "aws-native:apigatewayv2:Route")

FIX = (
    "set authorizationType to JWT, authorizerId to an apigatewayv2 Authorizer of type JWT whose "
    "issuer is https://cognito-idp.<region>.amazonaws.com/<pool-id>, and authorizationScopes to "
    "at least one resource-server scope"
)


def route_label(resource_type: str, name: str, props: dict[str, Any]) -> str:
    key = props.get("routeKey")
    key_text = "<route key unknown>" if key is UNKNOWN else str(key)
    return f"{describe(resource_type, name)} ({key_text})"


def problems_of(props: dict[str, Any]) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    pending: list[str] = []
    # Omitted authorizationType means NONE for both providers.
    auth = props.get("authorizationType", "NONE")
    if auth is UNKNOWN:
        pending.append("authorizationType")
    elif auth != "JWT":  # exactly as the API spells it
        problems.append(f"authorizationType is {auth!r}, not 'JWT'")
        return problems, pending
    authorizer_id = props.get("authorizerId")
    if authorizer_id is UNKNOWN:
        pending.append("authorizerId")
    elif not isinstance(authorizer_id, str) or not authorizer_id.strip():
        problems.append("authorizerId is missing; it must name a Cognito JWT authorizer")
    scopes = props.get("authorizationScopes")
    if scopes is UNKNOWN or (isinstance(scopes, list) and UNKNOWN in scopes):
        pending.append("authorizationScopes")
    elif not isinstance(scopes, list) or not scopes:
        problems.append("authorizationScopes is empty, so any token of the issuer gets in")
    elif blank_entries(scopes):
        problems.append(f"authorizationScopes has blank entries: {scopes!r}")
    return problems, pending


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in TYPES:
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
