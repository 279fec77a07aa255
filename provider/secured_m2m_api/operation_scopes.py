"""`operationScopes` and the default rule: which OAuth scopes guard which operation.

Program-only (the pack judges bodies, it never decides scopes), so it lives here rather than in
the published pack. Scope names are the resource server's short names (`read`); the full string
a token carries is `<identifier>/<scope_name>`, built only by `scope_identifier`.
The mapping's shape (a map of strings to lists of strings) is checked once, by
`config_values`; this module decides what it means against the OpenAPI document.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from apigw_guard.model.document import OPERATION_KEYS, Operation, method_name
from apigw_guard.model.errors import InputError

# Methods that do not change state; by default they need the read scope, the rest need write.
SAFE_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS"})

KNOWN_METHODS: frozenset[str] = frozenset(method_name(k) for k in OPERATION_KEYS)

_OPERATION_KEY = re.compile(r"^\s*([A-Za-z-]+)\s+(/\S*)\s*$")
# How many operations an error names when it cannot name the one meant.
_SHOWN = 5


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

# Where an operation's scopes came from (`ResolvedScopes.sources`), as the plan and the report
# name it: a deliberate grant in the stack config, or the read/write default.
LISTED = "operationScopes"
DEFAULT_RULE = "default rule"


@dataclass(frozen=True)
class ResolvedScopes:
    """Every operation's scope names (`METHOD /path` to names, document order) and their source.

    `sources` maps the same keys to `LISTED` (the stack's `operationScopes` names the
    operation) or `DEFAULT_RULE`.
    """

    scopes: dict[str, list[str]]
    sources: dict[str, str]


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


def _unknown_operation(
    raw_key: str, key: str, known: Sequence[str], dropped: Collection[str]
) -> str:
    """The message for a mapping key the document does not have: bounded, whatever its size.

    Names the closest operations when some are close, else the first few; never all of them
    (a 1,000-operation spec would make a 50 KB line).
    """
    if key in dropped:
        return (
            f"operationScopes: {raw_key!r} is a CORS preflight (an OPTIONS operation with a MOCK "
            "integration), which the program drops from the API; remove it from operationScopes"
        )
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
    if close:
        hint = f"did you mean {' or '.join(repr(k) for k in close)}?"
    elif known:
        more = f" and {len(known) - _SHOWN} more" if len(known) > _SHOWN else ""
        hint = f"its operations include {', '.join(known[:_SHOWN])}{more}"
    else:
        hint = "it has no operations"
    return (
        f"operationScopes: {raw_key!r} is not an operation of the OpenAPI document "
        f"({len(known)} operation{'' if len(known) == 1 else 's'}); {hint}"
    )


def resolve_operation_scopes(
    operations: Iterable[Operation],
    mapping: Mapping[str, Sequence[str]],
    defined_scopes: Iterable[str],
    defaults: DefaultScopes | None = None,
    *,
    dropped: Collection[str] = (),
) -> ResolvedScopes:
    """Give every operation its non-empty list of scope names, or explain why that is impossible.

    `mapping` (from stack config, already checked for shape) wins; operations it does not list
    get `defaults` (usually `DEFAULT_SCOPES`), or are an error when `defaults` is None, for
    stacks that want every operation listed explicitly. `dropped` names the operations the
    program took out of the document (CORS preflights), so a mapping that names one is told
    why. Returns scope names in mapping order, keyed by `METHOD /path` in document order, with
    where each operation's came from.
    """
    ops = list(operations)
    defined = list(dict.fromkeys(defined_scopes))
    defined_text = ", ".join(defined) or "(none)"
    known = [op.key for op in ops]
    known_keys = set(known)

    normalized: dict[str, list[str]] = {}
    for raw_key, scopes in mapping.items():
        key = normalize_operation_key(raw_key)
        if key not in known_keys:
            raise ScopeMappingError(_unknown_operation(raw_key, key, known, dropped))
        if key in normalized:
            raise ScopeMappingError(f"operationScopes: {raw_key!r} is listed twice")
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
    sources: dict[str, str] = {}
    for op in ops:
        if op.key in normalized:
            resolved[op.key] = normalized[op.key]
            sources[op.key] = LISTED
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
        sources[op.key] = DEFAULT_RULE
    return ResolvedScopes(resolved, sources)
