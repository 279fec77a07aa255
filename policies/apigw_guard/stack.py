"""The stack a stack policy sees, as a plain ResourceGraph: PolicyResources adapted once here."""

from __future__ import annotations

from collections.abc import Collection

from pulumi_policy import PolicyResource

from .model.resource_graph import GraphResource, ResourceGraph
from .props import props_of


def _graph_resource(resource: PolicyResource) -> GraphResource:
    return GraphResource(
        urn=resource.urn,
        type=resource.resource_type,
        name=resource.name,
        props=props_of(resource.props),
        property_dependencies={
            prop: [d.urn for d in deps] for prop, deps in resource.property_dependencies.items()
        },
    )


def stack_graph(resources: list[PolicyResource]) -> ResourceGraph:
    """Every resource of the stack with plain properties, indexed by URN and id."""
    return ResourceGraph(_graph_resource(r) for r in resources)


def has_any(resources: list[PolicyResource], types: Collection[str]) -> bool:
    """Whether the stack holds a resource of `types`: a stack policy with nothing to judge
    returns before building the graph, which is most of its cost on a large stack."""
    return any(r.resource_type in types for r in resources)
