"""`python -m report diff`: what a change does to access, from two JSON reports.

A pull-request reviewer asks what the change does to who can call what; `pulumi preview` buries
that in a JSON body diff. This compares two `make report FORMAT=json` outputs (or builds the
base from a git ref) and renders only the changes: operations, consumers, policy verdicts, the
settings a reviewer checks, and what of it widens access (`widening`).

A side with no report says why (`empty_report`): a new stack (the base has no stack file), a
removed stack (the head has none), or a base that cannot be built (its stack file or program is
broken, or the commit has no program): that base is compared as empty, and the diff says so,
rather than failing every pull request until the base is fixed. Two reports of different stacks
are refused: an access diff compares one stack at two commits.

Exit status, first match wins: 2 bad input (a report that is not JSON or does not match
report/report.schema.json, reports of two stacks, a bad ref), 1 a mandatory violation the base
did not have (that is what blocks `pulumi up`), 3 with `--fail-on-widening` when the head grants
access the base did not, else 0.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from apigw_guard.model.errors import InputError
from offline_engine import StackConfigError

from .diff_actions import StackView, team_actions
from .diff_render import (
    ANYONE,
    COMMENT_MARKER,
    FORMATS,
    PENDING,
    WIDENING_KINDS,
    render,
    render_markdown,
    render_terminal,
)
from .diff_sides import (
    BASE_NOT_BUILT,
    NEW_STACK,
    STACK_REMOVED,
    DiffInputError,
    absent,
    absent_note,
    check_same_stack,
    empty_report,
    load_report,
    report_at_ref,
    reports_for_ref,
)
from .run import PROJECT_DIR, StackNotFoundError

__all__ = [
    "BASE_NOT_BUILT",
    "COMMENT_MARKER",
    "EXIT_BAD_INPUT",
    "EXIT_NEW_MANDATORY",
    "EXIT_WIDENING",
    "NEW_STACK",
    "STACK_REMOVED",
    "DiffInputError",
    "compare",
    "empty_report",
    "exit_status",
    "load_report",
    "main",
    "render",
    "render_markdown",
    "render_terminal",
    "report_at_ref",
    "widening",
]

EXIT_NEW_MANDATORY = 1
EXIT_BAD_INPUT = 2
EXIT_WIDENING = 3
SETTINGS = (
    ("region", "Region"),
    ("token_endpoint_url", "Token endpoint"),
    ("access_token_lifetime", "Access-token lifetime"),
    ("deletion_protection", "Deletion protection"),
    ("resource_server", "Resource server"),
    ("dropped_preflights", "Dropped CORS preflights"),
    ("replaced_security", "Own security replaced"),
)


# --- comparing ----------------------------------------------------------------------------


def _identifiers(report: Mapping[str, Any]) -> list[str]:
    """Resource-server identifiers as the report gives them (older reports: plain strings)."""
    out = []
    for server in report.get("resource_servers") or []:
        value = server.get("identifier") if isinstance(server, dict) else server
        if isinstance(value, str):
            out.append(value)
    return out


def _short(scopes: Iterable[str], identifiers: Sequence[str]) -> list[str]:
    """Scope names without the identifier, so a base report that printed full scope strings
    (before reports used short names) compares equal to a head that prints short ones."""
    out = []
    for scope in scopes:
        for identifier in identifiers:
            prefix = identifier.rstrip("/") + "/"
            if scope.startswith(prefix):
                scope = scope[len(prefix) :]
                break
        out.append(scope)
    return out


def _keyed_operations(report: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """Each operation with its key: `METHOD /path`, prefixed by the API when there are several."""
    ops = report.get("operations") or []
    several_apis = len({o.get("api") for o in ops}) > 1
    out = []
    for op in ops:
        key = f"{op['method']} {op['path']}"
        out.append((f"{op.get('api')}: {key}" if several_apis else key, op))
    return out


def _operations(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    identifiers = _identifiers(report)
    out: dict[str, dict[str, Any]] = {}
    for key, op in _keyed_operations(report):
        callers = [ANYONE] if op.get("anyone") else list(op.get("consumers") or [])
        if op.get("status") == "pending":
            callers = [PENDING]
        out[key] = {
            "status": op.get("status", ""),
            "scopes": _short(op.get("scopes") or [], identifiers),
            "scope_source": op.get("scope_source"),
            "callers": callers,
        }
    return out


def _consumers(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    identifiers = _identifiers(report)
    return {
        c["name"]: {
            "scopes": _short(c.get("scopes") or [], identifiers),
            "operations": list(c.get("operations") or []),
        }
        for c in report.get("consumers") or []
    }


def _verdict_key(v: Mapping[str, Any]) -> tuple[str, str, str, str]:
    return (v["enforcement_level"], v["policy"], v.get("urn", ""), v["message"])


def _settings(report: Mapping[str, Any]) -> dict[str, Any]:
    """Settings present in the report; keys an older report lacks are left out, not None."""
    out: dict[str, Any] = dict(report.get("settings") or {})
    servers = report.get("resource_servers")
    # Older reports listed identifiers with the mock ids in them: not comparable, so left out.
    if isinstance(servers, list) and all(isinstance(x, dict) for x in servers):
        out["resource_server"] = ", ".join(_identifiers(report)) or None
    for key in ("dropped_preflights", "replaced_security"):
        if key in report:
            out[key] = ", ".join(report[key]) or "none"
    return out


def _subtract(a: Sequence[str], b: Sequence[str]) -> list[str]:
    return [x for x in a if x not in b]


def _view(report: Mapping[str, Any]) -> StackView:
    """What `diff_actions` reads of a report: scope names, identifiers, token lifetime."""
    identifiers = _identifiers(report)
    consumers = {
        c["name"]: _short(c.get("scopes") or [], identifiers) for c in report.get("consumers") or []
    }
    scopes: list[str] = []
    for _, op in _keyed_operations(report):
        scopes += _short(op.get("scopes") or [], identifiers)
    for names in consumers.values():
        scopes += names
    servers = report.get("resource_servers")
    comparable = isinstance(servers, list) and all(isinstance(x, dict) for x in servers)
    return StackView(
        consumers=consumers,
        scopes=list(dict.fromkeys(scopes)),
        identifiers=identifiers if comparable else [],
        lifetime=(report.get("settings") or {}).get("access_token_lifetime"),
    )


def compare(base: Mapping[str, Any], head: Mapping[str, Any]) -> dict[str, Any]:
    """The access changes from `base` to `head`, two `report_to_dict` outputs, as plain data.

    Every list is in the head's order (then the base's for removals), so the same two reports
    always give the same diff. Raises `DiffInputError` for reports of two stacks. `stack_change`
    is set when a side is an `empty_report` (a new or removed stack, a base not built), with
    `note` saying what that means; `actions` are what the change asks of the team
    (`diff_actions`).
    """
    check_same_stack(base, head, ("the base", "the head"))
    b_ops, h_ops = _operations(base), _operations(head)
    added_ops = [{"operation": k, **v} for k, v in h_ops.items() if k not in b_ops]
    removed_ops = [{"operation": k, **v} for k, v in b_ops.items() if k not in h_ops]
    changed_ops = []
    for key, new in h_ops.items():
        old = b_ops.get(key)
        if old is None:
            continue
        change: dict[str, Any] = {"operation": key}
        for field in ("status", "scopes", "scope_source", "callers"):
            if field == "scope_source" and old[field] is None:
                continue  # a base report from before scope sources were reported
            if old[field] != new[field]:
                change[field] = {"base": old[field], "head": new[field]}
        if len(change) > 1:
            change["scopes_now"] = new["scopes"]
            change["scope_source_now"] = new["scope_source"]
            changed_ops.append(change)

    b_cons, h_cons = _consumers(base), _consumers(head)
    added_cons = [{"consumer": k, **v} for k, v in h_cons.items() if k not in b_cons]
    removed_cons = [{"consumer": k, **v} for k, v in b_cons.items() if k not in h_cons]
    changed_cons = []
    for name, new in h_cons.items():
        old = b_cons.get(name)
        if old is None:
            continue
        entry: dict[str, Any] = {"consumer": name}
        if old["scopes"] != new["scopes"]:
            entry["scopes"] = {"base": old["scopes"], "head": new["scopes"]}
        gained = _subtract(new["operations"], old["operations"])
        lost = _subtract(old["operations"], new["operations"])
        if gained:
            entry["gained"] = gained
        if lost:
            entry["lost"] = lost
        if len(entry) > 1:
            entry["scopes_now"] = new["scopes"]
            changed_cons.append(entry)

    b_verdicts = {_verdict_key(v): v for v in base.get("verdicts") or []}
    h_verdicts = {_verdict_key(v): v for v in head.get("verdicts") or []}
    appeared = [v for k, v in h_verdicts.items() if k not in b_verdicts]
    cleared = [v for k, v in b_verdicts.items() if k not in h_verdicts]
    new_mandatory = sum(1 for v in appeared if v["enforcement_level"] == "mandatory")

    b_set, h_set = _settings(base), _settings(head)
    settings = [
        {"setting": label, "base": b_set[key], "head": h_set[key]}
        for key, label in SETTINGS
        if key in b_set and key in h_set and b_set[key] != h_set[key]
    ]
    widens = widening(base, head)
    side = absent(base) or absent(head)
    stack = head.get("stack") or base.get("stack", "")
    changed = any(
        (added_ops, removed_ops, changed_ops, added_cons, removed_cons, changed_cons)
    ) or any((appeared, cleared, settings, widens, side))
    return {
        "stack": stack,
        "stack_change": side["state"] if side else None,
        "stack_change_reason": side.get("reason", "") if side else "",
        "note": absent_note(side["state"], str(stack), side.get("reason", "")) if side else None,
        "changed": changed,
        "operations": {"added": added_ops, "removed": removed_ops, "changed": changed_ops},
        "consumers": {"added": added_cons, "removed": removed_cons, "changed": changed_cons},
        "verdicts": {"appeared": appeared, "cleared": cleared},
        "settings": settings,
        "new_mandatory_violations": new_mandatory,
        "passed": new_mandatory == 0,
        "widening": widens,
        "widens": bool(widens),
        "actions": team_actions(_view(base), _view(head)),
    }


def exit_status(diff: Mapping[str, Any], *, fail_on_widening: bool = False) -> int:
    """1 for a new mandatory violation, else 3 for widening when asked, else 0 (bad input, 2,
    never gets this far)."""
    if diff["new_mandatory_violations"]:
        return EXIT_NEW_MANDATORY
    if fail_on_widening and diff["widening"]:
        return EXIT_WIDENING
    return 0


# --- widening: access the head grants that the base did not ---------------------------------

# Exposure of an operation, from least to most open. `anyone` (UNPROTECTED, or a CORS
# preflight exempted by the pack) is open; `pending` is decided at update and may be open.
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
    identifiers = _identifiers(report)
    ops: dict[str, dict[str, Any]] = {}
    for key, op in _keyed_operations(report):
        entry = ops.setdefault(key, {"scopes": [], "consumers": [], "exposure": 0})
        entry["scopes"] += _subtract(_short(op.get("scopes") or [], identifiers), entry["scopes"])
        entry["consumers"] += _subtract(list(op.get("consumers") or []), entry["consumers"])
        entry["exposure"] = max(entry["exposure"], _exposure(op))
    consumers: dict[str, dict[str, Any]] = {}
    for c in report.get("consumers") or []:
        entry = consumers.setdefault(c["name"], {"scopes": [], "flows": [], "operations": []})
        for field in ("scopes", "flows", "operations"):
            values = list(c.get(field) or [])
            if field == "scopes":
                values = _short(values, identifiers)
            entry[field] += _subtract(values, entry[field])
    return ops, consumers


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

    head_callers = _operations(head)
    for key, op in h_ops.items():
        old = b_ops.get(key)
        if old is None:
            add("new operation", key, head_callers[key]["callers"])
            continue
        if op["exposure"] > old["exposure"]:
            add("less protected", key, [EXPOSURE[old["exposure"]], EXPOSURE[op["exposure"]]])
        if old["exposure"] == len(EXPOSURE) - 1:
            continue  # open in the base already: anyone could call it
        if added := _subtract(op["scopes"], old["scopes"]):
            add("scope added", key, added)
        new_callers = [c for c in _subtract(op["consumers"], old["consumers"]) if c in b_cons]
        if new_callers:
            add("new caller", key, new_callers)
    for name, consumer in h_cons.items():
        previous = b_cons.get(name)
        if previous is None:
            add("new consumer", name, consumer["operations"])
            continue
        if added := _subtract(consumer["scopes"], previous["scopes"]):
            add("consumer scope added", name, added)
        if added := _subtract(consumer["flows"], previous["flows"]):
            add("consumer flow added", name, added)
    order = list(WIDENING_KINDS)
    return sorted(out, key=lambda item: order.index(item["kind"]))


def main(argv: Sequence[str] | None = None, prog: str = "python -m report diff") -> int:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="What a change does to access: the difference between two JSON reports "
        "(or between a git ref and this checkout). Exit 2 on bad input, 1 when the head has a "
        "mandatory violation the base did not have, 3 with --fail-on-widening when the head "
        "grants access the base did not (first match wins), else 0.",
    )
    parser.add_argument("base", nargs="?", type=Path, help="base report (JSON)")
    parser.add_argument("head", nargs="?", type=Path, help="head report (JSON)")
    parser.add_argument("--base-ref", help="build the base report from this git ref instead")
    parser.add_argument("--stack", default="dev", help="stack for --base-ref (default: dev)")
    parser.add_argument("--format", choices=FORMATS, default="terminal", dest="fmt")
    parser.add_argument(
        "--fail-on-widening",
        action="store_true",
        help="exit 3 when the head grants access the base did not: a new operation, consumer "
        "or (consumer, operation) pair, a scope added to an operation or a consumer, an "
        "operation less protected (README: Widening)",
    )
    args = parser.parse_args(argv)
    try:
        if args.base_ref:
            if args.base or args.head:
                parser.error("give either BASE.json HEAD.json or --base-ref, not both")
            base, head = reports_for_ref(args.base_ref, args.stack, PROJECT_DIR)
            labels = (args.base_ref, "this checkout")
        elif args.base and args.head:
            base, head = load_report(args.base), load_report(args.head)
            labels = (args.base.name, args.head.name)
            check_same_stack(base, head, labels)
        else:
            parser.error("give BASE.json HEAD.json, or --base-ref REF")
        diff = compare(base, head)
    except (DiffInputError, InputError, StackConfigError, StackNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        print(render(diff, args.fmt, *labels))
    except BrokenPipeError:  # `... | head`: the reader left, which is not an error
        sys.stderr.close()
    return exit_status(diff, fail_on_widening=args.fail_on_widening)
