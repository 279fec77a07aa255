"""Widening: every way the head of an access diff grants access the base did not.

`--fail-on-widening` and the pull-request gate (the `access-widening` environment) act on this
list; narrowing (removals, fewer scopes, callers or flows) and settings are not in it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .diff_view import callers, keyed_operations, subtract

# Widening kinds, in the order they are listed, and what their values are.
WIDENING_KINDS = {
    "new operation": "callers",
    "new consumer": "can call",
    "less protected": "protection",
    "scope added": "now also accepts (any one scope suffices)",
    "new caller": "newly callable by",
    "consumer scope added": "its tokens now carry",
    "consumer flow added": "may now use the OAuth flow(s)",
}
# Exposure of an operation, from least to most open. `open` (UNPROTECTED, or a CORS preflight
# exempted by the pack) is callable by anyone; `pending` is decided at update and may be open.
EXPOSURE = ("protected", "pending", "open")
_OPEN_STATUSES = frozenset({"UNPROTECTED", "exempt"})


def _exposure(op: Mapping[str, Any]) -> int:
    """An index into EXPOSURE; a status this code does not know counts as open."""
    status = op.get("status")
    if op.get("anyone") or status in _OPEN_STATUSES:
        return 2
    if status == "pending":
        return 1
    return 0 if status == "protected" else 2


def _access(report: Mapping[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Operations and consumers as sets, for the widening rules. An operation listed twice
    under one key counts with the union of its scopes and callers and its most open exposure,
    so a duplicate cannot hide access."""
    ops: dict[str, dict[str, Any]] = {}
    for key, op in keyed_operations(report):
        entry = ops.setdefault(
            key, {"scopes": [], "consumers": [], "exposure": 0, "callers": callers(op)}
        )
        entry["scopes"] += subtract(list(op.get("scopes") or []), entry["scopes"])
        entry["consumers"] += subtract(list(op.get("consumers") or []), entry["consumers"])
        entry["exposure"] = max(entry["exposure"], _exposure(op))
    held: dict[str, dict[str, Any]] = {}
    for c in report.get("consumers") or []:
        entry = held.setdefault(c["name"], {"scopes": [], "flows": [], "operations": []})
        for field in ("scopes", "flows", "operations"):
            entry[field] += subtract(list(c.get(field) or []), entry[field])
    return ops, held


def widening(base: Mapping[str, Any], head: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every way the head grants access the base did not; empty when it grants none.

    The head widens access when (operations matched by `METHOD /path`, consumers by name):
    - it has an operation the base does not (`new operation`);
    - it has a consumer the base does not (`new consumer`);
    - a consumer of the base can call an operation of the base it could not call before: a
      (consumer, operation) pair appears (`new caller`);
    - an operation accepts a scope the base's did not: its scope set is not a subset of the
      base's, and any one scope suffices, so adding a scope widens (`scope added`);
      (this and `new caller` only where the base's operation was not open already: what
      anyone could call cannot be called by more);
    - an operation goes from protected to pending or open, or from pending to open (`less
      protected`; open: anyone can call it, UNPROTECTED or exempt);
    - a consumer is allowed a scope or an OAuth flow it was not: its tokens then carry that
      scope for every API that accepts it, in this stack or not (`consumer scope added`,
      `consumer flow added`).
    Everything else is not widening: removals, fewer scopes, callers or flows, settings.
    Each item is {"kind", "subject", "values"}; items are grouped by kind in the order above
    (new operations and consumers first), each group in the head's order.
    """
    b_ops, b_cons = _access(base)
    h_ops, h_cons = _access(head)
    out: list[dict[str, Any]] = []

    def add(kind: str, subject: str, values: Sequence[str]) -> None:
        out.append({"kind": kind, "subject": subject, "values": list(values)})

    for key, op in h_ops.items():
        old = b_ops.get(key)
        if old is None:
            add("new operation", key, op["callers"])
            continue
        if op["exposure"] > old["exposure"]:
            add("less protected", key, [EXPOSURE[old["exposure"]], EXPOSURE[op["exposure"]]])
        if old["exposure"] == len(EXPOSURE) - 1:
            continue  # open in the base already: anyone could call it
        if added := subtract(op["scopes"], old["scopes"]):
            add("scope added", key, added)
        new_callers = [c for c in subtract(op["consumers"], old["consumers"]) if c in b_cons]
        if new_callers:
            add("new caller", key, new_callers)
    for name, consumer in h_cons.items():
        previous = b_cons.get(name)
        if previous is None:
            add("new consumer", name, consumer["operations"])
            continue
        if added := subtract(consumer["scopes"], previous["scopes"]):
            add("consumer scope added", name, added)
        if added := subtract(consumer["flows"], previous["flows"]):
            add("consumer flow added", name, added)
    order = list(WIDENING_KINDS)
    return sorted(out, key=lambda item: order.index(item["kind"]))
