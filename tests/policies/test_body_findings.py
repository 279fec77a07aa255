# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""bodies.py: a body's findings, cached by its text, keep nothing of the parsed document."""

from __future__ import annotations

import gc
import json
import tracemalloc

from apigw_guard.bodies import body_findings
from apigw_guard.model.options import JudgeOptions

POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
RESTAPI = "aws:apigateway/restApi:RestApi"


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


def test_findings_name_only_the_operations_that_need_a_word():
    findings = body_findings(RESTAPI, "api", {"body": body(3, builtin=True)}, JudgeOptions())
    assert findings is not None
    ((key, problems, pending),) = findings.faults
    assert key == "POST /open"
    assert problems[0].startswith("has no operation-level security")
    assert pending == ()
    assert findings.builtin_scopes == tuple(
        (f"GET /r{i}", ("openid",), ("openid",)) for i in range(3)
    )


def test_cached_findings_do_not_keep_the_parsed_document_alive():
    text = body(4000)
    tracemalloc.start()
    try:
        body_findings(RESTAPI, "api", {"body": text}, JudgeOptions())
        gc.collect()
        retained, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The parsed document of 4,000 operations takes several MiB; the findings a few hundred bytes.
    assert retained < 256 * 1024, retained
