"""Confirming a CORS preflight exemption the Method's resource policy handed over.

apigateway-method-cognito-authorization, with `exemptCorsPreflightMock` on, leaves an open
OPTIONS method whose integration it cannot see (a classic or Terraform-bridged Integration is
another resource, and one can replace an aws-native Method's nested MOCK) to the stack half,
which finds the integrations attached to the method and exempts it only when there is exactly
one and it is MOCK. The method's own faults come with the hand-off, as they were judged.
"""

from __future__ import annotations

from pulumi_policy import ReportViolation

from .method_authorization import FIX
from .method_integration import method_integration
from .model.labels import method_title
from .model.resource_graph import GraphResource, ResourceGraph
from .policy_config import EXEMPT_CORS_PREFLIGHT_MOCK

EXEMPT_MOCK_OPTIONS = EXEMPT_CORS_PREFLIGHT_MOCK.name


def confirm_preflight(
    report: ReportViolation,
    method: GraphResource,
    graph: ResourceGraph,
    problems: tuple[str, ...],
) -> list[str]:
    """Report the handed-over method unless its one integration is MOCK; return what is unknown."""
    title = method_title(method, graph.method_path(method))
    integration = method_integration(method, graph)
    if integration.state == "unknown":
        return [f"{title}: {integration.what}, which decides {EXEMPT_MOCK_OPTIONS}"]
    if integration.state == "mock":
        return []
    fix = FIX
    if integration.state == "ambiguous":
        note = (
            f" {EXEMPT_MOCK_OPTIONS} does not apply: {integration.what} are all attached to this "
            "method and API Gateway keeps only the last one put, which cannot be told here "
            "(failing closed)."
        )
        fix = f"keep exactly one integration for this method (MOCK for a preflight), or {FIX}"
    elif integration.state == "none":
        note = (
            f" {EXEMPT_MOCK_OPTIONS} applies only to an OPTIONS method whose own integration is "
            "MOCK, and no integration of this stack is attached to this method."
        )
    else:
        note = (
            f" {EXEMPT_MOCK_OPTIONS} applies only to an OPTIONS method whose own integration is "
            f"MOCK; {integration.what} has type {integration.kind!r}."
        )
    for problem in problems:
        report(f"{title}: {problem}.{note} Fix: {fix}.", method.urn)
    return []
