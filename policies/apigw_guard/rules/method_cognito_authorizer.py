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
from ..method_settings import COGNITO, authorization_of, is_mock_options, problems_of
from ..method_settings import FIX as METHOD_FIX
from ..model.options import JudgeOptions
from ..model.resource_graph import GraphResource, ResourceGraph
from ..model.resource_types import (
    INTEGRATION_TYPE,
    METHOD_CLASSIC,
    METHOD_TYPES,
    REST_AUTHORIZER_TYPES,
)
from ..model.schemes import check_pool_arns
from ..model.unknown import UNKNOWN
from ..policy_config import CONFIG_SCHEMA, configured_options
from ..reporting import defer, describe
from ..stack import stack_graph

NAME = "apigateway-method-cognito-authorizer"

FIX = (
    "point authorizerId at an aws.apigateway.Authorizer with type COGNITO_USER_POOLS and "
    "providerArns listing the user pool ARN(s)"
)


def _label(method: GraphResource, graph: ResourceGraph) -> str:
    http_method = method.props.get("httpMethod")
    text = http_method.upper() if isinstance(http_method, str) else "<method unknown>"
    path = graph.method_path(method).path
    if path is None:
        resource_id = method.props.get("resourceId")
        path = f"(resource {'<unknown>' if resource_id is UNKNOWN else repr(resource_id)})"
    return f"{describe(method.type, method.name)} ({text} {path})"


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


def _has_mock_integration(method: GraphResource, graph: ResourceGraph) -> bool:
    props = method.props
    for r in graph.resources:
        if r.type != INTEGRATION_TYPE:
            continue
        integ = r.props
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
    graph = stack_graph(args.resources)
    pending: list[str] = []
    for method in graph.resources:
        if method.type not in METHOD_TYPES:
            continue
        props = dict(method.props)
        label = _label(method, graph)
        if (
            options.exempt_mock_options
            and method.type == METHOD_CLASSIC
            and (is_mock_options(method.type, props) is None)
        ):
            if _has_mock_integration(method, graph):
                continue
            # The resource policy skipped this OPTIONS method for the exemption; it is not MOCK.
            own, unknown = problems_of(method.type, props)
            for problem in own:
                report(
                    f"{label}: {problem} (the CORS exemption applies only to OPTIONS methods with "
                    f"a MOCK integration). Fix: {METHOD_FIX}.",
                    method.urn,
                )
            pending.extend(f"{label}: {p}" for p in unknown)
            if own or unknown:
                continue
        if authorization_of(method.type, props) != COGNITO:
            continue  # reported by apigateway-method-cognito-authorization
        pending.extend(
            check_authorizer_reference(
                report,
                method,
                label,
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
