"""What the mock monitor records of each resource, in the wire format the engine would see."""

from __future__ import annotations

from dataclasses import dataclass, field

from google.protobuf import struct_pb2

from .urns import AliasSpec


@dataclass
class RecordedResource:
    """One `RegisterResource` call, kept as protobuf Structs so nothing is lost in translation.

    `inputs` is the request's `object` exactly as the program serialized it (unknown values
    and secrets keep their wire-format sentinels); `outputs` is what the mocks answered, merged
    over the inputs, the way the engine would report state to `AnalyzeStack`.
    """

    urn: str
    type: str
    name: str
    custom: bool
    inputs: struct_pb2.Struct
    outputs: struct_pb2.Struct
    id: str = ""
    parent: str = ""
    provider: str = ""
    dependencies: list[str] = field(default_factory=list)
    # property name -> URNs that property's value came from (the engine's propertyDependencies).
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    # The `retain_on_delete` resource option: `pulumi destroy` forgets the resource, AWS keeps it.
    retain_on_delete: bool = False
    # The aliases it was registered with (parents as URNs), as the engine receives them.
    aliases: tuple[AliasSpec, ...] = ()
    # With a previous state played (`RecordingMonitor(previous=...)`): the old URN it took over.
    previous_urn: str | None = None
    # Read (`X.get`), not managed: the engine keeps it in state as external, with no inputs.
    external: bool = False
