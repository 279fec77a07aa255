"""Reading OpenAPI documents the way API Gateway's REST import reads them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import yaml

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


# libyaml's parser where PyYAML was built with it (about three times faster on a 4 MB spec:
# bench/program_build.py), else the pure-Python one. The strictness below is the constructor's
# and the node walk's, which both parsers feed alike (tests/components/test_spec_reader.py runs
# every strict case on both).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type,misc]
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


def parse_body_text(text: str, source: str = "<body>", *, allow_aliases: bool = False) -> Any:
    """Parse JSON or YAML text the way a policy must: refusing what parsers may read differently.

    It returns the raw value without validating it (`validate_document` does), drops a leading
    byte-order mark, and rejects a mapping with a duplicate key: Python keeps the last value,
    but another parser (API Gateway's importer) may keep the first, so a body could show this
    pack a protected operation and API Gateway an open one. `allow_aliases` is for a caller
    that never hands the YAML on (the program sends API Gateway canonical JSON, in which
    aliases and merge keys are already expanded); a body is always read without it.
    """
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except _DuplicateKeyError as err:
        raise SpecError(f"{source}: {err}; {_DUPLICATE_FIX}") from None
    except ValueError:
        pass
    try:
        return _load_yaml_strictly(text, source, allow_aliases=allow_aliases)
    except yaml.constructor.ConstructorError as err:
        if "duplicate key" in str(err.problem):
            raise SpecError(f"{source}: {err.problem}; {_DUPLICATE_FIX}") from None
        raise SpecError(f"{source}: not valid YAML ({_first_line(err)})") from None
    except yaml.YAMLError as err:
        raise SpecError(
            f"{source}: not valid JSON or YAML ({_first_line(err)}); "
            "expected an OpenAPI 2.0 or 3.x document"
        ) from None


def _load_yaml_strictly(text: str, source: str, *, allow_aliases: bool = False) -> Any:
    """Load YAML with `_UniqueKeyLoader`, refusing aliases or merge keys that carry security.

    The node graph is checked before it is constructed (construction flattens merge keys and
    shares aliased nodes, after which neither can be seen). The check runs only when the text
    could hold an anchor or a merge key, so plain YAML pays nothing for it.
    """
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if not allow_aliases and ("&" in text or "<<" in text or "merge" in text):
            faults = alias_faults(node)
            if faults:
                more = f"; and {len(faults) - 5} more" if len(faults) > 5 else ""
                raise SpecError(f"{source}: {'; '.join(faults[:5])}{more}; {_ALIAS_FIX}")
        return loader.construct_document(node)
    finally:
        loader.dispose()


_MERGE_TAG = "tag:yaml.org,2002:merge"
# What each level of an OpenAPI document holds that decides a method's security. A YAML alias
# or merge key supplying one of these may be read differently by API Gateway's importer (its
# YAML reader need not follow anchors or merge keys as PyYAML does), so it fails closed.
# Keys not listed (integrations, responses, parameters) may be shared freely.
_ROOT_KEYS = frozenset(
    {"paths", "components", "securityDefinitions", "swagger", "openapi", "x-amazon-apigateway-auth"}
)
_OPERATION_SECURITY_KEYS = frozenset({"security", "x-amazon-apigateway-auth"})
_ALIAS_FIX = (
    "API Gateway's importer may not follow YAML aliases and merge keys as this pack does, so "
    "it could import the operation without that security; write the content out in full "
    "(aliases elsewhere, e.g. a shared integration, are fine)"
)


def alias_faults(root: yaml.Node) -> list[str]:
    """Where a YAML alias or merge key supplies security-relevant content of a document.

    Security-relevant: a path item, an operation, an operation's `security` (or anything in
    it), the security-scheme section or any scheme (or anything in it), the `paths` and
    `components` mappings, and the version markers. The first occurrence of an anchored node
    (its definition) is read by every parser alike; a later occurrence is an alias.
    """
    faults: list[str] = []
    seen: set[int] = set()

    def first_visit(node: yaml.Node) -> bool:
        if id(node) in seen:
            return False
        seen.add(id(node))
        return True

    def subtree(node: yaml.Node, where: str) -> None:
        # Everything below `node` is security-relevant: any alias or merge key is a fault.
        if not first_visit(node):
            faults.append(f"{where} is a YAML alias")
            return
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.tag == _MERGE_TAG:
                    faults.append(f"{where} uses a YAML merge key (<<)")
                    continue
                subtree(key, where)
                subtree(value, f"{where}.{_scalar(key)}")
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                subtree(item, f"{where}[{index}]")

    def mapping(
        node: yaml.Node,
        where: str,
        relevant: Callable[[str], bool],
        child: Callable[[yaml.Node, str], None],
    ) -> None:
        # A mapping whose keys for which `relevant` holds matter; `child` walks a relevant
        # value. Other values are walked only to mark anchors as seen.
        if not first_visit(node):
            faults.append(f"{where} is a YAML alias")
            return
        if not isinstance(node, yaml.MappingNode):
            loose(node)
            return
        for key, value in node.value:
            if key.tag == _MERGE_TAG:
                if _merges_relevant(value, relevant):
                    faults.append(
                        f"{where} takes security-relevant keys from a YAML merge key (<<)"
                    )
                loose(value)
                continue
            name = _scalar(key)
            if not first_visit(key):
                if relevant(name):
                    faults.append(f"{where} has a key that is a YAML alias")
                continue
            if relevant(name):
                child(value, name)
            else:
                loose(value)

    def loose(node: yaml.Node) -> None:
        # Not security-relevant: only record anchors, so a later alias of them is recognised.
        if not first_visit(node):
            return
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                loose(key)
                loose(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                loose(item)

    def operation(node: yaml.Node, where: str) -> None:
        mapping(
            node,
            where,
            _OPERATION_SECURITY_KEYS.__contains__,
            lambda value, name: subtree(value, f"{where}.{name}"),
        )

    def path_item(node: yaml.Node, path: str) -> None:
        # Every key of a path item may be (or be read as) an operation, except documentation.
        mapping(
            node,
            f"path {path!r}",
            lambda name: name not in _PATH_ITEM_DOC_KEYS,
            lambda value, name: operation(value, f"{_method_label(name)} {path}"),
        )

    def components(node: yaml.Node, where: str) -> None:
        mapping(
            node,
            where,
            lambda name: name == "securitySchemes",
            lambda value, name: subtree(value, f"{where}.{name}"),
        )

    def root_child(value: yaml.Node, name: str) -> None:
        if name == "paths":
            mapping(value, "paths", lambda _: True, path_item)
        elif name == "components":
            components(value, "components")
        else:
            subtree(value, name)

    mapping(root, "the document", _ROOT_KEYS.__contains__, root_child)
    return faults


# Path-item keys that document rather than define an operation.
_PATH_ITEM_DOC_KEYS = frozenset({"summary", "description", "parameters", "servers"})


def _method_label(key: str) -> str:
    return method_name(key) if key in OPERATION_KEYS else repr(key)


def _scalar(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else "<non-scalar key>"


def _merges_relevant(value: yaml.Node, relevant: Callable[[str], bool]) -> bool:
    """Whether a merge key's value (a mapping, or a sequence of them) supplies a relevant key."""
    sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
    for source in sources:
        if not isinstance(source, yaml.MappingNode):
            return True  # not a mapping: unreadable, so it cannot be shown harmless
        for key, inner in source.value:
            if key.tag == _MERGE_TAG:
                if _merges_relevant(inner, relevant):
                    return True
            elif relevant(_scalar(key)):
                return True
    return False


