# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""schemes.py, operations.py, body_summary.py: judging operations, unknown values and bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from apigw_guard.model.body_summary import summarize_body
from apigw_guard.model.document import iter_operations, security_schemes, validate_document
from apigw_guard.model.operations import (
    COGNITO_BUILTIN_SCOPES,
    ApiKind,
    Verdict,
    document_schemes,
    iter_verdicts,
    judge_operation,
)
from apigw_guard.model.options import JudgeOptions
from apigw_guard.model.pool_refs import check_issuer, check_pool_arns
from apigw_guard.model.schemes import SchemeKind, classify_scheme
from apigw_guard.model.unknown import UNKNOWN

POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"


def cognito(arns=None) -> dict[str, Any]:
    return {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "x-amazon-apigateway-authorizer": {
            "type": "cognito_user_pools",
            "providerARNs": [POOL] if arns is None else arns,
        },
    }


def doc3(paths: Any, schemes: dict[str, Any] | None = None, **extra) -> dict[str, Any]:
    return {
        "openapi": "3.0.1",
        "paths": paths,
        "components": {"securitySchemes": schemes if schemes is not None else {"pool": cognito()}},
        **extra,
    }


def judge_document(
    doc: dict[str, Any], options: JudgeOptions | None = None, api: ApiKind = "rest"
) -> list[Verdict]:
    """Every operation's verdict, without the strict reading `summarize_body` adds."""
    schemes, bound = document_schemes(doc, options or JudgeOptions(), api)
    return list(iter_verdicts(doc, schemes, bound, api))


def verdict(op: dict[str, Any], schemes=None, options=None, **extra):
    (v,) = judge_document(validate_document(doc3({"/p": {"get": op}}, schemes, **extra)), options)
    return v


def test_protected_operation_has_grants():
    v = verdict({"security": [{"pool": ["api/read", "api/write"]}]})
    assert v.protected
    assert v.grants == (("pool", ("api/read", "api/write")),)
    assert v.granting_scopes == ("api/read", "api/write")


def test_builtin_only_scopes_are_flagged_but_protected():
    v = verdict({"security": [{"pool": ["openid"]}]})
    assert v.protected
    assert set(v.granting_scopes) <= COGNITO_BUILTIN_SCOPES
    (summary,) = summarize_body(
        doc3({"/p": {"get": {"security": [{"pool": ["openid"]}]}}})
    ).operations
    assert summary.builtin_scopes == ("openid",)


@pytest.mark.parametrize(
    ("op", "schemes", "fragment"),
    [
        ({}, None, "has no operation-level security"),
        ({"security": []}, None, "empty security list"),
        ({"security": "pool"}, None, "must be a list"),
        ({"security": [{"pool": ["a"]}, {}]}, None, "security[1] is {}"),
        ({"security": ["pool"]}, None, "must be a mapping of scheme name"),
        ({"security": [{"nope": ["a"]}]}, None, "not defined"),
        ({"security": [{"pool": []}]}, None, "no scopes"),
        ({"security": [{"pool": [" "]}]}, None, "blank scope"),
        (
            {"security": [{"k": []}]},
            {"k": {"type": "apiKey", "name": "x", "in": "header"}},
            "API-key",
        ),
        ({"security": [{"o": ["a"]}]}, {"o": {"type": "oauth2"}}, "REST import ignores"),
        (
            {"security": [{"l": ["a"]}]},
            {"l": {"type": "apiKey", "x-amazon-apigateway-authorizer": {"type": "token"}}},
            "Lambda",
        ),
        ({"security": [{"b": ["a"]}]}, {"b": []}, "not a mapping"),
        (
            {"security": [{"b": ["a"]}]},
            {"b": {"type": "apiKey", "x-amazon-apigateway-authorizer": 1}},
            "not a mapping",
        ),
        ({"security": [{"pool": ["a"]}]}, {"pool": cognito([])}, "no providerARNs"),
        ({"security": [{"pool": ["a"]}]}, {"pool": cognito([""])}, "blank or non-string"),
        (
            {"security": [{"pool": ["a"], "p2": ["b"]}]},
            {"pool": cognito(), "p2": cognito()},
            "more than one authorizer",
        ),
    ],
)
def test_unprotected_operations(op, schemes, fragment):
    v = verdict(op, schemes)
    assert not v.protected
    assert any(fragment in p for p in v.problems), v.problems


def test_root_security_is_named_as_ignored():
    v = verdict({}, security=[{"pool": ["a"]}])
    assert "root-level security is ignored" in v.problems[0]


def test_allowlist():
    opts = JudgeOptions(allowed_pool_arns={POOL})
    assert verdict({"security": [{"pool": ["a"]}]}, options=opts).protected
    other = JudgeOptions(allowed_pool_arns={"arn:other"})
    assert (
        "outside the allowed list"
        in verdict({"security": [{"pool": ["a"]}]}, options=other).problems[0]
    )


