"""What API Gateway's REST API import refuses, checked before any resource exists.

`RestApiPut` applies the body only after the user pool, its domain, the app clients and the
`RestApi` exist: a document the import refuses fails the update half-way, and every later
update fails at the same place. So the program checks, on the document it is about to send
(after the CORS preflights are dropped), the rules AWS documents for the import, and refuses
the spec with one line: each rule's first few offenders and their count.

Sources, quoted in each check:
- REST API important notes ("API Gateway supports most of the OpenAPI 2.0 specification and
  the OpenAPI 3.0 specification, with the following exceptions: Path segments can only
  contain alphanumeric characters, underscores, hyphens, periods, commas, colons, and curly
  braces. Path parameters must be separate path segments"):
  https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis
- Quotas ("Resources per API: 300", can be increased; "For restapi:import or restapi:put,
  the maximum size of the API definition file is 6 MB"):
  https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
- API Gateway's own error for sibling variables ("A sibling ({id}) of this resource already
  has a variable path part -- only one is allowed"), and for an integration that maps a path
  parameter the method does not declare ("Invalid mapping expression parameter specified:
  method.request.path.<name>", the import's BadRequestException as reported in
  aws/aws-cdk#17318 and elsewhere).

Not checked (AWS documents no refusal or warning for them, or the program cannot see them):
a path-template parameter that is declared nowhere but that no integration maps; empty path
segments (`//`, a trailing `/`); child paths under a greedy `{proxy+}`; model and schema
features the import ignores or drops; integration URIs and ARNs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from apigw_guard.model.document import OPERATION_KEYS, SpecError, is_extension, method_name

IMPORT_NOTES_URL = (
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/"
    "api-gateway-known-issues.html#api-gateway-known-issues-rest-apis"
)
QUOTAS_URL = "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html"
# AWS writes "6 MB" without saying which; the larger reading is the limit, the smaller one a
# warning, so a body between the two is neither refused nor waved through in silence.
MAX_BODY_BYTES = 6 * 1024 * 1024
BODY_WARNING_BYTES = 6_000_000
# "Resources per API", a default quota an account can have raised for one API.
DEFAULT_RESOURCE_QUOTA = 300
# How many offenders one rule names before it gives the count.
SHOWN = 3
# A path shown in a message is cut to this many characters (a path can be anything).
_PATH_SHOWN = 60

_LITERAL = re.compile(r"[A-Za-z0-9_\-.,:]+")
# A parameter: a whole segment in braces; `+` before the closing brace makes it greedy.
_PARAMETER = re.compile(r"\{[A-Za-z0-9_\-.,:]+\+?\}")
_OPENAPI_3_0 = re.compile(r"3\.0\.\d+")
_PATH_MAPPING = re.compile(r"method\.request\.path\.(.+)")
INTEGRATION_EXTENSION = "x-amazon-apigateway-integration"


class UnimportableSpecError(SpecError):
    """A spec API Gateway's REST import would refuse; the message names each rule broken."""


def check_importable(doc: Mapping[str, Any], source: str) -> None:
    """Raise `UnimportableSpecError` if the import would refuse `doc`, naming every rule broken.

    `doc` is the document as it will be sent, minus the security the program adds (adding it
    changes no path, version or parameter).
    """
    faults = [
        fault
        for fault in (
            _version_fault(doc),
            _segment_fault(doc),
            _sibling_fault(doc),
            _ref_operation_fault(doc),
            _mapped_path_parameter_fault(doc),
        )
        if fault
    ]
    if faults:
        raise UnimportableSpecError(
            f"{source}: API Gateway's REST API import would refuse this document, after the "
            f"user pool, its clients and the RestApi exist ({IMPORT_NOTES_URL}): "
            + "; ".join(faults)
        )


def check_body_size(size: int, source: str) -> str | None:
    """Refuse a body over the import's 6 MB; a warning (returned) for one close to it.

    `size` is the UTF-8 length of the body as the program PUTs it (canonical JSON, the real
    scope strings).
    """
    if size > MAX_BODY_BYTES:
        raise UnimportableSpecError(
            f"{source}: the body the program would PUT is about {size:,} bytes; API Gateway "
            f"imports at most 6 MB ({MAX_BODY_BYTES:,} bytes) per restapi:put ({QUOTAS_URL}); "
            "split the API into several, or drop descriptions, examples and unused schemas"
        )
    if size > BODY_WARNING_BYTES:
        return (
            f"{source}: the body the program would PUT is about {size:,} bytes, close to API "
            f"Gateway's import limit of 6 MB ({QUOTAS_URL}; AWS does not say whether that is "
            f"{BODY_WARNING_BYTES:,} or {MAX_BODY_BYTES:,} bytes)"
        )
    return None


