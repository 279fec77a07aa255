# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-cognito-user-flow-reaches-api-scopes: a machine client's stack, then one change per
fault and per unknown (the policy reads no config)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apigw_guard.rules.cognito_user_flow_reaches_api_scopes import policy
from offline_engine import COMPUTED, resource
from tests.policies.rules.harness import analyze_stack, assert_metadata
from tests.policies.rules.user_pools import (
    NATIVE_CLIENT,
    SCOPE,
    client,
    http_api,
    rest_stack,
    user_pool,
)

NAME = "apigateway-cognito-user-flow-reaches-api-scopes"
FIX = (
    "Fix: do not allow user-facing clients (code or implicit flow) a scope the API requires: "
    "give machine callers a client-credentials client (allowedOauthFlows "
    "['client_credentials']), or require a scope only such clients are allowed."
)


def test_metadata():
    assert_metadata(policy, NAME, "advisory", set(), severity="high")


@pytest.mark.parametrize(
    ("flows", "scopes", "required"),
    [
        (["client_credentials"], [SCOPE], [SCOPE]),  # the program's shape: a machine client
        (["code"], ["openid", "email"], [SCOPE]),  # built-in scopes are not custom scopes
        (["code"], ["https://api.example.com/profile-ui"], [SCOPE]),  # a scope no method needs
    ],
)
def test_machine_clients_and_unrelated_scopes_are_silent(flows, scopes, required):
    pool = user_pool()
    assert analyze_stack(policy, [pool, client(pool, flows, scopes), *rest_stack(required)]).clean


def test_a_stack_without_clients_is_not_read():
    assert analyze_stack(policy, rest_stack([SCOPE])).clean


# -- one change per fault ---------------------------------------------------------------------


def test_a_code_flow_client_with_the_methods_scope_is_advised_with_self_sign_up():
    pool = user_pool()
    web = client(pool, ["code"], ["openid", SCOPE])
    ((message, urn),) = analyze_stack(policy, [pool, web, *rest_stack([SCOPE])]).violations
    assert message == (
        "UserPoolClient 'web' allows the 'code' flow (a person signs in) and the custom scope "
        f"'{SCOPE}', which Method 'getPets' (GET /pets) accept: anyone who can sign in to the user "
        "pool through this client gets an access token that passes. Worse, its UserPool 'pool' "
        "allows self sign-up (adminCreateUserConfig.allowAdminCreateUserOnly is not true), so "
        f"that is anyone on the internet. {FIX}"
    )
    assert urn == web.urn


def test_an_admin_only_pool_is_advised_without_the_sign_up_warning():
    pool = user_pool(admin_only=True)
    message = analyze_stack(
        policy, [pool, client(pool, ["implicit"], [SCOPE]), *rest_stack([SCOPE])]
    ).only()
    assert "'implicit' flow" in message
    assert "self sign-up" not in message


def test_a_native_client_reaching_an_http_body_operation_is_advised():
    pool = user_pool(admin_only=True)
    web = client(pool, ["code", "implicit"], [SCOPE], type_=NATIVE_CLIENT)
    message = analyze_stack(policy, [pool, web, http_api()]).only()
    assert "'code' and 'implicit' flow" in message
    assert "Api 'http' body (POST /orders) accept" in message


def test_route_scopes_count():
    pool = user_pool(admin_only=True)
    route = resource(
        "aws:apigatewayv2/route:Route",
        "getOrders",
        {
            "apiId": "h1",
            "routeKey": "GET /orders",
            "authorizationType": "JWT",
            "authorizerId": "j1",
            "authorizationScopes": [SCOPE],
        },
    )
    message = analyze_stack(policy, [pool, client(pool, ["code"], [SCOPE]), route]).only()
    assert "Route 'getOrders' (GET /orders) accept" in message


def test_one_advisory_per_client_naming_every_scope():
    pool = user_pool(admin_only=True)
    write = "https://api.example.com/write"
    web = client(pool, ["code"], [SCOPE, write])
    stack = [pool, web, *rest_stack([SCOPE, write])]
    message = analyze_stack(policy, stack).only()
    assert (
        f"the custom scopes '{SCOPE}', which Method 'getPets' (GET /pets) accept; '{write}', "
        "which Method 'getPets' (GET /pets) accept:"
    ) in message


@settings(max_examples=30, derandomize=True, deadline=None)
@given(
    flows=st.lists(st.sampled_from(["code", "implicit", "client_credentials"]), unique=True),
    scopes=st.lists(
        st.sampled_from([SCOPE, "https://api.example.com/write", "openid", "email"]), unique=True
    ),
)
def test_advised_exactly_when_a_sign_in_flow_meets_a_required_scope(flows, scopes):
    pool = user_pool(admin_only=True)
    outcome = analyze_stack(policy, [pool, client(pool, flows, scopes), *rest_stack([SCOPE])])
    assert outcome.deferred is None
    expected = bool({"code", "implicit"} & set(flows)) and SCOPE in scopes
    assert bool(outcome.violations) == expected, (flows, scopes, outcome)


# -- one change per unknown: the deferral names the resources it covers -----------------------


@pytest.mark.parametrize(
    ("flows", "scopes", "what"),
    [
        (["code"], COMPUTED, "the allowed OAuth scopes of UserPoolClient 'web'"),
        (COMPUTED, [SCOPE], "the allowed OAuth flows of UserPoolClient 'web'"),
    ],
)
def test_unknown_client_settings_defer_naming_the_client(flows, scopes, what):
    pool = user_pool()
    web = client(pool, flows, scopes)
    outcome = analyze_stack(policy, [pool, web, *rest_stack([SCOPE])])
    assert outcome.violations == []
    assert what in (outcome.deferred or "")
    assert outcome.deferred_urns == (web.urn,)


def test_an_unknown_method_scope_defers_naming_the_method():
    pool = user_pool()
    stack = rest_stack(COMPUTED)
    outcome = analyze_stack(policy, [pool, client(pool, ["code"], [SCOPE]), *stack])
    assert outcome.violations == []
    assert "the authorization of Method 'getPets' (GET /pets)" in (outcome.deferred or "")
    assert outcome.deferred_urns == (stack[-1].urn,)


def test_it_reads_no_config():
    pool = user_pool()
    stack = [pool, client(pool, ["client_credentials"], [SCOPE]), *rest_stack([SCOPE])]
    assert analyze_stack(policy, stack, {"allowedUserPoolArns": 1}).clean