def test_mock_options_exemption_only_when_enabled():
    d = validate_document(
        doc3({"/p": {"options": {"x-amazon-apigateway-integration": {"type": "MOCK"}}}})
    )
    assert [v.operation.key for v in judge_document(d) if v.problems] == ["OPTIONS /p"]
    (v,) = judge_document(d, JudgeOptions(exempt_mock_options=True))
    assert v.exempt
    assert v.protected


@pytest.mark.parametrize(
    ("op", "schemes"),
    [
        ({"security": UNKNOWN}, None),
        ({"security": [UNKNOWN]}, None),
        ({"security": [{"pool": UNKNOWN}]}, None),
        ({"security": [{"pool": ["a", UNKNOWN]}]}, None),
        ({"security": [{"pool": ["a"]}]}, {"pool": cognito(UNKNOWN)}),
        ({"security": [{"pool": ["a"]}]}, {"pool": cognito([UNKNOWN])}),
        ({"security": [{"pool": ["a"]}]}, {"pool": UNKNOWN}),
        ({"security": [{"pool": ["a"]}]}, {"pool": {"type": UNKNOWN}}),
    ],
)
def test_unknown_values_are_pending_never_protected(op, schemes):
    v = verdict(op, schemes)
    assert v.pending
    assert not v.protected
    assert not v.problems


def test_classify_scheme_kinds():
    assert classify_scheme("c", cognito()).kind is SchemeKind.COGNITO
    assert classify_scheme("h", {"type": "http"}).kind is SchemeKind.NATIVE
    assert classify_scheme("k", {"type": "apiKey"}).kind is SchemeKind.API_KEY


def test_summarize_body_states():
    good = doc3({"/p": {"get": {"security": [{"pool": ["a"]}]}}})
    assert summarize_body(json.dumps(good)).operations[0].protected
    assert summarize_body(good).operations[0].protected
    assert "not known during preview" in (summarize_body(UNKNOWN).pending or "")
    assert summarize_body(doc3(UNKNOWN)).pending
    assert summarize_body(doc3({"/p": UNKNOWN})).unknown_parts == ("path item '/p'",)
    assert summarize_body(doc3({"/p": {"get": UNKNOWN}})).unknown_parts == ("GET /p",)
    assert "empty" in (summarize_body("  ").error or "")
    assert "not valid JSON or YAML" in (summarize_body("{").error or "")
    assert summarize_body(42).error
    assert summarize_body("[" * 100000).error  # deep nesting fails closed, no RecursionError


# -- summarize_body: the pack's strict reading, REST and HTTP APIs ----------------------------


