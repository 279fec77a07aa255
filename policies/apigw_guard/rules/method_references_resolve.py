"""apigateway-method-references-resolve: what a Method's own inputs cannot show.

A stack policy, for the links between resources only: a Cognito Method's `authorizerId` must
name an authorizer of this stack (whose own settings apigateway-method-cognito-authorizer judged
when it was created), and an OPTIONS method the resource policy exempted as a CORS preflight
must have exactly one integration, a MOCK (see `cors_exemption`). A Method whose own settings
are at fault, or not known yet, was reported or deferred by the resource policy before it
existed, and is skipped here: one fault, one diagnostic.

AnalyzeStack runs at the end: under `pulumi up --skip-preview` (and the Automation API) these
faults are found after the update, with the method already live. policies/README lists them.
"""

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
from ..cors_exemption import confirm_preflight
from ..handoff import METHOD_REFERENCES, handed_to
from ..method_settings import method_title, problems_of
from ..model.resource_types import METHOD_TYPES, REST_AUTHORIZER_TYPES
from ..reporting import defer
from ..stack import has_any, stack_graph

NAME = METHOD_REFERENCES

FIX = (
    "point authorizerId at an aws.apigateway.Authorizer of this stack with type "
    "COGNITO_USER_POOLS and providerArns listing the user pool ARN(s)"
)


def _judged_at_creation(authorizer: dict[str, Any]) -> tuple[list[str], list[str]]:
    # The authorizer's own type and pools were judged before it existed.
    return [], []


def validate(args: StackValidationArgs, report: ReportViolation) -> None:
    handed = handed_to(NAME)
    if not has_any(args.resources, METHOD_TYPES):
        return
    graph = stack_graph(args.resources)
    pending: list[str] = []
    for method in graph.resources:
        if method.type not in METHOD_TYPES:
            continue
        if method.urn in handed:
            pending.extend(confirm_preflight(report, method, graph, handed[method.urn]))
            continue
        problems, unknown = problems_of(method.type, dict(method.props))
        if problems or unknown:
            continue  # reported or deferred by apigateway-method-cognito-authorization
        pending.extend(
            check_authorizer_reference(
                report,
                method,
                method_title(method, graph),
                REST_AUTHORIZER_TYPES,
                graph,
                _judged_at_creation,
                FIX,
            )
        )
    defer(pending)


policy = StackValidationPolicy(
    name=NAME,
    description=(
        "Every Cognito REST API method's authorizer is an authorizer of the same stack, and "
        "every exempted CORS preflight has exactly one integration, a MOCK."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps=(
        "Create the `aws.apigateway.Authorizer` (type COGNITO_USER_POOLS, providerArns) in the "
        "same stack as the method and pass its `id` as the method's `authorizer_id`. For an "
        "exempted CORS preflight, give the OPTIONS method exactly one integration, of type MOCK."
    ),
)
