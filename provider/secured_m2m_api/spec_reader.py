"""Reading the stack's OpenAPI document strictly, once per process.

The program reads its spec with the policy pack's own strict reader
(`apigw_guard.model.body_text.parse_body_text`): a key written twice is refused instead of
silently losing a path or an operation (JSON and YAML keep the last value; another reader may
keep the first). YAML aliases and merge keys are allowed here, unlike in a body the pack
judges: the program sends API Gateway canonical JSON, in which they are already expanded, so
nobody reads them differently. The document is then checked for the shape every later step
needs (`validate_document`); what API Gateway's import refuses is `import_checks`' job.

The reader parses with libyaml where PyYAML has it (see `document._UniqueKeyLoader`), and a
process parses one text once: `make report` runs the program twice in preview (the report itself
never reads the spec: it reads the program's `api_plan` output), and a 4 MB YAML spec costs
seconds per parse. The cache is keyed by
the text's SHA-256, holds the last few documents, and hands out the same object each time:
callers must not change it (`openapi_body.prepare_document` works on a copy).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path
from typing import Any

from apigw_guard.model.body_text import parse_body_text
from apigw_guard.model.document import SpecError, validate_document

# Documents kept per process: the dev spec and a big one fit; a long test session's dozens
# of small specs are parsed again once they fall out.
_CACHE_SIZE = 4
_parsed: OrderedDict[str, dict[str, Any]] = OrderedDict()


def parse_spec_text(text: str, source: str) -> dict[str, Any]:
    """An OpenAPI 2.0 or 3.x document from JSON or YAML text, strictly read; cached by content.

    Raises `SpecError` naming `source`: not JSON or YAML, a duplicate key, not a mapping with
    `swagger: '2.0'` or `openapi: '3.x'` and a `paths` mapping of path items.
    """
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    cached = _parsed.get(digest)
    if cached is not None:
        _parsed.move_to_end(digest)
        return cached
    doc = validate_document(parse_body_text(text, source, allow_aliases=True), source)
    _parsed[digest] = doc
    while len(_parsed) > _CACHE_SIZE:
        _parsed.popitem(last=False)
    return doc


def load_spec_file(path: str | Path) -> dict[str, Any]:
    """Read an OpenAPI document from disk, with errors that name the file."""
    return parse_spec_text(read_spec_file(path), str(path))


def read_spec_file(path: str | Path) -> str:
    """An OpenAPI document's text, with errors that name the file (what a component is given:
    the text, never the path)."""
    p = Path(path)
    if not p.is_file():
        raise SpecError(
            f"{p}: OpenAPI document not found; expected a JSON or YAML file "
            "(set specPath in the stack config, relative to the project directory)"
        )
    try:
        return p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SpecError(f"{p}: cannot read the OpenAPI document ({err})") from None
