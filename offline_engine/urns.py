"""URNs and aliases as the Pulumi engine computes them.

The resource monitor, not the SDK, assigns URNs: the SDK sends a registration's type, name,
parent URN and alias specs, and the engine answers with the URN and, looking up the previous
state by that URN and then by each alias, decides whether the resource is new or takes over an
old one. A test that proves "the new URNs with their aliases find today's resources" must do
exactly that. Ported from pulumi/pulumi (v3.259 line, mirror HEAD 1b59498):

- `new_urn`: `pkg/resource/deploy/deployment.go` `generateURN` with
  `sdk/go/common/resource/urn/urn.go` `New`: the parent's *qualified* type is prefixed with
  `$`, except the root stack type, which never appears.
- `create_urn`: `sdk/go/common/resource/alias.go` `CreateURN`: an alias with a parent URN takes
  that URN up to its last `::`, then `$type::name`.
- `AliasResolver`: `pkg/resource/deploy/step_generator.go` `collapseAliasToUrn`,
  `inheritedChildAlias`, `generateAliases` and `getOldResource`, including the map of "new
  URN -> old URN it matched" that children's aliases are derived from, and its refusal of two
  resources claiming one old URN.

`pulumi.runtime.mocks.MockMonitor.make_urn` is not this rule (it keeps `pulumi:pulumi:Stack`
and only the parent's last type), so the offline monitor computes engine URNs with `new_urn`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ROOT_STACK_TYPE = "pulumi:pulumi:Stack"
_PREFIX = "urn:pulumi:"
_DELIM = "::"


class AliasConflictError(ValueError):
    """Two resources claim one URN, as the engine refuses (`GetDuplicateResourceAliasError`)."""


def _parts(urn: str) -> list[str]:
    if not urn.startswith(_PREFIX):
        raise ValueError(f"not a URN: {urn!r}")
    parts = urn[len(_PREFIX) :].split(_DELIM, 3)
    if len(parts) != 4:
        raise ValueError(f"not a URN (needs stack::project::type::name): {urn!r}")
    return parts


def qualified_type(urn: str) -> str:
    """The type part with every parent type, `a$b$c`."""
    return _parts(urn)[2]


def urn_type(urn: str) -> str:
    """The resource's own type (the last `$` segment)."""
    return qualified_type(urn).rsplit("$", 1)[-1]


def urn_name(urn: str) -> str:
    return _parts(urn)[3]


def new_urn(stack: str, project: str, parent_urn: str, type_: str, name: str) -> str:
    """The URN the engine gives a resource registered with this parent, type and name."""
    typ = type_
    if parent_urn:
        parent_type = qualified_type(parent_urn)
        if parent_type != ROOT_STACK_TYPE:
            typ = f"{parent_type}${type_}"
    return f"{_PREFIX}{stack}{_DELIM}{project}{_DELIM}{typ}{_DELIM}{name}"


def create_urn(name: str, type_: str, parent_urn: str, project: str, stack: str) -> str:
    """`resource.CreateURN`: an alias's URN from its parts."""
    if not parent_urn:
        return f"{_PREFIX}{stack}{_DELIM}{project}{_DELIM}{type_}{_DELIM}{name}"
    cut = parent_urn.rfind(_DELIM)
    if cut == -1:
        raise ValueError(f"parent {parent_urn!r} has no '::'")
    return f"{parent_urn[:cut]}${type_}{_DELIM}{name}"


@dataclass(frozen=True)
class AliasSpec:
    """One entry of `RegisterResourceRequest.aliases`: a whole URN, or a spec of parts.

    Empty strings mean "unchanged", exactly as on the wire (`alias_pb2.Alias.Spec`).
    """

    urn: str = ""
    name: str = ""
    type: str = ""
    stack: str = ""
    project: str = ""
    parent_urn: str = ""
    no_parent: bool = False

    @classmethod
    def from_proto(cls, alias: object) -> AliasSpec:
        """From an `alias_pb2.Alias` as the SDK sends it."""
        urn = getattr(alias, "urn", "")
        if urn:
            return cls(urn=urn)
        spec = getattr(alias, "spec")  # noqa: B009 - a protobuf field, named like a builtin
        return cls(
            name=spec.name,
            type=spec.type,
            stack=spec.stack,
            project=spec.project,
            parent_urn=spec.parentUrn,
            no_parent=spec.noParent,
        )

    def describe(self) -> str:
        """The spec as one short text, for tables: `{type=..., name=..., noParent}`."""
        if self.urn:
            return self.urn
        parts = [f"{k}={v}" for k, v in (("type", self.type), ("name", self.name)) if v]
        if self.no_parent:
            parts.append("noParent")
        elif self.parent_urn:
            parts.append(f"parent={self.parent_urn}")
        return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True)
