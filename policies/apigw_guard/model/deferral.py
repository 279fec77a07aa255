"""The fixed form in which a stack-level deferral names the resources it covers.

pulumi-policy reports a deferral (an `UnknownValueError`) with an empty URN: one Analyze
deferral is the analyzed resource's, but one AnalyzeStack deferral may cover many. Its message
then ends with one line, `Deferred resources: <JSON list of URNs>`, which the report reads to
mark those resources pending: never the prose before it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

DEFERRED_RESOURCES = "Deferred resources: "


def deferred_resources_line(urns: Iterable[str]) -> str:
    """The last line of a stack-level deferral: every URN once, in order."""
    return DEFERRED_RESOURCES + json.dumps(list(dict.fromkeys(urns)))


def deferred_urns(message: str) -> tuple[str, ...]:
    """The URNs a deferral's message names in its last line; () for any other message."""
    last = message.rstrip("\n").rsplit("\n", 1)[-1]
    if not last.startswith(DEFERRED_RESOURCES):
        return ()
    try:
        urns = json.loads(last[len(DEFERRED_RESOURCES) :])
    except ValueError:
        return ()
    if not isinstance(urns, list) or not all(isinstance(u, str) for u in urns):
        return ()
    return tuple(urns)
