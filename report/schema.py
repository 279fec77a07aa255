"""The JSON report's schema (report.schema.json) and the validator `report diff` reads it with.

A report may come from a pull request's own run, so the side that renders it for the pull
request checks it first. The schema is standard JSON Schema (draft 2020-12), usable with any
validator; this module checks it with a small validator of its own instead of the `jsonschema`
package: the schema uses a dozen keywords, the check runs where untrusted input is read (fewer
dependencies there, none compiled), and a keyword the validator does not know is an error when
the schema is loaded, never silently ignored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

# The `schemaVersion` every report carries. Bump it, and the schema's `const`, when a field is
# added, removed or changes meaning: a report of another version is refused, not misread.
SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().with_name("report.schema.json")
# A report file larger than this is refused before it is parsed (the dev stack's is 4 KB; a
# 4,000-operation spec's about 2 MB).
MAX_REPORT_BYTES = 16 * 1024 * 1024
# At most this many faults are named in one message.
MAX_ERRORS = 5

_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description"})
_KEYWORDS = _ANNOTATIONS | {
    "type",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "propertyNames",
    "maxProperties",
    "items",
    "maxItems",
    "minLength",
    "maxLength",
    "minimum",
}
_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")


class SchemaError(ValueError):
    """The schema itself uses something this validator does not implement."""


class ReportFormatError(ValueError):
    """Text that is not a report: not UTF-8, not strict JSON, or not what the schema says."""


def check_schema(schema: Any, where: str = "#") -> None:
    """Refuse a schema with a keyword or type name the validator would not enforce."""
    if isinstance(schema, bool):
        return
    if not isinstance(schema, dict):
        raise SchemaError(f"{where}: a schema must be an object or a boolean")
    unknown = sorted(set(schema) - _KEYWORDS)
    if unknown:
        raise SchemaError(f"{where}: keyword(s) {', '.join(unknown)} not supported")
    types = schema.get("type", [])
    for name in [types] if isinstance(types, str) else types:
        if name not in _TYPES:
            raise SchemaError(f"{where}: unknown type {name!r}")
    for name, sub in (schema.get("properties") or {}).items():
        check_schema(sub, f"{where}/properties/{name}")
    for key in ("additionalProperties", "items", "propertyNames"):
        if key in schema:
            check_schema(schema[key], f"{where}/{key}")


@cache
def report_schema() -> dict[str, Any]:
    """The shipped schema, checked once."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    check_schema(schema)
    if schema["properties"]["schemaVersion"].get("const") != SCHEMA_VERSION:
        raise SchemaError("report.schema.json: schemaVersion const is not SCHEMA_VERSION")
    assert isinstance(schema, dict)
    return schema


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _is(value: Any, name: str) -> bool:
    actual = _type_of(value)
    return actual == name or (name == "number" and actual == "integer")


def _show(value: Any) -> str:
    """A value as it may appear in a message: short, and as a Python literal (escaped)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def errors(value: Any, schema: Any, path: str = "$") -> Iterator[str]:
    """Every way `value` breaks `schema`, as `$.operations[3].status: ...` lines."""
    if schema is True:
        return
    if schema is False:
        yield f"{path}: not allowed here"
        return
    if "type" in schema:
        names = [schema["type"]] if isinstance(schema["type"], str) else schema["type"]
        if not any(_is(value, n) for n in names):
            yield f"{path}: expected {' or '.join(names)}, got {_type_of(value)}"
            return
    if "const" in schema and (
        value != schema["const"] or _type_of(value) != _type_of(schema["const"])
    ):
        yield f"{path}: expected {schema['const']!r}, got {_show(value)}"
        return
    if "enum" in schema and not any(
        value == e and _type_of(value) == _type_of(e) for e in schema["enum"]
    ):
        allowed = ", ".join(repr(e) for e in schema["enum"])
        yield f"{path}: {_show(value)} is not one of {allowed}"
        return
    if isinstance(value, str):
        yield from _string_errors(value, schema, path)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            yield f"{path}: {value} is below the minimum {schema['minimum']}"
    elif isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            yield f"{path}: {len(value)} items, at most {schema['maxItems']} allowed"
            return
        if "items" in schema:
            for index, item in enumerate(value):
                yield from errors(item, schema["items"], f"{path}[{index}]")
    elif isinstance(value, dict):
        yield from _object_errors(value, schema, path)


def _string_errors(value: str, schema: Mapping[str, Any], path: str) -> Iterator[str]:
    if "minLength" in schema and len(value) < schema["minLength"]:
        yield f"{path}: shorter than {schema['minLength']} character(s)"
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        yield f"{path}: {len(value)} characters, at most {schema['maxLength']} allowed"


def _object_errors(value: Mapping[str, Any], schema: Mapping[str, Any], path: str) -> Iterator[str]:
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        yield f"{path}: {len(value)} properties, at most {schema['maxProperties']} allowed"
        return
    for name in schema.get("required", []):
        if name not in value:
            yield f"{path}: required property {name!r} missing"
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        where = f"{path}.{name}" if name.isidentifier() else f"{path}[{_show(name)}]"
        if "propertyNames" in schema:
            yield from errors(name, schema["propertyNames"], f"{path} key {_show(name)}")
        if name in properties:
            yield from errors(item, properties[name], where)
        elif extra is False:
            yield f"{path}: property {_show(name)} is not in the schema"
        else:
            yield from errors(item, extra, where)


def validate(value: Any, schema: Mapping[str, Any] | None = None) -> list[str]:
    """The first MAX_ERRORS faults of `value` against the report schema (empty: valid)."""
    out: list[str] = []
    for fault in errors(value, report_schema() if schema is None else schema):
        out.append(fault)
        if len(out) == MAX_ERRORS:
            break
    return out


def _no_duplicate_keys(pairs: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ReportFormatError(f"duplicate key {_show(key)}")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ReportFormatError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ReportFormatError(f"number {text[:20]} is out of range")
    return value


def parse_report(data: bytes) -> dict[str, Any]:
    """Strict JSON (UTF-8, no duplicate keys, no NaN) that matches the report schema.

    Raises ReportFormatError with a message that names the fault and where it is.
    """
    if len(data) > MAX_REPORT_BYTES:
        raise ReportFormatError(f"{len(data)} bytes, more than a report ({MAX_REPORT_BYTES})")
    try:
        text = data.decode("utf-8")
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
            parse_float=_finite,
        )
    except UnicodeDecodeError as err:
        raise ReportFormatError(f"not UTF-8 text (byte {err.start})") from None
    except RecursionError:
        raise ReportFormatError("nested too deeply") from None
    except ValueError as err:  # JSONDecodeError, int digit limits
        if isinstance(err, ReportFormatError):
            raise
        raise ReportFormatError(f"not JSON ({err})") from None
    faults = validate(value)
    if faults:
        version = value.get("schemaVersion") if isinstance(value, dict) else None
        note = (
            f"schemaVersion {_show(version)}, expected {SCHEMA_VERSION}"
            if version != SCHEMA_VERSION
            else f"schemaVersion {SCHEMA_VERSION}"
        )
        raise ReportFormatError(f"does not match the report schema ({note}): " + "; ".join(faults))
    assert isinstance(value, dict)
    return value
