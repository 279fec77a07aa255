"""A REST API Method's own authorization settings: what they are and what is wrong with them.

Shared by the Method policies and the built-in-scopes advisory.
https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .model.resource_graph import GraphResource, ResourceGraph
from .model.resource_types import INTEGRATION_TYPE, METHOD_NATIVE
from .model.unknown import UNKNOWN
from .props import authorizer_and_scopes
from .reporting import describe

# Exactly as the API spells it: the pack does not guess how API Gateway reads other spellings.
COGNITO = "COGNITO_USER_POOLS"

FIX = (
    "set authorization to COGNITO_USER_POOLS, authorizerId to a Cognito user-pool authorizer "
    "and authorizationScopes to at least one resource-server scope"
)


def method_label(props: dict[str, Any]) -> str:
    """`POST on resource abc123`: all a resource policy can say, seeing one Method alone.

    Stack policies use `method_title`, which names the path.
    """
    method = props.get("httpMethod")
    method_text = method.upper() if isinstance(method, str) else "<method unknown>"
    resource_id = props.get("resourceId")
    where = "<unknown>" if resource_id is UNKNOWN else repr(resource_id)
    return f"{method_text} on resource {where}"


def method_title(method: GraphResource, graph: ResourceGraph) -> str:
    """`Method 'getItem' (GET /items/{id})`: how a message names a Method.

    The path is followed through the stack's Resources (`ResourceGraph.method_path`); when it
    does not resolve, the title says why (another stack, unknown until the update, ...) rather
    than showing a resource id the author never wrote.
    """
    http_method = method.props.get("httpMethod")
    if isinstance(http_method, str):
        verb = http_method.upper()
    elif http_method is UNKNOWN:
        verb = "<HTTP method unknown until the update>"
    else:
        verb = "<no httpMethod>"
    found = graph.method_path(method)
    where = f" {found.path}" if found.path is not None else f" on an unresolved path: {found.why}"
    return f"{describe(method.type, method.name)} ({verb}{where})"


def authorization_of(resource_type: str, props: dict[str, Any]) -> Any:
    # aws-native omits authorizationType for NONE (CloudFormation's default).
    if resource_type == METHOD_NATIVE:
        return props.get("authorizationType", "NONE")
    return props.get("authorization")


def is_mock_options(resource_type: str, props: dict[str, Any]) -> bool | None:
    """Whether a Method is an OPTIONS method with a MOCK integration; None if not visible here.

    Seen from the Method alone; `method_integration` finds a classic Method's Integration.
    """
    method = props.get("httpMethod")
    if not isinstance(method, str) or method.upper() != "OPTIONS":
        return False
    if resource_type == METHOD_NATIVE:
        integration = props.get("integration")
        return isinstance(integration, dict) and str(integration.get("type", "")).upper() == "MOCK"
    return None  # classic: the Integration is a separate resource, checked at stack level


def problems_of(resource_type: str, props: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(faults, unknowns) of one Method's own authorization settings."""
    problems: list[str] = []
    pending: list[str] = []
    auth = authorization_of(resource_type, props)
    field = "authorizationType" if resource_type == METHOD_NATIVE else "authorization"
    if auth is UNKNOWN:
        pending.append(f"{field}")
    elif auth != COGNITO:
        extra = (
            " (an API key identifies callers but authorizes nobody)"
            if props.get("apiKeyRequired") is True
            else ""
        )
        problems.append(f"{field} is {auth!r}, not 'COGNITO_USER_POOLS'{extra}")
        return problems, pending  # the rest is moot without a Cognito authorizer
    return authorizer_and_scopes(
        props,
        problems,
        pending,
        authorizer="the Cognito user-pool authorizer",
        who_gets_in="any app client of the authorizer's user pool(s)",
    )


IntegrationState = Literal["mock", "other", "none", "ambiguous", "unknown"]


@dataclass(frozen=True)
class MethodIntegration:
    """The integration attached to one Method, as far as the stack shows it.

    `state`: "mock" or "other" (exactly one integration, `kind` its type), "none", "ambiguous"
    (several Integrations name the method; API Gateway keeps one, which is not knowable here),
    or "unknown" (not known until the update). `what` names the integration(s) for a message.
    """

    state: IntegrationState
    what: str = ""
    kind: Any = None


def method_integration(method: GraphResource, graph: ResourceGraph) -> MethodIntegration:
    """The integration API Gateway runs for this Method: the one attached to it, no other.

    aws-native nests it in the Method. A classic Integration is attached when its restApi,
    resourceId and httpMethod are the Method's (by value, or by dependency while unknown); a
    MOCK integration elsewhere in the stack says nothing about this method.
    """
    if method.type == METHOD_NATIVE:
        integration = method.props.get("integration")
        if integration is None:
            return MethodIntegration("none")
        if integration is UNKNOWN or not isinstance(integration, dict):
            return MethodIntegration("unknown", "its integration")
        return _of_kind(integration.get("type"), "its integration")
    attached: list[GraphResource] = []
    maybe: list[GraphResource] = []
    for candidate in graph.resources:
        if candidate.type != INTEGRATION_TYPE:
            continue
        same = [
            graph.same_value(candidate, prop, method, prop)
            for prop in ("restApi", "resourceId", "httpMethod")
        ]
        if all(same):
            attached.append(candidate)
        elif False not in same:
            maybe.append(candidate)
    if len(attached) > 1:
        names = " and ".join(describe(i.type, i.name) for i in attached)
        return MethodIntegration("ambiguous", names)
    if maybe:
        names = ", ".join(describe(i.type, i.name) for i in maybe)
        return MethodIntegration(
            "unknown", f"whether {names} is attached to it (restApi, resourceId, httpMethod)"
        )
    if not attached:
        return MethodIntegration("none")
    (integration,) = attached
    return _of_kind(integration.props.get("type"), describe(integration.type, integration.name))


def _of_kind(kind: Any, what: str) -> MethodIntegration:
    if kind is UNKNOWN:
        return MethodIntegration("unknown", f"the type of {what}")
    # Exactly as the API spells it: a type the pack cannot read as MOCK is not MOCK.
    return MethodIntegration("mock" if kind == "MOCK" else "other", what, kind)


def is_options(props: dict[str, Any]) -> bool:
    """An OPTIONS method: what a browser's CORS preflight calls."""
    method = props.get("httpMethod")
    return isinstance(method, str) and method.upper() == "OPTIONS"
