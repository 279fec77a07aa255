"""apigateway-method-cognito-authorizer: a Method's authorizer is Cognito, with pools."""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from ..model.security import UNKNOWN, JudgeOptions
from . import method_cognito_authorization as method_rule
from ._common import (
    CONFIG_SCHEMA,
    blank_entries,
    check_authorizer_reference,
    configured_options,
    defer,
    describe,
    props_of,
)

NAME = "apigateway-method-cognito-authorizer"
AUTHORIZER_TYPES = ("aws:apigateway/authorizer:Authorizer", "aws-native:apigateway:Authorizer")
INTEGRATION = "aws:apigateway/integration:Integration"
RESOURCE_TYPES = ("aws:apigateway/resource:Resource", "aws-native:apigateway:Resource")
REST_API_TYPES = ("aws:apigateway/restApi:RestApi", "aws-native:apigateway:RestApi")

FIX = (
    "point authorizerId at an aws.apigateway.Authorizer with type COGNITO_USER_POOLS and "
    "providerArns listing the user pool ARN(s)"
)


def _path_of(method: PolicyResource, props: dict[str, Any]) -> str:
    for dep in method.property_dependencies.get("resourceId", []):
        if dep.resource_type in RESOURCE_TYPES:
            path = props_of(dep.props).get("path")
            if isinstance(path, str) and path:
                return path
            part = props_of(dep.props).get("pathPart")
            if isinstance(part, str) and part:
                return f".../{part}"
        if dep.resource_type in REST_API_TYPES:
            return "/"
    resource_id = props.get("resourceId")
    return f"(resource {'<unknown>' if resource_id is UNKNOWN else repr(resource_id)})"


def _label(method: PolicyResource, props: dict[str, Any]) -> str:
    http_method = props.get("httpMethod")
    text = http_method.upper() if isinstance(http_method, str) else "<method unknown>"
    return f"{describe(method.resource_type, method.name)} ({text} {_path_of(method, props)})"


def authorizer_problems(
    authorizer: dict[str, Any], options: JudgeOptions
) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    pending: list[str] = []
    kind = authorizer.get("type")
    if kind is UNKNOWN:
        pending.append("authorizer type")
    elif kind != method_rule.COGNITO:
        problems.append(f"its authorizer has type {kind!r}, not 'COGNITO_USER_POOLS'")
        return problems, pending
    arns = authorizer.get("providerArns")
    if arns is UNKNOWN or (isinstance(arns, list) and UNKNOWN in arns):
        pending.append("authorizer providerArns")
    elif not isinstance(arns, list) or not arns or blank_entries(arns):
        problems.append(f"its authorizer has no usable providerArns ({arns!r})")
    elif options.allowed_pool_arns is not None:
        outside = [a for a in arns if a not in options.allowed_pool_arns]
        if outside:
            problems.append(
                "its authorizer trusts user pool(s) outside allowedUserPoolArns: "
                + ", ".join(outside)
            )
    return problems, pending


def _has_mock_integration(props: dict[str, Any], resources: list[PolicyResource]) -> bool:
    for r in resources:
        if r.resource_type != INTEGRATION:
            continue
        integ = props_of(r.props)
        if (
            str(integ.get("type", "")).upper() == "MOCK"
            and str(integ.get("httpMethod", "")).upper() == "OPTIONS"
            and integ.get("restApi") == props.get("restApi")
            and integ.get("resourceId") == props.get("resourceId")
        ):
            return True
    return False


def validate(args: StackValidationArgs, report: ReportViolation) -> None:
    options = configured_options(args, report)
    pending: list[str] = []
    for method in args.resources:
        if method.resource_type not in method_rule.TYPES:
            continue
        props = props_of(method.props)
        label = _label(method, props)
        if (
            options.exempt_mock_options
            and method.resource_type == method_rule.CLASSIC
            and (method_rule.is_mock_options(method.resource_type, props) is None)
        ):
            if _has_mock_integration(props, args.resources):
                continue
            # The resource policy skipped this OPTIONS method for the exemption; it is not MOCK.
            own, unknown = method_rule.problems_of(method.resource_type, props)
            for problem in own:
                report(
                    f"{label}: {problem} (the CORS exemption applies only to OPTIONS methods with "
                    f"a MOCK integration). Fix: {method_rule.FIX}.",
                    method.urn,
                )
            pending.extend(f"{label}: {p}" for p in unknown)
            if own or unknown:
                continue
        if method_rule.authorization_of(method.resource_type, props) != method_rule.COGNITO:
            continue  # reported by apigateway-method-cognito-authorization
        pending.extend(
            check_authorizer_reference(
                report,
                method,
                label,
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
