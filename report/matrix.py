"""The authorization matrix: for each operation, the scopes that grant it and who holds them.

Built from the resources the program registers, not from its config, so that the report shows
what would be deployed (the body API Gateway imports, the clients Cognito issues tokens to).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from apigw_guard.model.security import (
    UNKNOWN,
    ApiKind,
    JudgeOptions,
    judge_api_body,
)
from apigw_guard.rules import httpapi_body_route_security as http_body_rule
from apigw_guard.rules import restapi_body_operation_security as rest_body_rule
from offline_engine import RecordedResource, inputs_of

# The resource types whose OpenAPI bodies the pack judges, taken from the pack itself so the
# report and the verdicts always cover the same resources.
BODY_KINDS: dict[str, ApiKind] = {
    **dict.fromkeys(rest_body_rule.BODY_TYPES, "rest"),
    **dict.fromkeys(http_body_rule.TYPES, "http"),
}
METHOD_TYPE = "aws:apigateway/method:Method"
PATH_RESOURCE_TYPE = "aws:apigateway/resource:Resource"
CLIENT_TYPE = "aws:cognito/userPoolClient:UserPoolClient"
RESOURCE_SERVER_TYPE = "aws:cognito/resourceServer:ResourceServer"


@dataclass(frozen=True)
class Resource:
    """A registered resource with its inputs decoded to plain Python (UNKNOWN where unknown)."""

    urn: str
    type: str
    name: str
    inputs: Mapping[str, Any]
    # property name -> URNs its value came from; how a Method leads to its path and API.
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)


def from_record(record: RecordedResource) -> Resource:
    return Resource(
        record.urn, record.type, record.name, inputs_of(record, UNKNOWN), record.property_dependencies
    )


@dataclass(frozen=True)
class Consumer:
    name: str
    scopes: tuple[str, ...]
    flows: tuple[str, ...]
    # False during preview, when the scopes come from a resource server that does not exist yet.
    scopes_known: bool = True


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
    identifiers: tuple[str, ...] = ()

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
    # Registration order varies between runs (resources register from several threads), so
    # everything is ordered by name: the same stack always gives the same report.
    resources = sorted(resources, key=lambda r: (r.name, r.type))
    consumers = tuple(
        sorted((_consumer(r) for r in resources if r.type == CLIENT_TYPE), key=lambda c: c.name)
    )
    identifiers = tuple(
        str(r.inputs["identifier"])
        for r in resources
        if r.type == RESOURCE_SERVER_TYPE and isinstance(r.inputs.get("identifier"), str)
    )
    by_urn = {r.urn: r for r in resources}
    rows: list[Row] = []
    for resource in resources:
        if resource.type in BODY_KINDS and "body" in resource.inputs:
            rows.extend(_body_rows(resource, consumers, options))
        elif resource.type == METHOD_TYPE:
            rows.append(_method_row(resource, by_urn, consumers))
    return Matrix(rows=tuple(rows), consumers=consumers, identifiers=identifiers)


def _consumer(resource: Resource) -> Consumer:
    name = resource.inputs.get("name")
    scopes = resource.inputs.get("allowedOauthScopes")
    return Consumer(
        name=name if isinstance(name, str) else resource.name,
        scopes=_strings(scopes),
        flows=_strings(resource.inputs.get("allowedOauthFlows")),
        scopes_known=scopes is not UNKNOWN
        and not (isinstance(scopes, list) and any(v is UNKNOWN for v in scopes)),
    )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _body_rows(
    resource: Resource, consumers: Sequence[Consumer], options: JudgeOptions | None
) -> list[Row]:
    judgement = judge_api_body(
        resource.inputs["body"], options, f"{resource.name} body", BODY_KINDS[resource.type]
    )
    if judgement.pending:
        return [Row(resource.name, "*", "*", "pending", detail=judgement.pending)]
    if judgement.error:
        return [Row(resource.name, "*", "*", "UNPROTECTED", detail=judgement.error)]
    verdicts = judgement.verdicts
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


def _method_row(
    method: Resource, by_urn: Mapping[str, Resource], consumers: Sequence[Consumer]
) -> Row:
    """A method defined as its own resource: protected only by a Cognito authorizer + scopes.

    Whether the authorizer really is a Cognito one is the pack's stack-level check; the matrix
    shows what the method itself asks for.
    """
    inputs = method.inputs
    http_method = str(inputs.get("httpMethod", "?"))
    path = _path_of(method, by_urn)
    scopes = _strings(inputs.get("authorizationScopes"))
    authorization = inputs.get("authorization")
    if authorization is UNKNOWN:
        return Row(method.name, http_method, path, "pending", detail="authorization is unknown")
    if authorization != "COGNITO_USER_POOLS" or not inputs.get("authorizerId") or not scopes:
        return Row(
            method.name,
            http_method,
            path,
            "UNPROTECTED",
            detail=f"Method resource with authorization {authorization!r} and scopes "
            f"{list(scopes)!r}",
        )
    holders = tuple(c.name for c in consumers if set(c.scopes) & set(scopes))
    return Row(method.name, http_method, path, "protected", scopes, holders)


def _path_of(method: Resource, by_urn: Mapping[str, Resource]) -> str:
    """Follow resourceId/parentId property dependencies up to the API root to get the path."""
    parts: list[str] = []
    current, key = method, "resourceId"
    for _ in range(64):  # paths are shallow; the bound only guards against a cycle
        deps = [by_urn[u] for u in current.property_dependencies.get(key, ()) if u in by_urn]
        parent = next((d for d in deps if d.type == PATH_RESOURCE_TYPE), None)
        if parent is None:
            break
        parts.append(str(parent.inputs.get("pathPart", "?")))
        current, key = parent, "parentId"
    if not parts:
        via_root = any(
            by_urn[u].type in BODY_KINDS
            for u in method.property_dependencies.get("resourceId", ())
            if u in by_urn
        )
        return "/" if via_root else f"(resource {method.inputs.get('resourceId')!r})"
    return "/" + "/".join(reversed(parts))