class Registration:
    """What the engine needs of one registration to find its old state."""

    type: str
    name: str
    parent_urn: str
    aliases: tuple[AliasSpec, ...] = ()


@dataclass
class AliasResolver:
    """Replays the engine's step generator for URNs and aliases over one deployment.

    Feed registrations in the order the program makes them (a parent before its children);
    `olds` is the set of URNs in the previous state. `register` returns the new URN and the old
    URN its state is taken from (itself, an alias, or None: a create).
    """

    stack: str
    project: str
    olds: frozenset[str] = frozenset()
    # New URN -> the old URN it matched through an alias (the engine's `sg.aliases`).
    matched_through_alias: dict[str, str] = field(default_factory=dict)
    # Old URN -> the new URN that claimed it through an alias (the engine's `sg.aliased`).
    claimed: dict[str, str] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def collapse(self, name: str, type_: str, parent: str, alias: AliasSpec) -> str:
        """`collapseAliasToUrn`."""
        if alias.urn:
            return alias.urn
        alias_parent = alias.parent_urn
        if not alias_parent:
            alias_parent = parent
        elif alias_parent in self.matched_through_alias:
            # The parent itself matched an alias: that old URN is this resource's old parent.
            alias_parent = self.matched_through_alias[alias_parent]
        if alias.no_parent or (alias_parent and qualified_type(alias_parent) == ROOT_STACK_TYPE):
            alias_parent = ""
        return create_urn(
            alias.name or name,
            alias.type or type_,
            alias_parent,
            alias.project or self.project,
            alias.stack or self.stack,
        )

    def inherited_child_alias(
        self, child_type: str, child_name: str, parent_name: str, parent_alias: str
    ) -> str:
        """`inheritedChildAlias`: a child named `<parent name>-x` follows its parent's rename."""
        alias_name = child_name
        if child_name.startswith(parent_name):
            alias_name = urn_name(parent_alias) + child_name[len(parent_name) :]
        parent_type = qualified_type(parent_alias)
        typ = child_type if parent_type == ROOT_STACK_TYPE else f"{parent_type}${child_type}"
        return f"{_PREFIX}{self.stack}{_DELIM}{self.project}{_DELIM}{typ}{_DELIM}{alias_name}"

    def generate_aliases(self, reg: Registration) -> list[str]:
        """`generateAliases`: the resource's own aliases, then those its parent's alias gives."""
        result: list[str] = []

        def add(urn: str) -> None:
            if urn not in result:
                result.append(urn)

        for alias in reg.aliases:
            add(self.collapse(reg.name, reg.type, reg.parent_urn, alias))
        parent_alias = self.matched_through_alias.get(reg.parent_urn)
        if reg.parent_urn and parent_alias is not None:
            parent_name = urn_name(reg.parent_urn)
            add(self.inherited_child_alias(reg.type, reg.name, parent_name, parent_alias))
            for alias in reg.aliases:
                child_alias = self.collapse(reg.name, reg.type, reg.parent_urn, alias)
                add(
                    self.inherited_child_alias(
                        urn_type(child_alias), urn_name(child_alias), parent_name, parent_alias
                    )
                )
        return result

    def register(self, reg: Registration) -> tuple[str, str | None]:
        """`getOldResource`: the new URN, and the old URN whose state it takes (or None)."""
        urn = new_urn(self.stack, self.project, reg.parent_urn, reg.type, reg.name)
        if urn in self.seen:
            raise AliasConflictError(f"duplicate resource URN {urn!r}")
        if urn in self.claimed:
            raise AliasConflictError(f"{urn} was already claimed by {self.claimed[urn]}")
        self.seen.add(urn)
        for candidate in [urn, *self.generate_aliases(reg)]:
            if candidate not in self.olds:
                continue
            if candidate != urn:
                if candidate in self.seen:
                    raise AliasConflictError(f"{urn} aliases {candidate}, which is registered too")
                if candidate in self.claimed:
                    raise AliasConflictError(
                        f"{urn} and {self.claimed[candidate]} both alias {candidate}"
                    )
                self.claimed[candidate] = urn
                self.matched_through_alias[urn] = candidate
            return urn, candidate
        return urn, None


def match_olds(
    registrations: Iterable[Registration], olds: Sequence[str], *, stack: str, project: str
) -> list[tuple[str, str | None]]:
    """(new URN, old URN it takes over or None) for each registration, in order."""
    resolver = AliasResolver(stack=stack, project=project, olds=frozenset(olds))
    return [resolver.register(reg) for reg in registrations]
