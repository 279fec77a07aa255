"""Judging a whole OpenAPI body as a policy sees it: text, a mapping, or unknown.

Bodies are read strictly (`document.parse_body_text`, `document.audit_document`): what API
Gateway's importer might read differently from this model fails closed.
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .document import SpecError, audit_document, parse_body_text, validate_document
from .operations import ApiKind, Verdict, iter_verdicts
from .options import JudgeOptions
from .unknown import UNKNOWN


@dataclass(frozen=True)
class BodyJudgement:
    """The judgement of a whole OpenAPI body.

    Exactly one of three states: `error` (the body cannot be read; fail closed), `pending`
    (the body, or its structure, is not known until the update), or `verdicts`. Verdicts hold
    their operations, which refer into the parsed document: keep a judgement no longer than the
    document.
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
        return BodyJudgement(verdicts=tuple(iter_verdicts(doc, options, api)))
    except RecursionError:
        return BodyJudgement(error=f"{source}: nested too deeply to be judged")


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
            pending=f"{source} has parts (paths, operations or security schemes) that are not "
            "known during preview"
        )
    try:
        valid = validate_document(doc, source)
        faults = audit_document(valid)
    except SpecError as err:
        return BodyJudgement(error=str(err))
    except RecursionError:
        return BodyJudgement(error=f"{source}: nested too deeply to be judged")
    if faults:
        return BodyJudgement(error=f"{source}: " + "; ".join(faults))
    return valid


def _structure_unknown(doc: Any) -> bool:
    # Unknowns in the skeleton (version, paths, path items, operations, the scheme section)
    # hide which operations exist; unknowns inside an operation or scheme are judged in place.
    if not isinstance(doc, dict):
        return doc is UNKNOWN
    if any(doc.get(k) is UNKNOWN for k in ("swagger", "openapi", "paths", "securityDefinitions")):
        return True
    components = doc.get("components")
    if components is UNKNOWN or (
        isinstance(components, dict) and components.get("securitySchemes") is UNKNOWN
    ):
        return True
    paths = doc.get("paths")
    if isinstance(paths, dict):
        for item in paths.values():
            if item is UNKNOWN:
                return True
            if isinstance(item, dict) and any(v is UNKNOWN for v in item.values()):
                return True
    return False
