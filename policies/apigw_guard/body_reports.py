"""Judging a resource's OpenAPI body (REST or HTTP API) and reporting what was found.

The body is summarized once (`model.body_summary`, cached by its text, so the built-in-scopes
advisory that reads the same body in the same Analyze call does not parse it again); this
module turns a summary into violations, one per faulty operation, and a deferral of the rest.
"""

from __future__ import annotations

from collections.abc import Callable

from pulumi_policy import ReportViolation, ResourceValidationArgs

from .aws_context import import_region
from .component_hints import component_of
from .model.body_summary import BodySummary, summarize_body
from .model.labels import describe
from .model.operations import ApiKind
from .model.options import JudgeOptions
from .props import props_of
from .redacted import is_redacted, redacted_message
from .reporting import defer, report_unreadable_source

COGNITO_SCHEME_FIX = (
    "define a security scheme of type apiKey (name Authorization, in header) with "
    "x-amazon-apigateway-authorizer {type: cognito_user_pools, providerARNs: [<user pool ARN>]} "
    'and give every operation security: [{<scheme>: ["<resource-server-identifier>/<scope>"]}]'
)


def body_source(resource_type: str, name: str) -> str:
    """How messages name a resource's body: `RestApi 'api' body`."""
    return f"{describe(resource_type, name)} body"


def report_body(
    report: ReportViolation,
    who: str,
    source: str,
    summary: BodySummary,
    fix: str,
    operation_fix: Callable[[str], str] | None = None,
) -> None:
    """Report a body's faults, one violation per faulty operation, then defer unknowns.

    A body that cannot be read fails closed: no operation in it can be shown to be protected.
    `who` names the resource in messages, `source` its body; `operation_fix` gives an
    operation's fix in the terms of the component that built the body.
    """
    if summary.error:
        report(
            f"{summary.error}. The body cannot be read, so no operation can be shown to be "
            f"protected (failing closed). Fix: provide a valid OpenAPI 2.0 or 3.x JSON/YAML "
            f"document; {fix}.",
            None,
        )
        return
    # Known faults first, whatever is unknown: preview must show them (deferral raises).
    pending: list[str] = []
    if summary.pending:
        pending.append(summary.pending)
    elif summary.unknown_parts:
        pending.append(
            f"{source} has parts not known during preview: {'; '.join(summary.unknown_parts)}"
        )
    for op in summary.faults:
        for problem in op.problems:
            report(
                f"{who}: {op.key} {problem}. "
                f"Fix: {operation_fix(op.key) if operation_fix else fix}.",
                None,
            )
        pending.extend(f"{who}: {op.key}: {p}" for p in op.pending)
    defer(pending)


def validate_body(
    args: ResourceValidationArgs,
    report: ReportViolation,
    unreadable_sources: tuple[str, ...],
    fix: str,
    api: ApiKind,
    options_in: Callable[[str | None], JudgeOptions],
) -> None:
    """Judge the resource's OpenAPI body and report it; `options_in(region)` gives the
    judging policy's options for the region the body is imported in."""
    props = props_of(args.props)
    who = describe(args.resource_type, args.name)
    component = component_of(args.urn)
    if component is not None:
        who = f"{who} (built by the {component.name} component)"
    report_unreadable_source(report, who, props, unreadable_sources)
    body = props.get("body")
    if body is None:
        return
    if is_redacted(body):
        report(
            redacted_message(who, "body", "no operation in it can be shown to be protected"), None
        )
        return
    options = options_in(import_region(props, args.provider))
    source = body_source(args.resource_type, args.name)
    summary = summarize_body(body, options, source, api)
    report_body(report, who, source, summary, fix, component.body_fix if component else None)
