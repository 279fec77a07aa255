"""The links of a REST API Method that only the stack shows, for the references policy.

A Cognito Method's `authorizerId` must name an authorizer of this stack (whose own settings
apigateway-method-cognito-authorizer judged when it was created), and an OPTIONS method the
resource policy exempted as a CORS preflight must have exactly one integration, a MOCK (see
`cors_exemption`). A Method whose own settings are at fault, or not known yet, was reported or
deferred by apigateway-method-cognito-authorization before it existed, and is skipped.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import ReportViolation

from .authorizers import check_authorizer_reference
from .cors_exemption import confirm_preflight
from .method_authorization import problems_of
from .model.labels import method_title
from .model.resource_graph import GraphResource, ResourceGraph
from .model.resource_types import REST_AUTHORIZER_TYPES

FIX = (
    "point authorizerId at an aws.apigateway.Authorizer of this stack with type "
    "COGNITO_USER_POOLS and providerArns listing the user pool ARN(s)"
)


def _judged_at_creation(authorizer: dict[str, Any]) -> tuple[list[str], list[str]]:
    # The authorizer's own type and pools were judged before it existed.
    return [], []


def check_method(
    report: ReportViolation, method: GraphResource, graph: ResourceGraph, handed: Any
) -> list[str]:
    """Report the Method's link faults (`handed`: what the resource policy left, or None);
    return what is unknown until the update."""
    if handed is not None:
        return confirm_preflight(report, method, graph, handed)
    problems, unknown = problems_of(method.type, dict(method.props))
    if problems or unknown:
        return []  # reported or deferred by apigateway-method-cognito-authorization
    return check_authorizer_reference(
        report,
        method,
        lambda: method_title(method, graph.method_path(method)),
        REST_AUTHORIZER_TYPES,
        graph,
        _judged_at_creation,
        FIX,
    )
