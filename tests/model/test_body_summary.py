# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""body_summary.py: one summary per body, cached by its text, keeping nothing of the document."""

from __future__ import annotations

import gc
import json
import tracemalloc

from apigw_guard.model.body_summary import summarize_body
from apigw_guard.model.options import JudgeOptions

POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"


def body(operations: int, builtin: bool = False) -> str:
    scheme = {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": [POOL]},
    }
    scopes = ["openid"] if builtin else ["api/read"]
    paths = {f"/r{i}": {"get": {"security": [{"pool": scopes}]}} for i in range(operations)}
    paths["/open"] = {"post": {}}
    doc = {"openapi": "3.0.1", "paths": paths, "components": {"securitySchemes": {"pool": scheme}}}
    return json.dumps(doc)


def test_summary_names_faults_scopes_built_in_scopes_and_trusts():
    summary = summarize_body(body(3, builtin=True), JudgeOptions(), "RestApi 'api' body")
    (fault,) = summary.faults
    assert fault.key == "POST /open"
    assert fault.problems[0].startswith("has no operation-level security")
    assert fault.pending == ()
    assert [(op.key, op.scopes, op.builtin_scopes) for op in summary.operations[:3]] == [
        (f"GET /r{i}", ("openid",), ("openid",)) for i in range(3)
    ]
    assert [(t.scheme, t.value, t.pool_id) for t in summary.trusts] == [
        ("pool", POOL, "us-east-1_AbC123")
    ]


def test_cached_summary_does_not_keep_the_parsed_document_alive():
    text = body(4000)
    gc.collect()
    tracemalloc.start()
    try:
        summarize_body(text, JudgeOptions(), "RestApi 'big' body")
        gc.collect()
        retained, _ = tracemalloc.get_traced_memory()
        document = json.loads(text)
        with_document, _ = tracemalloc.get_traced_memory()
        del document
    finally:
        tracemalloc.stop()
    # One line per operation (what the report and the stack advisories need), no document: a
    # fraction of what the parsed document alone takes.
    assert retained < (with_document - retained) / 4, (retained, with_document)
