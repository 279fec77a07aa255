"""Reading OpenAPI documents the way API Gateway's REST import reads them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .errors import InputError
from .unknown import UNKNOWN

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
        if is_extension(path):
            continue  # OpenAPI allows x- extensions in the Paths Object; they are not paths
        if not isinstance(path, str) or not path.startswith("/"):
            raise SpecError(f"{source}: path {path!r} must be a string starting with '/'")
        if item is UNKNOWN:
            continue  # judged once known (see bodies.pending_parts)
        if not isinstance(item, dict):
            raise SpecError(f"{source}: path item {path!r} must be a mapping, got {item!r}")
        for key in OPERATION_KEYS:
            if key in item and item[key] is not UNKNOWN and not isinstance(item[key], dict):
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
        if item.__class__ is not dict or path[:2] == "x-":
            continue  # an unknown path item (preview) or an x- extension of the Paths Object
        for key, definition in item.items():
            method = methods.get(key)
            if method is not None and definition is not UNKNOWN:
                yield Operation(method, path, definition)


def is_extension(key: Any) -> bool:
    """An OpenAPI specification extension: a key starting `x-`, in ASCII (see `audit_document`)."""
    return isinstance(key, str) and key.startswith("x-") and key.isascii()


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


def scheme_section_unknown(doc: Mapping[str, Any]) -> bool:
    """Whether the version's security-scheme section is not known yet (during preview)."""
    if spec_version(doc) == "2.0":
        return doc.get("securityDefinitions") is UNKNOWN
    components = doc.get("components")
    return components is UNKNOWN or (
        isinstance(components, dict) and components.get("securitySchemes") is UNKNOWN
    )


def first_line(err: Exception) -> str:
    """The first line of a parser's error, for a one-line message."""
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
