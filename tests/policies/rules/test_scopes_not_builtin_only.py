# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-scopes-not-builtin-only: compliant Methods, Routes and bodies, then one change per
fault and per unknown (the policy reads no config)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apigw_guard.model.resource_types import METHOD_TYPES, REST_BODY_TYPES, ROUTE_TYPES
from apigw_guard.rules.scopes_not_builtin_only import policy
from offline_engine import COMPUTED, RecordedResource, resource
from tests.policies.rules.bodies import JWT_SCHEME, document, text
from tests.policies.rules.harness import analyze, assert_metadata

NAME = "apigateway-scopes-not-builtin-only"
BUILTINS = "aws.cognito.signin.user.admin, email, openid, phone, profile"
CUSTOM = "https://api.example.com/read"


def method(scopes: Any, **changes: Any) -> RecordedResource:
    props = {
        "restApi": "a1",
        "resourceId": "r1",
        "httpMethod": "GET",
        "authorization": "COGNITO_USER_POOLS",
        "authorizerId": "auth1",
        "authorizationScopes": scopes,
        **changes,
    }
    return resource(METHOD_TYPES[0], "getMe", props)


def route(scopes: Any) -> RecordedResource:
    props = {
        "apiId": "h1",
        "routeKey": "GET /me",
        "authorizationType": "JWT",
        "authorizerId": "j1",
        "authorizationScopes": scopes,
    }
    return resource(ROUTE_TYPES[0], "getMe", props)


def body_api(security: list[Any], scheme: dict[str, Any] | None = None, **kw: Any):
    doc = (
        document(scheme, **{"/me": {"get": {"security": security}}})
        if scheme
        else document(**{"/me": {"get": {"security": security}}})
    )
    return resource(kw.get("type", REST_BODY_TYPES[0]), "api", {"body": text(doc)})


def test_metadata():
    assert_metadata(policy, NAME, "advisory", set(), severity="medium")


def test_custom_scopes_only_are_silent():
    assert analyze(policy, method([CUSTOM])).clean
    assert analyze(policy, route([CUSTOM])).clean
    assert analyze(policy, body_api([{"pool": [CUSTOM]}])).clean


# -- one change per fault ---------------------------------------------------------------------


def test_a_method_that_only_builtin_scopes_let_in_is_advised():
    message = analyze(policy, method(["openid", "email"])).only()
    assert message == (
        f"Method 'getMe' (GET on resourceId 'r1') requires only Cognito built-in scopes "
        f"({BUILTINS}), which any signed-in user's token can carry and no client-credentials "
        "token does: ['openid', 'email']. Fix: require a custom resource-server scope "
        "(<identifier>/<scope>) instead."
    )


def test_a_builtin_scope_beside_a_custom_one_is_advised():
    message = analyze(policy, route([CUSTOM, "profile"])).only()
    assert message == (
        f"Route 'getMe' (GET /me) accepts any one of [{CUSTOM!r}, 'profile'], and the Cognito "
        "built-in scope(s) ['profile'] among them can be in any signed-in user's token, so every "
        "user who can sign in gets in without the custom scope. Fix: remove the built-in "
        "scope(s), keeping only resource-server scopes."
    )


@pytest.mark.parametrize(
    "security",
    [
        [{"pool": [CUSTOM, "aws.cognito.signin.user.admin"]}],
        [{"pool": [CUSTOM]}, {"pool": ["email"]}],
    ],
    ids=["beside", "alternative"],
)
def test_a_body_operation_a_builtin_scope_lets_in_is_advised(security):
    message = analyze(policy, body_api(security)).only()
    assert message.startswith("RestApi 'api' body (GET /me) accepts any one of")


def test_an_http_api_body_operation_is_advised_too():
    api = resource(
        "aws:apigatewayv2/api:Api",
        "http",
        {
            "body": text(
                document(JWT_SCHEME, **{"/me": {"get": {"security": [{"pool": ["openid"]}]}}})
            )
        },
    )
    assert analyze(policy, api).only().startswith("Api 'http' body (GET /me) requires only")


def test_what_the_guarantee_refuses_is_not_advised_again():
    assert analyze(policy, method(["openid"], authorization="NONE")).clean
    assert analyze(policy, method(["openid"], authorizerId=None)).clean


# -- one change per unknown --------------------------------------------------------------------


def test_unknown_scopes_and_bodies_are_silent_until_known():
    # The guarantee policies defer them; this advisory has nothing to say yet.
    assert analyze(policy, method(COMPUTED)).clean
    assert analyze(policy, route(["openid", COMPUTED])).clean
    assert analyze(policy, resource(REST_BODY_TYPES[0], "api", {"body": COMPUTED})).clean


@settings(max_examples=40, derandomize=True, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["openid", "email", "profile", "phone", "aws.cognito.signin.user.admin", CUSTOM, "a/b"]
        ),
        min_size=1,
        unique=True,
    )
)
def test_any_builtin_among_a_methods_scopes_is_advised(scopes):
    builtin = {"openid", "email", "profile", "phone", "aws.cognito.signin.user.admin"}
    outcome = analyze(policy, method(scopes))
    assert outcome.deferred is None
    assert bool(outcome.violations) == bool(builtin & set(scopes)), (scopes, outcome)


def test_it_reads_no_config():
    assert analyze(policy, method([CUSTOM]), {"allowedUserPoolArns": 1}).clean
