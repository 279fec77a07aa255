"""The fixture corpus (tests/fixtures/*.yaml, see tests/fixtures/README.md) as wire records."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from offline_engine import COMPUTED, RecordedResource, make_urn, resource

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
        return COMPUTED
    if isinstance(value, Mapping):
        return {k: _markers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_markers(v) for v in value]
    return value


def _encode_body(inputs: dict[str, Any], body_format: str) -> dict[str, Any]:
    body = inputs.get("body")
    if isinstance(body, Mapping) and body_format != "object":
        inputs = dict(inputs)
        inputs["body"] = (
            yaml.safe_dump(dict(body), sort_keys=False)
            if body_format == "yaml"
            else json.dumps(body)
        )
    return inputs


def load_corpus(path: str | Path) -> list[Fixture]:
    """Read a corpus file (see tests/fixtures/README.md) into Fixtures with wire-format records."""
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
