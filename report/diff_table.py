"""The access diff as plain text: the `table` format, for a terminal or a CI log.

Every line passes through `report.untrusted.visible`, so no value from a report can send a
terminal escape sequence or break a line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import diff_text as words
from .diff_actions import advice
from .untrusted import visible


def _list(values: Sequence[str]) -> str:
    return ", ".join(values) or "-"


def _scopes(values: Sequence[str]) -> str:
    return " | ".join(values) or "-"


def _callers(values: Sequence[str]) -> str:
    return ", ".join(values) or "(no configured consumer)"


def _arrow(change: Mapping[str, Any], field: str, show: Any) -> str:
    return f"{show(change[field]['base'])} -> {show(change[field]['head'])}"


def _source(entry: Mapping[str, Any]) -> str:
    return str(entry.get("scope_source") or "-")


def _setting(value: object) -> str:
    return words.NOT_SET if value is None else str(value)


def no_change_line(diff: Mapping[str, Any]) -> str:
    return f"No change in access for stack {visible(diff['stack'])!r}."


def _operations(ops: Mapping[str, Any]) -> list[str]:
    out = ["", "Operations"]
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
    return out


def _consumers(cons: Mapping[str, Any]) -> list[str]:
    out = ["", "Consumers"]
    for c in cons["added"]:
        out.append(
            f"  + {c['consumer']}: scopes {_list(c['scopes'])}; can call: {_list(c['operations'])}"
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
    return out


def _verdict(v: Mapping[str, Any]) -> str:
    return (
        f"{v['enforcement_level']} [{v['policy']}] {words.subject(str(v.get('urn', '')))}: "
        f"{v['message']}"
    )


def render_table(diff: Mapping[str, Any], base: str = "base", head: str = "head") -> str:
    if not diff["changed"]:
        return no_change_line(diff)
    out = [f"Access changes for stack '{diff['stack']}' ({base} -> {head})"]
    note = words.note(diff, str)
    if note and words.not_comparable(diff):
        out += ["", words.NOT_COMPARABLE_TITLE, f"  {note}"]
    elif note:
        out.append(note)
    ops, cons = diff["operations"], diff["consumers"]
    if any(ops.values()):
        out += _operations(ops)
    if any(cons.values()):
        out += _consumers(cons)
    verdicts = diff["verdicts"]
    if verdicts["appeared"] or verdicts["cleared"]:
        out += ["", "Policy verdicts"]
        out += [f"  + appeared: {_verdict(v)}" for v in verdicts["appeared"]]
        out += [f"  - cleared: {_verdict(v)}" for v in verdicts["cleared"]]
    if diff["settings"]:
        out += ["", "Settings"]
        out += [
            f"  ~ {s['setting']}: {_setting(s['base'])} -> {_setting(s['head'])}"
            for s in diff["settings"]
        ]
    if diff.get("actions"):
        out += ["", words.ACTIONS_TITLE]
        out += [f"  ! {a['kind']} {a['subject']}: {advice(a, str)}" for a in diff["actions"]]
    if diff.get("widening"):
        out += ["", "Widens access"]
        out += [
            f"  ! {w['kind']} {w['subject']}: "
            + words.widening_values(w, _list, _callers, "->", str)
            for w in diff["widening"]
        ]
    out += ["", words.summary(diff)]
    if diff.get("widening"):
        out.append(words.widening_summary(diff))
    return "\n".join(visible(line) for line in out)
