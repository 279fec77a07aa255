# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Issue 9's advisories on user pools over the protocol (AnalyzeStack): sign-in clients allowed
a scope the API requires (item 8), and authorizers trusting a pool the stack does not create
(item 9), each beside the legitimate neighbour that stays silent."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offline_engine import COMPUTED, PolicyPackProcess, RecordedResource, resource
from tests.policies.stack_shapes import cognito_authorizer, method, path_resource, rest_api

FLOW_POLICY = "apigateway-cognito-user-flow-reaches-api-scopes"
POOL_POLICY = "apigateway-authorizer-pool-not-in-stack"
POOL_ID = "us-east-1_AbC123"
POOL_ARN = f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{POOL_ID}"
FOREIGN_ARN = "arn:aws:cognito-idp:us-east-1:999999999999:userpool/us-east-1_Other9"
SCOPE = "https://api.example.com/read"
CLIENT = "aws:cognito/userPoolClient:UserPoolClient"
NATIVE_CLIENT = "aws-native:cognito:UserPoolClient"

STACK_SETTINGS = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def findings(
    pack: PolicyPackProcess,
    resources: list[RecordedResource],
    policy: str,
    config: dict[str, Any] | None = None,
) -> list[str]:
    """The policy's messages for the stack; the policy must exist and must not defer."""
    assert policy in pack.policy_names()
    pack.configure(default_level=None, config={policy: config} if config else None)
    diags = [d for d in pack.analyze_stack(resources) if d.policy_name == policy]
    assert all("can't run policy" not in d.message for d in diags), diags
    assert all(d.enforcement_level == "advisory" for d in diags), diags
    return [d.message for d in diags]


def deferrals(pack: PolicyPackProcess, resources: list[RecordedResource], policy: str) -> list[str]:
    assert policy in pack.policy_names()
    pack.configure(default_level=None)
    return [
        d.message
        for d in pack.analyze_stack(resources)
        if d.policy_name == policy and "can't run policy" in d.message
    ]


def user_pool(admin_only: bool | None = None, name: str = "pool") -> RecordedResource:
    inputs: dict[str, Any] = {"name": name}
    if admin_only is not None:
        inputs["adminCreateUserConfig"] = {"allowAdminCreateUserOnly": admin_only}
    return resource(
        "aws:cognito/userPool:UserPool",
        name,
        inputs,
        outputs={**inputs, "id": POOL_ID, "arn": POOL_ARN},
    )


def client(
    pool: RecordedResource,
    flows: Any,
    scopes: Any,
    type_: str = CLIENT,
    name: str = "web",
) -> RecordedResource:
    """An app client of `pool`; aws-native spells the OAuth settings `OAuth`."""
    oauth = "OAuth" if type_ == NATIVE_CLIENT else "Oauth"
    inputs = {
        "userPoolId": POOL_ID,
        f"allowed{oauth}Flows": flows,
        f"allowed{oauth}Scopes": scopes,
        f"allowed{oauth}FlowsUserPoolClient": True,
    }
    return resource(type_, name, inputs, property_dependencies={"userPoolId": [pool.urn]})


def rest_stack(scopes: list[str]) -> list[RecordedResource]:
    """RestApi, /pets, a Cognito authorizer on the stack's pool, and GET /pets with `scopes`."""
    api = rest_api()
    pets = path_resource("pets", api, api, "pets", "res-pets")
    authorizer = cognito_authorizer(api)
    get = method(
        "getPets",
        api,
        pets,
        "GET",
        authorization="COGNITO_USER_POOLS",
        authorizerId="auth1",
        authorizerFrom=authorizer,
        authorizationScopes=scopes,
    )
    return [api, pets, authorizer, get]


