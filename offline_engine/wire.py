"""The engine's wire format, both ways: plain Python <-> protobuf Structs with sentinels.

The one place that knows the sentinels. Fixtures, tests and the mocks describe values as plain
Python; `Computed` and `Secret` markers become the exact sentinels the engine sends during
preview (values not computed yet: the engine's own name for an unknown) and for secrets, and
`decode` turns them back. The sentinel values are pulumi-policy's public constants, the ones the
pack's property proxy checks for. `COMPUTED` is this runner's marker, on the wire side; the
pack's model has its own `UNKNOWN` (`apigw_guard.model.unknown`), which a caller that judges
values with the model passes to `decode`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import rpc
from pulumi_policy import deserialize, proxy

from .records import RecordedResource

SIG_KEY = deserialize.SPECIAL_SIG_KEY
SECRET_SIG = deserialize.SPECIAL_SECRET_SIG
UNKNOWN_STRING = proxy.UNKNOWN_STRING_VALUE
UNKNOWN_ARRAY = proxy.UNKNOWN_ARRAY_VALUE
UNKNOWN_OBJECT = proxy.UNKNOWN_OBJECT_VALUE
UNKNOWN_BOOLEAN = proxy.UNKNOWN_BOOLEAN_VALUE
UNKNOWN_NUMBER = proxy.UNKNOWN_NUMBER_VALUE
# First-class output values and resource references, what a program sends a component's
# `Construct` and a component its children (the SDK's own constants).
OUTPUT_VALUE_SIG: str = rpc._special_output_value_sig
RESOURCE_SIG: str = rpc._special_resource_sig


@dataclass(frozen=True)
class Computed:
    """A value the engine sends as not computed until the update; `kind` picks the sentinel
    (string by default)."""

    kind: str = "string"

    @property
    def sentinel(self) -> str:
        return {
            "string": UNKNOWN_STRING,
            "array": UNKNOWN_ARRAY,
            "object": UNKNOWN_OBJECT,
            "boolean": UNKNOWN_BOOLEAN,
            "number": UNKNOWN_NUMBER,
        }[self.kind]


COMPUTED = Computed()


@dataclass(frozen=True)
class Secret:
    """A secret value; encoded as the engine's secret signature object."""

    value: Any


@dataclass(frozen=True)
class OutputValue:
    """A first-class output value: known or not, secret or not, with the URNs it came from."""

    value: Any = None
    known: bool = True
    secret: bool = False
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResourceRef:
    """A reference to another resource by URN (and id, for a custom resource)."""

    urn: str
    id: Any = None


