"""Which scopes let a token into which methods of the stack: Methods, Routes and bodies.

A Cognito or JWT authorizer lets a token in when it carries any one of the method's scopes, so
every granting scope of a method is a key to it. Used by the advisory on user-facing app
clients that may be given such a key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .method_settings import COGNITO, authorization_of
from .model.operations import ApiKind
from .model.resource_graph import GraphResource, ResourceGraph
from .model.resource_types import (
    HTTP_BODY_TYPES,
    MANAGED_OVERRIDES_TYPE,
    METHOD_TYPES,
    REST_BODY_TYPES,
    ROUTE_TYPES,
)
from .model.unknown import UNKNOWN
from .reporting import describe
from .route_settings import override_label, override_route
from .stack_bodies import body_summary


@dataclass
class ScopeGrants:
    """scope -> the methods it lets in (`GET /pets (Method 'getPets')`), in stack order."""

    methods: dict[str, list[str]] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)

    def add(self, label: str, scopes: Any) -> None:
        for scope in scopes:
            if isinstance(scope, str):
                self.methods.setdefault(scope, []).append(label)


def _method_label(method: GraphResource, graph: ResourceGraph) -> str:
    verb = method.props.get("httpMethod")
    verb_text = verb.upper() if isinstance(verb, str) else "<HTTP method unknown>"
    found = graph.method_path(method)
    where = found.path if found.path is not None else "<path unresolved>"
    return f"{verb_text} {where} ({describe(method.type, method.name)})"


def _route_label(route: GraphResource, key: Any) -> str:
    key_text = key if isinstance(key, str) else "<route key unknown>"
    return f"{key_text} ({describe(route.type, route.name)})"


def _scopes(value: Any) -> list[Any] | None:
    """A known scope list; None while it (or an entry) is unknown."""
    if value is UNKNOWN or (isinstance(value, list) and UNKNOWN in value):
        return None
    return value if isinstance(value, list) else []


def scope_grants(graph: ResourceGraph) -> ScopeGrants:
    """Every method's granting scopes; what is unknown until the update is `pending`."""
    grants = ScopeGrants()
    for res in graph.resources:
        if res.type in METHOD_TYPES:
            auth = authorization_of(res.type, dict(res.props))
            if auth is not UNKNOWN and auth != COGNITO:
                continue  # scopes only count on a Cognito method
            label = _method_label(res, graph)
            scopes = _scopes(res.props.get("authorizationScopes"))
            if auth is UNKNOWN or scopes is None:
                grants.pending.append(f"the authorization of {label}")
                continue
            grants.add(label, scopes)
        elif res.type in ROUTE_TYPES or res.type == MANAGED_OVERRIDES_TYPE:
            route = res if res.type in ROUTE_TYPES else override_route(res)
            if route is None:
                continue
            auth = route.props.get("authorizationType", "NONE")
            if auth is not UNKNOWN and auth != "JWT":
                continue
            if res.type in ROUTE_TYPES:
                label = _route_label(res, route.props.get("routeKey"))
            else:
                label = override_label(res.name)
            scopes = _scopes(route.props.get("authorizationScopes"))
            if auth is UNKNOWN or scopes is None:
                grants.pending.append(f"the authorization of {label}")
                continue
            grants.add(label, scopes)
        elif res.type in REST_BODY_TYPES or res.type in HTTP_BODY_TYPES:
            api: ApiKind = "rest" if res.type in REST_BODY_TYPES else "http"
            who = describe(res.type, res.name)
            summary = body_summary(res.props.get("body"), f"{who} body", api, res.region)
            if summary is None:
                continue
            grants.pending.extend(summary.grants_pending)
            for key, granting in summary.grants:
                grants.add(f"{key} ({who} body)", granting)
    return grants