def http_api(issuer_pool: str = POOL_ID, scopes: list[str] | None = None) -> RecordedResource:
    """An HTTP API body with a JWT scheme on `issuer_pool` and `POST /orders`."""
    scheme = {
        "type": "oauth2",
        "x-amazon-apigateway-authorizer": {
            "type": "jwt",
            "jwtConfiguration": {
                "issuer": f"https://cognito-idp.us-east-1.amazonaws.com/{issuer_pool}",
                "audience": ["client"],
            },
        },
    }
    body = {
        "openapi": "3.0.1",
        "paths": {"/orders": {"post": {"security": [{"jwt": scopes or [SCOPE]}]}}},
        "components": {"securitySchemes": {"jwt": scheme}},
    }
    return resource(
        "aws:apigatewayv2/api:Api",
        "http",
        {"protocolType": "HTTP", "body": json.dumps(body), "failOnWarnings": True},
    )


# ---- 8. sign-in clients allowed a scope the API requires ------------------------------------
def test_code_flow_client_with_the_methods_scope_is_advised_and_self_sign_up_named(pack):
    pool = user_pool()
    web = client(pool, ["code"], ["openid", SCOPE])
    messages = findings(pack, [pool, web, *rest_stack([SCOPE])], FLOW_POLICY)
    assert len(messages) == 1, messages
    assert (
        f"UserPoolClient 'web' allows the 'code' flow (a person signs in) and the custom scope "
        f"'{SCOPE}', which Method 'getPets' (GET /pets) accept" in messages[0]
    ), messages
    assert "UserPool 'pool' allows self sign-up" in messages[0]


def test_admin_only_pool_is_advised_without_the_sign_up_warning(pack):
    pool = user_pool(admin_only=True)
    web = client(pool, ["implicit"], [SCOPE])
    messages = findings(pack, [pool, web, *rest_stack([SCOPE])], FLOW_POLICY)
    assert len(messages) == 1, messages
    assert "'implicit' flow" in messages[0]
    assert "self sign-up" not in messages[0]


def test_native_client_reaching_an_http_body_operation_is_advised(pack):
    pool = user_pool(admin_only=True)
    web = client(pool, ["code", "implicit"], [SCOPE], type_=NATIVE_CLIENT)
    messages = findings(pack, [pool, web, http_api()], FLOW_POLICY)
    assert len(messages) == 1, messages
    assert "'code' and 'implicit' flow" in messages[0]
    assert "Api 'http' body (POST /orders) accept" in messages[0]


def test_route_scopes_count(pack):
    pool = user_pool(admin_only=True)
    web = client(pool, ["code"], [SCOPE])
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
    messages = findings(pack, [pool, web, route], FLOW_POLICY)
    assert len(messages) == 1, messages
    assert "Route 'getOrders' (GET /orders) accept" in messages[0]


@pytest.mark.parametrize(
    ("flows", "scopes", "required"),
    [
        (["client_credentials"], [SCOPE], [SCOPE]),  # the program's shape: a machine client
        (["code"], ["openid", "email"], [SCOPE]),  # built-in scopes are not custom scopes
        (["code"], ["https://api.example.com/profile-ui"], [SCOPE]),  # a scope no method needs
    ],
)
def test_machine_clients_and_unrelated_scopes_are_silent(pack, flows, scopes, required):
    pool = user_pool()
    web = client(pool, flows, scopes)
    assert findings(pack, [pool, web, *rest_stack(required)], FLOW_POLICY) == []


def test_unknown_client_scopes_defer_in_preview(pack):
    pool = user_pool()
    web = client(pool, ["code"], COMPUTED)
    deferred = deferrals(pack, [pool, web, *rest_stack([SCOPE])], FLOW_POLICY)
    assert len(deferred) == 1, deferred
    assert "the allowed OAuth scopes of UserPoolClient 'web'" in deferred[0]


@STACK_SETTINGS
@given(
    flows=st.lists(st.sampled_from(["code", "implicit", "client_credentials"]), unique=True),
    scopes=st.lists(
        st.sampled_from([SCOPE, "https://api.example.com/write", "openid", "email"]),
        unique=True,
    ),
)
def test_advised_exactly_when_a_sign_in_flow_meets_a_required_scope(pack, flows, scopes):
    pool = user_pool(admin_only=True)
    web = client(pool, flows, scopes)
    messages = findings(pack, [pool, web, *rest_stack([SCOPE])], FLOW_POLICY)
    expected = bool({"code", "implicit"} & set(flows)) and SCOPE in scopes
    assert bool(messages) == expected, (flows, scopes, messages)


