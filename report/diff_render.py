"""Three views of an access diff (`report.diff.compare`): terminal, pull-request comment, JSON.

Every value in a diff comes from a report, and the head report of a pull request is the pull
request author's data: each one goes through `report.untrusted` (`visible` on a terminal,
`md_code` in markdown, `mermaid_label` in the diagram). Only this module's own words are plain
text, so a value can never read as a heading, a link, an @mention, HTML or a verdict.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .diff_actions import ACTION_KINDS, advice
from .diff_sides import absent_note
from .untrusted import md_code, md_code_lines, mermaid_label, visible

FORMATS = ("terminal", "markdown", "json")
ANYONE = "ANYONE (no token needed)"
PENDING = "(decided at update)"
# A setting a report has no value for (null in JSON), e.g. no user pool in the stack.
NOT_SET = "(not set)"
ACTIONS_TITLE = "What the team must do"
# The comment marker the pull-request poster finds its own comment by.
COMMENT_MARKER = "<!-- access-diff -->"
# Widening kinds (report.diff.widening), in the order they are listed, and what their values are.
WIDENING_KINDS = {
    "new operation": "callers",
    "new consumer": "can call",
    "less protected": "protection",
    "scope added": "now also accepts (any one scope suffices)",
    "new caller": "newly callable by",
    "consumer scope added": "its tokens now carry",
    "consumer flow added": "may now use the OAuth flow(s)",
}


def _subtract(a: Sequence[str], b: Sequence[str]) -> list[str]:
    return [x for x in a if x not in b]


# --- terminal -------------------------------------------------------------------------------


def _list(values: Sequence[str]) -> str:
    return ", ".join(values) or "-"


def _scopes(values: Sequence[str]) -> str:
    return " | ".join(values) or "-"


def _callers(values: Sequence[str]) -> str:
    return ", ".join(values) or "(no configured consumer)"


def _arrow(change: Mapping[str, Any], field: str, show: Any, current: str = "") -> str:
    if field in change:
        return f"{show(change[field]['base'])} -> {show(change[field]['head'])}"
    return current


def _source(entry: Mapping[str, Any]) -> str:
    return str(entry.get("scope_source") or "-")


def _setting(value: object) -> str:
    return NOT_SET if value is None else str(value)


def _note(diff: Mapping[str, Any], show: Any) -> list[str]:
    """The line that says why a side is empty (a new or removed stack, a base not built)."""
    state = diff.get("stack_change")
    if not state:
        return []
    return [absent_note(state, diff["stack"], diff.get("stack_change_reason", ""), show)]


def _action_kind(kind: str, show: Any) -> str:
    return kind if kind in ACTION_KINDS else show(kind)


def no_change_line(diff: Mapping[str, Any]) -> str:
    return f"No change in access for stack {visible(diff['stack'])!r}."


def _summary(diff: Mapping[str, Any]) -> str:
    n = diff["new_mandatory_violations"]
    if n:
        return f"FAILED: {n} new mandatory violation(s); `pulumi up` would be blocked."
    return "PASSED: no new mandatory violation."


def _widening_summary(diff: Mapping[str, Any]) -> str:
    n = len(diff.get("widening") or [])
    return f"WIDENS ACCESS: {n} change(s) grant access the base did not."


def _subject(urn: str) -> str:
    parts = urn.split("::")
    return f"{parts[-2].rsplit(':', 1)[-1]} {parts[-1]!r}" if len(parts) >= 4 else "stack"


def _verdict_text(v: Mapping[str, Any]) -> str:
    subject = _subject(str(v.get("urn", "")))
    return f"{v['enforcement_level']} [{v['policy']}] {subject}: {v['message']}"


def _widening_line(item: Mapping[str, Any]) -> str:
    what = WIDENING_KINDS.get(item["kind"], "values")
    values = item["values"]
    if item["kind"] == "less protected":
        shown = " -> ".join(values)
    elif item["kind"] == "new operation":
        shown = _callers(values)
    else:
        shown = _list(values)
    return f"{item['kind']} {item['subject']}: {what}: {shown}"


def render_terminal(diff: Mapping[str, Any], base: str = "base", head: str = "head") -> str:
    """Plain lines; every line passes through `visible`, so no value can send a terminal
    escape sequence or break a line."""
    if not diff["changed"]:
        return no_change_line(diff)
    out = [f"Access changes for stack '{diff['stack']}' ({base} -> {head})"]
    out += _note(diff, str)
    ops, cons = diff["operations"], diff["consumers"]
    if any(ops.values()):
        out += ["", "Operations"]
        for o in ops["added"]:
            out.append(
                f"  + {o['operation']}: scopes {_scopes(o['scopes'])} ({_source(o)}); "
                f"callers: {_callers(o['callers'])}"
            )
        for o in ops["removed"]:
            out.append(
                f"  - {o['operation']}: scopes {_scopes(o['scopes'])} ({_source(o)}); "
                f"callers were: {_callers(o['callers'])}"
            )
        for c in ops["changed"]:
            parts = []
            if "status" in c:
                parts.append(f"status {_arrow(c, 'status', str)}")
            if "scopes" in c:
                parts.append(f"scopes {_arrow(c, 'scopes', _scopes)}")
            if "scope_source" in c:
                parts.append(f"scopes from {_arrow(c, 'scope_source', str)}")
            elif "scopes" in c:
                parts.append(f"scopes from {c.get('scope_source_now') or '-'}")
            if "callers" in c:
                parts.append(f"callers {_arrow(c, 'callers', _callers)}")
            out.append(f"  ~ {c['operation']}: " + "; ".join(parts))
    if any(cons.values()):
        out += ["", "Consumers"]
        for c in cons["added"]:
            out.append(
                f"  + {c['consumer']}: scopes {_list(c['scopes'])}; "
                f"can call: {_list(c['operations'])}"
            )
        for c in cons["removed"]:
            out.append(
                f"  - {c['consumer']}: scopes were {_list(c['scopes'])}; "
                f"could call: {_list(c['operations'])}"
            )
        for c in cons["changed"]:
            parts = []
            if "scopes" in c:
                parts.append(f"scopes {_arrow(c, 'scopes', _list)}")
            if "gained" in c:
                parts.append(f"gained {_list(c['gained'])}")
            if "lost" in c:
                parts.append(f"lost {_list(c['lost'])}")
            out.append(f"  ~ {c['consumer']}: " + "; ".join(parts))
    verdicts = diff["verdicts"]
    if verdicts["appeared"] or verdicts["cleared"]:
        out += ["", "Policy verdicts"]
        out += [f"  + appeared: {_verdict_text(v)}" for v in verdicts["appeared"]]
        out += [f"  - cleared: {_verdict_text(v)}" for v in verdicts["cleared"]]
    if diff["settings"]:
        out += ["", "Settings"]
        out += [
            f"  ~ {s['setting']}: {_setting(s['base'])} -> {_setting(s['head'])}"
            for s in diff["settings"]
        ]
    if diff.get("actions"):
        out += ["", ACTIONS_TITLE]
        out += [f"  ! {a['kind']} {a['subject']}: {advice(a, str)}" for a in diff["actions"]]
    if diff.get("widening"):
        out += ["", "Widens access"]
        out += [f"  ! {_widening_line(w)}" for w in diff["widening"]]
    out += ["", _summary(diff)]
    if diff.get("widening"):
        out.append(_widening_summary(diff))
    return "\n".join(visible(line) for line in out)


# --- markdown (the pull-request comment) ----------------------------------------------------


def _c(value: object) -> str:
    return md_code(value)


def _md_list(values: Sequence[str]) -> str:
    return ", ".join(_c(v) for v in values) or "-"


def _md_scopes(values: Sequence[str]) -> str:
    return " \\| ".join(_c(v) for v in values) or "-"


def _md_callers(values: Sequence[str]) -> str:
    if list(values) == [ANYONE]:
        return "**ANYONE** (no token needed)"
    if list(values) == [PENDING]:
        return "*decided at update*"
    return ", ".join(_c(v) for v in values) or "*(no configured consumer)*"


def _c_text(value: object) -> str:
    """A value in running text (not a table cell): a code span, `|` left as it is."""
    return md_code(value, in_table=False)


def _md_setting(value: object) -> str:
    return f"*{NOT_SET}*" if value is None else _c(value)


def _md_source(value: object) -> str:
    return _c(value) if value else "-"


def _md_arrow(change: Mapping[str, Any], field: str, show: Any, current: str) -> str:
    if field in change:
        return f"{show(change[field]['base'])} → {show(change[field]['head'])}"
    return current


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Header words are ours; every cell is already escaped by the caller."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _md_verdict(v: Mapping[str, Any]) -> str:
    subject = _subject(str(v.get("urn", "")))
    return (
        f"{_c(v['enforcement_level'])} {_c(v['policy'])} on "
        f"{md_code(subject, in_table=False)}: {md_code_lines(v['message'], in_table=False)}"
    )


def _md_widening_row(item: Mapping[str, Any]) -> list[str]:
    what = WIDENING_KINDS.get(item["kind"], "values")
    values = item["values"]
    if item["kind"] == "less protected":
        shown = " → ".join(_c(v) for v in values)
    elif item["kind"] == "new operation":
        shown = _md_callers(values)
    else:
        shown = _md_list(values)
    kind = item["kind"] if item["kind"] in WIDENING_KINDS else _c(item["kind"])
    return [kind, _c(item["subject"]), f"{what}: {shown}"]


def render_markdown(
    diff: Mapping[str, Any], base: str = "base", head: str = "head", *, marker: bool = True
) -> str:
    """The comment for one stack. `marker` starts it with COMMENT_MARKER (off when a caller
    puts several stacks in one comment under its own marker)."""
    top = [COMMENT_MARKER] if marker else []
    if not diff["changed"]:
        return "\n".join(
            [*top, f"No change in access for stack {md_code(diff['stack'], in_table=False)}."]
        )
    out = [
        *top,
        f"### Access changes: stack {md_code(diff['stack'], in_table=False)}",
        "",
        f"{md_code(base, in_table=False)} → {md_code(head, in_table=False)}",
    ]
    for line in _note(diff, _c_text):
        out += ["", line]
    ops, cons = diff["operations"], diff["consumers"]
    if any(ops.values()):
        rows = [
            [
                "added",
                _c(o["operation"]),
                _md_scopes(o["scopes"]),
                _md_source(o.get("scope_source")),
                _md_callers(o["callers"]),
            ]
            for o in ops["added"]
        ]
        rows += [
            [
                "removed",
                _c(o["operation"]),
                _md_scopes(o["scopes"]),
                _md_source(o.get("scope_source")),
                f"was: {_md_callers(o['callers'])}",
            ]
            for o in ops["removed"]
        ]
        for c in ops["changed"]:
            status = f" ({_md_arrow(c, 'status', _c, '')})" if "status" in c else ""
            rows.append(
                [
                    "changed" + status,
                    _c(c["operation"]),
                    _md_arrow(c, "scopes", _md_scopes, "unchanged"),
                    _md_arrow(c, "scope_source", _md_source, _md_source(c.get("scope_source_now"))),
                    _md_arrow(c, "callers", _md_callers, "unchanged"),
                ]
            )
        out += ["", "#### Operations", ""]
        out += _md_table(
            ["Change", "Operation", "Scopes (any one)", "Scopes from", "Who can call"], rows
        )
    if any(cons.values()):
        rows = [
            [
                "added",
                _c(c["consumer"]),
                _md_list(c["scopes"]),
                f"can call: {_md_list(c['operations'])}",
            ]
            for c in cons["added"]
        ]
        rows += [
            [
                "removed",
                _c(c["consumer"]),
                _md_list(c["scopes"]),
                f"could call: {_md_list(c['operations'])}",
            ]
            for c in cons["removed"]
        ]
        for c in cons["changed"]:
            reach = []
            if "gained" in c:
                reach.append(f"gained: {_md_list(c['gained'])}")
            if "lost" in c:
                reach.append(f"lost: {_md_list(c['lost'])}")
            rows.append(
                [
                    "changed",
                    _c(c["consumer"]),
                    _md_arrow(c, "scopes", _md_list, "unchanged"),
                    "; ".join(reach) or "unchanged",
                ]
            )
        out += ["", "#### Consumers", ""]
        out += _md_table(["Change", "Consumer", "Scopes", "Operations"], rows)
    verdicts = diff["verdicts"]
    if verdicts["appeared"] or verdicts["cleared"]:
        out += ["", "#### Policy verdicts", ""]
        out += [f"- appeared: {_md_verdict(v)}" for v in verdicts["appeared"]]
        out += [f"- cleared: {_md_verdict(v)}" for v in verdicts["cleared"]]
    if diff["settings"]:
        out += ["", "#### Settings", ""]
        out += _md_table(
            ["Setting", "Base", "Head"],
            [
                [s["setting"], _md_setting(s["base"]), _md_setting(s["head"])]
                for s in diff["settings"]
            ],
        )
    if diff.get("actions"):
        out += ["", f"#### {ACTIONS_TITLE}", ""]
        out += [
            f"- {_action_kind(a['kind'], _c_text)} {_c_text(a['subject'])}: {advice(a, _c_text)}"
            for a in diff["actions"]
        ]
    if diff.get("widening"):
        out += ["", "#### Widens access", ""]
        rows = [_md_widening_row(w) for w in diff["widening"]]
        out += _md_table(["Widening", "Operation or consumer", "Detail"], rows)
    diagram = mermaid(diff)
    if diagram:
        out += ["", diagram]
    out += ["", f"**{_summary(diff)}**"]
    if diff.get("widening"):
        out.append(f"**{_widening_summary(diff)}**")
    return "\n".join(out)


def render_json(diff: Mapping[str, Any]) -> str:
    # ensure_ascii (the default): every non-ASCII or control character is a \u escape.
    return json.dumps(diff, indent=2)


def render(diff: Mapping[str, Any], fmt: str, base: str = "base", head: str = "head") -> str:
    if fmt == "json":
        return render_json(diff)
    if fmt == "markdown":
        return render_markdown(diff, base, head)
    return render_terminal(diff, base, head)


# --- the diagram of what changed ------------------------------------------------------------


class _Graph:
    """Mermaid nodes and edges, each edge added, removed or kept (kept only for context)."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[str, str], str] = {}
        self.node_class: dict[str, str] = {}
        self.edges: dict[tuple[str, str], str] = {}

    def node(self, kind: str, name: str, cls: str = "") -> str:
        key = (kind, name)
        if key not in self.nodes:
            self.nodes[key] = f"{kind}{sum(1 for k in self.nodes if k[0] == kind)}"
        node_id = self.nodes[key]
        if cls:
            self.node_class[node_id] = cls
        return node_id

    def edge(self, a: str, b: str, how: str) -> None:
        # An edge both removed and added (e.g. reordered) is unchanged; "kept" never overrides.
        before = self.edges.get((a, b))
        if before and before != how and "kept" not in (before, how):
            how = "kept"
        if before is None or before == "kept":
            self.edges[(a, b)] = how

    def render(self) -> str:
        shapes = {"c": '["{}"]', "s": '(["{}"])', "o": '["{}"]', "anyone": '(("{}"))'}
        lines = ["```mermaid", "flowchart LR"]
        for (kind, name), node_id in self.nodes.items():
            label = shapes[kind].format(mermaid_label(name))
            cls = self.node_class.get(node_id)
            lines.append(f"  {node_id}{label}" + (f":::{cls}" if cls else ""))
        arrows = {"added": "==>|added|", "removed": "-.->|removed|", "kept": "-->"}
        lines += [f"  {a} {arrows[how]} {b}" for (a, b), how in self.edges.items()]
        lines += [
            "  classDef added fill:#dafbe1,stroke:#1a7f37",
            "  classDef removed fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 3",
            "  classDef changed fill:#fff8c5,stroke:#9a6700",
            "```",
        ]
        return "\n".join(lines)


