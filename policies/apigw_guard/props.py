"""Reading pulumi-policy's proxied properties as plain Python, unknowns as model.UNKNOWN."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
)

from .model.unknown import UNKNOWN

_UNKNOWN_SENTINELS = frozenset(
    {
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_STRING_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_ARCHIVE_VALUE,
        UNKNOWN_OBJECT_VALUE,
    }
)


def plain(value: Any) -> Any:
    """Copy a pulumi-policy property value into plain Python without tripping on unknowns.

    The SDK's proxy raises UnknownValueError on any access to an unknown value (even `in` and
    `.get`); this reads the proxy's target instead and turns every unknown sentinel into
    model.UNKNOWN, so the checks can report what is known and defer the rest.
    """
    if isinstance(value, str):
        return UNKNOWN if value in _UNKNOWN_SENTINELS else value
    if isinstance(value, Mapping):
        target = _target(value)
        return {k: plain(v) for k, v in target.items()}
    if isinstance(value, (list, tuple)) or _is_list_proxy(value):
        target = _target(value)
        return [plain(v) for v in target]
    return value


def _target(value: Any) -> Any:
    try:
        return value["__target"]
    except (KeyError, TypeError, IndexError):
        return value


def _is_list_proxy(value: Any) -> bool:
    return type(value).__name__ == "_ListProxy"


def props_of(props: Any) -> dict[str, Any]:
    """A resource's properties as a plain dict (empty if they are not a mapping)."""
    value = plain(props)
    return value if isinstance(value, dict) else {}


def blank_entries(value: list[Any]) -> list[Any]:
    """The known entries of a list that are not non-blank strings."""
    return [s for s in value if s is not UNKNOWN and not (isinstance(s, str) and s.strip())]


def authorizer_and_scopes(
    props: Mapping[str, Any],
    problems: list[str],
    pending: list[str],
    *,
    authorizer: str,
    who_gets_in: str,
) -> tuple[list[str], list[str]]:
    """Add the faults and unknowns of `authorizerId` and `authorizationScopes`, which a Method
    and a Route share word for word but for who the authorizer is and whose tokens it takes."""
    authorizer_id = props.get("authorizerId")
    if authorizer_id is UNKNOWN:
        pending.append("authorizerId")
    elif not isinstance(authorizer_id, str) or not authorizer_id.strip():
        problems.append(f"authorizerId is missing; it must name {authorizer}")
    scopes = props.get("authorizationScopes")
    if scopes is UNKNOWN or (isinstance(scopes, list) and UNKNOWN in scopes):
        pending.append("authorizationScopes")
    elif not isinstance(scopes, list) or not scopes:
        problems.append(
            "authorizationScopes is empty, so no scope is required: ID tokens and access tokens "
            f"of {who_gets_in} get in"
        )
    elif blank_entries(scopes):
        problems.append(f"authorizationScopes has blank entries: {scopes!r}")
    return problems, pending
