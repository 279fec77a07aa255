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
    unknown_checking_proxy,
)

from .model.unknown import UNKNOWN

# The SDK's proxy classes (pulumi_policy.proxy, private): recognised by class for speed.
_DICT_PROXY = type(unknown_checking_proxy({}))
_LIST_PROXY = type(unknown_checking_proxy({"list": []})["list"])

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
    model.UNKNOWN, so the checks can report what is known and defer the rest. It runs for every
    property of every resource a stack policy reads: exact class checks come first (an ABC
    `isinstance` per leaf value was most of a 4,000-resource stack's cost).
    """
    cls = value.__class__
    if cls is str:
        return UNKNOWN if value in _UNKNOWN_SENTINELS else value
    if cls is bool or cls is int or cls is float or value is None:
        return value
    if cls is _DICT_PROXY:
        return {k: plain(v) for k, v in value["__target"].items()}
    if cls is _LIST_PROXY:
        return [plain(v) for v in value["__target"]]
    if cls is dict:
        return {k: plain(v) for k, v in value.items()}
    if cls is list or cls is tuple:
        return [plain(v) for v in value]
    if isinstance(value, str):
        return UNKNOWN if value in _UNKNOWN_SENTINELS else value
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in _target(value).items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _target(value: Any) -> Any:
    try:
        return value["__target"]
    except (KeyError, TypeError, IndexError):
        return value


def props_of(props: Any) -> dict[str, Any]:
    """A resource's properties as a plain dict (empty if they are not a mapping)."""
    value = plain(props)
    return value if isinstance(value, dict) else {}
