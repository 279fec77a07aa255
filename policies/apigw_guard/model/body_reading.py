"""Reading an OpenAPI body as a policy sees it (text, a mapping, or unknown), strictly.

What API Gateway's importer might read differently from this model fails closed: text is read
with `body_text.parse_body_text` (duplicate keys refused, YAML aliases that carry security
refused, a byte-order mark dropped) and the document audited with
`document_audit.audit_document` (both version markers, `$ref`s, upper-case operation keys,
`x-amazon-apigateway-auth`, non-ASCII paths).
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .body_text import parse_body_text
from .document import (
    OPERATION_KEYS,
    SpecError,
    is_extension,
    method_name,
    validate_document,
)
from .document_audit import audit_document
from .unknown import UNKNOWN

# A body with hundreds of ambiguous parts (a spec whose every operation is a $ref) is named by
# its first few, so that one message stays readable.
MAX_FAULTS = 5


@dataclass(frozen=True)
class Unreadable:
    """A body that gives no operations to judge: `error` (it cannot be read: fail closed) or
    `pending` (it, or its version or paths, is not known until the update)."""

    error: str | None = None
    pending: str | None = None


def read_api_body(body: Any, source: str = "body") -> dict[str, Any] | Unreadable:
    """The validated, audited document of a body, or why it gives none.

    A body that is text is only ever wholly known or wholly unknown (an output embedded in a
    string makes the whole string unknown during preview); a mapping may hold UNKNOWN anywhere.
    """
    if body is UNKNOWN:
        return Unreadable(
            # Which output it is built from is not in an Analyze request: do not guess one.
            pending=f"{source} is not known during preview (it is built from outputs of other "
            "resources, known only after the update)"
        )
    doc: Any = body
    if isinstance(body, str):
        if not body.strip():
            return Unreadable(error=f"{source} is empty; expected an OpenAPI 2.0 or 3.x document")
        try:
            doc = parse_body_text(body, source)
        except SpecError as err:
            return Unreadable(error=str(err))
        except (RecursionError, ValueError, TypeError) as err:
            return Unreadable(error=f"{source}: cannot be parsed ({type(err).__name__})")
    if _structure_unknown(doc):
        return Unreadable(
            pending=f"{source} has its version or its paths unknown during preview, so its "
            "operations are not known"
        )
    try:
        valid = validate_document(doc, source)
        faults = audit_document(valid)
    except SpecError as err:
        return Unreadable(error=str(err))
    except RecursionError:
        return Unreadable(error=f"{source}: nested too deeply to be judged")
    if faults:
        more = f"; and {len(faults) - MAX_FAULTS} more" if len(faults) > MAX_FAULTS else ""
        return Unreadable(error=f"{source}: " + "; ".join(faults[:MAX_FAULTS]) + more)
    return valid


def unknown_parts(doc: dict[str, Any]) -> list[str]:
    """The path items and operations of a validated document that are not known yet.

    Only these: an unknown value inside an operation or a scheme is judged in place
    (`operations.judge_operation`), and an unknown scheme section makes each operation that
    names a scheme pending there.
    """
    unknown: list[str] = []
    for path, item in doc["paths"].items():
        if is_extension(path):
            continue
        if item is UNKNOWN:
            unknown.append(f"path item {path!r}")
        elif isinstance(item, dict):
            unknown.extend(
                f"{method_name(key)} {path}"
                for key, value in item.items()
                if value is UNKNOWN and key in OPERATION_KEYS
            )
    return unknown


def _structure_unknown(doc: Any) -> bool:
    # Only an unknown version (which scheme section counts) or unknown paths (which operations
    # exist) hide the whole body. Unknown path items, operations and scheme sections leave the
    # known operations to be judged (see `unknown_parts`, `operations.iter_verdicts`).
    if not isinstance(doc, dict):
        return doc is UNKNOWN
    return any(doc.get(k) is UNKNOWN for k in ("swagger", "openapi", "paths"))
