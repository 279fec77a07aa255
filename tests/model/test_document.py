# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""document.py: parsing bodies and walking operations the way the REST import does."""

from __future__ import annotations

import pytest

from apigw_guard.model.document import (
    Operation,
    SpecError,
    iter_operations,
    method_name,
    security_schemes,
    spec_version,
    validate_document,
)


def test_versions():
    assert spec_version({"swagger": "2.0"}) == "2.0"
    assert spec_version({"openapi": "3.1.0"}) == "3"


def test_every_verb_is_an_operation_and_path_keys_are_not():
    item = {
        "parameters": [],
        "summary": "s",
        "servers": [],
        "$ref": "#/x",
        **{k: {} for k in ("get", "put", "post", "delete", "options", "head", "patch")},
        "x-amazon-apigateway-any-method": {},
    }
    doc = validate_document({"openapi": "3.0.1", "paths": {"/p": item}})
    keys = [op.key for op in iter_operations(doc)]
    assert keys == [
        "GET /p",
        "PUT /p",
        "POST /p",
        "DELETE /p",
        "OPTIONS /p",
        "HEAD /p",
        "PATCH /p",
        "ANY /p",
    ]


def test_method_name_and_key():
    assert method_name("x-amazon-apigateway-any-method") == "ANY"
    assert Operation("GET", "/a", {}).key == "GET /a"


def test_security_schemes_come_from_the_versions_own_section():
    schemes = {"s": {"type": "apiKey"}}
    assert security_schemes({"swagger": "2.0", "securityDefinitions": schemes}) == schemes
    assert security_schemes({"swagger": "2.0", "components": {"securitySchemes": schemes}}) == {}
    assert (
        security_schemes({"openapi": "3.0.0", "components": {"securitySchemes": schemes}})
        == schemes
    )
    assert security_schemes({"openapi": "3.0.0", "securityDefinitions": schemes}) == {}
    assert security_schemes({"openapi": "3.0.0", "components": []}) == {}


# -- parse_body_text and audit_document: what the pack refuses to guess about ----------------


def test_parse_body_text_refuses_duplicate_keys_in_json_and_yaml():
    from apigw_guard.model.body_text import parse_body_text

    with pytest.raises(SpecError, match="duplicate key 'security'"):
        parse_body_text('{"paths": {"/a": {"get": {"security": [], "security": [{"p": []}]}}}}')
    with pytest.raises(SpecError, match="duplicate key 'get'"):
        parse_body_text("paths:\n  /a:\n    get: {}\n    get: {security: []}\n")


def test_parse_body_text_accepts_merge_keys_bom_and_returns_raw_values():
    from apigw_guard.model.body_text import parse_body_text

    text = "x: &op {security: [], a: 1}\ny:\n  <<: *op\n  security: [{p: [s]}]\n"
    assert parse_body_text(text)["y"] == {"security": [{"p": ["s"]}], "a": 1}
    assert parse_body_text('\ufeff{"openapi": "3.0.1"}') == {"openapi": "3.0.1"}
    assert parse_body_text("[1, 2]") == [1, 2]  # validation is the caller's job
    with pytest.raises(SpecError, match="not valid JSON or YAML"):
        parse_body_text("a: [")


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        ({"swagger": "2.0", "openapi": "3.0.1", "paths": {}}, "declares both swagger"),
        ({"openapi": "3.0.1", "paths": {"/a": {"$ref": "#/x"}}}, "path '/a' is a $ref"),
        ({"openapi": "3.0.1", "paths": {"/a": {"Get": {}}}}, "GET /a is written 'Get'"),
        (
            {"openapi": "3.0.1", "paths": {"/a": {"X-Amazon-Apigateway-Any-Method": {}}}},
            "ANY /a is written",
        ),
        (
            {"openapi": "3.0.1", "paths": {"/a": {"put": {"x-amazon-apigateway-auth": {}}}}},
            "PUT /a sets x-amazon-apigateway-auth",
        ),
        (
            {"openapi": "3.0.1", "x-amazon-apigateway-auth": {"type": "NONE"}, "paths": {}},
            "the document sets x-amazon-apigateway-auth ({'type': 'NONE'})",
        ),
    ],
)
def test_audit_document_names_what_api_gateway_may_read_differently(doc, fragment):
    from apigw_guard.model.document_audit import audit_document

    (fault,) = audit_document(doc)
    assert fragment in fault


def test_audit_document_passes_an_ordinary_document():
    from apigw_guard.model.document_audit import audit_document

    doc = {"openapi": "3.0.1", "paths": {"/a": {"get": {}, "parameters": [], "summary": "s"}}}
    assert audit_document(doc) == []