def count_resources(paths: Iterable[str]) -> int:
    """How many API Gateway `Resource`s the paths make: one per distinct path prefix, root too.

    `/a/{id}/b` makes `/`, `/a`, `/a/{id}` and `/a/{id}/b`, whether or not `/a` has methods.
    """
    prefixes = {"/"}
    for path in paths:
        parts = [p for p in path.split("/") if p]
        for end in range(1, len(parts) + 1):
            prefixes.add("/" + "/".join(parts[:end]))
    return len(prefixes)


def resource_quota_warning(doc: Mapping[str, Any], source: str) -> str | None:
    """A warning when the document makes more resources than the default quota allows."""
    count = count_resources(_paths(doc))
    if count <= DEFAULT_RESOURCE_QUOTA:
        return None
    return (
        f"{source}: the API would have {count} resources (one per distinct path prefix, the "
        f"root included); API Gateway's default quota is {DEFAULT_RESOURCE_QUOTA} resources "
        f"per API ({QUOTAS_URL}): unless this API's quota was raised (Service Quotas, "
        "'Resources per API'), the import fails after the RestApi exists"
    )


# --- the rules ------------------------------------------------------------------------------


def _version_fault(doc: Mapping[str, Any]) -> str | None:
    # "API Gateway supports most of the OpenAPI 2.0 specification and the OpenAPI 3.0
    # specification": 3.1 (JSON Schema 2020-12, webhooks, no nullable) is not documented.
    if "swagger" in doc:
        return None  # validate_document accepted it: swagger "2.0"
    version = str(doc.get("openapi"))
    if _OPENAPI_3_0.fullmatch(version):
        return None
    return (
        f"OpenAPI {version!r}: AWS documents import of OpenAPI 2.0 and 3.0 only; write it as "
        "openapi: 3.0.x (e.g. 3.0.3) or swagger: '2.0'"
    )


def _segment_fault(doc: Mapping[str, Any]) -> str | None:
    # "Path segments can only contain alphanumeric characters, underscores, hyphens, periods,
    # commas, colons, and curly braces. Path parameters must be separate path segments."
    bad = [path for path in _paths(doc) if any(_bad_segment(s) for s in path.split("/") if s)]
    if not bad:
        return None
    return (
        f"{_count(bad, 'path')} with a segment the import cannot read ({_first(bad)}): a "
        "segment may hold only letters, digits and _ - . , : and a parameter must be a whole "
        "segment, '/{name}' or greedy '/{name+}' (so '/Accounts/{Sid}.json' must become e.g. "
        "'/Accounts/{Sid}')"
    )


def _bad_segment(segment: str) -> bool:
    return not (_LITERAL.fullmatch(segment) or _PARAMETER.fullmatch(segment))


def _sibling_fault(doc: Mapping[str, Any]) -> str | None:
    # API Gateway: "A sibling ({id}) of this resource already has a variable path part -- only
    # one is allowed". `/items/{itemId}` and `/items/{id}/parts` cannot both exist.
    variables: dict[str, dict[str, str]] = {}  # parent -> variable part -> first path using it
    for path in _paths(doc):
        parts = [p for p in path.split("/") if p]
        for index, part in enumerate(parts):
            if part.startswith("{"):
                parent = "/" + "/".join(parts[:index])
                variables.setdefault(parent, {}).setdefault(part, path)
    clashes = [(parent, seen) for parent, seen in variables.items() if len(seen) > 1]
    if not clashes:
        return None
    shown = [
        f"under {_shown(parent)}: "
        + " and ".join(f"{part} ({_shown(path)})" for part, path in list(seen.items())[:SHOWN])
        for parent, seen in clashes[:SHOWN]
    ]
    more = f"; and {len(clashes) - SHOWN} more" if len(clashes) > SHOWN else ""
    return (
        f"{_count([p for p, _ in clashes], 'parent path')} with different variable parts "
        f"({'; '.join(shown)}{more}): API Gateway allows one variable part per parent; use one "
        "name for it in every path"
    )


