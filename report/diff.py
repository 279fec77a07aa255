"""What a change does to access, as data: `compare` two JSON reports, and the exit status.

A pull-request reviewer asks what the change does to who can call what; `pulumi preview` buries
that in a JSON body diff. `compare` takes two `make report FORMAT=json` outputs (`diff_sides`
reads them) and keeps only the changes: operations, consumers, policy verdicts, the settings a
reviewer checks, what of it widens access (`widening`) and what it asks of the team
(`diff_actions`). The views are `diff_table`, `diff_markdown` and JSON; the command is
`diff_cli`.

A side with no report says why (`diff_sides.empty_report`): a new stack, a removed stack, a
base that cannot be built, or a base whose report is of another `schemaVersion` than this code
reads (`base not comparable`): such a base is compared as empty, and the diff says so, rather
than guessing what its fields meant. Two reports of different stacks are refused.

Exit status, first match wins: 2 bad input (a report that is not JSON or does not match
report/report.schema.json, reports of two stacks, a bad ref), 1 a mandatory violation the base
did not have (that is what blocks `pulumi up`), 3 with `--fail-on-widening` when the head grants
access the base did not, else 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import diff_view as view
from .diff_actions import team_actions
from .diff_sides import absent, absent_note, check_same_stack
from .widening import widening

EXIT_NEW_MANDATORY = 1
EXIT_BAD_INPUT = 2
EXIT_WIDENING = 3


def _verdict_key(v: Mapping[str, Any]) -> tuple[str, str, str, str]:
    return (v["enforcement_level"], v["policy"], v.get("urn", ""), v["message"])


def _operation_changes(
    base: Mapping[str, Any], head: Mapping[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    b_ops, h_ops = view.operations(base), view.operations(head)
    changed = []
    for key, new in h_ops.items():
        old = b_ops.get(key)
        if old is None:
            continue
        change: dict[str, Any] = {"operation": key}
        for field in ("status", "scopes", "scope_source", "callers"):
            if old[field] != new[field]:
                change[field] = {"base": old[field], "head": new[field]}
        if len(change) > 1:
            change["scopes_now"] = new["scopes"]
            change["scope_source_now"] = new["scope_source"]
            changed.append(change)
    return {
        "added": [{"operation": k, **v} for k, v in h_ops.items() if k not in b_ops],
        "removed": [{"operation": k, **v} for k, v in b_ops.items() if k not in h_ops],
        "changed": changed,
    }


def _consumer_changes(
    base: Mapping[str, Any], head: Mapping[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    b_cons, h_cons = view.consumers(base), view.consumers(head)
    changed = []
    for name, new in h_cons.items():
        old = b_cons.get(name)
        if old is None:
            continue
        entry: dict[str, Any] = {"consumer": name}
        if old["scopes"] != new["scopes"]:
            entry["scopes"] = {"base": old["scopes"], "head": new["scopes"]}
        if gained := view.subtract(new["operations"], old["operations"]):
            entry["gained"] = gained
        if lost := view.subtract(old["operations"], new["operations"]):
            entry["lost"] = lost
        if len(entry) > 1:
            entry["scopes_now"] = new["scopes"]
            changed.append(entry)
    return {
        "added": [{"consumer": k, **v} for k, v in h_cons.items() if k not in b_cons],
        "removed": [{"consumer": k, **v} for k, v in b_cons.items() if k not in h_cons],
        "changed": changed,
    }


def compare(base: Mapping[str, Any], head: Mapping[str, Any]) -> dict[str, Any]:
    """The access changes from `base` to `head`, two `report_to_dict` outputs, as plain data.

    Every list is in the head's order (then the base's for removals), so the same two reports
    always give the same diff. Raises `DiffInputError` for reports of two stacks. `stack_change`
    is set when a side is an `empty_report` (a new or removed stack, a base not built or not
    comparable), with `note` saying what that means; `actions` are what the change asks of the
    team (`diff_actions`).
    """
    check_same_stack(base, head, ("the base", "the head"))
    ops = _operation_changes(base, head)
    cons = _consumer_changes(base, head)
    b_verdicts = {_verdict_key(v): v for v in base.get("verdicts") or []}
    h_verdicts = {_verdict_key(v): v for v in head.get("verdicts") or []}
    appeared = [v for k, v in h_verdicts.items() if k not in b_verdicts]
    cleared = [v for k, v in b_verdicts.items() if k not in h_verdicts]
    new_mandatory = sum(1 for v in appeared if v["enforcement_level"] == "mandatory")
    b_set, h_set = view.settings(base), view.settings(head)
    settings = [
        {"setting": label, "base": b_set[key], "head": h_set[key]}
        for key, label in view.SETTINGS
        if key in b_set and key in h_set and b_set[key] != h_set[key]
    ]
    widens = widening(base, head)
    side = absent(base) or absent(head)
    stack = head.get("stack") or base.get("stack", "")
    changed = any((*ops.values(), *cons.values())) or any(
        (appeared, cleared, settings, widens, side)
    )
    return {
        "stack": stack,
        "stack_change": side["state"] if side else None,
        "stack_change_reason": side.get("reason", "") if side else "",
        "note": absent_note(side["state"], str(stack), side.get("reason", "")) if side else None,
        "changed": changed,
        "operations": ops,
        "consumers": cons,
        "verdicts": {"appeared": appeared, "cleared": cleared},
        "settings": settings,
        "new_mandatory_violations": new_mandatory,
        "passed": new_mandatory == 0,
        "widening": widens,
        "widens": bool(widens),
        "actions": team_actions(view.stack_view(base), view.stack_view(head)),
    }


def exit_status(diff: Mapping[str, Any], *, fail_on_widening: bool = False) -> int:
    """1 for a new mandatory violation, else 3 for widening when asked, else 0 (bad input, 2,
    never gets this far)."""
    if diff["new_mandatory_violations"]:
        return EXIT_NEW_MANDATORY
    if fail_on_widening and diff["widening"]:
        return EXIT_WIDENING
    return 0
