"""apigateway-cognito-user-flow-reaches-api-scopes: a sign-in client may get the API's scopes.

The API admits a token that carries any one of a method's scopes. An app client allowed the
authorization-code or implicit flow hands such a token to whoever signs in through it, when it
is allowed that scope: the scope then stands for "any user of the pool", not for a machine
caller. Worst when the pool lets anyone sign up. A client-credentials client (a machine with
a secret) is the intended holder of these scopes and stays silent.
https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from ..model.labels import describe
from ..model.operations import COGNITO_BUILTIN_SCOPES
from ..model.resource_graph import GraphResource, ResourceGraph
from ..model.resource_types import (
    HTTP_BODY_TYPES,
    MANAGED_OVERRIDES_TYPE,
    METHOD_TYPES,
    PATH_RESOURCE_TYPES,
    REST_API_TYPES,
    REST_BODY_TYPES,
    ROUTE_TYPES,
    USER_POOL_CLIENT_NATIVE,
    USER_POOL_CLIENT_TYPES,
    USER_POOL_TYPES,
)
from ..model.unknown import UNKNOWN
from ..reporting import Deferred, defer_stack
from ..scope_grants import scope_grants
from ..stack import has_any, stack_graph

NAME = "apigateway-cognito-user-flow-reaches-api-scopes"
# The OAuth flows in which a person signs in (Cognito's `code` and `implicit`); the third,
# `client_credentials`, is a machine with the client secret.
USER_FLOWS: tuple[str, ...] = ("code", "implicit")
MAX_LISTED = 10
# The clients, their pools, and what grants scopes (with what names a Method by its path).
_READ = (
    *USER_POOL_CLIENT_TYPES,
    *USER_POOL_TYPES,
    *METHOD_TYPES,
    *PATH_RESOURCE_TYPES,
    *REST_API_TYPES,
    *ROUTE_TYPES,
    MANAGED_OVERRIDES_TYPE,
    *REST_BODY_TYPES,
    *HTTP_BODY_TYPES,
)
FIX = (
    "do not allow user-facing clients (code or implicit flow) a scope the API requires: give "
    "machine callers a client-credentials client (allowedOauthFlows ['client_credentials']), "
    "or require a scope only such clients are allowed"
)


def _oauth_settings(client: GraphResource) -> tuple[Any, Any]:
    """(allowed flows, allowed scopes), as the client's provider spells them."""
    if client.type == USER_POOL_CLIENT_NATIVE:
        return client.props.get("allowedOAuthFlows"), client.props.get("allowedOAuthScopes")
    return client.props.get("allowedOauthFlows"), client.props.get("allowedOauthScopes")


@dataclass(frozen=True)
class UserClient:
    """An app client in which a person signs in, with its known custom scopes."""

    client: GraphResource
    flows: tuple[str, ...]
    scopes: tuple[str, ...]


def _user_clients(graph: ResourceGraph, pending: list[Deferred]) -> list[UserClient]:
    found: list[UserClient] = []
    for client in graph.resources:
        if client.type not in USER_POOL_CLIENT_TYPES:
            continue
        who = describe(client.type, client.name)
        flows, scopes = _oauth_settings(client)
        if flows is UNKNOWN or (isinstance(flows, list) and UNKNOWN in flows):
            pending.append(Deferred(client.urn, f"the allowed OAuth flows of {who}"))
            continue
        user_flows = tuple(f for f in USER_FLOWS if isinstance(flows, list) and f in flows)
        if not user_flows:
            continue  # client credentials only (or no OAuth): the legitimate holder
        if scopes is UNKNOWN or (isinstance(scopes, list) and UNKNOWN in scopes):
            pending.append(Deferred(client.urn, f"the allowed OAuth scopes of {who}"))
            continue
        custom = tuple(
            s
            for s in (scopes if isinstance(scopes, list) else [])
            if isinstance(s, str) and s not in COGNITO_BUILTIN_SCOPES
        )
        if custom:
            found.append(UserClient(client, user_flows, custom))
    return found


def _self_sign_up(graph: ResourceGraph, client: GraphResource) -> str:
    """A sentence when the client's pool (in this stack) lets anyone create a user; else ''."""
    for pool in graph.referenced(client, "userPoolId", USER_POOL_TYPES):
        config = pool.props.get("adminCreateUserConfig")
        only_admin = config.get("allowAdminCreateUserOnly") if isinstance(config, dict) else None
        if only_admin is not True and only_admin is not UNKNOWN:
            # Cognito's default is false: users may sign themselves up.
            return (
                f" Worse, its {describe(pool.type, pool.name)} allows self sign-up "
                "(adminCreateUserConfig.allowAdminCreateUserOnly is not true), so that is anyone "
                "on the internet."
            )
    return ""


def _listed(methods: list[str]) -> str:
    listed = ", ".join(methods[:MAX_LISTED])
    if len(methods) > MAX_LISTED:
        listed += f" and {len(methods) - MAX_LISTED} more"
    return listed


def _message(graph: ResourceGraph, user: UserClient, reached: list[tuple[str, list[str]]]) -> str:
    """One advisory per client, naming every custom scope it is allowed that a method accepts."""
    flows = " and ".join(repr(f) for f in user.flows)
    plural = "s" if len(reached) > 1 else ""
    scopes = "; ".join(f"{scope!r}, which {_listed(methods)} accept" for scope, methods in reached)
    return (
        f"{describe(user.client.type, user.client.name)} allows the {flows} flow (a person signs "
        f"in) and the custom scope{plural} {scopes}: anyone who can sign in to the user pool "
        f"through this client gets an access token that passes."
        f"{_self_sign_up(graph, user.client)} Fix: {FIX}."
    )


def validate(args: StackValidationArgs, report: ReportViolation) -> None:
    if not has_any(args.resources, USER_POOL_CLIENT_TYPES):
        return
    graph = stack_graph(args.resources, read=_READ)
    pending: list[Deferred] = []
    users = _user_clients(graph, pending)
    if users:
        grants = scope_grants(graph)
        for user in users:
            reached = [
                (scope, grants.methods[scope]) for scope in user.scopes if grants.methods.get(scope)
            ]
            if reached:
                report(_message(graph, user, reached), user.client.urn)
        # A method not known yet may require one of these clients' scopes.
        pending.extend(grants.pending)
    defer_stack(pending)


policy = StackValidationPolicy(
    name=NAME,
    description=(
        "No app client with a sign-in flow (authorization code or implicit) should be allowed "
        "a custom scope that an API method requires."
    ),
    validate=validate,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "Allow the API's scopes only to client-credentials app clients "
        "(`allowed_oauth_flows=['client_credentials']`, `generate_secret=True`); remove them "
        "from clients with the `code` or `implicit` flow, or give those clients a scope of their "
        "own that no machine-only method accepts."
    ),
)
