"""Encoding plain Python values in the engine's wire format (protobuf Structs with sentinels).

Fixtures and tests describe resources as plain dicts; `Unknown` and `Secret` markers inside
them become the exact sentinels the engine sends during preview (unknown values) and for secrets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import json_format, struct_pb2

from .records import RecordedResource

# Sentinels from the Pulumi engine's wire format (pulumi/sdk/go/common/resource/plugin/rpc.go),
# the same values pulumi_policy.proxy checks for.
UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"
UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"
UNKNOWN_BOOLEAN = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"
UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421"
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


@dataclass(frozen=True)
class Unknown:
    """A value not known until the update; `kind` picks the sentinel (string by default)."""

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


UNKNOWN = Unknown()


@dataclass(frozen=True)
class Secret:
    """A secret value; encoded as the engine's secret signature object."""

    value: Any


def encode_value(value: Any) -> Any:
    """Plain Python (with Unknown/Secret markers) -> JSON-compatible wire value."""
    if isinstance(value, Unknown):
        return value.sentinel
    if isinstance(value, Secret):
        return {SIG_KEY: SECRET_SIG, "value": encode_value(value.value)}
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
) -> RecordedResource:
    """Build a RecordedResource from plain values; outputs default to the inputs."""
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
        dependencies=list(dependencies),
        property_dependencies={k: list(v) for k, v in (property_dependencies or {}).items()},
    )


# -- fixture corpus (tests/fixtures/*.yaml) ---------------------------------------------------

UNKNOWN_MARKER = "<<unknown>>"


@dataclass(frozen=True)
class Fixture:
    """One corpus entry: the resource under test, the rest of its stack, config and expectation."""

    name: str
    resources: tuple[RecordedResource, ...]  # the resource under test first
    config: Mapping[str, Mapping[str, Any]]
    expect: str | None
    message: tuple[str, ...]

    @property
    def subject(self) -> RecordedResource:
        return self.resources[0]


def _markers(value: Any) -> Any:
    if value == UNKNOWN_MARKER:
        return UNKNOWN
    if isinstance(value, Mapping):
        return {k: _markers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_markers(v) for v in value]
    return value


def _encode_body(inputs: dict[str, Any], body_format: str) -> dict[str, Any]:
    body = inputs.get("body")
    if isinstance(body, Mapping) and body_format != "object":
        import json

        import yaml

        inputs = dict(inputs)
        inputs["body"] = (
            yaml.safe_dump(dict(body), sort_keys=False)
            if body_format == "yaml"
            else json.dumps(body)
        )
    return inputs


def load_corpus(path: str | Path) -> list[Fixture]:
    """Read a corpus file (see tests/fixtures/README.md) into Fixtures with wire-format records."""
    import yaml

    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    fixtures: list[Fixture] = []
    for entry in raw["fixtures"]:
        specs = [
            {
                "type": entry["type"],
                "resource": entry.get("resource", entry["name"]),
                "inputs": entry.get("inputs", {}),
                "body_format": entry.get("body_format", "json"),
                "property_dependencies": entry.get("property_dependencies", {}),
            },
            *entry.get("stack", []),
        ]
        urns = {s["resource"]: make_urn(s["type"], s["resource"]) for s in specs}
        records = []
        for spec in specs:
            inputs = _encode_body(
                _markers(dict(spec.get("inputs", {}))), spec.get("body_format", "json")
            )
            deps = {
                prop: [urns[n] for n in names]
                for prop, names in dict(spec.get("property_dependencies", {})).items()
            }
            records.append(
                resource(
                    spec["type"],
                    spec["resource"],
                    inputs,
                    dependencies=sorted({u for us in deps.values() for u in us}),
                    property_dependencies=deps,
                )
            )
        fixtures.append(
            Fixture(
                name=entry["name"],
                resources=tuple(records),
                config=entry.get("config", {}),
                expect=entry.get("expect"),
                message=tuple(entry.get("message", ())),
            )
        )
    return fixtures
