# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Issue 9's bypass classes over the protocol: each bypass blocked, its neighbour silent.

Non-ASCII or unknown path-item keys, YAML aliases and merge keys that carry security, Cognito
combined with IAM or a Lambda authorizer, look-alike issuers, faults hidden by unknown siblings
during preview, and the false alarms on `x-` keys under `paths` and documentation-only schemes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offline_engine import COMPUTED, PolicyPackProcess, resource

POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
BODY_POLICY = "apigateway-restapi-body-operation-security"
HTTP_BODY_POLICY = "apigateway-httpapi-body-route-security"
COGNITO: dict[str, Any] = {
    "type": "apiKey",
    "name": "Authorization",
    "in": "header",
    "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": [POOL]},
}
GOOD = {"security": [{"pool": ["api/read"]}]}


def doc(paths: Any, **schemes: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.1",
        "paths": paths,
        "components": {"securitySchemes": {"pool": COGNITO, **schemes}},
    }


def restapi(body: Any) -> Any:
    return resource("aws:apigateway/restApi:RestApi", "api", {"body": body, "failOnWarnings": True})


def blocking(pack: PolicyPackProcess, body: Any, policy: str = BODY_POLICY) -> list[str]:
    pack.configure(default_level=None)
    diags = pack.analyze(restapi(body))
    assert all("can't run policy" not in d.message for d in diags), diags
    return [d.message for d in diags if d.mandatory and d.policy_name == policy]


# ---- 2. non-ASCII operation keys and paths -----------------------------------------------------
@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("po\u017ft", "neither an operation"),  # long s: Java's toUpperCase makes it POST
        ("get\u0131", "neither an operation"),  # dotless i
        ("x-amazon-apigateway-any-meth\u00f6d", "neither an operation"),  # non-ASCII x- key
        ("Post", "is written 'Post'"),
    ],
)
def test_non_ascii_or_folded_operation_key_fails_closed(pack, key, fragment):
    body = json.dumps(doc({"/pets": {"get": GOOD, key: {}}}))
    messages = blocking(pack, body)
    assert any(fragment in m for m in messages), messages


def test_non_ascii_path_fails_closed(pack):
    messages = blocking(pack, json.dumps(doc({"/p\u0131ts": {"get": GOOD}})))
    assert any("non-ASCII characters" in m for m in messages), messages


def test_ascii_extensions_and_path_item_fields_stay_valid(pack):
    item = {"get": GOOD, "summary": "s", "parameters": [], "x-amazon-apigateway-cors": {}}
    assert blocking(pack, json.dumps(doc({"/pets": item}))) == []


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(key=st.text(min_size=1, max_size=8))
def test_any_path_item_key_is_an_operation_a_field_an_extension_or_blocked(pack, key):
    allowed = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    allowed |= {"x-amazon-apigateway-any-method", "summary", "description", "parameters"}
    allowed |= {"servers"}
    item = {"get": GOOD} if key in allowed else {"get": GOOD, key: {}}
    if key in allowed and key not in ("summary", "description", "parameters", "servers"):
        item[key] = GOOD
    messages = blocking(pack, json.dumps(doc({"/pets": item})))
    harmless = key in allowed or (key.startswith("x-") and key.isascii())
    assert bool(messages) != harmless, (key, messages)


# ---- 3. YAML aliases and merge keys that supply security --------------------------------------
HEADER = """openapi: 3.0.1
components:
  securitySchemes:
    pool: &pool
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer:
        type: cognito_user_pools
        providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123]
x-sec: &sec [{pool: [api/read]}]
x-op: &op {security: [{pool: [api/read]}]}
x-int: &int {type: mock}
"""


@pytest.mark.parametrize(
    ("paths", "fragment"),
    [
        ("  /pets: {get: *op}", "GET /pets is a YAML alias"),
        ("  /pets: {get: {security: *sec}}", "GET /pets.security is a YAML alias"),
        ("  /pets: {get: {<<: *op}}", "GET /pets takes security-relevant keys"),
        ("  /pets: &item {get: {security: [{pool: [api/read]}]}}\n  /dogs: *item", "'/dogs'"),
        ("  /pets: {<<: {get: {security: [{pool: [api/read]}]}}}", "path '/pets' takes"),
    ],
)
def test_alias_or_merge_key_supplying_security_fails_closed(pack, paths, fragment):
    messages = blocking(pack, HEADER + "paths:\n" + paths + "\n")
    assert any(fragment in m and "write the content out in full" in m for m in messages), messages


