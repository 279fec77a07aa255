"""The example programs (examples/) against the package's schema: what they use must exist.

Neither example can run here (no Pulumi CLI, no Node.js, no AWS). Each is read as far as its
language allows without its toolchain: the YAML program fully (types, required inputs, every
property and nested field, every `${...}` reference to an output), the TypeScript program by
its tokens (the import, the component's class, the keys of its argument object and of the
consumers in it, and every output it reads). The schema is the golden one, which
`test_schema.py` holds equal to what the provider serves.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.package.conftest import PLUGIN_DIR, ROOT
from tests.package.yaml_program import YamlProgram, check_against_schema

SCHEMA: dict[str, Any] = json.loads((PLUGIN_DIR / "schema.json").read_text(encoding="utf-8"))
EXAMPLES = ROOT / "examples"
PACKAGE_SOURCE = re.compile(r"^github\.com/[\w.-]+/secured-m2m-api/provider@v\d+\.\d+\.\d+$")


def _resource(token: str) -> dict[str, Any]:
    assert token in SCHEMA["resources"], f"{token} is not a resource of the package"
    resource: dict[str, Any] = SCHEMA["resources"][token]
    return resource


def _type(ref: str) -> dict[str, Any]:
    found: dict[str, Any] = SCHEMA["types"][ref.removeprefix("#/types/")]
    return found


def test_the_yaml_program_uses_only_what_the_schema_has() -> None:
    program = YamlProgram.load(EXAMPLES / "two-apis-yaml")
    assert PACKAGE_SOURCE.match(program.document["packages"]["secured-m2m-api"])
    check_against_schema(program, SCHEMA)


def test_the_yaml_program_reads_files_it_ships() -> None:
    program = YamlProgram.load(EXAMPLES / "two-apis-yaml")
    specs = [
        r["properties"]["spec"]
        for r in program.resources.values()
        if "spec" in r.get("properties", {})
    ]
    assert [s["fn::readFile"] for s in specs] == ["./orders.yaml", "./billing.yaml"]
    assert all((program.folder / s["fn::readFile"]).is_file() for s in specs)


# --- TypeScript, read by its tokens -----------------------------------------------------------

TS = (EXAMPLES / "inventory-typescript" / "index.ts").read_text(encoding="utf-8")
_TOKEN = re.compile(
    r"""//[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|[A-Za-z_$][\w$]*|\S"""
)


def _tokens(source: str) -> list[str]:
    return [t for t in _TOKEN.findall(source) if not t.startswith("//")]


def _object_keys(tokens: list[str], start: int) -> tuple[dict[str, int], int]:
    """Keys of the object literal opening at `tokens[start]` ("{"), each with the index of its
    value's first token, and the index after the closing "}"."""
    keys: dict[str, int] = {}
    depth = 0
    i = start
    while True:
        token = tokens[i]
        if token in "{[(":
            depth += 1
        elif token in "}])":
            depth -= 1
            if depth == 0:
                return keys, i + 1
        elif depth == 1 and tokens[i + 1] == ":" and tokens[i - 1] in "{,":
            keys[token.strip("\"'")] = i + 2
        i += 1


def test_the_typescript_program_uses_only_what_the_schema_has() -> None:
    tokens = _tokens(TS)
    # import * as m2m from "@pulumi/secured-m2m-api";
    alias = tokens[tokens.index('"@pulumi/secured-m2m-api"') - 2]
    new = [i for i, t in enumerate(tokens) if t == "new" and tokens[i + 1] == alias]
    assert new, "the program creates no component of the package"
    for i in new:
        component, variable = tokens[i + 3], tokens[i - 2]
        spec = _resource(f"secured-m2m-api:index:{component}")
        # new m2m.SecuredM2MApi("name", { ... })
        assert tokens[i + 4] == "("
        assert tokens[i + 6] == ","
        keys, _ = _object_keys(tokens, i + 7)
        assert set(keys) <= set(spec["inputProperties"]), sorted(keys)
        assert set(spec.get("requiredInputs", ())) <= set(keys)
        consumers = keys.get("consumers")
        if consumers is not None:
            ref = spec["inputProperties"]["consumers"]["items"]["$ref"]
            fields = _type(ref)
            j = consumers + 1
            while tokens[j] == "{":
                entry, j = _object_keys(tokens, j)
                assert set(entry) == set(fields["required"]) <= set(fields["properties"])
                j += 1 if tokens[j] == "," else 0
        read = {
            tokens[k + 2]
            for k, t in enumerate(tokens[:-2])
            if t == variable and tokens[k + 1] == "."
        }
        assert read, "the program reads no output"
        assert read <= set(spec["properties"]), sorted(read)


def test_the_typescript_program_links_the_generated_sdk_and_ships_its_spec() -> None:
    folder = EXAMPLES / "inventory-typescript"
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["@pulumi/secured-m2m-api"] == "file:sdks/secured-m2m-api"
    pulumi_yaml = yaml.safe_load((folder / "Pulumi.yaml").read_text(encoding="utf-8"))
    assert pulumi_yaml["runtime"] == "nodejs"
    assert PACKAGE_SOURCE.match(pulumi_yaml["packages"]["secured-m2m-api"])
    assert 'fs.readFileSync("openapi.yaml", "utf8")' in TS
    assert (folder / "openapi.yaml").is_file()


@pytest.mark.parametrize("source", ["x = 1 // c", "'a:b'"])
def test_the_tokenizer_skips_comments_and_keeps_strings_whole(source: str) -> None:
    assert _tokens(source) in (["x", "=", "1"], ["'a:b'"])


def test_the_package_source_in_the_examples_is_the_one_the_readme_gives() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sources = set(re.findall(r"github\.com/[\w.-]+/secured-m2m-api/provider@v[\d.]+", readme))
    assert sources == {"github.com/your-org/secured-m2m-api/provider@v0.1.0"}
    assert Path(EXAMPLES / "README.md").read_text(encoding="utf-8").count(sources.pop()) == 1
