"""Resolving the authorizer a Method's or Route's `authorizerId` names, and reporting on it."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from pulumi_policy import ReportViolation

from .model.labels import describe
from .model.resource_graph import GraphResource, ResourceGraph
from .model.unknown import UNKNOWN
from .reporting import unknown_input


def check_authorizer_reference(
    report: ReportViolation,
    resource: GraphResource,
    label_of: Callable[[], str],
    types: Collection[str],
    graph: ResourceGraph,
    judge: Callable[[dict[str, Any]], tuple[list[str], list[str]]],
    fix: str,
) -> list[str]:
    """Report the faults of the authorizer a method's or route's `authorizerId` names.

    `judge` takes the authorizer's properties and returns (faults, unknowns) of the link (the
    authorizer's own settings were judged when it was created). A missing or blank id is left
    to the resource policy (one fault, one policy). Returns what is unknown until the update.
    """
    authorizer_id = resource.props.get("authorizerId")
    if authorizer_id is UNKNOWN:
        return [f"{label_of()}: {unknown_input(graph, resource, 'authorizerId')}"]
    if not isinstance(authorizer_id, str) or not authorizer_id.strip():
        return []
    authorizers = graph.referenced(resource, "authorizerId", types)
    if not authorizers:
        report(
            f"{label_of()}: authorizerId {authorizer_id!r} does not resolve to an authorizer in "
            "this stack, so it cannot be shown to be a Cognito one (it may belong to another "
            f"stack). Fix: {fix}.",
            resource.urn,
        )
        return []
    pending: list[str] = []
    for authorizer in authorizers:
        who = describe(authorizer.type, authorizer.name)
        problems, unknown = judge(dict(authorizer.props))
        for problem in problems:
            report(f"{label_of()}: {problem} ({who}). Fix: {fix}.", resource.urn)
        pending.extend(f"{label_of()}: {u} of {who}" for u in unknown)
    return pending