def encode_value(value: Any) -> Any:
    """Plain Python (with Computed/Secret/OutputValue/ResourceRef markers) -> JSON-compatible
    wire value."""
    if isinstance(value, Computed):
        return value.sentinel
    if isinstance(value, Secret):
        return {SIG_KEY: SECRET_SIG, "value": encode_value(value.value)}
    if isinstance(value, OutputValue):
        out: dict[str, Any] = {SIG_KEY: OUTPUT_VALUE_SIG}
        if value.known:
            out["value"] = encode_value(value.value)
        if value.secret:
            out["secret"] = True
        if value.dependencies:
            out["dependencies"] = list(value.dependencies)
        return out
    if isinstance(value, ResourceRef):
        ref: dict[str, Any] = {SIG_KEY: RESOURCE_SIG, "urn": value.urn}
        if value.id is not None:
            ref["id"] = value.id
        return ref
    if isinstance(value, Mapping):
        return {str(k): encode_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    return value


def to_struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    json_format.ParseDict(encode_value(values), struct)
    return struct


def struct_to_dict(struct: struct_pb2.Struct) -> dict[str, Any]:
    return dict(json_format.MessageToDict(struct))


def make_urn(type_: str, name: str, stack: str = "dev", project: str = "fixtures") -> str:
    return f"urn:pulumi:{stack}::{project}::{type_}::{name}"


def resource(
    type_: str,
    name: str,
    inputs: Mapping[str, Any] | None = None,
    *,
    outputs: Mapping[str, Any] | None = None,
    urn: str | None = None,
    parent: str = "",
    dependencies: Sequence[str] = (),
    property_dependencies: Mapping[str, Sequence[str]] | None = None,
    id: str = "",
    provider: str = "",
) -> RecordedResource:
    """Build a RecordedResource from plain values; outputs default to the inputs.

    `provider` is a provider reference as the engine writes it (`<provider URN>::<id>`).
    """
    inputs = inputs or {}
    return RecordedResource(
        urn=urn or make_urn(type_, name),
        type=type_,
        name=name,
        custom=True,
        inputs=to_struct(inputs),
        outputs=to_struct(outputs if outputs is not None else inputs),
        id=id,
        parent=parent,
        provider=provider,
        dependencies=list(dependencies),
        property_dependencies={k: list(v) for k, v in (property_dependencies or {}).items()},
    )


def decode(value: struct_pb2.Struct | struct_pb2.Value, unknown: object = COMPUTED) -> Any:
    """A wire Struct/Value as plain Python: secrets unwrapped, unknowns replaced by `unknown`.

    `unknown` defaults to this module's marker; a caller that judges the values with the shared
    model passes the model's own `UNKNOWN`, so this runner does not depend on the model.
    """
    return _plain(json_format.MessageToDict(value), unknown)


def decode_marked(value: struct_pb2.Struct | struct_pb2.Value) -> Any:
    """A wire Struct/Value as Python that keeps what the wire marks: `Secret`, `COMPUTED` (an
    unknown), `OutputValue` and `ResourceRef`, so a test sees exactly what was marked."""
    return _marked(json_format.MessageToDict(value))


def secret_paths(value: Any, path: str = "") -> list[str]:
    """Dotted paths of every `Secret` (or secret `OutputValue`) inside a `decode_marked` value."""
    found: list[str] = []
    if isinstance(value, Secret) or (isinstance(value, OutputValue) and value.secret):
        found.append(path or ".")
        found.extend(p for p in secret_paths(value.value, path) if p != (path or "."))
    elif isinstance(value, dict):
        for key, item in value.items():
            found.extend(secret_paths(item, f"{path}.{key}" if path else key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(secret_paths(item, f"{path}[{index}]"))
    return found


def unmarked(value: Any) -> Any:
    """A `decode_marked` value with every marker removed: secrets revealed, unknowns None."""
    if isinstance(value, Secret | OutputValue):
        return unmarked(value.value)
    if isinstance(value, Computed):
        return None
    if isinstance(value, ResourceRef):
        return value.urn
    if isinstance(value, dict):
        return {k: unmarked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unmarked(v) for v in value]
    return value


def inputs_of(record: RecordedResource, unknown: object = COMPUTED) -> dict[str, Any]:
    """A recorded resource's inputs as plain Python (see `decode`)."""
    return dict(decode(record.inputs, unknown))


def outputs_of(record: RecordedResource, unknown: object = COMPUTED) -> dict[str, Any]:
    """A recorded resource's outputs (inputs merged with the answer) as plain Python."""
    return dict(decode(record.outputs, unknown))


def contains_secret(value: struct_pb2.Struct | struct_pb2.Value) -> bool:
    """Whether a wire value is, or contains, a secret."""
    return has_secret(json_format.MessageToDict(value))


def plain_occurrences(
    value: struct_pb2.Struct | struct_pb2.Value, needles: set[str], where: str = ""
) -> list[str]:
    """Paths at which one of `needles` appears in `value` outside a secret wrapper.

    Substrings count too (a secret inside a URL or a JSON blob leaks just the same).
    """
    return _plain_paths(json_format.MessageToDict(value), needles, where)


def is_secret(value: Any) -> bool:
    """Whether a JSON-decoded wire value is a secret wrapper."""
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def has_secret(value: Any) -> bool:
    """Whether a JSON-decoded wire value is, or contains, a secret wrapper."""
    if isinstance(value, dict):
        return is_secret(value) or any(has_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(has_secret(v) for v in value)
    return False


def _marked(value: Any) -> Any:
    if isinstance(value, list):
        return [_marked(v) for v in value]
    if value == UNKNOWN_STRING:
        return COMPUTED
    if not isinstance(value, dict):
        return value
    sig = value.get(SIG_KEY)
    if sig == SECRET_SIG:
        return Secret(_marked(value.get("value")))
    if sig == OUTPUT_VALUE_SIG:
        return OutputValue(
            value=_marked(value["value"]) if "value" in value else None,
            known="value" in value,
            secret=bool(value.get("secret", False)),
            dependencies=tuple(value.get("dependencies", ())),
        )
    if sig == RESOURCE_SIG:
        return ResourceRef(urn=str(value["urn"]), id=value.get("id"))
    return {k: _marked(v) for k, v in value.items()}


def _plain(value: Any, unknown: object) -> Any:
    if isinstance(value, dict):
        if is_secret(value):
            return _plain(value.get("value"), unknown)
        return {k: _plain(v, unknown) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, unknown) for v in value]
    if value == UNKNOWN_STRING:
        return unknown
    return value


def _plain_paths(value: Any, needles: set[str], where: str) -> list[str]:
    if isinstance(value, dict):
        if is_secret(value):
            return []
        return [p for k, v in value.items() for p in _plain_paths(v, needles, f"{where}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _plain_paths(v, needles, f"{where}[{i}]")]
    if isinstance(value, str) and any(n and n in value for n in needles):
        return [where or "."]
    return []
