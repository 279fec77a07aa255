"""The integration API Gateway runs for a REST API Method, as far as the stack shows it.

aws-native nests one in the Method; a classic or Terraform-bridged Integration is a resource of
its own, attached to a Method by REST API, resourceId and httpMethod, and one of those beside a
nested integration replaces it. Read by the CORS exemption, which needs a preflight's one
integration to be a MOCK.
https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .method_authorization import nested_integration_type
from .model.labels import describe
from .model.resource_graph import GraphResource, ResourceGraph
from .model.resource_types import (
    INTEGRATION_CLASSIC,
    INTEGRATION_TYPES,
    METHOD_CLASSIC,
    METHOD_NATIVE,
)
from .model.unknown import UNKNOWN

IntegrationState = Literal["mock", "other", "none", "ambiguous", "unknown"]


@dataclass(frozen=True)
class MethodIntegration:
    """The integration attached to one Method.

    `state`: "mock" or "other" (exactly one integration, `kind` its type), "none", "ambiguous"
    (several integrations for the method: API Gateway keeps the last one put, which is not
    knowable here), or "unknown" (not known until the update). `what` names the integration(s).
    """

    state: IntegrationState
    what: str = ""
    kind: Any = None


def _api_prop(resource: GraphResource) -> str:
    # The property naming a Method's (and an Integration's) REST API: classic `restApi`;
    # aws-native and the Terraform-bridged resources `restApiId`.
    return "restApi" if resource.type in (METHOD_CLASSIC, INTEGRATION_CLASSIC) else "restApiId"


def method_integration(method: GraphResource, graph: ResourceGraph) -> MethodIntegration:
    """The integration API Gateway runs for this Method: the ones attached to it, no other.

    An Integration resource is attached when its API, resourceId and httpMethod are the
    Method's (by value, or by dependency while unknown); two of any kind are ambiguous. A MOCK
    integration elsewhere in the stack says nothing about this method.
    """
    found: list[tuple[str, Any]] = []  # (what, type)
    if method.type == METHOD_NATIVE:
        nested = nested_integration_type(method.props)
        if nested is not None:
            found.append(("its integration", nested))
    maybe: list[GraphResource] = []
    for candidate in graph.of_types(INTEGRATION_TYPES):
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
