"""The authorization matrix: for each operation, the scopes that grant it and who holds them.

Built from the resources the program registers, not from its config, so that the report shows
what would be deployed (the body API Gateway imports, the clients Cognito issues tokens to).
Nothing here decides whether an operation is protected; the report shows what the pack decided,
with the pack's configuration: bodies are read with the pack's `summarize_body` and the body
policies' own reading of their config (`judge_options`), and Method resources by the pack's
diagnostics for them, matched by URN (an Analyze finding carries the analyzed resource's URN, a
stack-level deferral names the URNs it covers: `model.deferral`), never by message text. Where
each body operation's scopes came from and what its backend receives of the caller's token are
the program's decisions, read from its `api_plan` output (`secured_m2m_api.plan_output`); for a body
the program did not plan (another project), what the body itself says of the token
(`secured_m2m_api.backend_tokens.backend_tokens`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from apigw_guard.method_authorization import authorization_of
from apigw_guard.model.body_reading import Unreadable, read_api_body
from apigw_guard.model.body_summary import BodySummary, summarize_body
from apigw_guard.model.deferral import deferred_urns
from apigw_guard.model.operations import ApiKind
from apigw_guard.model.options import JudgeOptions
from apigw_guard.model.resource_graph import GraphResource, ResourceGraph
from apigw_guard.model.resource_types import (
    COGNITO_USER_POOLS,
    HTTP_BODY_TYPES,
    METHOD_TYPES,
    RESOURCE_SERVER_CLASSIC,
    REST_BODY_TYPES,
    USER_POOL_CLIENT_CLASSIC,
)
from apigw_guard.model.unknown import UNKNOWN
from apigw_guard.rules import (
    httpapi_body_route_security,
    method_cognito_authorization,
    restapi_body_operation_security,
)
from offline_engine import RecordedResource, inputs_of, outputs_of
from secured_m2m_api.backend_tokens import BackendToken, backend_tokens
from secured_m2m_api.plan_output import PlannedOperation, PlanOutput, backend_token, operation_key

# The resource types whose OpenAPI bodies the pack judges, from the pack's own list, so the
# report and the verdicts always cover the same resources.
BODY_KINDS: dict[str, ApiKind] = {
    **dict.fromkeys(REST_BODY_TYPES, "rest"),
    **dict.fromkeys(HTTP_BODY_TYPES, "http"),
}
CLIENT_TYPE = USER_POOL_CLIENT_CLASSIC
RESOURCE_SERVER_TYPE = RESOURCE_SERVER_CLASSIC
# Each kind of body is judged by one policy of the pack; its config decides the options.
BODY_POLICIES = {"rest": restapi_body_operation_security, "http": httpapi_body_route_security}
# The pack passes a Method whose own authorization is not Cognito only as an exempted preflight.
EXEMPT_METHOD = (
    "CORS preflight OPTIONS left open by exemptCorsPreflightMock (on "
    f"{method_cognito_authorization.NAME}), its one integration a MOCK"
)


class Finding(Protocol):
    """A policy diagnostic as the offline engine returns it."""

    @property
    def policy_name(self) -> str: ...
    @property
    def enforcement_level(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def urn(self) -> str: ...


@dataclass(frozen=True)
class Resource:
    """A registered resource: its inputs as plain Python (UNKNOWN where unknown) and its node
    in the stack's graph (outputs, which carry the ids a Method's path is found by)."""

    urn: str
    type: str
    name: str
    inputs: Mapping[str, Any]
    node: GraphResource


def from_record(record: RecordedResource) -> Resource:
    node = GraphResource(
        record.urn,
        record.type,
        record.name,
        outputs_of(record, UNKNOWN),
        record.property_dependencies,
    )
    return Resource(record.urn, record.type, record.name, inputs_of(record, UNKNOWN), node)


@dataclass(frozen=True)
class Consumer:
    name: str
    scopes: tuple[str, ...]
    flows: tuple[str, ...]
    # False during preview, when the scopes come from a resource server that does not exist yet.
    scopes_known: bool = True


@dataclass(frozen=True)
class Row:
    """One operation. `status` is protected, UNPROTECTED, pending (unknown at preview) or exempt.

    `scope_source` is the plan's: `operationScopes` when the stack config lists the operation,
    `default rule` when it got the read/write default, and empty when the program did not
    choose its scopes (a Method resource, or a project that is not this program). `backend`
    says what the operation's integration sends its backend in place of (or as) the caller's
    token; None for a Method resource, whose integration is a resource of its own.
    """

    api: str
    method: str
    path: str
    status: str
    scopes: tuple[str, ...] = ()
    consumers: tuple[str, ...] = ()
    detail: str = ""
    scope_source: str = ""
    backend: BackendToken | None = None

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


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


def build_matrix(
    resources: Iterable[Resource],
    findings: Iterable[Finding] = (),
    guarantee: Collection[str] = (),
    plan: PlanOutput | None = None,
    policy_config: Mapping[str, Mapping[str, Any]] | None = None,
) -> Matrix:
    """Judge every OpenAPI body among `resources` and match its scopes against the clients.

    `findings` are the pack's diagnostics for the same resources and `guarantee` the names of
    its mandatory policies: a Method resource's status is what those say about it.
    `plan` is the program's `api_plan` output (None for a project that is not this program):
    each body operation it names gets its scope source and backend decision from it.
    `policy_config` is the pack's configuration (policy name -> properties) the findings were
    made under; bodies are judged with it, as the pack judges them.
    """
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
    graph = ResourceGraph(r.node for r in resources)
    guarantee_findings = [f for f in findings if f.policy_name in guarantee]
    config = policy_config or {}
    options = {
        api: rule.judge_options(config.get(rule.NAME)) for api, rule in BODY_POLICIES.items()
    }
    planned = {operation_key(op): op for op in plan["operations"]} if plan else {}
    rows: list[Row] = []
    for resource in resources:
        if resource.type in BODY_KINDS and "body" in resource.inputs:
            api = BODY_KINDS[resource.type]
            rows.extend(_body_rows(resource, options[api], api, consumers, planned))
        elif resource.type in METHOD_TYPES:
            rows.append(_method_row(resource, graph, guarantee_findings, consumers))
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
    resource: Resource,
    options: JudgeOptions,
    api: ApiKind,
    consumers: Sequence[Consumer],
    planned: Mapping[str, PlannedOperation],
) -> list[Row]:
    source = f"{resource.name} body"
    doc = read_api_body(resource.inputs["body"], source)
    backends: dict[str, BackendToken] = {}
    if isinstance(doc, Unreadable):  # unknown at preview, or unreadable
        summary = BodySummary(error=doc.error, pending=doc.pending)
    else:
        # Read once: the summary takes the parsed document; without the program's plan, the
        # backends come from it too.
        summary = summarize_body(doc, options, source, api)
        if not planned:
            backends = {b.operation: b for b in backend_tokens(doc)}
    if summary.pending:
        return [Row(resource.name, "*", "*", "pending", detail=summary.pending)]
    if summary.error:
        return [Row(resource.name, "*", "*", "UNPROTECTED", detail=summary.error)]
    rows = []
    for op in summary.operations:
        if op.exempt:
            status, detail = "exempt", op.exempt
        elif op.problems:
            status, detail = "UNPROTECTED", "; ".join(op.problems)
        elif op.pending:
            status, detail = "pending", "; ".join(op.pending)
        else:
            status, detail = "protected", ""
        decided = planned.get(op.key)
        rows.append(
            Row(
                resource.name,
                op.method,
                op.path,
                status,
                op.scopes,
                _holders(consumers, op.scopes),
                detail,
                decided["scopeSource"] if decided else "",
                backend_token(decided) if decided else backends.get(op.key),
            )
        )
    if summary.unknown_parts:
        detail = f"{source} has parts not known during preview: {'; '.join(summary.unknown_parts)}"
        rows.append(Row(resource.name, "*", "*", "pending", detail=detail))
    return rows


def _method_row(
    method: Resource,
    graph: ResourceGraph,
    findings: Sequence[Finding],
    consumers: Sequence[Consumer],
) -> Row:
    """A method defined as its own resource, with the status the pack's diagnostics give it.

    A mandatory finding about the method makes it UNPROTECTED; any other finding on it (a
    resource-level deferral carries its URN), or a stack-level deferral naming its URN, makes
    it pending; none, protected, or exempt when its own authorization is not Cognito (the pack
    passes such a method only as an exempted CORS preflight). The scopes shown are the ones
    the method lists.
    """
    http_method = method.inputs.get("httpMethod")
    verb = http_method.upper() if isinstance(http_method, str) else "?"
    where = graph.method_path(method.node)
    path = where.path if where.path is not None else f"(unresolved: {where.why})"
    scopes = _strings(method.inputs.get("authorizationScopes"))
    own = [f for f in findings if f.urn == method.urn]
    deferred = [f for f in findings if not f.urn and method.urn in deferred_urns(f.message)]
    blocking = [f for f in own if f.enforcement_level == "mandatory"]
    if blocking:
        detail = "; ".join(f"[{f.policy_name}] {f.message}" for f in blocking)
        return Row(method.name, verb, path, "UNPROTECTED", scopes, detail=detail)
    if own or deferred:
        detail = "; ".join(f"[{f.policy_name}] {f.message}" for f in own + deferred)
        return Row(method.name, verb, path, "pending", scopes, detail=detail)
    if authorization_of(method.type, method.inputs) != COGNITO_USER_POOLS:
        return Row(method.name, verb, path, "exempt", detail=EXEMPT_METHOD)
    return Row(method.name, verb, path, "protected", scopes, _holders(consumers, scopes))


def _holders(consumers: Sequence[Consumer], scopes: Sequence[str]) -> tuple[str, ...]:
    return tuple(c.name for c in consumers if set(c.scopes) & set(scopes))
