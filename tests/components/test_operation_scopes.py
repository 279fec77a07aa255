# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""operation_scopes.py: which scopes guard which operation (moved out of the pack)."""

from __future__ import annotations

import pytest

from apigw_guard.model.document import Operation
from secured_m2m_api.operation_scopes import (
    DEFAULT_SCOPES,
    DefaultScopes,
    ScopeMappingError,
    normalize_operation_key,
    resolve_operation_scopes,
    scope_identifier,
)

OPS = [Operation("GET", "/pets", {}), Operation("POST", "/pets", {}), Operation("HEAD", "/x", {})]


def test_scope_identifier_drops_a_trailing_slash():
    assert scope_identifier("https://api.example.com/", "read") == "https://api.example.com/read"
    assert scope_identifier("pets", "write") == "pets/write"


def test_default_scopes_split_safe_and_unsafe_methods():
    assert DEFAULT_SCOPES.for_method("get") == "read"
    assert DEFAULT_SCOPES.for_method("DELETE") == "write"
    assert DefaultScopes(safe="r", unsafe="w").for_method("OPTIONS") == "r"


@pytest.mark.parametrize(
    ("raw", "norm"), [("get /pets", "GET /pets"), (" POST   /a/b ", "POST /a/b")]
)
def test_normalize_operation_key(raw, norm):
    assert normalize_operation_key(raw) == norm


@pytest.mark.parametrize("raw", ["GET", "FETCH /a", "/a GET", 3])
def test_normalize_rejects_non_keys(raw):
    with pytest.raises(ScopeMappingError, match="is not an operation key"):
        normalize_operation_key(raw)


def test_resolve_uses_mapping_then_defaults():
    resolved = resolve_operation_scopes(
        OPS, {"post /pets": ["admin", "admin"]}, ["read", "write", "admin"], DEFAULT_SCOPES
    )
    assert resolved.scopes == {"GET /pets": ["read"], "POST /pets": ["admin"], "HEAD /x": ["read"]}
    assert resolved.sources == {
        "GET /pets": "default rule",
        "POST /pets": "operationScopes",
        "HEAD /x": "default rule",
    }


@pytest.mark.parametrize(
    ("mapping", "defaults", "match"),
    [
        ({"GET /nope": ["read"]}, DEFAULT_SCOPES, "is not an operation of the OpenAPI document"),
        ({"GET /pets": []}, DEFAULT_SCOPES, "an empty list leaves the operation without any scope"),
        ({"GET /pets": ["admin"]}, DEFAULT_SCOPES, "'admin' is not a scope of the resource server"),
        ({"GET /pets": ["read"], "get /pets": ["read"]}, DEFAULT_SCOPES, "is listed twice"),
        ({}, None, "'GET /pets' has no scope"),
        ({}, DefaultScopes(safe="view"), "default scope 'view' is not a scope"),
    ],
)
def test_resolve_rejects_unguarded_or_undefined(mapping, defaults, match):
    with pytest.raises(ScopeMappingError, match=match):
        resolve_operation_scopes(OPS, mapping, ["read", "write"], defaults)


def test_an_unknown_operation_names_the_closest_ones_not_every_operation():
    many = [Operation("GET", f"/things{i}/{{id}}", {}) for i in range(1000)]
    with pytest.raises(ScopeMappingError) as err:
        resolve_operation_scopes(many, {"GET /thing7/{id}": ["read"]}, ["read"], DEFAULT_SCOPES)
    message = str(err.value)
    assert message.startswith(
        "operationScopes: 'GET /thing7/{id}' is not an operation of the OpenAPI document "
        "(1000 operations); did you mean 'GET /things7/{id}'"
    )
    assert len(message) < 300


def test_an_unknown_operation_with_nothing_close_shows_the_first_few():
    with pytest.raises(ScopeMappingError) as err:
        resolve_operation_scopes(OPS, {"DELETE /zzz": ["read"]}, ["read", "write"], DEFAULT_SCOPES)
    assert str(err.value) == (
        "operationScopes: 'DELETE /zzz' is not an operation of the OpenAPI document "
        "(3 operations); its operations include GET /pets, POST /pets, HEAD /x"
    )


def test_a_dropped_cors_preflight_is_named_as_such():
    with pytest.raises(ScopeMappingError, match=r"'OPTIONS /pets' is a CORS preflight"):
        resolve_operation_scopes(
            OPS, {"OPTIONS /pets": ["read"]}, ["read"], DEFAULT_SCOPES, dropped=["OPTIONS /pets"]
        )


def test_options_is_an_operation_like_the_rest():
    ops = [*OPS, Operation("OPTIONS", "/proxy", {})]
    resolved = resolve_operation_scopes(
        ops, {"OPTIONS /proxy": ["write"]}, ["read", "write"], DEFAULT_SCOPES
    )
    assert resolved.scopes["OPTIONS /proxy"] == ["write"]
