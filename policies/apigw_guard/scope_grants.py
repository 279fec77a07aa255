"""Which scopes let a token into which methods of the stack: Methods, Routes and bodies.

A Cognito or JWT authorizer lets a token in when it carries any one of the method's scopes, so
every granting scope of a method is a key to it. Used by the advisory on user-facing app
clients that may be given such a key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import method_authorization, route_authorization
from .body_reports import body_source
from .model.body_summary import summarize_body
from .model.labels import body_operation_label, method_title, override_label, route_label
from .model.operations import ApiKind
from .model.options import JudgeOptions
from .model.resource_graph import GraphResource, ResourceGraph
from .model.resource_types import (
    COGNITO_USER_POOLS,
    HTTP_BODY_TYPES,
    JWT,
    MANAGED_OVERRIDES_TYPE,
    METHOD_TYPES,
    REST_BODY_TYPES,
    ROUTE_TYPES,
)
from .model.unknown import UNKNOWN
from .reporting import Deferred


@dataclass
class ScopeGrants:
    """scope -> the methods it lets in (`Method 'getPets' (GET /pets)`), in stack order."""

    methods: dict[str, list[str]] = field(default_factory=dict)
    pending: list[Deferred] = field(default_factory=list)

    def add(self, label: str, scopes: Any) -> None:
        for scope in scopes:
            if isinstance(scope, str):
                self.methods.setdefault(scope, []).append(label)


def _scopes(value: Any) -> list[Any] | None:
    """A known scope list; None while it (or an entry) is unknown."""
    if value is UNKNOWN or (isinstance(value, list) and UNKNOWN in value):
        return None
    return value if isinstance(value, list) else []


def _grant(grants: ScopeGrants, res: GraphResource, label: str, auth: Any, scopes: Any) -> None:
    known = _scopes(scopes)
    if auth is UNKNOWN or known is None:
        grants.pending.append(Deferred(res.urn, f"the authorization of {label}"))
    else:
        grants.add(label, known)


def _method(grants: ScopeGrants, res: GraphResource, graph: ResourceGraph) -> None:
    auth = method_authorization.authorization_of(res.type, res.props)
    if auth is not UNKNOWN and auth != COGNITO_USER_POOLS:
        return  # scopes only count on a Cognito method
    label = method_title(res, graph.method_path(res))
    _grant(grants, res, label, auth, res.props.get("authorizationScopes"))


def _route(grants: ScopeGrants, res: GraphResource) -> None:
    route = res if res.type in ROUTE_TYPES else route_authorization.override_route(res)
    if route is None:
        return
    auth = route_authorization.authorization_of(route.props)
    if auth is not UNKNOWN and auth != JWT:
        return
    if res.type in ROUTE_TYPES:
        label = route_label(res.type, res.name, res.props)
    else:
        label = override_label(res.type, res.name)
    _grant(grants, res, label, auth, route.props.get("authorizationScopes"))


def _body(grants: ScopeGrants, res: GraphResource) -> None:
    body = res.props.get("body")
    if body is None:
        return
    api: ApiKind = "rest" if res.type in REST_BODY_TYPES else "http"
    summary = summarize_body(
        body, JudgeOptions(import_region=res.region), body_source(res.type, res.name), api
    )
    source = body_source(res.type, res.name)
    if summary.pending:
        grants.pending.append(Deferred(res.urn, summary.pending))
    grants.pending.extend(Deferred(res.urn, f"{source}: {p}") for p in summary.unknown_parts)
    for op in summary.operations:
        if op.pending:
            grants.pending.append(Deferred(res.urn, f"{source}: {op.key}"))
        if op.scopes:
            grants.add(body_operation_label(res.type, res.name, op.key), op.scopes)


def scope_grants(graph: ResourceGraph) -> ScopeGrants:
    """Every method's granting scopes; what is unknown until the update is `pending`."""
    grants = ScopeGrants()
    for res in graph.resources:
        if res.type in METHOD_TYPES:
            _method(grants, res, graph)
        elif res.type in ROUTE_TYPES or res.type == MANAGED_OVERRIDES_TYPE:
            _route(grants, res)
        elif res.type in REST_BODY_TYPES or res.type in HTTP_BODY_TYPES:
            _body(grants, res)
    return grants
