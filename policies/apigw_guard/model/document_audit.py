"""Auditing a document for what API Gateway's importer may read differently from this model.

Each fault is a reason to fail closed rather than judge (see `audit_document`).
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .document import OPERATION_KEYS, is_extension, method_name


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
