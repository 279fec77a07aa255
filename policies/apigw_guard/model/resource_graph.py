"""A stack's resources as a graph: find a resource by id, name a REST API Method by its path.

Plain Python over plain values (UNKNOWN where unknown), so the policy pack (from
PolicyResources) and the report (from recorded resources) follow a Method to its path the same
way: `resourceId` -> Resource -> `parentId` ... -> the RestApi's root resource. Property
dependencies are followed first (they say which resource a value came from), else ids.
https://docs.aws.amazon.com/apigateway/latest/api/API_Resource.html
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .labels import describe
from .resource_types import (
    HTTP_AUTHORIZER_TYPES,
    HTTP_BODY_TYPES,
    PATH_RESOURCE_TYPES,
    REST_API_TYPES,
    REST_AUTHORIZER_TYPES,
    USER_POOL_TYPES,
)
from .unknown import UNKNOWN

# Properties that hold a resource's own id besides `id`: aws-native outputs (`resourceId`,
# `authorizerId`), and a RestApi's root resource, which is the parent of top-level Resources.
_OWN_ID_KEYS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(PATH_RESOURCE_TYPES, ("id", "resourceId")),
    **dict.fromkeys(REST_AUTHORIZER_TYPES + HTTP_AUTHORIZER_TYPES, ("id", "authorizerId")),
    **dict.fromkeys(REST_API_TYPES, ("id", "rootResourceId")),
    # aws-native's Api outputs its id as `apiId` (what an override's or a route's apiId names).
    **dict.fromkeys(HTTP_BODY_TYPES, ("id", "apiId")),
    # A user pool's id (what a client's `userPoolId` names); aws-native outputs `userPoolId`.
    **dict.fromkeys(USER_POOL_TYPES, ("id", "userPoolId")),
}
_PATH_PARENTS = PATH_RESOURCE_TYPES + REST_API_TYPES
# Paths are shallow; the bound only guards against a parentId cycle.
_MAX_DEPTH = 64


@dataclass(frozen=True)
class GraphResource:
    """One resource of the stack with plain property values (model UNKNOWN where unknown)."""

    urn: str
    type: str
    name: str
    props: Mapping[str, Any]
    # property name -> URNs of the resources its value came from
    property_dependencies: Mapping[str, Sequence[str]]
    # The region it lives in, when its own `region` or its provider's says (for the AWS
    # variables of a body it imports); None: not known.
    region: str | None = None


@dataclass(frozen=True)
class MethodPath:
    """A Method's path (`/pets/{petId}`) when it resolves; otherwise `why` it does not."""

    path: str | None
    why: str | None


