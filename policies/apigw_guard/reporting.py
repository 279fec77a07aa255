"""Reporting helpers every policy shares: violations, and deferral until the update."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import ReportViolation
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from .model.deferral import deferred_resources_line
from .model.labels import describe
from .model.resource_graph import GraphResource, ResourceGraph


class PendingUntilUpdate(UnknownValueError):
    """Raised after every known fault is reported, when some values are unknown (preview).

    The SDK turns an UnknownValueError into an advisory diagnostic ("can't run policy ... during
    preview: <message>") of the same policy; the message says what will be checked at update,
    and, at stack level, ends with the resources it covers (`model.deferral`).
    """

    def __init__(self, what: Iterable[str], urns: Iterable[str] = ()) -> None:
        super().__init__(UNKNOWN_STRING_VALUE, [])
        items = list(dict.fromkeys(what))
        covered = list(urns)
        self.message = (
            "not judged yet because values are unknown until the update: "
            + "; ".join(items)
            + ". It will be checked (and enforced) at update, when the values are known"
            + (f"\n{deferred_resources_line(covered)}" if covered else "")
        )


@dataclass(frozen=True)
class Deferred:
    """What a stack policy cannot judge until the update, and the resource it is about."""

    urn: str
    what: str


def defer(pending: list[str]) -> None:
    """Raise PendingUntilUpdate if anything is pending; call it after reporting the faults.

    For resource policies: the deferral is the analyzed resource's."""
    if pending:
        raise PendingUntilUpdate(pending)


def defer_stack(pending: Iterable[Deferred]) -> None:
    """`defer` for a stack policy: the message names every resource it covers."""
    items = list(pending)
    if items:
        raise PendingUntilUpdate((d.what for d in items), (d.urn for d in items))


def unknown_input(graph: ResourceGraph, resource: GraphResource, prop: str) -> str:
    """`authorizationScopes (from ResourceServer 'scopes')`: an input unknown until the update.

    Names the resources the stack's dependency graph says the value comes from, so the author
    knows which output is missing (a Lambda ARN, not a user pool ARN). `prop` may be a dotted
    path; dependencies are recorded per top-level property.
    """
    origins = graph.origins(resource, prop.split(".", 1)[0])
    if not origins:
        return prop
    return f"{prop} (from {', '.join(describe(r.type, r.name) for r in origins)})"


def report_problems(
    report: ReportViolation, label: str, problems: list[str], pending: list[str], fix: str
) -> None:
    """Report a resource's own faults, then defer what is unknown until the update."""
    for problem in problems:
        report(f"{label}: {problem}. Fix: {fix}.", None)
    defer([f"{label}: {p}" for p in pending])


def report_unreadable_source(
    report: ReportViolation, who: str, props: Mapping[str, Any], fields: Iterable[str]
) -> None:
    """Fail closed on a body the pack cannot read (S3) or methods copied from another API."""
    for field in fields:
        if props.get(field) is not None:
            report(
                f"{who}: {field} is set, so API Gateway creates methods from a source this pack "
                "cannot read, and none can be shown to be protected (failing closed). Fix: "
                f"remove {field} and pass the OpenAPI document inline as body.",
                None,
            )
