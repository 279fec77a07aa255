"""Building the guarded body: plain functions over dicts, judged by the policy pack's model."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from apigw_guard.model.body_summary import summarize_body
from apigw_guard.model.document import OPERATION_KEYS, SpecError, iter_operations, method_name
from secured_m2m_api.openapi_body import (
    COGNITO_SCHEME_NAME,
    UnprotectedBodyError,
    check_protected,
    plan_api,
    prepare_document,
    protect_document,
    serialize_body,
)
from secured_m2m_api.operation_scopes import ScopeMappingError

ARN = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc"
IDENTIFIER = "https://api.example.com/v1"


def _doc(version: str = "3") -> dict[str, Any]:
    head: dict[str, Any] = {"swagger": "2.0"} if version == "2.0" else {"openapi": "3.0.1"}
    return {
        **head,
        "info": {"title": "Pets", "version": "1"},
        "security": [{"legacy": []}],
        "paths": {
            "/pets": {
                "get": {"responses": {}},
                "post": {"responses": {}, "security": [{"api_key": []}]},
                "options": {"x-amazon-apigateway-integration": {"type": "mock"}},
            },
            "/cors-only": {"options": {"x-amazon-apigateway-integration": {"type": "MOCK"}}},
        },
    }


PROXY_OPTIONS = {
    "responses": {},
    "x-amazon-apigateway-integration": {"type": "http_proxy", "uri": "https://k8s.example/x"},
}


def test_prepare_drops_preflights_and_root_security_without_touching_the_input() -> None:
    doc = _doc()
    prepared = prepare_document(doc)
    assert prepared.dropped_operations == ("OPTIONS /pets", "OPTIONS /cors-only")
    assert "security" not in prepared.document
    assert "/cors-only" not in prepared.document["paths"]
    assert [op.key for op in iter_operations(prepared.document)] == ["GET /pets", "POST /pets"]
    assert "options" in doc["paths"]["/pets"], "input was mutated"


def test_an_options_operation_that_is_no_preflight_stays_and_is_protected() -> None:
    # Kubernetes' proxy OPTIONS reaches a backend: dropping it would be wrong, and leaving it
    # open worse. Only a MOCK integration (API Gateway answering itself) is a preflight.
    doc = _doc()
    doc["paths"]["/proxy/{path}"] = {"options": PROXY_OPTIONS, "get": {"responses": {}}}
    doc["paths"]["/no-integration"] = {"options": {"responses": {}}}
    plan = plan_api(doc, {"OPTIONS /proxy/{path}": ["write"]}, ["read", "write"])
    assert plan.dropped_operations == ("OPTIONS /pets", "OPTIONS /cors-only")
    assert plan.operation_scopes["OPTIONS /proxy/{path}"] == ["write"]
    assert plan.operation_scopes["OPTIONS /no-integration"] == ["read"]  # the default rule
    body = json.loads(plan.render(pool_arn=ARN, identifier=IDENTIFIER))
    protected = {op.key for op in summarize_body(body).operations if op.protected}
    assert {"OPTIONS /proxy/{path}", "OPTIONS /no-integration"} <= protected


@pytest.mark.parametrize(
    ("version", "section"),
    [("2.0", ("securityDefinitions",)), ("3", ("components", "securitySchemes"))],
)
def test_injects_the_cognito_scheme_where_the_version_defines_schemes(
    version: str, section: tuple[str, ...]
) -> None:
    doc = prepare_document(_doc(version)).document
    body = protect_document(
        doc, {"GET /pets": ["read"], "POST /pets": ["write"]}, pool_arn=ARN, identifier=IDENTIFIER
    )
    schemes: Any = body
    for key in section:
        schemes = schemes[key]
    assert schemes[COGNITO_SCHEME_NAME] == {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "x-amazon-apigateway-authtype": "cognito_user_pools",
        "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": [ARN]},
    }
    assert all(v.protected for v in summarize_body(body).operations)


def test_writes_full_scope_identifiers_on_every_operation_replacing_existing_security() -> None:
    doc = prepare_document(_doc()).document
    body = protect_document(
        doc,
        {"GET /pets": ["read"], "POST /pets": ["write", "read"]},
        pool_arn=ARN,
        identifier=IDENTIFIER + "/",
    )
    ops = {op.key: op.definition["security"] for op in iter_operations(body)}
    assert ops == {
        "GET /pets": [{COGNITO_SCHEME_NAME: [f"{IDENTIFIER}/read"]}],
        "POST /pets": [{COGNITO_SCHEME_NAME: [f"{IDENTIFIER}/write", f"{IDENTIFIER}/read"]}],
    }


def test_refuses_to_build_an_operation_without_scopes() -> None:
    doc = prepare_document(_doc()).document
    with pytest.raises(UnprotectedBodyError, match=r"POST /pets: no scopes resolved"):
        protect_document(doc, {"GET /pets": ["read"]}, pool_arn=ARN, identifier=IDENTIFIER)


def test_check_protected_names_the_unguarded_operation() -> None:
    doc = prepare_document(_doc()).document
    with pytest.raises(UnprotectedBodyError, match=r"GET /pets: has no operation-level security"):
        check_protected(doc)


def test_serialized_body_is_canonical() -> None:
    a = {"b": 1, "a": {"d": [1, 2], "c": "é"}}
    b = {"a": {"c": "é", "d": [1, 2]}, "b": 1}
    assert serialize_body(a) == serialize_body(b) == '{"a":{"c":"é","d":[1,2]},"b":1}'


def test_plan_applies_the_default_rule_and_renders_a_guarded_body() -> None:
    plan = plan_api(_doc(), {}, ["read", "write"])
    assert plan.operation_scopes == {"GET /pets": ["read"], "POST /pets": ["write"]}
    assert plan.title == "Pets"
    body = json.loads(plan.render(pool_arn=ARN, identifier=IDENTIFIER))
    assert all(v.protected for v in summarize_body(body).operations)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"OPTIONS /pets": ["read"]}, r"'OPTIONS /pets' is a CORS preflight \(an OPTIONS"),
        ({"DELETE /pets": ["read"]}, r"'DELETE /pets' is not an operation of the OpenAPI"),
        ({"GET /pets": ["admin"]}, r"'admin' is not a scope of the resource server"),
        ({"GET /pets": []}, r"an empty list leaves the operation without any scope"),
        ({"FETCH /pets": ["read"]}, r"'FETCH /pets' is not an operation key"),
    ],
)
def test_plan_rejects_a_mapping_that_cannot_guard_the_spec(
    mapping: dict[str, list[str]], message: str
) -> None:
    with pytest.raises(ScopeMappingError, match=message):
        plan_api(_doc(), mapping, ["read", "write"])


_SCOPES = ["read", "write", "admin"]
_PREFLIGHT = {"x-amazon-apigateway-integration": {"type": "mock"}}


@st.composite
def _spec_and_mapping(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, list[str]]]:
    version = draw(st.sampled_from(["2.0", "3"]))
    paths: dict[str, Any] = {}
    for index in range(draw(st.integers(1, 6))):
        keys = draw(st.lists(st.sampled_from(OPERATION_KEYS), min_size=1, unique=True))
        item: dict[str, Any] = {}
        for key in keys:
            op: dict[str, Any] = {"responses": {}}
            if key == "options" and draw(st.booleans()):
                op.update(_PREFLIGHT)
            if draw(st.booleans()):
                op["security"] = draw(st.sampled_from([[], [{}], [{"other": []}]]))
            item[key] = op
        paths[f"/r{index}"] = item
    doc: dict[str, Any] = {"swagger": "2.0"} if version == "2.0" else {"openapi": "3.0.3"}
    doc["paths"] = paths
    if draw(st.booleans()):
        doc["security"] = [{"other": []}]
    keys = [
        f"{method_name(k)} {p}"
        for p, item in paths.items()
        for k, op in item.items()
        if not (k == "options" and op.get("x-amazon-apigateway-integration"))
    ]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    mapping = {k: draw(st.lists(st.sampled_from(_SCOPES), min_size=1)) for k in chosen}
    return doc, mapping


@settings(max_examples=150, deadline=None)
@given(_spec_and_mapping())
def test_any_valid_config_yields_a_body_the_pack_judges_fully_protected(
    case: tuple[dict[str, Any], dict[str, list[str]]],
) -> None:
    doc, mapping = case
    # A spec of CORS preflights only is refused (test_rejects_a_spec_with_only_preflights).
    assume(
        any(
            not op.get("x-amazon-apigateway-integration")
            for item in doc["paths"].values()
            for op in item.values()
        )
    )
    plan = plan_api(doc, mapping, _SCOPES)
    body = json.loads(plan.render(pool_arn=ARN, identifier=IDENTIFIER))
    verdicts = summarize_body(body).operations
    assert sorted(v.key for v in verdicts) == sorted(plan.operation_scopes)
    assert all(v.protected for v in verdicts), [v.problems for v in verdicts]


def test_rejects_a_spec_with_only_preflights() -> None:
    doc = {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"options": _PREFLIGHT}, "/b": {"options": _PREFLIGHT}},
    }
    with pytest.raises(
        SpecError,
        match=r"^OpenAPI document: no operations left to deploy \(CORS preflights dropped: "
        r"OPTIONS /a, OPTIONS /b\)",
    ):
        plan_api(doc, {}, _SCOPES)
