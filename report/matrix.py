"""The authorization matrix: for each operation, the scopes that grant it and who holds them.

Built from the resources the program registers, not from its config, so that the report shows
what would be deployed (the body API Gateway imports, the clients Cognito issues tokens to).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from policies.apigw_guard.model.document import SpecError, parse_spec_text, validate_document
from policies.apigw_guard.model.security import UNKNOWN, JudgeOptions, judge_document

BODY_TYPES = ("aws:apigateway/restApi:RestApi", "aws:apigateway/restApiPut:RestApiPut")
CLIENT_TYPE = "aws:cognito/userPoolClient:UserPoolClient"
RESOURCE_SERVER_TYPE = "aws:cognito/resourceServer:ResourceServer"


@dataclass(frozen=True)
class Resource:
    """A registered resource with its inputs decoded to plain Python (UNKNOWN where unknown)."""

    urn: str
    type: str
    name: str
    inputs: Mapping[str, Any]


@dataclass(frozen=True)
class Consumer:
    name: str
    scopes: tuple[str, ...]
    flows: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """One operation. `status` is protected, UNPROTECTED, pending (unknown at preview) or exempt."""

    api: str
    method: str
    path: str
    status: str
    scopes: tuple[str, ...] = ()
    consumers: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class Matrix:
    rows: tuple[Row, ...]
    consumers: tuple[Consumer, ...]
    # Resource-server identifiers, so full scope strings can be shown by their short names.
    identifiers: tuple[str, ...] = field(default=())

    def operations_for(self, consumer: str) -> tuple[str, ...]:
        return tuple(f"{r.method} {r.path}" for r in self.rows if consumer in r.consumers)

    def short_scope(self, scope: str) -> str:
        for identifier in self.identifiers:
            prefix = identifier.rstrip("/") + "/"
            if scope.startswith(prefix):
                return scope[len(prefix) :]
        return scope


def build_matrix(resources: Iterable[Resource], options: JudgeOptions | None = None) -> Matrix:
    """Judge every OpenAPI body among `resources` and match its scopes against the clients."""
    resources = list(resources)
    consumers = tuple(_consumer(r) for r in resources if r.type == CLIENT_TYPE)
    identifiers = tuple(
        str(r.inputs["identifier"])
        for r in resources
        if r.type == RESOURCE_SERVER_TYPE and isinstance(r.inputs.get("identifier"), str)
    )
    rows: list[Row] = []
    for resource in resources:
        if resource.type in BODY_TYPES and "body" in resource.inputs:
            rows.extend(_body_rows(resource, consumers, options))
    return Matrix(rows=tuple(rows), consumers=consumers, identifiers=identifiers)


def _consumer(resource: Resource) -> Consumer:
    name = resource.inputs.get("name")
    return Consumer(
        name=name if isinstance(name, str) else resource.name,
        scopes=_strings(resource.inputs.get("allowedOauthScopes")),
        flows=_strings(resource.inputs.get("allowedOauthFlows")),
    )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _body_rows(
    resource: Resource, consumers: Sequence[Consumer], options: JudgeOptions | None
) -> list[Row]:
    body = resource.inputs["body"]
    if body is UNKNOWN:
        return [Row(resource.name, "*", "*", "pending", detail="body is unknown until the update")]
    try:
        doc = (
            parse_spec_text(body, resource.name)
            if isinstance(body, str)
            else validate_document(json.loads(json.dumps(body)), resource.name)
        )
        verdicts = judge_document(doc, options)
    except (SpecError, TypeError, ValueError) as err:
        return [Row(resource.name, "*", "*", "UNPROTECTED", detail=f"unreadable body: {err}")]
    rows = []
    for verdict in verdicts:
        op = verdict.operation
        scopes = verdict.granting_scopes
        if verdict.exempt:
            status, detail = "exempt", verdict.exempt
        elif verdict.problems:
            status, detail = "UNPROTECTED", "; ".join(verdict.problems)
        elif verdict.pending:
            status, detail = "pending", "; ".join(verdict.pending)
        else:
            status, detail = "protected", ""
        holders = tuple(c.name for c in consumers if set(c.scopes) & set(scopes))
        rows.append(Row(resource.name, op.method, op.path, status, scopes, holders, detail))
    return rows