_DUPLICATE_FIX = (
    "parsers disagree on which value wins (Python keeps the last, others the first), so the "
    "pack cannot tell which security API Gateway applies; remove the duplicate"
)


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


def audit_document(doc: Mapping[str, Any]) -> list[str]:
    """Faults of a document that API Gateway may read differently from this model.

    Each is a reason to fail closed rather than judge: a document declaring both versions (the
    importer may take the other one, and with it the other section's security schemes), path
    items and operations that are `$ref`s (resolved by the importer into operations this model
    never sees),
    operation keys that are not lower case (`GET:` is not an OpenAPI operation here, but an
    importer that ignores case would create an unguarded method), any other path-item key that
    is neither an operation, a Path Item field nor an ASCII `x-` extension (a Java importer may
    case-fold `post` spelled with a long s into POST), non-ASCII paths, and
    `x-amazon-apigateway-auth` (an authorization type, possibly NONE, set beside or instead
    of `security`).
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
        if isinstance(path, str) and not path.isascii():
            faults.append(
                f"path {path!r} has non-ASCII characters, which API Gateway's importer may "
                "case-fold or normalise into another path (and API Gateway paths are ASCII); "
                "write it in ASCII"
            )
        if is_extension(path) or not isinstance(item, dict):
            continue
        if "$ref" in item:
            faults.append(
                f"path {path!r} is a $ref path item ({item['$ref']!r}), which API Gateway "
                "resolves into operations this pack cannot see; define the operations inline"
            )
        if AUTH_EXTENSION in item:
            faults.append(_auth_extension_fault(f"path {path!r}", item[AUTH_EXTENSION]))
        for key, definition in item.items():
            if key in OPERATION_KEYS:
                where = f"{method_name(key)} {path}"
                if isinstance(definition, dict) and AUTH_EXTENSION in definition:
                    faults.append(_auth_extension_fault(where, definition[AUTH_EXTENSION]))
                if isinstance(definition, dict) and "$ref" in definition:
                    faults.append(_operation_ref_fault(where, definition))
                continue
            lowered = key.lower() if isinstance(key, str) else None
            if lowered in OPERATION_KEYS:
                faults.append(
                    f"{method_name(str(lowered))} {path} is written {key!r}; operation keys "
                    f"must be lower case ({lowered!r}), or this pack cannot judge an operation "
                    "API Gateway may still create"
                )
            elif key not in PATH_ITEM_FIELDS and not is_extension(key):
                faults.append(
                    f"path {path!r} has the key {key!r}, which is neither an operation (exactly "
                    "a lower-case ASCII method name) nor an x- extension; API Gateway's importer "
                    "may case-fold it into a method (Java's toUpperCase turns the long s U+017F "
                    "into 'S' and the dotless i U+0131 into 'I', so 'po\u017ft' can become "
                    "POST) that this pack cannot judge; "
                    "remove or rename it"
                )
    return faults


# The fields of an OpenAPI 2.0/3.x Path Item Object that are not operations.
PATH_ITEM_FIELDS: frozenset[str] = frozenset(
    {"$ref", "summary", "description", "servers", "parameters"}
)


# Sets a method's authorization type directly ("NONE" for open access, or "AWS_IAM");
# https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-auth.html
AUTH_EXTENSION = "x-amazon-apigateway-auth"


def _operation_ref_fault(where: str, definition: Mapping[str, Any]) -> str:
    # OpenAPI has no $ref Operation Object, and 3.0 ignores the siblings of a $ref, so a
    # `security` beside it may not count; what the importer makes of the target is unknown.
    beside = " (and the security beside it may be ignored: OpenAPI 3.0 ignores siblings of a $ref)"
    return (
        f"{where} is a $ref ({definition['$ref']!r}), which API Gateway resolves into an operation "
        f"this pack cannot see{beside if 'security' in definition else ''}; define the operation "
        "inline (an external $ref cannot be imported: bundle the document first)"
    )


def _auth_extension_fault(where: str, value: Any) -> str:
    return (
        f"{where} sets {AUTH_EXTENSION} ({value!r}), which sets the authorization type "
        "directly ('NONE' is open access) whatever security says, and this pack cannot tell "
        "which wins; remove it"
    )


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