def test_aliased_security_scheme_fails_closed(pack):
    arn_line = (
        "        providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/"
        "us-east-1_AbC123]\n"
    )
    aliased = HEADER.replace(arn_line, arn_line + "    copy: *pool\n", 1)
    paths = "paths:\n  /pets: {get: {security: [{copy: [api/read]}]}}\n"
    messages = blocking(pack, aliased + paths)
    assert any("securitySchemes.copy is a YAML alias" in m for m in messages), messages


def test_alias_of_a_scheme_outside_the_scheme_section_is_harmless(pack):
    text = HEADER.replace("x-sec:", "x-dup: {other: *pool}\nx-sec:")
    assert blocking(pack, text + "paths:\n  /pets: {get: {security: [{pool: [api/read]}]}}\n") == []


def test_shared_integration_by_alias_stays_valid(pack):
    paths = (
        "  /pets:\n"
        "    get: {security: [{pool: [api/read]}], x-amazon-apigateway-integration: *int}\n"
        "    post: {security: [{pool: [api/read]}], x-amazon-apigateway-integration: *int}\n"
    )
    assert blocking(pack, HEADER + "paths:\n" + paths) == []


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(["get", "post", "put", "delete"]), min_size=1, unique=True))
def test_any_operation_supplied_by_alias_is_blocked(pack, verbs):
    paths = "  /pets: {" + ", ".join(f"{v}: *op" for v in verbs) + "}\n"
    assert blocking(pack, HEADER + "paths:\n" + paths)


# ---- 4. Cognito combined with IAM or a Lambda authorizer -----------------------------------------
SIGV4 = {"type": "apiKey", "name": "Authorization", "in": "header"}
SIGV4 = {**SIGV4, "x-amazon-apigateway-authtype": "awsSigv4"}
LAMBDA = {
    "type": "apiKey",
    "name": "Authorization",
    "in": "header",
    "x-amazon-apigateway-authtype": "custom",
    "x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": "arn:..."},
}
KEY = {"type": "apiKey", "name": "x-api-key", "in": "header"}


@pytest.mark.parametrize(("name", "scheme"), [("sigv4", SIGV4), ("lam", LAMBDA)])
def test_cognito_combined_with_iam_or_lambda_fails_closed(pack, name, scheme):
    op: dict[str, Any] = {"security": [{"pool": ["api/read"], name: []}]}
    messages = blocking(pack, json.dumps(doc({"/pets": {"get": op}}, **{name: scheme})))
    assert any("combines a Cognito scheme with" in m for m in messages), messages


def test_sigv4_alone_is_iam_not_an_api_key(pack):
    op: dict[str, Any] = {"security": [{"sigv4": []}]}
    messages = blocking(pack, json.dumps(doc({"/pets": {"get": op}}, sigv4=SIGV4)))
    assert any("IAM (awsSigv4)" in m for m in messages), messages


def test_api_key_beside_cognito_stays_valid(pack):
    op = {"security": [{"pool": ["api/read"], "key": []}]}
    assert blocking(pack, json.dumps(doc({"/pets": {"get": op}}, key=KEY))) == []


# ---- 5. issuers and pools ----------------------------------------------------------------------
def http_api(issuer: str) -> Any:
    scheme = {
        "type": "oauth2",
        "x-amazon-apigateway-authorizer": {
            "type": "jwt",
            "identitySource": "$request.header.Authorization",
            "jwtConfiguration": {"issuer": issuer, "audience": ["client1"]},
        },
    }
    body = {
        "openapi": "3.0.1",
        "paths": {"/pets": {"get": {"security": [{"jwt": ["api/read"]}]}}},
        "components": {"securitySchemes": {"jwt": scheme}},
    }
    return resource(
        "aws:apigatewayv2/api:Api",
        "http",
        {"protocolType": "HTTP", "failOnWarnings": True, "body": json.dumps(body)},
    )