# ---- 9. an authorizer trusting a pool the stack does not create ------------------------------
def foreign_authorizer(arns: list[str]) -> RecordedResource:
    inputs = {"restApi": "a1", "type": "COGNITO_USER_POOLS", "providerArns": arns}
    return resource("aws:apigateway/authorizer:Authorizer", "cognito", inputs)


def test_authorizer_trusting_a_foreign_pool_is_advised(pack):
    messages = findings(pack, [user_pool(), foreign_authorizer([FOREIGN_ARN])], POOL_POLICY)
    assert len(messages) == 1, messages
    assert (
        f"Authorizer 'cognito' trusts user pool {FOREIGN_ARN} (providerArns), which no user pool "
        "of this stack is: whoever controls that pool, possibly another AWS account, can mint "
        "tokens this API accepts. Fix: create the pool in this stack; or if the pool is one "
        "your organisation trusts, ask the policy admin to list it in allowedUserPoolArns (on "
        "the guarantee policies that judge authorizers and bodies, and on this advisory, which "
        f"is then silent), e.g. ['{FOREIGN_ARN}']." in messages[0]
    )


def test_foreign_jwt_issuer_and_body_pool_are_advised(pack):
    jwt = resource(
        "aws:apigatewayv2/authorizer:Authorizer",
        "jwt",
        {
            "apiId": "h1",
            "authorizerType": "JWT",
            "jwtConfiguration": {
                "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Far",
                "audiences": ["c"],
            },
        },
    )
    messages = findings(pack, [user_pool(), jwt, http_api("us-east-1_Else")], POOL_POLICY)
    assert len(messages) == 2, messages
    assert "Authorizer 'jwt' trusts JWT issuer" in messages[0]
    assert "'arn:aws:cognito-idp:eu-west-1:<account-id>:userpool/eu-west-1_Far'" in messages[0]
    assert "Api 'http' body: scheme 'jwt' trusts JWT issuer" in messages[1]


def test_stack_that_creates_the_pool_it_trusts_is_silent(pack):
    api = [*rest_stack([SCOPE]), http_api()]  # the authorizer and the body trust POOL_ARN
    assert findings(pack, [user_pool(), *api], POOL_POLICY) == []
    # Matched by pool id alone too (an aws-native pool outputs userPoolId).
    native = resource("aws-native:cognito:UserPool", "np", {}, outputs={"userPoolId": POOL_ID})
    assert findings(pack, [native, *api], POOL_POLICY) == []


def test_allowlist_set_silences_the_advisory(pack):
    stack = [foreign_authorizer([FOREIGN_ARN])]
    assert findings(pack, stack, POOL_POLICY, {"allowedUserPoolArns": [FOREIGN_ARN]}) == []


def test_pool_created_in_this_run_defers_and_a_value_from_it_is_left_to_the_update(pack):
    new_pool = resource("aws:cognito/userPool:UserPool", "pool", {"name": "pool"})
    deferred = deferrals(pack, [new_pool, foreign_authorizer([FOREIGN_ARN])], POOL_POLICY)
    assert len(deferred) == 1, deferred
    assert f"whether {FOREIGN_ARN}" in deferred[0]
    from_pool = resource(
        "aws:apigateway/authorizer:Authorizer",
        "cognito",
        {"restApi": "a1", "type": "COGNITO_USER_POOLS", "providerArns": [COMPUTED]},
        property_dependencies={"providerArns": [new_pool.urn]},
    )
    assert findings(pack, [new_pool, from_pool], POOL_POLICY) == []


@STACK_SETTINGS
@given(
    account=st.sampled_from(["123456789012", "999999999999"]),
    pool_id=st.sampled_from([POOL_ID, "us-east-1_Zz9", "us-east-1_AbC1234"]),
)
def test_advised_exactly_when_the_trusted_arn_is_not_the_stacks_pool(pack, account, pool_id):
    arn = f"arn:aws:cognito-idp:us-east-1:{account}:userpool/{pool_id}"
    messages = findings(pack, [user_pool(), foreign_authorizer([arn])], POOL_POLICY)
    assert bool(messages) == (pool_id != POOL_ID), (arn, messages)
