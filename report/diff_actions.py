"""What a change asks of the team, beyond reviewing access: credentials and scope strings.

Some config changes look ordinary in an access diff and break callers on deploy
(docs/operations.md, "Renaming without an outage"):

- renaming a consumer replaces its Cognito app client: a new client id and secret, the old
  client deleted in the same update, so the consumer is locked out until it has the new pair;
- renaming a scope, the stage or the resource-server identifier changes full scope strings
  (`<identifier>/<scope>`): tokens consumers cached are rejected until they expire, and a
  consumer that requests scopes by name or full string must request the new ones.

The diff cannot know a rename from a removal plus an addition, so it names the likely pairs
and says what to do if that is what happened. Values come from reports (a pull request's
data): `advice` builds each sentence with the caller's `show`, which quotes and escapes them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

CONSUMER_REPLACED = "consumer replaced"
IDENTIFIER_CHANGED = "scope strings changed"
SCOPE_GONE = "scope string gone"
ACTION_KINDS = (CONSUMER_REPLACED, IDENTIFIER_CHANGED, SCOPE_GONE)
# How a report shows a value from a `secure:` config entry (report.model.SECRET_SHOWN).
_SECRET = "[secret]"
_RENAME_SIMILARITY = 0.5


@dataclass(frozen=True)
class StackView:
    """What the rules need of one report: consumers' scope names, every scope name in use, the
    resource-server identifiers and the access-token lifetime (None when not known)."""

    consumers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    scopes: Sequence[str] = ()
    identifiers: Sequence[str] = ()
    lifetime: str | None = None


def team_actions(base: StackView, head: StackView) -> list[dict[str, Any]]:
    """Each change that replaces credentials or scope strings, as {"kind", "subject", "values",
    "lifetime"}: consumer renames (a removed and an added consumer with the same scopes),
    identifier changes, and scope names that are in use nowhere any more."""
    # Tokens cached now were issued under the base's lifetime.
    lifetime = base.lifetime or head.lifetime
    out: list[dict[str, Any]] = []

    def add(kind: str, subject: str, values: Sequence[str]) -> None:
        out.append({"kind": kind, "subject": subject, "values": list(values), "lifetime": lifetime})

    for old, new in _renamed_consumers(base.consumers, head.consumers):
        add(CONSUMER_REPLACED, new, [old])
    if (
        base.identifiers
        and head.identifiers
        and list(base.identifiers) != list(head.identifiers)
        and _SECRET not in (*base.identifiers, *head.identifiers)
    ):
        add(
            IDENTIFIER_CHANGED,
            "resource server",
            [", ".join(base.identifiers), ", ".join(head.identifiers)],
        )
    added = [s for s in head.scopes if s not in base.scopes]
    for scope in (s for s in base.scopes if s not in head.scopes):
        add(SCOPE_GONE, scope, added)
    return out


def _renamed_consumers(
    base: Mapping[str, Sequence[str]], head: Mapping[str, Sequence[str]]
) -> list[tuple[str, str]]:
    """(removed, added) pairs that look like one consumer renamed: the same scopes, or one of
    each with similar names. Each consumer is paired at most once, the closest name first."""
    removed = [name for name in base if name not in head]
    added = [name for name in head if name not in base]
    pairs: list[tuple[str, str]] = []
    for old in removed:
        candidates = [
            new
            for new in added
            if set(head[new]) == set(base[old])
            or difflib.SequenceMatcher(None, old, new).ratio() >= _RENAME_SIMILARITY
        ]
        if candidates:
            new = max(candidates, key=lambda n: difflib.SequenceMatcher(None, old, n).ratio())
            pairs.append((old, new))
            added.remove(new)
    return pairs


def advice(item: Mapping[str, Any], show: Callable[[object], str]) -> str:
    """What the team must do about one action item; every value passes through `show`."""
    kind, subject, values = item["kind"], item["subject"], list(item["values"])
    lifetime = item.get("lifetime")
    until = f"up to {show(lifetime)}" if lifetime else "up to the access-token lifetime"
    if kind == CONSUMER_REPLACED:
        return (
            f"{show(values[0])} removed and {show(subject)} added: if this renames the "
            "consumer, Cognito replaces its app client. Deliver the new client id and secret "
            f"(stack outputs client_ids and client_secrets, key {show(subject)}) through a "
            "secret store before this deploys: the old client is deleted in the same update, "
            f"so token requests fail until the consumer switches; tokens it holds work {until}. "
            "Without an outage: add the new consumer first, remove the old one in a later "
            "change."
        )
    if kind == IDENTIFIER_CHANGED:
        return (
            f"the resource-server identifier changes from {show(values[0])} to "
            f"{show(values[1])}, and with it every full scope string: cached tokens are "
            f"rejected (401) until they expire, {until}, and consumers that request full scope "
            "strings must request the new ones. To avoid it, keep the identifier (set "
            "resourceServerIdentifier to the current value before renaming the stage); to "
            "change it on purpose, first lower accessTokenValidityMinutes and have consumers "
            "drop a cached token on a 401."
        )
    if kind == SCOPE_GONE:
        renamed = f" (renamed to {' or '.join(show(v) for v in values)}?)" if values else ""
        return (
            f"no operation or consumer uses {show(subject)} any more{renamed}: cached tokens "
            f"that rely on it are rejected (401) until they expire, {until}, and a consumer "
            "that requests it by name gets invalid_scope. Without an outage: add the new "
            "scope beside the old one, grant and map both, deploy, and remove the old one once "
            "consumers have switched and a token lifetime has passed."
        )
    return f"{show(kind)} {show(subject)}: {', '.join(show(v) for v in values)}"
