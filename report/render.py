"""Three views of one Report: a terminal table, a pull-request comment, and JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .matrix import Matrix, Row
from .model import Report

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
    return [[r.method, r.path, r.status, _scopes(m, r), who_can_call(r)] for r in m.rows]


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


MATRIX_HEADER = ["Method", "Path", "Status", "Scopes (any one)", "Who can call"]
CONSUMER_HEADER = ["Consumer", "Scopes", "Can call"]


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


def render_table(report: Report) -> str:
    parts = [f"Authorization matrix for stack '{report.stack}'", ""]
    if report.matrix.identifiers:
        parts.append("Resource server: " + ", ".join(report.matrix.identifiers))
    parts += [_text_table(MATRIX_HEADER, _matrix_rows(report)), ""]
    parts += [_text_table(CONSUMER_HEADER, _consumer_rows(report)), ""]
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
    parts = [f"### Authorization matrix: stack `{report.stack}`", ""]
    if report.matrix.identifiers:
        parts += ["Resource server: " + ", ".join(f"`{i}`" for i in report.matrix.identifiers)]
        parts.append("")
    parts += [_md_table(MATRIX_HEADER, _matrix_rows(report)), ""]
    parts += [_md_table(CONSUMER_HEADER, _consumer_rows(report)), ""]
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
    m = report.matrix
    return {
        "stack": report.stack,
        "resource_servers": list(m.identifiers),
        "operations": [
            {
                "api": r.api,
                "method": r.method,
                "path": r.path,
                "status": r.status,
                "scopes": list(r.scopes),
                "consumers": list(r.consumers),
                "anyone": r.status in ("UNPROTECTED", "exempt"),
                "detail": r.detail,
            }
            for r in m.rows
        ],
        "consumers": [
            {
                "name": c.name,
                "scopes": list(c.scopes),
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
