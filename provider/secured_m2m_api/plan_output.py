"""The plan as the program exports it (`api_plan`) and the report reads it: one typed shape.

Only the program knows, per operation, which scopes it chose and why (`operationScopes` or
the default rule) and what the backend receives of the caller's token and why; and which of
the spec's operations it dropped (CORS preflights) or whose own `security` it replaced. It
exports exactly that as a stack output, so the report reads it as it reads the token
endpoint, and never opens the spec or parses scope config again.

TypedDicts, not dataclasses: a component's inferred schema can carry them (a Pulumi
component output may be a TypedDict), and the keys are written as the schema spells them
(`scopeSource`), so the stack output, the schema and this code use one spelling. No
`from __future__ import annotations` here: the SDK's schema inference reads these annotations
as types, and cannot resolve them as strings (`list[PlannedOperation]`).
"""

from collections.abc import Mapping
from typing import Any, TypedDict, get_type_hints

from apigw_guard.model.errors import InputError
from secured_m2m_api.backend_tokens import BackendToken

# The stack output's name (next to `invoke_url`, `token_endpoint_url`, ...).
PLAN_OUTPUT = "api_plan"


class BackendPlan(TypedDict):
    """What one operation's backend receives of the caller's token.

    `callerToken` is `withheld`, `forwarded`, `only if mapped` or `not sent`
    (`secured_m2m_api.backend_tokens`); `reason` says why in a few words, e.g.
    `withholdTokenFromHosts: api.partner.example`.
    """

    integration: str
    uri: str
    callerToken: str
    reason: str


class PlannedOperation(TypedDict):
    """One operation of the body as the program builds it.

    `scopes` are the resource server's short scope names (any one suffices); `scopeSource`
    is `operationScopes` or `default rule`.
    """

    method: str
    path: str
    scopes: list[str]
    scopeSource: str
    backend: BackendPlan


class PlanOutput(TypedDict):
    """The `api_plan` stack output.

    `operations` in document order; `droppedPreflights` the CORS preflights taken out
    (`METHOD /path`); `replacedSecurity` the operations whose own `security` the program
    replaced with the Cognito authorizer and the scopes above.
    """

    operations: list[PlannedOperation]
    droppedPreflights: list[str]
    replacedSecurity: list[str]


class PlanOutputError(InputError):
    """An `api_plan` stack output that is not the shape this code writes."""


def backend_plan(token: BackendToken) -> BackendPlan:
    return {
        "integration": token.integration,
        "uri": token.uri,
        "callerToken": token.token,
        "reason": token.reason,
    }


def backend_token(operation: PlannedOperation) -> BackendToken:
    """The operation's backend decision as `secured_m2m_api.backend_tokens` states it."""
    backend = operation["backend"]
    return BackendToken(
        f"{operation['method']} {operation['path']}",
        backend["integration"],
        backend["uri"],
        backend["callerToken"],
        backend["reason"],
    )


def operation_key(operation: PlannedOperation) -> str:
    return f"{operation['method']} {operation['path']}"


def read_plan(value: Any, source: str = PLAN_OUTPUT) -> PlanOutput:
    """`value` checked against `PlanOutput`, or `PlanOutputError` naming the first fault.

    A stack output is data: a project other than this program may export something else
    under the same name, and a half-read plan would show wrong scope sources.
    """
    top = _mapping(value, source, PlanOutput)
    operations = top["operations"]
    if not isinstance(operations, list):
        raise PlanOutputError(f"{source}.operations: expected a list, got {operations!r}")
    for index, operation in enumerate(operations):
        where = f"{source}.operations[{index}]"
        entry = _mapping(operation, where, PlannedOperation)
        _mapping(entry["backend"], f"{where}.backend", BackendPlan)
        _strings(entry["scopes"], f"{where}.scopes")
    for key in ("droppedPreflights", "replacedSecurity"):
        _strings(top[key], f"{source}.{key}")
    plan: PlanOutput = value
    return plan


def _mapping(value: Any, where: str, shape: type) -> Mapping[str, Any]:
    """A mapping with exactly `shape`'s keys, its `str`-annotated ones holding strings."""
    fields = get_type_hints(shape)
    if not isinstance(value, Mapping) or set(value) != set(fields):
        got = sorted(value) if isinstance(value, Mapping) else type(value).__name__
        raise PlanOutputError(f"{where}: expected the keys {sorted(fields)}, got {got}")
    for key, annotation in fields.items():
        if annotation is str and not isinstance(value[key], str):
            raise PlanOutputError(f"{where}.{key}: expected a string, got {value[key]!r}")
    return value


def _strings(value: Any, where: str) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PlanOutputError(f"{where}: expected a list of strings, got {value!r}")
