"""The access diff as a pull-request comment (the `markdown` format).

Every value is an inline code span (`report.untrusted.md_code`): the head report of a pull
request is its author's data, and a code span is the one construct GitHub renders literally,
so no value can become a heading, a link, an @mention, HTML or a verdict. Only this module's
own words are plain text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import diff_text as words
from .diff_actions import ACTION_KINDS, advice
from .diff_mermaid import mermaid
from .untrusted import md_code, md_code_lines
from .widening import WIDENING_KINDS

# The comment marker the pull-request poster finds its own comment by.
COMMENT_MARKER = "<!-- access-diff -->"


def _c(value: object) -> str:
    return md_code(value)


def _c_text(value: object) -> str:
    """A value in running text (not a table cell): a code span, `|` left as it is."""
    return md_code(value, in_table=False)


def _list(values: Sequence[str]) -> str:
    return ", ".join(_c(v) for v in values) or "-"


def _scopes(values: Sequence[str]) -> str:
    return " \\| ".join(_c(v) for v in values) or "-"


def _callers(values: Sequence[str]) -> str:
    if words.is_anyone(values):
        return "**ANYONE** (no token needed)"
    if words.is_pending(values):
        return "*decided at update*"
    return ", ".join(_c(v) for v in values) or "*(no configured consumer)*"


def _setting(value: object) -> str:
    return f"*{words.NOT_SET}*" if value is None else _c(value)


def _source(value: object) -> str:
    return _c(value) if value else "-"


def _arrow(change: Mapping[str, Any], field: str, show: Any, current: str) -> str:
    if field in change:
        return f"{show(change[field]['base'])} → {show(change[field]['head'])}"
    return current


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Header words are ours; every cell is already escaped by the caller."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _operations(ops: Mapping[str, Any]) -> list[str]:
    def row(change: str, o: Mapping[str, Any], callers: str) -> list[str]:
        scopes, source = _scopes(o["scopes"]), _source(o.get("scope_source"))
        return [change, _c(o["operation"]), scopes, source, callers]

    rows = [row("added", o, _callers(o["callers"])) for o in ops["added"]]
    rows += [row("removed", o, f"was: {_callers(o['callers'])}") for o in ops["removed"]]
    for c in ops["changed"]:
        status = f" ({_arrow(c, 'status', _c, '')})" if "status" in c else ""
        rows.append(
            [
                "changed" + status,
                _c(c["operation"]),
                _arrow(c, "scopes", _scopes, "unchanged"),
                _arrow(c, "scope_source", _source, _source(c.get("scope_source_now"))),
                _arrow(c, "callers", _callers, "unchanged"),
            ]
        )
    header = ["Change", "Operation", "Scopes (any one)", "Scopes from", "Who can call"]
    return ["", "#### Operations", "", *_table(header, rows)]


def _consumers(cons: Mapping[str, Any]) -> list[str]:
    rows = [
        ["added", _c(c["consumer"]), _list(c["scopes"]), f"can call: {_list(c['operations'])}"]
        for c in cons["added"]
    ]
    rows += [
        ["removed", _c(c["consumer"]), _list(c["scopes"]), f"could call: {_list(c['operations'])}"]
        for c in cons["removed"]
    ]
    for c in cons["changed"]:
        reach = []
        if "gained" in c:
            reach.append(f"gained: {_list(c['gained'])}")
        if "lost" in c:
            reach.append(f"lost: {_list(c['lost'])}")
        rows.append(
            [
                "changed",
                _c(c["consumer"]),
                _arrow(c, "scopes", _list, "unchanged"),
                "; ".join(reach) or "unchanged",
            ]
        )
    return ["", "#### Consumers", "", *_table(["Change", "Consumer", "Scopes", "Operations"], rows)]


def _verdict(v: Mapping[str, Any]) -> str:
    return (
        f"{_c(v['enforcement_level'])} {_c(v['policy'])} on "
        f"{_c_text(words.subject(str(v.get('urn', ''))))}: "
        f"{md_code_lines(v['message'], in_table=False)}"
    )


def _widening_row(item: Mapping[str, Any]) -> list[str]:
    kind = item["kind"] if item["kind"] in WIDENING_KINDS else _c(item["kind"])
    return [
        kind,
        _c(item["subject"]),
        words.widening_values(item, _list, _callers, "→", _c),
    ]


def _note(diff: Mapping[str, Any]) -> list[str]:
    note = words.note(diff, _c_text)
    if note is None:
        return []
    if words.not_comparable(diff):
        return ["", f"#### {words.NOT_COMPARABLE_TITLE}", "", note]
    return ["", note]


def render_markdown(
    diff: Mapping[str, Any], base: str = "base", head: str = "head", *, marker: bool = True
) -> str:
    """The comment for one stack. `marker` starts it with COMMENT_MARKER (off when a caller
    puts several stacks in one comment under its own marker)."""
    top = [COMMENT_MARKER] if marker else []
    if not diff["changed"]:
        return "\n".join([*top, f"No change in access for stack {_c_text(diff['stack'])}."])
    out = [
        *top,
        f"### Access changes: stack {_c_text(diff['stack'])}",
        "",
        f"{_c_text(base)} → {_c_text(head)}",
        *_note(diff),
    ]
    ops, cons = diff["operations"], diff["consumers"]
    if any(ops.values()):
        out += _operations(ops)
    if any(cons.values()):
        out += _consumers(cons)
    verdicts = diff["verdicts"]
    if verdicts["appeared"] or verdicts["cleared"]:
        out += ["", "#### Policy verdicts", ""]
        out += [f"- appeared: {_verdict(v)}" for v in verdicts["appeared"]]
        out += [f"- cleared: {_verdict(v)}" for v in verdicts["cleared"]]
    if diff["settings"]:
        rows = [[s["setting"], _setting(s["base"]), _setting(s["head"])] for s in diff["settings"]]
        out += ["", "#### Settings", "", *_table(["Setting", "Base", "Head"], rows)]
    if diff.get("actions"):
        out += ["", f"#### {words.ACTIONS_TITLE}", ""]
        out += [
            f"- {a['kind'] if a['kind'] in ACTION_KINDS else _c_text(a['kind'])} "
            f"{_c_text(a['subject'])}: {advice(a, _c_text)}"
            for a in diff["actions"]
        ]
    if diff.get("widening"):
        rows = [_widening_row(w) for w in diff["widening"]]
        out += ["", "#### Widens access", ""]
        out += _table(["Widening", "Operation or consumer", "Detail"], rows)
    diagram = mermaid(diff)
    if diagram:
        out += ["", diagram]
    out += ["", f"**{words.summary(diff)}**"]
    if diff.get("widening"):
        out.append(f"**{words.widening_summary(diff)}**")
    return "\n".join(out)
