"""Judging a resource's OpenAPI body once per Analyze call, and reporting what was found.

Two policies read the same body in one Analyze call (the guarantee and the built-in-scopes
advisory), so the findings of the last body are cached, keyed by its text. The cache keeps
only `BodyFindings`: no verdict, and so no reference into the parsed document (tens of MiB for
a body of tens of thousands of operations).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs

from .aws_context import import_region
from .component_hints import component_of
from .model.bodies import BodyJudgement, pending_parts, read_api_body
from .model.operations import COGNITO_BUILTIN_SCOPES, ApiKind, iter_verdicts
from .model.options import JudgeOptions
from .policy_config import configured_options
from .props import props_of
from .redacted import is_redacted, redacted_message
from .reporting import defer, describe, report_unreadable_source

COGNITO_SCHEME_FIX = (
    "define a security scheme of type apiKey (name Authorization, in header) with "
    "x-amazon-apigateway-authorizer {type: cognito_user_pools, providerARNs: [<user pool ARN>]} "
    'and give every operation security: [{<scheme>: ["<resource-server-identifier>/<scope>"]}]'
)


@dataclass(frozen=True)
class BodyFindings:
    """What the policies report about one body; plain strings only.

    `error` (unreadable: fail closed) excludes the rest. Otherwise `pending` says what is not
    known until the update (the whole body, or some path items and operations), and the known
    operations that need a word are listed: `faults` as (operation key, problems, unknowns),
    and protected operations that a Cognito built-in scope lets in as (operation key, every
    granting scope, the built-in ones among them).
    """

    error: str | None = None
    pending: str | None = None
    faults: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()
    builtin_scopes: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()


def _judge_body_findings(
    body: Any, options: JudgeOptions, source: str, api: ApiKind
) -> BodyFindings:
    """Judge a body (text, mapping or UNKNOWN) and keep only what the policies report."""
    doc = read_api_body(body, source)
    if isinstance(doc, BodyJudgement):
        return BodyFindings(error=doc.error, pending=doc.pending)
    faults = []
    builtin_scopes = []
    builtins = COGNITO_BUILTIN_SCOPES
    try:
        # One verdict at a time (see iter_verdicts); the same verdicts as judge_api_body's.
        for verdict in iter_verdicts(doc, options, api):
            if verdict.problems or verdict.pending:
                faults.append((verdict.operation.key, verdict.problems, verdict.pending))
                continue
            # Usually one grant of one or two scopes: a set intersection would cost more.
            for _, scopes in verdict.grants:
                if any(scope in builtins for scope in scopes):
                    granting = verdict.granting_scopes
                    found = tuple(scope for scope in granting if scope in builtins)
                    builtin_scopes.append((verdict.operation.key, granting, found))
                    break
    except RecursionError:
        return BodyFindings(error=f"{source}: nested too deeply to be judged")
    unknown = pending_parts(doc)
    return BodyFindings(
        pending=f"{source} has parts not known during preview: {'; '.join(unknown)}"
        if unknown
        else None,
        faults=tuple(faults),
        builtin_scopes=tuple(builtin_scopes),
    )


_findings_of_text = functools.lru_cache(maxsize=1)(_judge_body_findings)


def body_findings(
    resource_type: str,
    name: str,
    props: dict[str, Any],
    options: JudgeOptions,
    api: ApiKind = "rest",
) -> BodyFindings | None:
    """The findings of the resource's `body`, or None when it carries no body."""
    body = props.get("body")
    if body is None:
        return None
    source = f"{describe(resource_type, name)} body"
    if isinstance(body, str):
        return _findings_of_text(body, options, source, api)
    return _judge_body_findings(body, options, source, api)


def report_body(
    report: ReportViolation,
    who: str,
    findings: BodyFindings,
    fix: str,
    operation_fix: Callable[[str], str] | None = None,
) -> None:
    """Report an OpenAPI body's faults, one violation per faulty operation, then defer unknowns.

    A body that cannot be read fails closed: no operation in it can be shown to be protected.
    `operation_fix` gives an operation's fix in the terms of the component that built the body.
    """
    if findings.error:
        report(
            f"{findings.error}. The body cannot be read, so no operation can be shown to be "
            f"protected (failing closed). Fix: provide a valid OpenAPI 2.0 or 3.x JSON/YAML "
            f"document; {fix}.",
            None,
        )
        return
    # Known faults first, whatever is unknown: preview must show them (deferral raises).
    pending: list[str] = [findings.pending] if findings.pending else []
    for key, problems, unknown in findings.faults:
        for problem in problems:
            report(
                f"{who}: {key} {problem}. Fix: {operation_fix(key) if operation_fix else fix}.",
                None,
            )
        pending.extend(f"{who}: {key}: {p}" for p in unknown)
    defer(pending)


def validate_body(
    args: ResourceValidationArgs,
    report: ReportViolation,
    unreadable_sources: tuple[str, ...],
    fix: str,
    api: ApiKind,
) -> None:
    """Judge the resource's OpenAPI body (REST or HTTP API) and report it."""
    props = props_of(args.props)
    who = describe(args.resource_type, args.name)
    component = component_of(args.urn)
    if component is not None:
        who = f"{who} (built by the {component.name} component)"
    report_unreadable_source(report, who, props, unreadable_sources)
    options = configured_options(args, report, import_region(props, args.provider))
    if api == "http":
        # HTTP APIs have no MOCK integration (API Gateway answers their preflights from the
        # Api's corsConfiguration): the exemption is not theirs.
        options = replace(options, exempt_mock_options=False)
    if is_redacted(props.get("body")):
        report(
            redacted_message(who, "body", "no operation in it can be shown to be protected"), None
        )
        return
    findings = body_findings(args.resource_type, args.name, props, options, api)
    if findings is not None:
        report_body(report, who, findings, fix, component.body_fix if component else None)
