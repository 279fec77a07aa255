"""A REST API Method's own authorization settings: what they are and what is wrong with them.

Shared by the Method policies (the resource half judges them before the Method exists, the stack
half skips what it flags) and the built-in-scopes advisory.
https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .model.resource_graph import GraphResource, ResourceGraph
from .model.resource_types import INTEGRATION_TYPES, METHOD_CLASSIC, METHOD_NATIVE
from .model.unknown import UNKNOWN
from .props import authorizer_and_scopes
from .reporting import describe

# Exactly as the API spells it: the pack does not guess how API Gateway reads other spellings.
COGNITO = "COGNITO_USER_POOLS"

FIX = (
    "set authorization to COGNITO_USER_POOLS, authorizerId to a Cognito user-pool authorizer "
    "and authorizationScopes to at least one resource-server scope"
)


def _verb(props: Any) -> str:
    http_method = props.get("httpMethod")
    if isinstance(http_method, str):
        return http_method.upper()
    if http_method is UNKNOWN:
        return "<HTTP method unknown until the update>"
    return "<no httpMethod>"


def method_label(resource_type: str, name: str, props: dict[str, Any]) -> str:
    """`Method 'getItem' (GET on resourceId 'a1b2c3')`: a Method seen alone, before it exists.

    Its path is not in its own inputs; stack-level messages and `make report` name it
    (`method_title`).
    """
    resource_id = props.get("resourceId")
    where = (
        "<unknown until the update>"
        if resource_id is UNKNOWN
        else repr(resource_id)
        if resource_id is not None
        else "<none>"
    )
    return f"{describe(resource_type, name)} ({_verb(props)} on resourceId {where})"


def method_title(method: GraphResource, graph: ResourceGraph) -> str:
    """`Method 'getItem' (GET /items/{id})`: how a stack-level message names a Method.

    The path is followed through the stack's Resources (`ResourceGraph.method_path`); when it
    does not resolve, the title says why (another stack, unknown until the update, ...) rather
    than showing a resource id the author never wrote.
    """
    found = graph.method_path(method)
    where = f" {found.path}" if found.path is not None else f" on an unresolved path: {found.why}"
    return f"{describe(method.type, method.name)} ({_verb(method.props)}{where})"


def authorization_of(resource_type: str, props: dict[str, Any]) -> Any:
    # aws-native omits authorizationType for NONE (CloudFormation's default).
    if resource_type == METHOD_NATIVE:
        return props.get("authorizationType", "NONE")
    return props.get("authorization")


def problems_of(resource_type: str, props: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(faults, unknowns) of one Method's own authorization settings.

    An `authorizerId` not known until the update is not among the unknowns: it is an output of
    the authorizer it names, never blank, and which authorizer that is belongs to the stack half.
    """
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
    authorizer_and_scopes(
        props,
        problems,
        pending,
        authorizer="the Cognito user-pool authorizer",
        who_gets_in="any app client of the authorizer's user pool(s)",
    )
    return problems, [p for p in pending if p != "authorizerId"]


def is_options(props: dict[str, Any]) -> bool:
    """An OPTIONS method: what a browser's CORS preflight calls."""
    method = props.get("httpMethod")
    return isinstance(method, str) and method.upper() == "OPTIONS"


def nested_integration_type(props: dict[str, Any]) -> Any:
    """An aws-native Method's own integration type: a string, UNKNOWN, or None (none nested)."""
    integration = props.get("integration")
    if integration is None:
        return None
    if not isinstance(integration, dict):
        return UNKNOWN
    return integration.get("type")


IntegrationState = Literal["mock", "other", "none", "ambiguous", "unknown"]


@dataclass(frozen=True)
class MethodIntegration:
    """The integration attached to one Method, as far as the stack shows it.

    `state`: "mock" or "other" (exactly one integration, `kind` its type), "none", "ambiguous"
    (several integrations for the method: API Gateway keeps the last one put, which is not
    knowable here), or "unknown" (not known until the update). `what` names the integration(s).
    """

    state: IntegrationState
    what: str = ""
    kind: Any = None


# The property naming a Method's (and an Integration's) REST API: classic `restApi`; aws-native
# and the Terraform-bridged resources `restApiId`.
def _api_prop(resource: GraphResource) -> str:
    return "restApi" if resource.type in (METHOD_CLASSIC, INTEGRATION_TYPES[0]) else "restApiId"


def method_integration(method: GraphResource, graph: ResourceGraph) -> MethodIntegration:
    """The integration API Gateway runs for this Method: the ones attached to it, no other.

    aws-native nests one in the Method. A classic or Terraform-bridged Integration is attached
    when its API, resourceId and httpMethod are the Method's (by value, or by dependency while
    unknown); one beside a nested integration replaces it, so two of any kind are ambiguous. A
    MOCK integration elsewhere in the stack says nothing about this method.
    """
    found: list[tuple[str, Any]] = []  # (what, type)
    if method.type == METHOD_NATIVE:
        nested = nested_integration_type(dict(method.props))
        if nested is not None:
            found.append(("its integration", nested))
    maybe: list[GraphResource] = []
    for candidate in graph.resources:
        if candidate.type not in INTEGRATION_TYPES:
            continue
        same = [
            graph.same_value(candidate, _api_prop(candidate), method, _api_prop(method)),
            graph.same_value(candidate, "resourceId", method, "resourceId"),
            graph.same_value(candidate, "httpMethod", method, "httpMethod"),
        ]
        if all(same):
            found.append((describe(candidate.type, candidate.name), candidate.props.get("type")))
        elif False not in same:
            maybe.append(candidate)
    if len(found) > 1:
        return MethodIntegration("ambiguous", " and ".join(what for what, _ in found))
    if maybe:
        names = ", ".join(describe(i.type, i.name) for i in maybe)
        return MethodIntegration(
            "unknown", f"whether {names} is attached to it (REST API, resourceId, httpMethod)"
        )
    if not found:
        return MethodIntegration("none")
    ((what, kind),) = found
    if kind is UNKNOWN:
        return MethodIntegration("unknown", f"the type of {what}")
    # Exactly as the API spells it: a type the pack cannot read as MOCK is not MOCK.
    return MethodIntegration("mock" if kind == "MOCK" else "other", what, kind)
