"""spec_reader.py: the program reads its spec with the pack's strict reader, once, with libyaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from apigw_guard.model import body_text as document
from apigw_guard.model.body_text import parse_body_text
from apigw_guard.model.document import SpecError
from bench.program_build import pure_python_loader
from secured_m2m_api import spec_reader
from secured_m2m_api.spec_reader import load_spec_file, parse_spec_text


def test_parses_json_and_yaml_alike() -> None:
    doc = {"openapi": "3.0.1", "paths": {"/a": {"get": {}}}}
    assert parse_spec_text(json.dumps(doc), "spec") == doc
    assert parse_spec_text("openapi: 3.0.1\npaths:\n  /a:\n    get: {}\n", "spec") == doc


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("{", "not valid JSON or YAML"),
        ("[1, 2]", "expected an OpenAPI document"),
        ('{"paths": {}}', "not an OpenAPI 2.0 or 3.x document"),
        ('{"swagger": "1.2", "paths": {}}', "not an OpenAPI 2.0 or 3.x document"),
        ('{"openapi": "3.0.1"}', "'paths' must be a mapping"),
        ('{"openapi": "3.0.1", "paths": {"a": {}}}', "must be a string starting with '/'"),
        ('{"openapi": "3.0.1", "paths": {"/a": []}}', "path item '/a' must be a mapping"),
        ('{"openapi": "3.0.1", "paths": {"/a": {"get": 1}}}', "operation GET /a must be"),
    ],
)
def test_rejects_what_is_no_openapi_document(text: str, match: str) -> None:
    with pytest.raises(SpecError, match=match):
        parse_spec_text(text, "body")


def test_load_spec_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="not found"):
        load_spec_file(tmp_path / "missing.yaml")
    path = tmp_path / "api.yaml"
    path.write_text("swagger: '2.0'\npaths: {}\n")
    assert load_spec_file(path)["paths"] == {}


# A path written twice: the lenient reader kept the second and lost GET /items silently.
TWICE_YAML = (
    "openapi: 3.0.1\npaths:\n  /items:\n    get: {}\n  /other:\n    get: {}\n"
    "  /items:\n    post: {}\n"
)
TWICE_JSON = '{"openapi": "3.0.1", "paths": {"/items": {"get": {}}, "/items": {"post": {}}}}'


@pytest.mark.parametrize("text", [TWICE_YAML, TWICE_JSON], ids=["yaml", "json"])
def test_a_key_written_twice_is_refused_not_lost(text: str) -> None:
    with pytest.raises(SpecError, match=r"^spec\.yaml: duplicate key '/items'; parsers disagree"):
        parse_spec_text(text, "spec.yaml")


def test_yaml_aliases_and_merge_keys_are_read_for_the_program() -> None:
    # The program sends canonical JSON, so an alias it expands is read by nobody else.
    text = (
        "openapi: 3.0.1\npaths:\n  /a:\n    get: &op {responses: {}}\n  /b:\n    get: *op\n"
        "  /c:\n    get:\n      <<: *op\n      summary: c\n"
    )
    doc = parse_spec_text(text, "spec")
    assert doc["paths"]["/b"]["get"] == {"responses": {}}
    assert doc["paths"]["/c"]["get"] == {"responses": {}, "summary": "c"}
    # A body (what the pack judges) is still refused for the same aliases.
    with pytest.raises(SpecError, match="YAML alias"):
        parse_body_text(text, "body")


def test_a_text_is_parsed_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = parse_body_text

    def counting(text: str, source: str, **kw: bool) -> object:
        calls.append(source)
        return real(text, source, **kw)

    monkeypatch.setattr(spec_reader, "parse_body_text", counting)
    text = "openapi: 3.0.1\npaths:\n  /once:\n    get: {}\n"
    first = parse_spec_text(text, "a.yaml")
    assert parse_spec_text(text, "b.yaml") is first
    assert calls == ["a.yaml"]


# --- the strict loader, on libyaml and on the pure-Python parser ----------------------------


def test_the_strict_loader_is_libyamls_where_pyyaml_has_it() -> None:
    assert yaml.__with_libyaml__, "the pinned PyYAML wheel ships libyaml"
    assert issubclass(document._UniqueKeyLoader, yaml.CSafeLoader)


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "pure-python":
        monkeypatch.setattr(document, "_UniqueKeyLoader", pure_python_loader())
    return str(request.param)


STRICT_CASES = {
    "duplicate operation": (
        "paths:\n  /a:\n    get: {}\n    get: {security: []}\n",
        "duplicate key 'get'",
    ),
    "duplicate nested key": (
        "paths:\n  /a:\n    get:\n      security: []\n      security: [{p: [s]}]\n",
        "duplicate key 'security'",
    ),
    "aliased operation": (
        "x: &op {security: []}\npaths:\n  /a:\n    get: *op\n",
        "GET /a is a YAML alias",
    ),
    "merged security": (
        "x: &op {security: []}\npaths:\n  /a:\n    get:\n      <<: *op\n",
        "takes security-relevant keys from a YAML merge key",
    ),
}


@pytest.mark.parametrize("case", list(STRICT_CASES))
def test_strictness_holds_on_both_parsers(loader: str, case: str) -> None:
    text, match = STRICT_CASES[case]
    with pytest.raises(SpecError, match=match):
        parse_body_text(text, "body")


def test_both_parsers_read_a_spec_alike(loader: str) -> None:
    text = Path(__file__).resolve().parents[2].joinpath("api/petstore.yaml").read_text()
    assert parse_body_text(text, "petstore") == yaml.safe_load(text)
