"""A Pulumi YAML program read as the Pulumi YAML engine reads what the examples use.

Enough of the language to check a program against a schema and to replay it over `Construct`:
`resources` with `type` and `properties`, `config`, `outputs`, `fn::readFile`, and
`${name.property...}` references (`.key` and `["key"]` access). Anything else in a value is a
test failure, so an example cannot silently use what this reader does not understand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from offline_engine.component_provider import ConstructResult, ProviderProcess
from offline_engine.resource_monitor import ResourceMonitor
from offline_engine.wire import OutputValue, unmarked

# A whole-value reference: `${orders.scopeIdentifiers["read"]}`.
REFERENCE = re.compile(r"^\$\{([A-Za-z_][\w-]*)((?:\.[A-Za-z_]\w*|\[\"[^\"]+\"\])*)\}$")


@dataclass(frozen=True)
class Reference:
    """`${resource.property...}`: the resource (or config key) and the access path after it."""

    resource: str
    path: tuple[str, ...]


def parse_reference(text: str) -> Reference | None:
    match = REFERENCE.match(text)
    if match is None:
        if "${" in text:
            raise ValueError(f"interpolation inside a string is not read here: {text!r}")
        return None
    parts = re.findall(r"\.([A-Za-z_]\w*)|\[\"([^\"]+)\"\]", match.group(2))
    return Reference(match.group(1), tuple(a or b for a, b in parts))


@dataclass(frozen=True)
class YamlProgram:
    folder: Path
    document: dict[str, Any]

    @classmethod
    def load(cls, folder: Path) -> YamlProgram:
        document = yaml.safe_load((folder / "Pulumi.yaml").read_text(encoding="utf-8"))
        assert document["runtime"] == "yaml"
        return cls(folder, document)

    @property
    def resources(self) -> dict[str, Any]:
        resources: dict[str, Any] = self.document["resources"]
        return resources

    def references(self, value: Any) -> Iterator[Reference]:
        """Every reference inside a value, anywhere in it."""
        if isinstance(value, str):
            ref = parse_reference(value)
            if ref is not None:
                yield ref
        elif isinstance(value, dict):
            for item in value.values():
                yield from self.references(item)
        elif isinstance(value, list):
            for item in value:
                yield from self.references(item)

    def evaluate(self, value: Any, resolve: Callable[[Reference], Any]) -> Any:
        """The value with `fn::readFile` read and each reference replaced by `resolve(ref)`."""
        if isinstance(value, str):
            ref = parse_reference(value)
            return value if ref is None else resolve(ref)
        if isinstance(value, list):
            return [self.evaluate(v, resolve) for v in value]
        if isinstance(value, dict):
            if set(value) == {"fn::readFile"}:
                return (self.folder / value["fn::readFile"]).read_text(encoding="utf-8")
            if any(k.startswith("fn::") for k in value):
                raise ValueError(f"a function this reader does not know: {sorted(value)}")
            return {k: self.evaluate(v, resolve) for k, v in value.items()}
        return value


def check_against_schema(program: YamlProgram, schema: Mapping[str, Any]) -> None:
    """Every resource's type is the package's, with its required inputs and known inputs only
    (objects' fields too), and every `${resource.output}` an output of that resource."""
    config = set(program.document.get("config", {}))
    for name, resource in program.resources.items():
        spec = _resource(schema, resource["type"])
        properties = resource.get("properties", {})
        assert set(spec.get("requiredInputs", ())) <= set(properties), name
        for key, value in properties.items():
            assert key in spec["inputProperties"], f"{name}.{key} is not an input"
            _check_fields(schema, f"{name}.{key}", value, spec["inputProperties"][key])
    values = [r.get("properties", {}) for r in program.resources.values()]
    for ref in program.references([*values, program.document.get("outputs", {})]):
        if ref.resource in config:
            assert not ref.path, ref
            continue
        assert ref.resource in program.resources, f"${{{ref.resource}}} is no resource"
        outputs = _resource(schema, program.resources[ref.resource]["type"])["properties"]
        assert ref.path[0] in outputs, f"{ref.resource} has no output {ref.path[0]}"


def _resource(schema: Mapping[str, Any], token: str) -> dict[str, Any]:
    assert token in schema["resources"], f"{token} is not a resource of the package"
    resource: dict[str, Any] = schema["resources"][token]
    return resource


def _check_fields(schema: Mapping[str, Any], where: str, value: Any, spec: dict[str, Any]) -> None:
    """`value` against one input: the fields of its objects known, the required ones there."""
    ref = spec.get("$ref") or spec.get("items", {}).get("$ref")
    if ref is None or not ref.startswith("#/types/"):
        return
    shape = schema["types"][ref.removeprefix("#/types/")]
    for item in value if spec.get("type") == "array" else [value]:
        assert isinstance(item, dict), f"{where}: expected objects, got {item!r}"
        assert set(item) <= set(shape["properties"]), f"{where}: {sorted(item)}"
        assert set(shape.get("required", ())) <= set(item), f"{where}: missing fields"


@dataclass
class Replay:
    """A program run as the engine runs one of remote components: each resource one
    `Construct`, in file order; an input naming another component's output is sent as an
    output value with that output's value and the URNs it came from (`stateDependencies`)."""

    monitor: ResourceMonitor
    results: dict[str, ConstructResult]

    def output(self, ref: Reference) -> Any:
        value = unmarked(self.results[ref.resource].state[ref.path[0]])
        for key in ref.path[1:]:
            value = value[key]
        return value

    def registered(self, type_: str) -> dict[str, Any]:
        return {r.name: r for r in self.monitor.registrations if r.type == type_}


def replay(
    program: YamlProgram,
    provider: ProviderProcess,
    monitor: ResourceMonitor,
    stack_config: Mapping[str, Any],
    engine_config: Mapping[str, str],
) -> Replay:
    """Run `program` over `provider`: `stack_config` gives its config values, `engine_config`
    what the engine passes every Construct (`aws:region`)."""
    run = Replay(monitor, {})

    def resolve(ref: Reference) -> Any:
        if ref.resource in stack_config:
            return stack_config[ref.resource]
        result = run.results[ref.resource]  # declared before it: file order
        return OutputValue(run.output(ref), dependencies=result.state_dependencies[ref.path[0]])

    for name, resource in program.resources.items():
        inputs = program.evaluate(resource.get("properties", {}), resolve)
        run.results[name] = provider.construct(
            monitor, resource["type"], name, inputs, config=engine_config
        )
    return run
