"""apigateway-route-cognito-jwt-authorizer: an HTTP API JWT authorizer trusts a Cognito pool.

A resource policy on the apigatewayv2 Authorizer itself (classic, aws-native,
Terraform-bridged), judged when it is created, before any route that names it: a JWT
authorizer's issuer is a Cognito user pool (either issuer form Cognito documents), within
`allowedUserPoolArns` when the policy admin sets it. REQUEST (Lambda) authorizers are not judged
here: a WebSocket API the admin allows needs one, and a JWT route naming one is
apigateway-references-resolve's to report.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..model.labels import describe
from ..model.pool_refs import check_issuer
from ..model.resource_types import HTTP_AUTHORIZER_TYPES, JWT
from ..model.unknown import UNKNOWN
from ..policy_config import ALLOWED_USER_POOL_ARNS, ALLOWLIST_FIX, read_config, schema
from ..props import props_of
from ..redacted import is_redacted, redacted_message
from ..reporting import defer

NAME = "apigateway-route-cognito-jwt-authorizer"
CONFIG = (ALLOWED_USER_POOL_ARNS,)

FIX = (
    "set jwtConfiguration.issuer to the user pool's issuer, "
    "https://cognito-idp.<region>.amazonaws.com/<pool-id> (or its issuer-cognito-idp form)"
)


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in HTTP_AUTHORIZER_TYPES:
        return
    allowlist = ALLOWED_USER_POOL_ARNS.value(read_config(args, report, CONFIG))
    props = props_of(args.props)
    who = describe(args.resource_type, args.name)
    kind = props.get("authorizerType")
    if kind is UNKNOWN:
        defer([f"{who}: authorizerType"])
    if kind != JWT:
        return
    jwt = props.get("jwtConfiguration")
    issuer = jwt.get("issuer") if isinstance(jwt, dict) else None
    if is_redacted(jwt) or is_redacted(issuer):
        report(
            redacted_message(who, "jwtConfiguration.issuer", "its issuer cannot be judged"), None
        )
        return
    if jwt is UNKNOWN or issuer is UNKNOWN:
        defer([f"{who}: jwtConfiguration.issuer"])
    problem = check_issuer(issuer, None)
    if problem:
        report(f"{who} {problem}. Fix: {FIX}.", None)
        return
    outside = check_issuer(issuer, allowlist)
    if outside:
        report(f"{who} {outside}. Fix: {ALLOWLIST_FIX}.", None)


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every API Gateway HTTP API JWT authorizer trusts a Cognito user pool as issuer "
        "(within allowedUserPoolArns when set)."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=schema(*CONFIG),
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Create the `aws.apigatewayv2.Authorizer` with `authorizer_type='JWT'` and "
        "`jwt_configuration={'issuer': 'https://cognito-idp.<region>.amazonaws.com/<pool-id>', "
        "'audiences': [<app client id>]}` and pass its `id` as each route's `authorizer_id`."
    ),
)
