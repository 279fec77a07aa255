"""Three views of one Report: `table` (plain text), `markdown` (a pull-request comment), and
`json` for machines (the shape report.schema.json describes)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from secured_m2m_api.backend_tokens import WITHHELD, BackendToken

from .matrix import Matrix, Row
from .model import Report, StackFacts
from .schema import SCHEMA_VERSION

FORMATS = ("table", "markdown", "json")


def who_can_call(row: Row) -> str:
    if row.status in ("UNPROTECTED", "exempt"):
        return "ANYONE (no token needed)"
    if row.status == "pending":
        return "(decided at update)"
    return ", ".join(row.consumers) or "(no configured consumer)"


def _scopes(matrix: Matrix, row: Row) -> str:
    return " | ".join(matrix.short_scope(s) for s in row.scopes) or "-"


def _matrix_rows(report: Report) -> list[list[str]]:
    m = report.matrix
    return [
        [r.method, r.path, r.status, _scopes(m, r), r.scope_source or "-", who_can_call(r)]
        for r in m.rows
    ]


def _consumer_rows(report: Report) -> list[list[str]]:
    m = report.matrix
    rows = []
    undecided = any(r.status == "pending" for r in m.rows)
    for c in m.consumers:
        ops = m.operations_for(c.name)
        if not c.scopes_known or (undecided and not ops):
            reach = "(decided at update)"
        else:
            reach = ", ".join(ops) if ops else "NOTHING (holds no granting scope)"
        scopes = ", ".join(m.short_scope(s) for s in c.scopes) or "-"
        rows.append([c.name, scopes if c.scopes_known else "(unknown until update)", reach])
    return rows


MATRIX_HEADER = ["Method", "Path", "Status", "Scopes (any one)", "Scopes from", "Who can call"]
CONSUMER_HEADER = ["Consumer", "Scopes", "Can call"]
BACKEND_HEADER = ["Method", "Path", "Integration", "Caller's token", "Why", "Backend"]
BACKEND_TITLE = "What each backend receives of the caller's token"


def token_text(backend: BackendToken) -> str:
    """`withheld`, `forwarded`, ... and the one state that must stand out."""
    if backend.over_plain_http:
        return "FORWARDED IN CLEAR TEXT"
    return backend.token


def _backend_rows(report: Report) -> list[list[str]]:
    """One row per body operation; Method resources carry their integration elsewhere."""
    return [
        [
            r.method,
            r.path,
            r.backend.integration,
            token_text(r.backend),
            r.backend.reason,
            r.backend.uri or "-",
        ]
        for r in report.matrix.rows
        if r.backend is not None
    ]


def _text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    line = "  ".join("-" * w for w in widths)
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*header), line, *(fmt.format(*r) for r in rows)]
    return "\n".join(s.rstrip() for s in out)


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(x: str) -> str:
        return x.replace("|", "\\|")

    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell(x) for x in r) + " |" for r in rows]
    return "\n".join(out)


def _verdict_lines(report: Report) -> list[tuple[str, list[str]]]:
    return [
        (level, [f"[{f.policy_name}] {_subject(f.urn)}: {f.message}" for f in findings])
        for level, findings in report.findings_by_level()
    ]


def _subject(urn: str) -> str:
    """`type::name` of a URN (the name alone is ambiguous across types); `stack` if none."""
    parts = urn.split("::")
    return f"{parts[-2].rsplit(':', 1)[-1]} {parts[-1]!r}" if len(parts) >= 4 else "stack"


PREVIEW_NOTE = (
    "Preview: operations, scopes and callers are those the update will create (all known "
    "before it); values AWS assigns at deploy are placeholders; the verdicts are the preview "
    "run's, and the pack enforces the body at update."
)


def _identifier_text(facts: StackFacts, code: str = "") -> str | None:
    shown = []
    for ident in facts.identifiers:
        text = f"{code}{ident.shown}{code}"
        if ident.placeholder:
            text += f" (placeholder: {', '.join(ident.assigned)} is assigned by AWS at deploy)"
        shown.append(text)
    return ", ".join(shown) or None


def _settings(facts: StackFacts, code: str = "") -> list[tuple[str, str]]:
    """The reviewer's settings, in a fixed order; a setting the project lacks is left out."""

    def quoted(value: str | None) -> str | None:
        return f"{code}{value}{code}" if value else None

    def listed(values: Sequence[str]) -> str:
        return ", ".join(f"{code}{v}{code}" for v in values) or "none"

    rows: list[tuple[str, str | None]] = [
        ("Region", quoted(facts.region)),
        ("Token endpoint", quoted(facts.token_endpoint_url)),
        ("Access-token lifetime", facts.access_token_lifetime),
        ("Deletion protection", facts.deletion_protection),
        ("Resource server", _identifier_text(facts, code)),
    ]
    out = [(k, v) for k, v in rows if v]
    # Said explicitly when nothing was dropped or replaced; left out when not known (no plan).
    if facts.dropped_preflights is not None:
        out.append(("Dropped CORS preflights", listed(facts.dropped_preflights)))
    if facts.replaced_security is not None:
        out.append(("Own security replaced", listed(facts.replaced_security)))
    return out


