"""What a resource-level policy leaves to a stack policy, within one run of the pack.

A resource policy judges a resource before it exists; some of its decisions need the rest of
the stack (is an exempted preflight's integration really a MOCK? is a WebSocket route's API one
the admin allows?). The resource half then hands the resource to the stack half, with the
settings it decided under; the stack half, which cannot read another policy's config, finishes
exactly what it was handed and nothing else, so a fault is reported once (never by both halves,
never by neither).

This relies on the engine's order, which every CrossGuard flow keeps: `Analyze` for a resource
runs in the pack process before that run's `AnalyzeStack` (preview, update, `--skip-preview`,
`pulumi policy analyze`). Each `Analyze` replaces (or withdraws) the resource's entry, and the
stack policy takes the entries when it runs, so the update after a preview (one process for
`pulumi up`) starts afresh and a resource is judged as it is now. The SDK serves calls from
several threads: every access holds the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

_LOCK = threading.Lock()
_HANDED: dict[tuple[str, str], Any] = {}


def hand_off(receiver: str, urn: str, item: Hashable) -> None:
    """Leave `urn` to the stack policy `receiver`, with what it needs to decide (`item`)."""
    with _LOCK:
        _HANDED[(receiver, urn)] = item


def withdraw(receiver: str, urn: str) -> None:
    """`urn` was judged at resource level this time: `receiver` has nothing to finish."""
    with _LOCK:
        _HANDED.pop((receiver, urn), None)


def take(receiver: str) -> dict[str, Any]:
    """Every resource handed to `receiver` in this run (URN -> item), removed from the record:
    the next run's Analyze calls hand them over again."""
    with _LOCK:
        taken = {urn: item for (name, urn), item in _HANDED.items() if name == receiver}
        for urn in taken:
            del _HANDED[(receiver, urn)]
        return taken


# The stack policy that receives hand-offs, named here so that no rule imports another.
REFERENCES = "apigateway-references-resolve"
