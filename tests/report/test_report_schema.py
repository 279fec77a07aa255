"""The JSON report's schema: every report we build matches it; anything else is refused."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from report.render import report_to_dict
from report.run import build_report
from report.schema import (
    MAX_REPORT_BYTES,
    SCHEMA_VERSION,
    ReportFormatError,
    SchemaError,
    check_schema,
    parse_report,
    report_schema,
    validate,
)


@pytest.fixture(scope="module")
def dev() -> dict[str, Any]:
    return report_to_dict(build_report("dev"))


def test_the_dev_report_matches_the_schema_and_carries_its_version(dev) -> None:
    assert dev["schemaVersion"] == SCHEMA_VERSION == 1
    assert validate(dev) == []
    assert parse_report(json.dumps(dev).encode()) == dev


def test_the_schema_names_every_field_the_report_has(dev) -> None:
    """additionalProperties is false everywhere: a new field needs the schema (and a version)."""
    schema = report_schema()
    assert set(schema["required"]) == set(dev) == set(schema["properties"])
    assert schema["properties"]["schemaVersion"] == {
        "description": schema["properties"]["schemaVersion"]["description"],
        "const": SCHEMA_VERSION,
    }


def test_the_validator_refuses_a_keyword_it_does_not_implement() -> None:
    with pytest.raises(SchemaError, match=r"#/properties/x: keyword\(s\) pattern not supported"):
        check_schema({"type": "object", "properties": {"x": {"type": "string", "pattern": "^a"}}})
    with pytest.raises(SchemaError, match="unknown type 'str'"):
        check_schema({"type": "str"})


def _mutate(dev: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of the report with `path` (dots; `-` deletes) set to `value`."""
    data = copy.deepcopy(dev)
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is DELETE:
        del node[last]
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return data


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "fault"),
    [
        ("schemaVersion", DELETE, "$: required property 'schemaVersion' missing"),
        ("schemaVersion", 2, "$.schemaVersion: expected 1, got 2"),
        ("schemaVersion", True, "$.schemaVersion: expected 1, got True"),
        ("schemaVersion", "1", "$.schemaVersion: expected 1, got '1'"),
        ("extra", "x", "$: property 'extra' is not in the schema"),
        ("operations.0.status", "hacked", "$.operations[0].status: 'hacked' is not one of"),
        ("operations.0.anyone", "false", "$.operations[0].anyone: expected boolean, got string"),
        ("operations.0.scopes", "read", "$.operations[0].scopes: expected array, got string"),
        ("operations.0.scopes.0", 7, "$.operations[0].scopes[0]: expected string, got integer"),
        ("operations.0.method", "", "$.operations[0].method: shorter than 1 character(s)"),
        ("consumers.0.name", "x" * 501, "$.consumers[0].name: 501 characters, at most 500"),
        ("consumers.0.injected", 1, "$.consumers[0]: property 'injected' is not in the schema"),
        ("verdicts", [{"policy": "p"}], "$.verdicts[0]: required property 'enforcement_level'"),
        ("mandatory_violations", True, "$.mandatory_violations: expected integer, got boolean"),
        ("mandatory_violations", -1, "$.mandatory_violations: -1 is below the minimum 0"),
        ("resources", {"a": 1.5}, "$.resources.a: expected integer, got number"),
        ("settings.region", 5, "$.settings.region: expected string or null, got integer"),
        ("stack", None, "$.stack: expected string, got null"),
    ],
)
def test_a_report_that_breaks_the_schema_is_refused_naming_the_fault(
    dev, path: str, value: Any, fault: str
) -> None:
    data = json.dumps(_mutate(dev, path, value)).encode()
    with pytest.raises(ReportFormatError, match="does not match the report schema") as err:
        parse_report(data)
    assert fault in str(err.value)


@pytest.mark.parametrize(
    ("data", "fault"),
    [
        (b'{"a": 1, "a": 2}', "duplicate key 'a'"),
        (b'{"a": NaN}', "NaN is not JSON"),
        (b'{"a": 1e999}', "number 1e999 is out of range"),
        (b"\xff\xfe{}", "not UTF-8 text (byte 0)"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"{", "not JSON (Expecting property name"),
        (b"[]", "$: expected object, got array"),
    ],
)
def test_text_that_is_not_strict_json_is_refused(data: bytes, fault: str) -> None:
    with pytest.raises(ReportFormatError) as err:
        parse_report(data)
    assert fault in str(err.value)


def test_a_file_larger_than_a_report_is_refused_before_parsing() -> None:
    with pytest.raises(ReportFormatError, match=r"more than a report \(16777216\)"):
        parse_report(b" " * (MAX_REPORT_BYTES + 1))


def test_a_report_of_exactly_the_limit_is_read(dev) -> None:
    text = json.dumps(dev).encode()
    padded = text + b" " * (MAX_REPORT_BYTES - len(text))
    assert len(padded) == MAX_REPORT_BYTES
    assert parse_report(padded) == dev


def test_at_most_five_faults_are_named(dev) -> None:
    data = copy.deepcopy(dev)
    data["operations"] = [{"bad": i} for i in range(20)]
    assert len(validate(data)) == 5


def test_a_wrong_version_is_named_in_the_message(dev) -> None:
    data = json.dumps({**dev, "schemaVersion": 2, "new_field": 1}).encode()
    with pytest.raises(ReportFormatError, match=r"\(schemaVersion 2, expected 1\)"):
        parse_report(data)
