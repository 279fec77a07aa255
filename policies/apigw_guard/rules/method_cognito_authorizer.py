"""apigateway-method-cognito-authorizer: a Method's authorizer is Cognito, with pools."""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from ..authorizers import check_authorizer_reference
from ..method_settings import COGNITO, authorization_of, method_title
from ..model.options import JudgeOptions
from ..model.resource_types import METHOD_TYPES, REST_AUTHORIZER_TYPES
from ..model.schemes import check_pool_arns
from ..model.unknown import UNKNOWN
from ..policy_config import CONFIG_SCHEMA, configured_options
from ..reporting import defer
from ..stack import stack_graph

NAME = "apigateway-method-cognito-authorizer"

FIX = (
    "point authorizerId at an aws.apigateway.Authorizer with type COGNITO_USER_POOLS and "
    "providerArns listing the user pool ARN(s)"
)


def authorizer_problems(
    authorizer: dict[str, Any], options: JudgeOptions
) -> tuple[list[str], list[str]]:
    """(faults, unknowns) of an Authorizer resource that a Method names."""
    kind = authorizer.get("type")
    if kind is not UNKNOWN and kind != COGNITO:
        return [f"its authorizer has type {kind!r}, not 'COGNITO_USER_POOLS'"], []
    pending = ["authorizer type"] if kind is UNKNOWN else []
    arns = authorizer.get("providerArns")
    if arns is UNKNOWN or (isinstance(arns, list) and UNKNOWN in arns):
        return [], [*pending, "authorizer providerArns"]
    problem = check_pool_arns(arns, options.allowed_pool_arns, "providerArns")
    return ([f"its authorizer {problem}"] if problem else []), pending


def validate(args: StackValidationArgs, report: ReportViolation) -> None:
    # The CORS exemption is not this policy's: an exempted preflight is not COGNITO, and only
    # COGNITO methods are judged here (apigateway-method-cognito-authorization owns the rest).
    options = configured_options(args, report)
    graph = stack_graph(args.resources)
    pending: list[str] = []
    for method in graph.resources:
        if method.type not in METHOD_TYPES:
            continue
        if authorization_of(method.type, dict(method.props)) != COGNITO:
            continue  # reported by apigateway-method-cognito-authorization
        pending.extend(
            check_authorizer_reference(
                report,
                method,
                method_title(method, graph),
                REST_AUTHORIZER_TYPES,
                graph,
                lambda authorizer: authorizer_problems(authorizer, options),
                FIX,
            )
        )
    defer(pending)


policy = StackValidationPolicy(
    name=NAME,
    description=(
        "Every API Gateway REST API method's authorizer is a Cognito user-pool authorizer that "
        "lists at least one user pool."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=CONFIG_SCHEMA,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Create an `aws.apigateway.Authorizer` with `type='COGNITO_USER_POOLS'` and "
        "`provider_arns=[user_pool.arn]` in the same stack and pass its `id` as the method's "
        "`authorizer_id`."
    ),
)
