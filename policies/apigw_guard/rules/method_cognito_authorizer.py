"""apigateway-method-cognito-authorizer: a REST API authorizer is Cognito and trusts real pools.

A resource policy on the Authorizer itself (classic, aws-native, Terraform-bridged), judged
when it is created, which is before any Method that names it: its type is exactly
COGNITO_USER_POOLS (every REST method must use one, so a Lambda authorizer could only protect
methods the pack refuses) and its `providerArns` are user pool ARNs, within
`allowedUserPoolArns` when the policy admin sets it. An Authorizer resource's values are taken
literally: AWS variables are resolved only inside an imported OpenAPI body. That a Method's
`authorizerId` names such an authorizer is apigateway-references-resolve's to check.
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
from ..model.pool_refs import check_pool_arns
from ..model.resource_types import COGNITO_USER_POOLS, REST_AUTHORIZER_TYPES
from ..model.unknown import UNKNOWN
from ..policy_config import ALLOWED_USER_POOL_ARNS, ALLOWLIST_FIX, read_config, schema
from ..props import props_of
from ..redacted import is_redacted, redacted_message
from ..reporting import defer

NAME = "apigateway-method-cognito-authorizer"
CONFIG = (ALLOWED_USER_POOL_ARNS,)

FIX = "set type to COGNITO_USER_POOLS and providerArns to the ARN(s) of the user pool(s) it trusts"


def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in REST_AUTHORIZER_TYPES:
        return
    allowlist = ALLOWED_USER_POOL_ARNS.value(read_config(args, report, CONFIG))
    props = props_of(args.props)
    if not props:
        return  # a read resource in `pulumi policy analyze`: the stack declares nothing
    who = describe(args.resource_type, args.name)
    kind = props.get("type")
    if kind is UNKNOWN:
        defer([f"{who}: type"])
    if kind != COGNITO_USER_POOLS:
        lam = " (a Lambda authorizer)" if kind in ("TOKEN", "REQUEST") else ""
        report(
            f"{who}: type is {kind!r}{lam}, not {COGNITO_USER_POOLS!r}: every REST API method must "
            "use a Cognito user-pool authorizer with scopes, so this authorizer could only "
            f"protect methods this pack refuses. Fix: {FIX}.",
            None,
        )
        return
    arns = props.get("providerArns")
    if is_redacted(arns):
        report(redacted_message(who, "providerArns", "the pools it trusts cannot be judged"), None)
        return
    if arns is UNKNOWN or (isinstance(arns, list) and UNKNOWN in arns):
        defer([f"{who}: providerArns"])
    problem = check_pool_arns(arns, None, "providerArns")
    if problem:
        report(f"{who} {problem}. Fix: {FIX}.", None)
        return
    outside = check_pool_arns(arns, allowlist, "providerArns")
    if outside:
        report(f"{who} {outside}. Fix: {ALLOWLIST_FIX}.", None)


policy = ResourceValidationPolicy(
    name=NAME,
    description=(
        "Every API Gateway REST API authorizer is a Cognito user-pool authorizer that lists "
        "user pool ARNs (within allowedUserPoolArns when set)."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=schema(*CONFIG),
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Create the `aws.apigateway.Authorizer` with `type='COGNITO_USER_POOLS'` and "
        "`provider_arns=[user_pool.arn]`, and pass its `id` as each method's `authorizer_id`."
    ),
)