def _ref_operation_fault(doc: Mapping[str, Any]) -> str | None:
    # An Operation Object has no $ref in OpenAPI; a document that uses one (often to another
    # file) needs a bundler to inline it, and the import resolves no file references.
    refs = [
        (f"{method_name(key)} {_shown(path)}", str(definition["$ref"]))
        for path, key, definition in _operations(doc)
        if "$ref" in definition
    ]
    if not refs:
        return None
    external = [r for r in refs if not r[1].startswith("#")]
    shown = ", ".join(f"{op} -> {_shown(ref)}" for op, ref in refs[:SHOWN]) + _more(refs)
    fix = (
        "bundle the document into one file with every operation inline first (e.g. `npx "
        "@redocly/cli bundle` or `swagger-cli bundle -r`): the import reads one document and "
        "resolves no references to other files"
        if external
        else "write each operation inline (OpenAPI has no $ref for an operation)"
    )
    return f"{_count(refs, 'operation')} written as $ref ({shown}): {fix}"


def _mapped_path_parameter_fault(doc: Mapping[str, Any]) -> str | None:
    # The import fails with "Invalid mapping expression parameter specified:
    # method.request.path.<name>" when an integration maps a path parameter that the method
    # does not declare (`in: path` in the path item's or the operation's `parameters`). A
    # template parameter that nothing maps is left alone: AWS documents nothing about it.
    missing: list[str] = []
    for path, key, definition in _operations(doc):
        integration = definition.get(INTEGRATION_EXTENSION)
        params = integration.get("requestParameters") if isinstance(integration, dict) else None
        if not isinstance(params, dict):
            continue
        mapped = [m.group(1) for v in params.values() if (m := _PATH_MAPPING.fullmatch(str(v)))]
        if not mapped:
            continue
        declared = _declared_path_parameters(doc, path, definition)
        if declared is None:
            continue  # a parameter this code cannot resolve: it may be the one
        missing += [
            f"{method_name(key)} {_shown(path)} maps {_shown(name)}"
            for name in mapped
            if name not in declared
        ]
    if not missing:
        return None
    return (
        f"{_count(missing, 'integration mapping')} of an undeclared path parameter "
        f"({', '.join(missing[:SHOWN])}{_more(missing)}): the import fails with 'Invalid "
        "mapping expression parameter specified: method.request.path.<name>'; declare each "
        "one in the operation's or the path's parameters (name: <name>, in: path, required: true)"
    )


def _declared_path_parameters(
    doc: Mapping[str, Any], path: str, definition: Mapping[str, Any]
) -> set[str] | None:
    """Names of the `in: path` parameters of an operation and its path item; None if unsure."""
    item = doc["paths"][path]
    names: set[str] = set()
    for holder in (item, definition):
        params = holder.get("parameters", [])
        if not isinstance(params, list):
            return None
        for param in params:
            resolved = _resolve_local(doc, param)
            if not isinstance(resolved, dict):
                return None
            if resolved.get("in") == "path" and isinstance(resolved.get("name"), str):
                names.add(resolved["name"])
    return names


def _resolve_local(doc: Mapping[str, Any], value: Any) -> Any:
    """Follow one local `$ref` (`#/components/parameters/x`, `#/parameters/x`); else None."""
    if not (isinstance(value, dict) and "$ref" in value):
        return value
    ref = value["$ref"]
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    target: Any = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or part not in target:
            return None
        target = target[part]
    return target


# --- walking and wording --------------------------------------------------------------------


def _paths(doc: Mapping[str, Any]) -> list[str]:
    return [p for p in doc.get("paths", {}) if isinstance(p, str) and not is_extension(p)]


def _operations(doc: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    for path in _paths(doc):
        item = doc["paths"][path]
        if not isinstance(item, dict):
            continue
        for key in OPERATION_KEYS:
            definition = item.get(key)
            if isinstance(definition, dict):
                yield path, key, definition


def _shown(text: str) -> str:
    """A value as a message shows it: quoted, escaped (one line), cut to a readable length."""
    cut = text if len(text) <= _PATH_SHOWN else text[: _PATH_SHOWN - 3] + "..."
    return repr(cut)


def _first(values: Sequence[str]) -> str:
    return ", ".join(_shown(v) for v in values[:SHOWN]) + _more(values)


def _more(values: Sequence[Any]) -> str:
    return f" and {len(values) - SHOWN} more" if len(values) > SHOWN else ""


def _count(values: Sequence[Any], noun: str) -> str:
    return f"{len(values)} {noun}{'' if len(values) == 1 else 's'}"