class ResourceGraph:
    """The stack's resources, indexed once by URN and by their own ids."""

    def __init__(self, resources: Iterable[GraphResource]) -> None:
        self.resources: tuple[GraphResource, ...] = tuple(resources)
        self.by_urn: dict[str, GraphResource] = {r.urn: r for r in self.resources}
        self._by_id: dict[str, list[GraphResource]] = {}
        self._by_type: dict[str, list[GraphResource]] = {}
        for resource in self.resources:
            self._by_type.setdefault(resource.type, []).append(resource)
            # Only the types something names by id (authorizers, path parents, APIs, pools):
            # indexing every Method of a large stack by its id would serve no lookup.
            if resource.type in _OWN_ID_KEYS:
                for own_id in self.ids(resource):
                    self._by_id.setdefault(own_id, []).append(resource)

    def of_types(self, types: Collection[str]) -> list[GraphResource]:
        """The resources of `types`, in stack order within each type."""
        return [r for t in dict.fromkeys(types) for r in self._by_type.get(t, ())]

    @staticmethod
    def ids(resource: GraphResource) -> tuple[str, ...]:
        """The resource's own known ids (none for mocks and older states)."""
        keys = _OWN_ID_KEYS.get(resource.type, ("id",))
        values = (resource.props.get(key) for key in keys)
        return tuple(dict.fromkeys(v for v in values if isinstance(v, str) and v))

    def by_id(self, id: str, types: Collection[str]) -> list[GraphResource]:
        """The resources of `types` whose own id is `id`, in stack order (`types` among those
        with an entry in `_OWN_ID_KEYS`: only they are indexed)."""
        return [r for r in self._by_id.get(id, ()) if r.type in types]

    def dependencies(
        self, resource: GraphResource, prop: str, types: Collection[str]
    ) -> list[GraphResource]:
        """The resources of `types` that the value of `prop` came from."""
        found = (self.by_urn.get(u) for u in resource.property_dependencies.get(prop, ()))
        return [r for r in found if r is not None and r.type in types]

    def origins(self, resource: GraphResource, prop: str) -> list[GraphResource]:
        """Every resource of the stack the value of `prop` came from (any type).

        Named in preview messages: an unknown input is easier to act on with its source.
        """
        found = (self.by_urn.get(u) for u in resource.property_dependencies.get(prop, ()))
        return [r for r in found if r is not None]

    def same_value(
        self, a: GraphResource, prop_a: str, b: GraphResource, prop_b: str
    ) -> bool | None:
        """Whether `a.props[prop_a]` and `b.props[prop_b]` are one value; None: not known yet.

        Known values decide (a dependency proves provenance, not equality). While either is
        unknown (preview), they are the same when `a`'s value came from `b` itself or both came
        from one resource; with no such link it cannot be told until the update.
        """
        value_a, value_b = a.props.get(prop_a), b.props.get(prop_b)
        if isinstance(value_a, str) and isinstance(value_b, str):
            return value_a == value_b
        if value_a is None or value_b is None:
            return False  # a missing reference names nothing
        from_a = set(a.property_dependencies.get(prop_a, ()))
        from_b = set(b.property_dependencies.get(prop_b, ()))
        if b.urn in from_a or a.urn in from_b or from_a & from_b:
            return True
        if value_a is UNKNOWN or value_b is UNKNOWN:
            return None
        return bool(value_a == value_b)

    def referenced(
        self, resource: GraphResource, prop: str, types: Collection[str]
    ) -> list[GraphResource]:
        """The resource(s) of `types` that `resource.props[prop]`, an id, names.

        Property dependencies come first, but only those whose own id, when known, is that
        value: a dependency proves the value was computed from the resource, not that it is its
        id (`cognito.id.apply(lambda _: "lambda1")` depends on one authorizer and names
        another). Otherwise, any resource of the stack with that id.
        """
        value = resource.props.get(prop)
        deps = self.dependencies(resource, prop, types)
        if not isinstance(value, str):
            return deps
        matching = [d for d in deps if value in (self.ids(d) or (value,))]
        return matching or self.by_id(value, types)

    def method_path(self, method: GraphResource) -> MethodPath:
        """Follow the Method's `resourceId` up through `parentId`s to the RestApi's root.

        A Resource's own `path` output, when known, gives the rest of the path at once.
        """
        parts: list[str] = []
        current, prop = method, "resourceId"
        seen = {method.urn}
        for _ in range(_MAX_DEPTH):
            parent = self._path_parent(current, prop)
            if isinstance(parent, str):
                return MethodPath(None, parent)
            if parent.type in REST_API_TYPES:
                return MethodPath("/" + "/".join(reversed(parts)), None)
            if parent.urn in seen:
                return MethodPath(
                    None,
                    f"{describe(parent.type, parent.name)} is its own ancestor (parentId cycle)",
                )
            seen.add(parent.urn)
            own_path = parent.props.get("path")
            if isinstance(own_path, str) and own_path.startswith("/"):
                below = "/".join(reversed(parts))
                return MethodPath(f"{own_path.rstrip('/')}/{below}" if below else own_path, None)
            part = parent.props.get("pathPart")
            if part is UNKNOWN:
                who = describe(parent.type, parent.name)
                return MethodPath(None, f"the path part of {who} is unknown until the update")
            if not isinstance(part, str) or not part:
                return MethodPath(None, f"{describe(parent.type, parent.name)} has no pathPart")
            parts.append(part)
            current, prop = parent, "parentId"
        return MethodPath(
            None, f"the path of {describe(method.type, method.name)} is nested too deeply"
        )

    def _path_parent(self, resource: GraphResource, prop: str) -> GraphResource | str:
        """The Resource or RestApi (root) that `prop` names, or why there is none."""
        value = resource.props.get(prop)
        deps = self.dependencies(resource, prop, _PATH_PARENTS)
        found = self.referenced(resource, prop, _PATH_PARENTS)
        # By id, a RestApi is a parent only through its root resource id, never its own id.
        found = [
            r
            for r in found
            if r in deps or r.type not in REST_API_TYPES or r.props.get("rootResourceId") == value
        ]
        if found:
            return found[0]
        if deps:
            return deps[0]  # ids contradict the dependency; the dependency is the better witness
        if value is UNKNOWN:
            who = describe(resource.type, resource.name)
            return f"the {prop} of {who} is unknown until the update"
        return (
            f"{prop} {value!r} is not an API Gateway Resource of this stack (it may belong to "
            "another stack)"
        )