def _node_id(prefix: str, index: int) -> str:
    return f"{prefix}{index}"


def _label(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def mermaid(report: Report) -> str:
    """Consumers -> scopes -> operations, the graph GitHub renders in a PR comment.

    Operations anyone can call hang off an ANYONE node, so an open method stands out.
    """
    m = report.matrix
    consumers = [c.name for c in m.consumers]
    scopes: list[str] = []
    for c in m.consumers:
        scopes += [m.short_scope(s) for s in c.scopes]
    for r in m.rows:
        scopes += [m.short_scope(s) for s in r.scopes]
    scopes = list(dict.fromkeys(scopes))
    lines = ["```mermaid", "flowchart LR"]
    lines += [f"  {_node_id('c', i)}[{_label(n)}]" for i, n in enumerate(consumers)]
    lines += [f"  {_node_id('s', i)}([{_label(n)}])" for i, n in enumerate(scopes)]
    lines += [f"  {_node_id('o', i)}[{_label(r.key)}]" for i, r in enumerate(m.rows)]
    for i, c in enumerate(m.consumers):
        for s in dict.fromkeys(m.short_scope(x) for x in c.scopes):
            lines.append(f"  {_node_id('c', i)} --> {_node_id('s', scopes.index(s))}")
    anyone = [i for i, r in enumerate(m.rows) if r.status in ("UNPROTECTED", "exempt")]
    if anyone:
        lines.append('  anyone(("ANYONE, no token"))')
    for i, r in enumerate(m.rows):
        if i in anyone:
            lines.append(f"  anyone --> {_node_id('o', i)}")
            continue
        for s in dict.fromkeys(m.short_scope(x) for x in r.scopes):
            lines.append(f"  {_node_id('s', scopes.index(s))} --> {_node_id('o', i)}")
    lines.append("```")
    return "\n".join(lines)


def render_table(report: Report) -> str:
    title = f"Authorization matrix for stack '{report.stack}'"
    parts = [title + (" (preview)" if report.preview else ""), ""]
    if report.preview:
        parts += [PREVIEW_NOTE, ""]
    settings = _settings(report.facts)
    if settings:
        width = max(len(k) for k, _ in settings) + 1
        parts += [f"{k + ':':<{width}} {v}" for k, v in settings] + [""]
    elif report.matrix.identifiers:
        parts += ["Resource server: " + ", ".join(report.matrix.identifiers), ""]
    parts += [_text_table(MATRIX_HEADER, _matrix_rows(report)), ""]
    parts += [_text_table(CONSUMER_HEADER, _consumer_rows(report)), ""]
    backends = _backend_rows(report)
    if backends:
        parts += [BACKEND_TITLE, _text_table(BACKEND_HEADER, backends), ""]
    parts.append("Policy verdicts")
    verdicts = _verdict_lines(report)
    if not verdicts:
        parts.append("  none: every policy passed")
    for level, lines in verdicts:
        parts.append(f"  {level} ({len(lines)})")
        parts += ["    - " + line.replace("\n", "\n      ") for line in lines]
    parts += ["", "Resources the stack would create"]
    parts += [f"  {n:>3}  {t}" for t, n in report.resource_counts]
    parts += ["", _summary_line(report)]
    return "\n".join(parts)


def render_markdown(report: Report) -> str:
    title = f"### Authorization matrix: stack `{report.stack}`"
    parts = [title + (" (preview)" if report.preview else ""), ""]
    if report.preview:
        parts += [f"_{PREVIEW_NOTE}_", ""]
    settings = _settings(report.facts, "`")
    if settings:
        parts += [_md_table(["Setting", "Value"], [list(kv) for kv in settings]), ""]
    elif report.matrix.identifiers:
        parts += ["Resource server: " + ", ".join(f"`{i}`" for i in report.matrix.identifiers)]
        parts.append("")
    parts += [_md_table(MATRIX_HEADER, _matrix_rows(report)), ""]
    parts += [_md_table(CONSUMER_HEADER, _consumer_rows(report)), ""]
    backends = _backend_rows(report)
    if backends:
        parts += [f"#### {BACKEND_TITLE}", "", _md_table(BACKEND_HEADER, backends), ""]
    parts += [mermaid(report), ""]
    parts.append("#### Policy verdicts")
    verdicts = _verdict_lines(report)
    if not verdicts:
        parts.append("None: every policy passed.")
    for level, lines in verdicts:
        parts += (
            [f"**{level}** ({len(lines)})", ""]
            + ["- " + line.replace("\n", "<br>") for line in lines]
            + [""]
        )
    parts += ["", "<details><summary>Resources the stack would create</summary>", ""]
    parts += [f"- {n} x `{t}`" for t, n in report.resource_counts]
    parts += ["", "</details>", "", _summary_line(report)]
    return "\n".join(parts)


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report for machines and for `report diff`.

    Scopes are short names (`read`), never full strings: under mocks those contain ids AWS has
    not assigned yet. `resource_servers` gives each identifier with those ids as placeholders.
    The shape is report/report.schema.json, version `schemaVersion`.
    """
    m = report.matrix
    f = report.facts
    servers = [
        {
            "identifier": i.shown,
            "placeholder": i.placeholder,
            "assigned_at_deploy": list(i.assigned),
        }
        for i in f.identifiers
    ] or [{"identifier": i, "placeholder": False, "assigned_at_deploy": []} for i in m.identifiers]
    return {
        "schemaVersion": SCHEMA_VERSION,
        "stack": report.stack,
        "preview": report.preview,
        "settings": {
            "region": f.region,
            "token_endpoint_url": f.token_endpoint_url,
            "access_token_lifetime": f.access_token_lifetime,
            "deletion_protection": f.deletion_protection,
        },
        "resource_servers": servers,
        "dropped_preflights": list(f.dropped_preflights or ()),
        "replaced_security": list(f.replaced_security or ()),
        "operations": [
            {
                "api": r.api,
                "method": r.method,
                "path": r.path,
                "status": r.status,
                "scopes": [m.short_scope(s) for s in r.scopes],
                "scope_source": r.scope_source,
                "consumers": list(r.consumers),
                "anyone": r.status in ("UNPROTECTED", "exempt"),
                "detail": r.detail,
                "backend": None
                if r.backend is None
                else {
                    "integration": r.backend.integration,
                    "uri": r.backend.uri,
                    "caller_token": r.backend.token,
                    "authorization_overridden": r.backend.token == WITHHELD,
                    "over_plain_http": r.backend.over_plain_http,
                    "reason": r.backend.reason,
                },
            }
            for r in m.rows
        ],
        "consumers": [
            {
                "name": c.name,
                "scopes": [m.short_scope(s) for s in c.scopes],
                "flows": list(c.flows),
                "scopes_known": c.scopes_known,
                "operations": list(m.operations_for(c.name)),
            }
            for c in m.consumers
        ],
        "verdicts": [
            {
                "policy": f.policy_name,
                "enforcement_level": f.enforcement_level,
                "urn": f.urn,
                "message": f.message,
            }
            for f in report.findings
        ],
        "resources": dict(report.resource_counts),
        "mandatory_violations": report.mandatory_count,
        "passed": not report.failed,
    }


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), indent=2, sort_keys=False)


def _summary_line(report: Report) -> str:
    total = sum(n for _, n in report.resource_counts)
    verdict = (
        f"FAILED: {report.mandatory_count} mandatory violation(s)"
        if report.failed
        else "PASSED: no mandatory violation"
    )
    return f"{verdict}; {len(report.matrix.rows)} operation(s), {total} resource(s)."


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    return render_table(report)
