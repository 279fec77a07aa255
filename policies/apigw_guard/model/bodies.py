"""Judging a whole OpenAPI body as a policy sees it: text, a mapping, or unknown.

Bodies are read strictly (`document.parse_body_text`, `document.audit_document`): what API
Gateway's importer might read differently from this model fails closed.
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .document import (
    OPERATION_KEYS,
    SpecError,
    audit_document,
    is_extension,
    method_name,
    parse_body_text,
    validate_document,
)
from .operations import ApiKind, Verdict, iter_verdicts
from .options import JudgeOptions
from .unknown import UNKNOWN

# A body with hundreds of ambiguous parts (a spec whose every operation is a $ref) is named by
# its first few, so that one message stays readable.
MAX_FAULTS = 5


@dataclass(frozen=True)
class BodyJudgement:
    """The judgement of a whole OpenAPI body.

    `error` (the body cannot be read; fail closed) excludes the rest. Otherwise `verdicts`
    judge every known operation and `pending` names what is not known until the update: the
    whole body (no verdicts), or parts of it (path items, operations) beside the verdicts of
    the known ones, so that a known fault is reported during preview whatever else is unknown.
    Verdicts hold their operations, which refer into the parsed document: keep a judgement no
    longer than the document.
    """

    verdicts: tuple[Verdict, ...] = ()
    error: str | None = None
    pending: str | None = None


def judge_api_body(
    body: Any, options: JudgeOptions | None = None, source: str = "body", api: ApiKind = "rest"
) -> BodyJudgement:
    """Judge an OpenAPI body given as JSON/YAML text, a parsed mapping, or UNKNOWN.

    The body is read with `read_api_body`; `api` is "rest" or "http" (see
    `operations.judge_document`).
    """
    doc = read_api_body(body, source)
    if isinstance(doc, BodyJudgement):
        return doc
    try:
        verdicts = tuple(iter_verdicts(doc, options, api))
    except RecursionError:
        return BodyJudgement(error=f"{source}: nested too deeply to be judged")
    unknown = pending_parts(doc)
    return BodyJudgement(
        verdicts=verdicts,
        pending=f"{source} has parts not known during preview: {'; '.join(unknown)}"
        if unknown
        else None,
    )


def pending_parts(doc: dict[str, Any]) -> list[str]:
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


def read_api_body(body: Any, source: str = "body") -> dict[str, Any] | BodyJudgement:
    """The validated document of a body, or the judgement of a body that cannot be judged.

    A body that is text is only ever wholly known or wholly unknown (an output embedded in a
    string makes the whole string unknown during preview); a mapping may hold UNKNOWN anywhere.
    Fails closed on ambiguity: text is read with `parse_body_text` (duplicate keys refused, a
    byte-order mark dropped) and the document with `audit_document` (both version markers,
    `$ref` path items, upper-case operation keys, `x-amazon-apigateway-auth`).
    """
    if body is UNKNOWN:
        return BodyJudgement(
            # Which output it is built from is not in an Analyze request: do not guess one.
            pending=f"{source} is not known during preview (it is built from outputs of other "
            "resources, known only after the update)"
        )
    doc: Any = body
    if isinstance(body, str):
        if not body.strip():
            return BodyJudgement(
                error=f"{source} is empty; expected an OpenAPI 2.0 or 3.x document"
            )
        try:
            doc = parse_body_text(body, source)
        except SpecError as err:
            return BodyJudgement(error=str(err))
        except (RecursionError, ValueError, TypeError) as err:
            return BodyJudgement(error=f"{source}: cannot be parsed ({type(err).__name__})")
    if _structure_unknown(doc):
        return BodyJudgement(
            pending=f"{source} has its version or its paths unknown during preview, so its "
            "operations are not known"
        )
    try:
        valid = validate_document(doc, source)
        faults = audit_document(valid)
    except SpecError as err:
        return BodyJudgement(error=str(err))
    except RecursionError:
        return BodyJudgement(error=f"{source}: nested too deeply to be judged")
    if faults:
        more = f"; and {len(faults) - MAX_FAULTS} more" if len(faults) > MAX_FAULTS else ""
        return BodyJudgement(error=f"{source}: " + "; ".join(faults[:MAX_FAULTS]) + more)
    return valid


def _structure_unknown(doc: Any) -> bool:
    # Only an unknown version (which scheme section counts) or unknown paths (which operations
    # exist) hide the whole body. Unknown path items, operations and scheme sections leave the
    # known operations to be judged (see `pending_parts`, `operations.iter_verdicts`).
    if not isinstance(doc, dict):
        return doc is UNKNOWN
    return any(doc.get(k) is UNKNOWN for k in ("swagger", "openapi", "paths"))
