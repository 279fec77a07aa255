"""The words both human views of an access diff share: summary lines, a side's note, a
verdict's subject, and how each widening kind names its values.

Values come from reports, and a pull request's report is its author's data: every function
that puts a value into text takes the view's `show` (`visible` on a terminal, a code span in
markdown, `report.untrusted`), so only these words are plain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .diff_sides import BASE_NOT_COMPARABLE, absent_note
from .diff_view import ANYONE, PENDING
from .widening import WIDENING_KINDS

# A setting a report has no value for (null in JSON), e.g. no user pool in the stack.
NOT_SET = "(not set)"
ACTIONS_TITLE = "What the team must do"
# The heading of the section a base of another `schemaVersion` gets instead of a comparison.
NOT_COMPARABLE_TITLE = "Base not comparable"

Show = Callable[[object], str]


def summary(diff: Mapping[str, Any]) -> str:
    n = diff["new_mandatory_violations"]
    if n:
        return f"FAILED: {n} new mandatory violation(s); `pulumi up` would be blocked."
    return "PASSED: no new mandatory violation."


def widening_summary(diff: Mapping[str, Any]) -> str:
    n = len(diff.get("widening") or [])
    return f"WIDENS ACCESS: {n} change(s) grant access the base did not."


def note(diff: Mapping[str, Any], show: Show) -> str | None:
    """Why a side is empty (a new or removed stack, a base not built or not comparable)."""
    state = diff.get("stack_change")
    if not state:
        return None
    return absent_note(state, diff["stack"], diff.get("stack_change_reason", ""), show)


def not_comparable(diff: Mapping[str, Any]) -> bool:
    return diff.get("stack_change") == BASE_NOT_COMPARABLE


def subject(urn: str) -> str:
    """`Type 'name'` of a URN (the name alone is ambiguous across types); `stack` if none."""
    parts = urn.split("::")
    return f"{parts[-2].rsplit(':', 1)[-1]} {parts[-1]!r}" if len(parts) >= 4 else "stack"


def widening_values(
    item: Mapping[str, Any],
    listed: Callable[[Sequence[str]], str],
    callers: Callable[[Sequence[str]], str],
    arrow: str,
    show: Show,
) -> str:
    """`<what the values are>: <values>` for one widening item, in a view's own forms."""
    what = WIDENING_KINDS.get(item["kind"], "values")
    values = item["values"]
    if item["kind"] == "less protected":
        shown = f" {arrow} ".join(show(v) for v in values)
    elif item["kind"] == "new operation":
        shown = callers(values)
    else:
        shown = listed(values)
    return f"{what}: {shown}"


def is_anyone(values: Sequence[str]) -> bool:
    return list(values) == [ANYONE]


def is_pending(values: Sequence[str]) -> bool:
    return list(values) == [PENDING]