@pytest.mark.parametrize(
    "issuer",
    [
        "https://cognito-idp.s3.amazonaws.com/s3_AbC123",
        "https://cognito-idp.us-east-1.amazonaws.com/eu-west-1_AbC123",
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123\n",
    ],
)
def test_look_alike_issuer_is_blocked(pack, issuer):
    pack.configure(default_level=None)
    diags = pack.analyze(http_api(issuer))
    assert any(d.mandatory and d.policy_name == HTTP_BODY_POLICY for d in diags), diags


def test_real_issuer_passes(pack):
    pack.configure(default_level=None)
    issuer = "https://cognito-idp.eu-central-2.amazonaws.com/eu-central-2_AbC123"
    assert [d for d in pack.analyze(http_api(issuer)) if d.mandatory] == []


def test_pool_arn_of_another_region_is_blocked(pack):
    bad = POOL.replace("userpool/us-east-1_", "userpool/s3_")
    authorizer = {"type": "cognito_user_pools", "providerARNs": [bad]}
    scheme = {**COGNITO, "x-amazon-apigateway-authorizer": authorizer}
    body = {
        "openapi": "3.0.1",
        "paths": {"/pets": {"get": GOOD}},
        "components": {"securitySchemes": {"pool": scheme}},
    }
    messages = blocking(pack, json.dumps(body))
    assert any("not user pool ARNs" in m for m in messages), messages


# ---- 6. preview: known faults beside unknown parts ------------------------------------------
@pytest.mark.parametrize(
    "paths",
    [
        {"/open": {"post": {}}, "/later": COMPUTED},
        {"/open": {"post": {}, "get": COMPUTED}},
    ],
)
def test_known_open_operation_is_reported_beside_unknown_siblings(pack, paths):
    pack.configure(default_level=None)
    diags = pack.analyze(restapi(doc(paths)))
    assert any(d.mandatory and "POST /open" in d.message for d in diags), diags
    assert any("can't run policy" in d.message for d in diags), diags  # the rest: at update


def test_known_open_operation_is_reported_while_schemes_are_unknown(pack):
    pack.configure(default_level=None)
    body = {
        "openapi": "3.0.1",
        "paths": {"/open": {"post": {"security": []}}, "/pets": {"get": GOOD}},
        "components": {"securitySchemes": COMPUTED},
    }
    diags = pack.analyze(restapi(body))
    assert any(d.mandatory and "POST /open" in d.message for d in diags), diags
    assert not any(d.mandatory and "GET /pets" in d.message for d in diags), diags
    assert any("can't run policy" in d.message and "GET /pets" in d.message for d in diags)


def test_unknown_sibling_of_protected_operations_only_defers(pack):
    pack.configure(default_level=None)
    diags = pack.analyze(restapi(doc({"/pets": {"get": GOOD}, "/later": COMPUTED})))
    assert [d for d in diags if d.mandatory] == []
    assert any("'/later'" in d.message for d in diags), diags


# ---- 11. no false alarm -------------------------------------------------------------------------
def test_extension_keys_under_paths_are_not_faults(pack):
    paths = {"/pets": {"get": GOOD}, "x-amazon-apigateway-docs": {"note": "x"}, "x-foo": 1}
    assert blocking(pack, json.dumps(doc(paths))) == []
    assert blocking(pack, yaml.safe_dump(doc(paths))) == []


def test_documentation_only_scheme_beside_cognito_is_not_a_fault(pack):
    oauth = {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://x/t"}}}
    op = {"security": [{"pool": ["api/read"], "oauth": ["api/read"]}]}
    assert blocking(pack, json.dumps(doc({"/pets": {"get": op}}, oauth=oauth))) == []


def test_documentation_only_scheme_alone_still_fails(pack):
    oauth = {"type": "oauth2", "flows": {}}
    op = {"security": [{"oauth": ["api/read"]}]}
    messages = blocking(pack, json.dumps(doc({"/pets": {"get": op}}, oauth=oauth)))
    assert any("REST import ignores" in m for m in messages), messages