def mermaid(diff: Mapping[str, Any]) -> str:
    """Consumers -> scopes -> operations, limited to what changed.

    Added edges are thick, removed ones dotted; plain edges are unchanged ones shown only to
    connect a consumer to an operation it gained or lost. Empty when nothing in access changed.
    Node ids are ours (`c0`, `s1`, ...); labels go through `mermaid_label`.
    """
    g = _Graph()
    ops, cons = diff["operations"], diff["consumers"]

    def op_edges(op: str, scopes: Sequence[str], callers: Sequence[str], how: str) -> None:
        target = g.node("o", op)
        if list(callers) == [ANYONE]:
            g.edge(g.node("anyone", "ANYONE, no token"), target, how)
            return
        for scope in scopes:
            g.edge(g.node("s", scope), target, how)

    for c in cons["added"]:
        node = g.node("c", c["consumer"], "added")
        for scope in c["scopes"]:
            g.edge(node, g.node("s", scope), "added")
    for c in cons["removed"]:
        node = g.node("c", c["consumer"], "removed")
        for scope in c["scopes"]:
            g.edge(node, g.node("s", scope), "removed")
    for c in cons["changed"]:
        node = g.node("c", c["consumer"], "changed")
        if "scopes" in c:
            old, new = c["scopes"]["base"], c["scopes"]["head"]
            for scope in _subtract(new, old):
                g.edge(node, g.node("s", scope), "added")
            for scope in _subtract(old, new):
                g.edge(node, g.node("s", scope), "removed")
    for o in ops["added"]:
        g.node("o", o["operation"], "added")
        op_edges(o["operation"], o["scopes"], o["callers"], "added")
    for o in ops["removed"]:
        g.node("o", o["operation"], "removed")
        op_edges(o["operation"], o["scopes"], o["callers"], "removed")
    for o in ops["changed"]:
        if "scopes" not in o and "status" not in o:
            continue  # only its callers changed: the consumers' edges below show why
        g.node("o", o["operation"], "changed")
        if "scopes" in o:
            old, new = o["scopes"]["base"], o["scopes"]["head"]
            for scope in _subtract(new, old):
                g.edge(g.node("s", scope), g.node("o", o["operation"]), "added")
            for scope in _subtract(old, new):
                g.edge(g.node("s", scope), g.node("o", o["operation"]), "removed")
    # Context: connect a changed consumer to each operation it gained or lost, through the
    # scopes it holds (or held) that the operation accepts (accepted): edges already drawn as
    # added or removed keep that look, the others are drawn plain.
    now_scopes = {o["operation"]: o["scopes_now"] for o in ops["changed"]}
    now_scopes.update({o["operation"]: o["scopes"] for o in ops["added"]})
    then_scopes = {**now_scopes, **{o["operation"]: o["scopes"] for o in ops["removed"]}}
    for c in cons["changed"]:
        node = g.node("c", c["consumer"], "changed")
        held = c.get("scopes_now", [])
        had = c["scopes"]["base"] if "scopes" in c else held
        for key, scopes_of, holds in (("gained", now_scopes, held), ("lost", then_scopes, had)):
            for op in c.get(key, []):
                for scope in scopes_of.get(op, []):
                    if scope in holds:
                        g.edge(node, g.node("s", scope), "kept")
                        g.edge(g.node("s", scope), g.node("o", op), "kept")
    if not g.nodes:
        return ""
    return g.render()
