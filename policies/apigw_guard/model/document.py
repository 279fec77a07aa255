"""Reading OpenAPI documents the way API Gateway's REST import reads them."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import InputError

# Every key of a path item that API Gateway imports as a method. `trace` is valid OpenAPI but
# API Gateway has no TRACE method; it is still an operation a reviewer must see, so it is listed.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-any-method.html
OPERATION_KEYS: tuple[str, ...] = (
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "x-amazon-apigateway-any-method",
)

OpenApiVersion = Literal["2.0", "3"]


class SpecError(InputError):
    """An OpenAPI document that cannot be read; the message names the source and the fault."""


@dataclass(frozen=True)
class Operation:
    """One method on one path, as API Gateway will create it."""

    method: str  # upper case; `ANY` for x-amazon-apigateway-any-method
    path: str
    definition: Mapping[str, Any]

    @property
    def key(self) -> str:
        """The `METHOD /path` form used in stack config, reports and violation messages."""
        return f"{self.method} {self.path}"


def method_name(operation_key: str) -> str:
    """Map a path-item key to the HTTP method API Gateway creates for it."""
    return "ANY" if operation_key == "x-amazon-apigateway-any-method" else operation_key.upper()


_METHOD_OF_KEY: dict[str, str] = {key: method_name(key) for key in OPERATION_KEYS}


def parse_spec_text(text: str, source: str = "<body>") -> dict[str, Any]:
    """Parse JSON or YAML text into an OpenAPI 2.0 or 3.x document.

    JSON is tried first because every JSON document is also YAML, but YAML's error messages for
    broken JSON are confusing.
    """
    doc: Any
    try:
        doc = json.loads(text)
    except ValueError:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise SpecError(
                f"{source}: not valid JSON or YAML ({_first_line(err)}); "
                "expected an OpenAPI 2.0 or 3.x document"
            ) from None
    return validate_document(doc, source)


class _DuplicateKeyError(ValueError):
    def __init__(self, key: Any) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Cheapest duplicate check json offers: one dict build and a length comparison per object.
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return obj


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with the same key twice (merge keys `<<` excepted)."""


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # merged keys may be overridden explicitly; that is what merge is for
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            continue
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_unique_mapping,
)


def parse_body_text(text: str, source: str = "<body>") -> Any:
    """Parse JSON or YAML text the way a policy must: refusing what parsers may read differently.

    Unlike `parse_spec_text` (the program's reader of its own spec) it returns the raw value
    without validating it, drops a leading byte-order mark, and rejects a mapping with a
    duplicate key: Python keeps the last value, but another parser (API Gateway's importer)
    may keep the first, so a body could show this pack a protected operation and API Gateway
    an open one.
    """
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except _DuplicateKeyError as err:
        raise SpecError(f"{source}: {err}; {_DUPLICATE_FIX}") from None
    except ValueError:
        pass
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.constructor.ConstructorError as err:
        if "duplicate key" in str(err.problem):
            raise SpecError(f"{source}: {err.problem}; {_DUPLICATE_FIX}") from None
        raise SpecError(f"{source}: not valid YAML ({_first_line(err)})") from None
    except yaml.YAMLError as err:
        raise SpecError(
            f"{source}: not valid JSON or YAML ({_first_line(err)}); "
            "expected an OpenAPI 2.0 or 3.x document"
        ) from None


_DUPLICATE_FIX = (
    "parsers disagree on which value wins (Python keeps the last, others the first), so the "
    "pack cannot tell which security API Gateway applies; remove the duplicate"
)


def load_spec_file(path: str | Path) -> dict[str, Any]:
    """Read an OpenAPI document from disk, with errors that name the file."""
    p = Path(path)
    if not p.is_file():
        raise SpecError(
            f"{p}: OpenAPI document not found; expected a JSON or YAML file "
            "(set specPath in the stack config, relative to the project directory)"
        )
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SpecError(f"{p}: cannot read the OpenAPI document ({err})") from None
    return parse_spec_text(text, str(p))


def validate_document(doc: Any, source: str = "<body>") -> dict[str, Any]:
    """Check the shape API Gateway needs: a version marker and a `paths` mapping."""
    if not isinstance(doc, dict):
        raise SpecError(
            f"{source}: expected an OpenAPI document (a mapping with 'openapi' or 'swagger'), "
            f"got {type(doc).__name__}"
        )
    spec_version(doc, source)
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        raise SpecError(f"{source}: 'paths' must be a mapping of path to path item, got {paths!r}")
    for path, item in paths.items():
        if not isinstance(path, str) or not path.startswith("/"):
            raise SpecError(f"{source}: path {path!r} must be a string starting with '/'")
        if not isinstance(item, dict):
            raise SpecError(f"{source}: path item {path!r} must be a mapping, got {item!r}")
        for key in OPERATION_KEYS:
            if key in item and not isinstance(item[key], dict):
                raise SpecError(
                    f"{source}: operation {method_name(key)} {path} must be a mapping, "
                    f"got {item[key]!r}"
                )
    return doc


