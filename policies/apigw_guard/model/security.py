"""Transitional: the names still imported from here, re-exported from their new homes.

`judge_document` is in operations.py, `COGNITO_AUTHORIZER_TYPE`, `SchemeKind` and
`classify_scheme` in schemes.py, `judge_api_body` in bodies.py. Delete this module once
components/openapi_body.py, tests/components and tests/program import from those modules.
"""

from __future__ import annotations

from .bodies import judge_api_body
from .operations import judge_document
from .schemes import COGNITO_AUTHORIZER_TYPE, SchemeKind, classify_scheme

__all__ = [
    "COGNITO_AUTHORIZER_TYPE",
    "SchemeKind",
    "classify_scheme",
    "judge_api_body",
    "judge_document",
]
