"""The `authorizerId` and `authorizationScopes` a REST Method and an HTTP API Route share.

Judged word for word alike for both, but for who the authorizer must be and whose tokens it
takes when no scope is required.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model.unknown import UNKNOWN


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
) -> None:
    """Add the faults and unknowns of `authorizerId` and `authorizationScopes` to the lists.

    An `authorizerId` not known until the update is an output of the authorizer it names, never
    blank: which authorizer that is belongs to the stack half, so it is not added to `pending`.
    """
    authorizer_id = props.get("authorizerId")
    if authorizer_id is not UNKNOWN and (
        not isinstance(authorizer_id, str) or not authorizer_id.strip()
    ):
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