def jwt_scheme(issuer: Any = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"):
    return {
        "type": "oauth2",
        "x-amazon-apigateway-authorizer": {
            "type": "jwt",
            "jwtConfiguration": {"issuer": issuer, "audience": ["c"]},
        },
    }


def test_summarize_body_judges_text_as_the_document_it_parses_to():
    doc = doc3({"/p": {"get": {"security": [{"pool": ["s"]}]}, "post": {}}})
    summary = summarize_body(json.dumps(doc))
    assert [(o.key, o.scopes, o.problems, o.pending) for o in summary.operations] == [
        (v.operation.key, v.granting_scopes, v.problems, v.pending)
        for v in judge_document(validate_document(doc))
    ]
    assert [o.key for o in summary.faults] == ["POST /p"]
    assert summary.trusts[0].scheme == "pool"
    assert summary.trusts[0].pool_id == "us-east-1_AbC123"


def test_summarize_body_fails_closed_where_judging_the_document_would_guess():
    doc = doc3({"/p": {"get": {"security": [{"pool": ["s"]}]}}}, swagger="2.0")
    # judged without the audit, it guesses version 2.0, and so misses the 3.x section's scheme
    assert "not defined" in judge_document(validate_document(doc))[0].problems[0]
    assert "declares both swagger" in str(summarize_body(json.dumps(doc)).error)
    deep = "[" * 100_000 + "]" * 100_000
    assert "cannot be parsed (RecursionError)" in str(summarize_body(deep).error)


def test_summarize_body_is_cached_by_text_and_options():
    text = json.dumps(doc3({"/p": {"get": {"security": [{"pool": ["s"]}]}}}))
    assert summarize_body(text) is summarize_body(text)
    exempt = JudgeOptions(exempt_mock_options=True)
    assert summarize_body(text, exempt) is not summarize_body(text)


@pytest.mark.parametrize(
    ("scheme", "options", "fragment"),
    [
        (jwt_scheme("https://example.auth0.com/"), None, "not a Cognito user pool"),
        (
            jwt_scheme(),
            JudgeOptions(allowed_pool_arns=[POOL.replace("AbC123", "Other1")]),
            "outside the allowed list",
        ),
        ({"type": "apiKey", "name": "x", "in": "header"}, None, "not a JWT authorizer"),
        (
            {"type": "apiKey", "x-amazon-apigateway-authorizer": {"type": "request"}},
            None,
            "Lambda authorizer",
        ),
        ({"$ref": "#/elsewhere"}, None, "is a $ref"),
    ],
)
def test_http_api_bodies_need_a_cognito_jwt_authorizer(scheme, options, fragment):
    body = doc3({"/p": {"get": {"security": [{"s": ["api/read"]}]}}}, {"s": scheme})
    (v,) = summarize_body(body, options, api="http").operations
    assert fragment in " ".join(v.problems)


def test_http_api_body_with_cognito_jwt_and_scopes_is_protected():
    body = doc3({"/p": {"get": {"security": [{"s": ["api/read"]}]}}}, {"s": jwt_scheme()})
    allowed = JudgeOptions(allowed_pool_arns=[POOL])
    (v,) = summarize_body(body, allowed, api="http").operations
    assert v.protected
    (pending,) = summarize_body(
        doc3({"/p": {"get": {"security": [{"s": ["a"]}]}}}, {"s": jwt_scheme(UNKNOWN)}),
        api="http",
    ).operations
    assert pending.pending
    assert not pending.problems


@pytest.mark.parametrize("exempt", [False, True])
def test_fast_path_gives_the_verdict_judge_operation_gives(exempt):
    ok = {"security": [{"pool": ["api/read"]}], "x-amazon-apigateway-integration": {"type": "mock"}}
    d = validate_document(doc3({"/p": {"get": ok, "options": ok, "post": {"security": [{}]}}}))
    options = JudgeOptions(exempt_mock_options=exempt)
    schemes = {n: classify_scheme(n, s, options) for n, s in security_schemes(d).items()}
    slow = [judge_operation(op, schemes, options=options) for op in iter_operations(d)]
    assert judge_document(d, options) == slow
    assert slow[0].grants == (("pool", ("api/read",)),)
    assert bool(slow[1].exempt) is exempt


# -- the allowed-pool and issuer checks, shared by bodies and Authorizer resources -------------


@pytest.mark.parametrize(
    ("arns", "allowed", "expected"),
    [
        ([POOL], None, None),
        ([POOL], {POOL}, None),
        ([], None, "has no providerARNs; list the user pool ARN(s)"),
        ("x", None, "has no providerARNs; list the user pool ARN(s)"),
        ([POOL, " "], None, f"has a blank or non-string providerARNs entry: {[POOL, ' ']!r}"),
        (
            [POOL],
            {"arn:other"},
            f"trusts user pool(s) outside the allowed list (allowedUserPoolArns): {POOL}",
        ),
    ],
)
def test_check_pool_arns(arns, allowed, expected):
    assert check_pool_arns(arns, allowed, "providerARNs") == expected


ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"


@pytest.mark.parametrize(
    ("issuer", "allowed", "expected"),
    [
        (ISSUER, None, None),
        (ISSUER, [POOL], None),
        (
            "https://example.auth0.com/",
            None,
            "has JWT issuer 'https://example.auth0.com/', which is not a Cognito user pool "
            "(https://cognito-idp.<region>.<partition's DNS suffix>/<region>_<id>, or the same "
            "with issuer-cognito-idp, the pool id's region equal to the issuer's)",
        ),
        (
            ISSUER,
            [POOL.replace("AbC123", "Other1")],
            f"trusts JWT issuer {ISSUER!r}, a user pool outside the allowed list "
            "(allowedUserPoolArns)",
        ),
    ],
)
def test_check_issuer(issuer, allowed, expected):
    assert check_issuer(issuer, allowed) == expected


@pytest.mark.parametrize(
    "issuer",
    [
        "https://cognito-idp.s3.amazonaws.com/s3_AbC123",  # an S3 bucket host, not a region
        "https://cognito-idp.us-east-1.amazonaws.com/eu-west-1_AbC123",  # pool of another region
        ISSUER + "\n",  # `$` would have accepted the trailing newline
        ISSUER + "/",
        "https://cognito-idp.us-east-1.amazonaws.com.evil.example/us-east-1_AbC123",
    ],
)
def test_check_issuer_rejects_look_alikes(issuer):
    assert "not a Cognito user pool" in (check_issuer(issuer, None) or "")


@pytest.mark.parametrize(
    ("region", "suffix"),
    [
        ("us-east-1", "amazonaws.com"),
        ("eu-central-2", "amazonaws.com"),
        ("ap-southeast-5", "amazonaws.com"),
        ("us-gov-west-1", "amazonaws.com"),
        ("us-isob-east-1", "sc2s.sgov.gov"),
        ("cn-north-1", "amazonaws.com.cn"),
        ("eusc-de-east-1", "amazonaws.eu"),
    ],
)
def test_check_issuer_accepts_every_region_form(region, suffix):
    for host in ("cognito-idp", "issuer-cognito-idp"):
        issuer = f"https://{host}.{region}.{suffix}/{region}_AbC123"
        assert check_issuer(issuer, None) is None, issuer
