"""The stack a stack policy sees, as a plain ResourceGraph: PolicyResources adapted once here."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pulumi_policy import PolicyResource

from .aws_context import import_region
from .model.resource_graph import GraphResource, ResourceGraph
from .props import props_of


def _graph_resource(
    resource: PolicyResource, regions: dict[str, str | None], read: Collection[str] | None
) -> GraphResource:
    # Reading a resource's properties out of the SDK's proxy is most of a large stack's cost:
    # a policy that only names resources of other types leaves theirs unread.
    props = props_of(resource.props) if read is None or resource.resource_type in read else {}
    return GraphResource(
        urn=resource.urn,
        type=resource.resource_type,
        name=resource.name,
        props=props,
        property_dependencies={
            prop: [d.urn for d in deps] for prop, deps in resource.property_dependencies.items()
        },
        region=_region(props, resource.provider, regions),
    )


def _region(props: dict[str, Any], provider: Any, regions: dict[str, str | None]) -> str | None:
    # Every resource of a provider shares its region: read each provider's properties once.
    own = props.get("region")
    if isinstance(own, str) and own:
        return own
    if provider is None:
        return None
    if provider.urn not in regions:
        regions[provider.urn] = import_region({}, provider)
    return regions[provider.urn]


def stack_graph(
    resources: list[PolicyResource],
    read: Collection[str] | None = None,
    *,
    others: bool = True,
) -> ResourceGraph:
    """The stack's resources, indexed by URN and id, with plain properties: all of them, or
    those of the types in `read`; the others are in the graph propertyless, to be named (a
    deferral names where an unknown value comes from), or left out with `others=False`."""
    regions: dict[str, str | None] = {}
    kept = (
        resources if others or read is None else [r for r in resources if r.resource_type in read]
    )
    return ResourceGraph(_graph_resource(r, regions, read) for r in kept)


def has_any(resources: list[PolicyResource], types: Collection[str]) -> bool:
    """Whether the stack holds a resource of `types`: a stack policy with nothing to judge
    returns before building the graph, which is most of its cost on a large stack."""
    return any(r.resource_type in types for r in resources)
