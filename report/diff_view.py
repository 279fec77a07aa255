"""What an access diff reads of one report: operations by key with their callers, consumers,
settings, and what the team-action rules need.

Both sides are reports of this code's `schemaVersion` (or an empty side, `diff_sides`): a base
of another version never gets here, so nothing is read by guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .diff_actions import StackView

# How a diff names the callers of an operation nobody needs a token for, and of one whose
# protection is decided at update.
ANYONE = "ANYONE (no token needed)"
PENDING = "(decided at update)"
# The settings a reviewer checks, by report key, with their label.
SETTINGS = (
    ("region", "Region"),
    ("token_endpoint_url", "Token endpoint"),
    ("access_token_lifetime", "Access-token lifetime"),
    ("deletion_protection", "Deletion protection"),
    ("resource_server", "Resource server"),
    ("dropped_preflights", "Dropped CORS preflights"),
    ("replaced_security", "Own security replaced"),
)


def identifiers(report: Mapping[str, Any]) -> list[str]:
    """The resource-server identifiers, AWS-assigned ids shown as placeholders."""
    return [str(server["identifier"]) for server in report.get("resource_servers") or []]


def keyed_operations(report: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """Each operation with its key: `METHOD /path`, prefixed by the API when there are several."""
    ops = report.get("operations") or []
    several_apis = len({o.get("api") for o in ops}) > 1
    out = []
    for op in ops:
        key = f"{op['method']} {op['path']}"
        out.append((f"{op.get('api')}: {key}" if several_apis else key, op))
    return out


def callers(op: Mapping[str, Any]) -> list[str]:
    """Who can call an operation: ANYONE when it is open, PENDING when decided at update."""
    if op.get("status") == "pending":
        return [PENDING]
    return [ANYONE] if op.get("anyone") else list(op.get("consumers") or [])


def operations(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        key: {
            "status": op.get("status", ""),
            "scopes": list(op.get("scopes") or []),
            "scope_source": op.get("scope_source"),
            "callers": callers(op),
        }
        for key, op in keyed_operations(report)
    }


def consumers(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        c["name"]: {
            "scopes": list(c.get("scopes") or []),
            "operations": list(c.get("operations") or []),
        }
        for c in report.get("consumers") or []
    }


def settings(report: Mapping[str, Any]) -> dict[str, Any]:
    """The settings a report has; an empty side has none, and is compared on none."""
    out: dict[str, Any] = dict(report.get("settings") or {})
    if "resource_servers" in report:
        out["resource_server"] = ", ".join(identifiers(report)) or None
    for key in ("dropped_preflights", "replaced_security"):
        if key in report:
            out[key] = ", ".join(report[key]) or "none"
    return out


def subtract(a: Sequence[str], b: Sequence[str]) -> list[str]:
    return [x for x in a if x not in b]


def stack_view(report: Mapping[str, Any]) -> StackView:
    """What `diff_actions` reads of a report: scope names, identifiers, token lifetime."""
    held = {c["name"]: list(c.get("scopes") or []) for c in report.get("consumers") or []}
    scopes: list[str] = []
    for _, op in keyed_operations(report):
        scopes += list(op.get("scopes") or [])
    for names in held.values():
        scopes += names
    return StackView(
        consumers=held,
        scopes=list(dict.fromkeys(scopes)),
        identifiers=identifiers(report),
        lifetime=(report.get("settings") or {}).get("access_token_lifetime"),
    )
