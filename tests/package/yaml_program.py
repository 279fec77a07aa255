"""A Pulumi YAML program read as the Pulumi YAML engine reads what the examples use.

Enough of the language to check a program against a schema and to replay it over `Construct`:
`resources` with `type` and `properties`, `config`, `outputs`, `fn::readFile`, and
`${name.property...}` references (`.key` and `["key"]` access). Anything else in a value is a
test failure, so an example cannot silently use what this reader does not understand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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