def spec_version(doc: Mapping[str, Any], source: str = "<body>") -> OpenApiVersion:
    """Tell OpenAPI 2.0 (`swagger: "2.0"`) from 3.x (`openapi: "3.*"`)."""
    swagger = doc.get("swagger")
    openapi = doc.get("openapi")
    if swagger is not None and str(swagger) == "2.0":
        return "2.0"
    if isinstance(openapi, str) and openapi.startswith("3."):
        return "3"
    raise SpecError(
        f"{source}: not an OpenAPI 2.0 or 3.x document "
        f"(swagger={swagger!r}, openapi={openapi!r}); expected swagger: '2.0' or openapi: '3.x.y'"
    )


def iter_operations(doc: Mapping[str, Any]) -> Iterator[Operation]:
    """Yield every operation of a validated document, in document order.

    Path-item keys such as `parameters`, `summary`, `servers` or `$ref` are not operations.
    """
    methods = _METHOD_OF_KEY  # one dict lookup per key: this runs for every key of every path
    for path, item in doc["paths"].items():
        for key, definition in item.items():
            method = methods.get(key)
            if method is not None:
                yield Operation(method, path, definition)


def security_schemes(doc: Mapping[str, Any]) -> Mapping[str, Any]:
    """The security schemes from the section the document's version defines them in.

    OpenAPI 2.0 uses `securityDefinitions`; 3.x uses `components.securitySchemes`. A scheme in
    the other version's section is not defined, and API Gateway will not find it.
    """
    if spec_version(doc) == "2.0":
        section = doc.get("securityDefinitions")
    else:
        components = doc.get("components")
        section = components.get("securitySchemes") if isinstance(components, dict) else None
    return section if isinstance(section, dict) else {}


def audit_document(doc: Mapping[str, Any]) -> list[str]:
    """Faults of a document that API Gateway may read differently from this model.

    Each is a reason to fail closed rather than judge: a document declaring both versions (the
    importer may take the other one, and with it the other section's security schemes), path
    items that are `$ref`s (resolved by the importer into operations this model never sees),
    operation keys that are not lower case (`GET:` is not an OpenAPI operation here, but an
    importer that ignores case would create an unguarded method), and `x-amazon-apigateway-auth`
    (an authorization type, possibly NONE, set beside or instead of `security`).
    """
    faults: list[str] = []
    if AUTH_EXTENSION in doc:
        faults.append(_auth_extension_fault("the document", doc[AUTH_EXTENSION]))
    if "swagger" in doc and "openapi" in doc:
        faults.append(
            f"declares both swagger ({doc['swagger']!r}) and openapi ({doc['openapi']!r}), so "
            "API Gateway may read it as the other version, with the other section's security "
            "schemes; keep exactly one"
        )
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return faults
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        if "$ref" in item:
            faults.append(
                f"path {path!r} is a $ref path item ({item['$ref']!r}), which API Gateway "
                "resolves into operations this pack cannot see; define the operations inline"
            )
        if AUTH_EXTENSION in item:
            faults.append(_auth_extension_fault(f"path {path!r}", item[AUTH_EXTENSION]))
        for key, definition in item.items():
            if key in OPERATION_KEYS and isinstance(definition, dict):
                if AUTH_EXTENSION in definition:
                    where = f"{method_name(key)} {path}"
                    faults.append(_auth_extension_fault(where, definition[AUTH_EXTENSION]))
                continue
            lowered = key.lower() if isinstance(key, str) else None
            if key not in OPERATION_KEYS and lowered in OPERATION_KEYS:
                faults.append(
                    f"{method_name(str(lowered))} {path} is written {key!r}; operation keys "
                    f"must be lower case ({lowered!r}), or this pack cannot judge an operation "
                    "API Gateway may still create"
                )
    return faults


# Sets a method's authorization type directly ("NONE" for open access, or "AWS_IAM");
# https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-auth.html
AUTH_EXTENSION = "x-amazon-apigateway-auth"


def _auth_extension_fault(where: str, value: Any) -> str:
    return (
        f"{where} sets {AUTH_EXTENSION} ({value!r}), which sets the authorization type "
        "directly ('NONE' is open access) whatever security says, and this pack cannot tell "
        "which wins; remove it"
    )


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
