"""Deciding which OAuth scopes guard which operation.

Scope names here are the resource server's short names (`read`); the full string a token
carries is `<identifier>/<scope_name>`, built only by `scope_identifier`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .document import OPERATION_KEYS, Operation, method_name
from .errors import InputError

# Methods that do not change state; by default they need the read scope, the rest need write.
SAFE_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS"})

KNOWN_METHODS: frozenset[str] = frozenset(method_name(k) for k in OPERATION_KEYS)

_OPERATION_KEY = re.compile(r"^\s*([A-Za-z-]+)\s+(/\S*)\s*$")


class ScopeMappingError(InputError):
    """A scope mapping that would leave an operation unguarded or name something undefined."""


@dataclass(frozen=True)
class DefaultScopes:
    """The scopes an operation gets when the mapping does not list it.

    Defaults to `read` for safe methods (GET, HEAD, OPTIONS) and `write` for the others, the
    convention of the original walkthrough's two scopes.
    """

    safe: str = "read"
    unsafe: str = "write"

    def for_method(self, method: str) -> str:
        return self.safe if method.upper() in SAFE_METHODS else self.unsafe


DEFAULT_SCOPES = DefaultScopes()


def scope_identifier(identifier: str, scope_name: str) -> str:
    """The full scope string a token carries and a method requires: `<identifier>/<scope>`.

    A trailing `/` on the identifier is dropped: the original template's default produced
    `...//read`, which matched nothing.
    """
    return f"{identifier.rstrip('/')}/{scope_name}"


def normalize_operation_key(key: str) -> str:
    """Turn `get /pets` or `GET  /pets` into `GET /pets`; reject anything else."""
    match = _OPERATION_KEY.match(key) if isinstance(key, str) else None
    if not match or match.group(1).upper() not in KNOWN_METHODS:
        raise ScopeMappingError(
            f"operationScopes: {key!r} is not an operation key; expected 'METHOD /path' with "
            f"METHOD one of {', '.join(sorted(KNOWN_METHODS))}, e.g. 'GET /pets'"
        )
    return f"{match.group(1).upper()} {match.group(2)}"


def resolve_operation_scopes(
    operations: Iterable[Operation],
    mapping: Mapping[str, Sequence[str]],
    defined_scopes: Iterable[str],
    defaults: DefaultScopes | None = None,
) -> dict[str, list[str]]:
    """Give every operation its non-empty list of scope names, or explain why that is impossible.

    `mapping` (from stack config) wins; operations it does not list get `defaults` (usually
    `DEFAULT_SCOPES`), or are an error when `defaults` is None, for stacks that want every
    operation listed explicitly. Returns scope names in mapping order, keyed by `METHOD /path`
    in document order.
    """
    ops = list(operations)
    defined = list(dict.fromkeys(defined_scopes))
    defined_text = ", ".join(defined) or "(none)"
    known_keys = {op.key for op in ops}

    normalized: dict[str, list[str]] = {}
    for raw_key, scopes in mapping.items():
        key = normalize_operation_key(raw_key)
        if key not in known_keys:
            raise ScopeMappingError(
                f"operationScopes: {raw_key!r} is not an operation of the OpenAPI document "
                f"(operations: {', '.join(sorted(known_keys)) or '(none)'})"
            )
        if key in normalized:
            raise ScopeMappingError(f"operationScopes: {raw_key!r} is listed twice")
        if isinstance(scopes, str) or not isinstance(scopes, Sequence):
            raise ScopeMappingError(
                f"operationScopes[{raw_key!r}]: expected a list of scope names, got {scopes!r}"
            )
        if not scopes:
            raise ScopeMappingError(
                f"operationScopes[{raw_key!r}]: an empty list leaves the operation without any "
                f"scope; list at least one of: {defined_text}"
            )
        for scope in scopes:
            if scope not in defined:
                raise ScopeMappingError(
                    f"operationScopes[{raw_key!r}]: {scope!r} is not a scope of the resource "
                    f"server (defined: {defined_text})"
                )
        normalized[key] = list(dict.fromkeys(scopes))

    resolved: dict[str, list[str]] = {}
    for op in ops:
        if op.key in normalized:
            resolved[op.key] = normalized[op.key]
            continue
        if defaults is None:
            raise ScopeMappingError(
                f"operationScopes: {op.key!r} has no scope; add it to operationScopes with at "
                f"least one of: {defined_text}"
            )
        default = defaults.for_method(op.method)
        if default not in defined:
            raise ScopeMappingError(
                f"operationScopes: {op.key!r} is not listed and its default scope {default!r} "
                f"is not a scope of the resource server (defined: {defined_text}); list the "
                "operation in operationScopes or define the scope"
            )
        resolved[op.key] = [default]
    return resolved
