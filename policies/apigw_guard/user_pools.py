"""The Cognito user pools a stack creates, and the pools its authorizers trust.

Shared by the stack advisories: an authorizer that trusts a pool the stack does not create
accepts tokens whoever controls that pool mints, and a user-facing app client's pool decides
who can sign in (self sign-up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .body_reports import body_source
from .model.body_summary import summarize_body
from .model.labels import describe
from .model.operations import ApiKind
from .model.options import JudgeOptions
from .model.pool_refs import issuer_pool_id, pool_id_of_arn
from .model.resource_graph import GraphResource, ResourceGraph
from .model.resource_types import (
    COGNITO_USER_POOLS,
    HTTP_AUTHORIZER_TYPES,
    HTTP_BODY_TYPES,
    JWT,
    REST_AUTHORIZER_TYPES,
    REST_BODY_TYPES,
    USER_POOL_TYPES,
)
from .model.unknown import UNKNOWN
from .reporting import Deferred


def pool_ids(pool: GraphResource) -> set[str]:
    """A stack user pool's known ids: `id`/`userPoolId`, and the pool id in its `arn`."""
    ids = set(ResourceGraph.ids(pool))
    arn = pool.props.get("arn")
    if isinstance(arn, str):
        from_arn = pool_id_of_arn(arn)
        if from_arn:
            ids.add(from_arn)
    return ids


@dataclass(frozen=True)
class StackPools:
    """The stack's user pools: the ids known, and the pools whose ids are not known yet."""

    ids: frozenset[str]
    unknown: tuple[GraphResource, ...]


def stack_pools(graph: ResourceGraph) -> StackPools:
    ids: set[str] = set()
    unknown: list[GraphResource] = []
    for pool in graph.resources:
        if pool.type in USER_POOL_TYPES:
            own = pool_ids(pool)
            ids |= own
            if not own:
                unknown.append(pool)  # created in this run: its id is known at update
    return StackPools(frozenset(ids), tuple(unknown))


@dataclass(frozen=True)
class Trust:
    """One pool an authorizer trusts: who trusts it (and its URN), as what, and the pool id
    (None: malformed)."""

    who: str
    urn: str
    value: str  # a user pool ARN or a JWT issuer, as written
    field: str
    pool_id: str | None


@dataclass
class Trusts:
    """Every pool the stack's authorizers trust, and what is not known until the update."""

    found: list[Trust] = field(default_factory=list)
    pending: list[Deferred] = field(default_factory=list)


def _from_stack_pool(graph: ResourceGraph, resource: GraphResource, prop: str) -> bool:
    """Whether an unknown value of `prop` was computed from a user pool this stack creates.

    Such a value (`pool.arn`, a body built from it) is judged at update, when it is known and
    this stack policy runs again; noting it in preview would only repeat that.
    """
    return bool(graph.dependencies(resource, prop, USER_POOL_TYPES))


def trusted_pools(graph: ResourceGraph) -> Trusts:
    """The user pools trusted by the stack's Cognito authorizers, JWT authorizers and bodies.

    Values that are not user pools (a malformed ARN, a non-Cognito issuer) are left to the
    guarantee policies, which fail closed on them.
    """
    trusts = Trusts()
    for resource in graph.resources:
        who = describe(resource.type, resource.name)
        if resource.type in REST_AUTHORIZER_TYPES:
            _rest_authorizer(graph, resource, who, trusts)
        elif resource.type in HTTP_AUTHORIZER_TYPES:
            _jwt_authorizer(graph, resource, who, trusts)
        elif resource.type in REST_BODY_TYPES or resource.type in HTTP_BODY_TYPES:
            _body(graph, resource, who, trusts)
    return trusts


def _rest_authorizer(graph: ResourceGraph, res: GraphResource, who: str, out: Trusts) -> None:
    kind = res.props.get("type")
    if kind is not UNKNOWN and kind != COGNITO_USER_POOLS:
        return
    arns: Any = res.props.get("providerArns")
    if arns is UNKNOWN or (isinstance(arns, list) and UNKNOWN in arns):
        if not _from_stack_pool(graph, res, "providerArns"):
            out.pending.append(Deferred(res.urn, f"the providerArns of {who}"))
        arns = [a for a in arns if a is not UNKNOWN] if isinstance(arns, list) else []
    if kind is UNKNOWN and arns:
        out.pending.append(Deferred(res.urn, f"the type of {who}"))
        return
    for arn in arns if isinstance(arns, list) else ():
        pool = pool_id_of_arn(arn) if isinstance(arn, str) else None
        if pool:
            out.found.append(Trust(who, res.urn, arn, "providerArns", pool))


def _jwt_authorizer(graph: ResourceGraph, res: GraphResource, who: str, out: Trusts) -> None:
    kind = res.props.get("authorizerType")
    jwt = res.props.get("jwtConfiguration")
    issuer = jwt.get("issuer") if isinstance(jwt, dict) else None
    if kind is UNKNOWN or jwt is UNKNOWN or issuer is UNKNOWN:
        if not _from_stack_pool(graph, res, "jwtConfiguration"):
            out.pending.append(Deferred(res.urn, f"the JWT configuration of {who}"))
        return
    if kind == JWT and isinstance(issuer, str):
        pool = issuer_pool_id(issuer)
        if pool:
            out.found.append(Trust(who, res.urn, issuer, "jwtConfiguration.issuer", pool))


def _body(graph: ResourceGraph, res: GraphResource, who: str, out: Trusts) -> None:
    body = res.props.get("body")
    if body is None:
        return
    api: ApiKind = "rest" if res.type in REST_BODY_TYPES else "http"
    # Any pool: which pools the body trusts is the question here.
    options = JudgeOptions(import_region=res.region)
    summary = summarize_body(body, options, body_source(res.type, res.name), api)
    unknown = (summary.pending,) if summary.pending else summary.trusts_pending
    if unknown and not _from_stack_pool(graph, res, "body"):
        out.pending.extend(Deferred(res.urn, what) for what in unknown)
    field_name = "providerARNs" if api == "rest" else "jwtConfiguration.issuer"
    for trust in summary.trusts:
        who_trusts = f"{who} body: scheme {trust.scheme!r}"
        out.found.append(Trust(who_trusts, res.urn, trust.value, field_name, trust.pool_id))
