# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Stacks shaped like real programs, over the Analyzer protocol, with the exact messages.

Each test is what an author sees on `pulumi up` for one common shape: a Lambda proxy on
`ANY /{proxy+}` (OpenAPI body and Method resources), an HTTP API with Lambda routes, a
quick-create HTTP API with and without a managed override, Cognito methods without scopes, and
CORS preflights. Fixtures are written from the AWS resource shapes (see stack_shapes.py).
"""

from __future__ import annotations

import json

import pytest

from offline_engine import PolicyPackProcess, RecordedResource, resource
from tests.policies.stack_shapes import (
    ISSUER,
    LAMBDA_ARN,
    LAMBDA_URI,
    METHOD_FIX,
    POOL_ALLOWLISTED,
    cognito_authorizer,
    integration,
    method,
    path_resource,
    rest_api,
)

ROUTE_FIX = (
    "Fix: set authorizationType to JWT, authorizerId to an apigatewayv2 Authorizer of type JWT "
    "whose issuer is https://cognito-idp.<region>.amazonaws.com/<pool-id>, and "
    "authorizationScopes to at least one resource-server scope."
)


@pytest.fixture
def declared(pack: PolicyPackProcess) -> PolicyPackProcess:
    # The stacks here trust a pool they do not create; naming it keeps item 9's advisory (see
    # test_user_pool_advisories.py) out of what these tests are about.
    pack.configure(default_level=None, config=POOL_ALLOWLISTED)
    return pack


def said(diags) -> list[tuple[str, str, str]]:
    """(policy, level, message without the policy's description line) of each diagnostic."""
    return [(d.policy_name, d.enforcement_level, d.message.split("\n", 1)[-1]) for d in diags]


# -- a Lambda proxy on ANY /{proxy+} ------------------------------------------------------------


def test_lambda_proxy_body_names_each_open_operation(declared: PolicyPackProcess):
    body = {
        "openapi": "3.0.1",
        "info": {"title": "proxy", "version": "1"},
        "paths": {
            "/": {"x-amazon-apigateway-any-method": {"x-amazon-apigateway-integration": _proxy()}},
            "/{proxy+}": {
                "x-amazon-apigateway-any-method": {
                    "parameters": [{"name": "proxy", "in": "path", "required": True}],
                    "x-amazon-apigateway-integration": _proxy(),
                }
            },
        },
    }
    api = resource(
        "aws:apigateway/restApi:RestApi",
        "proxy",
        {"body": json.dumps(body), "failOnWarnings": True},
    )
    fix = (
        "Fix: define a security scheme of type apiKey (name Authorization, in header) with "
        "x-amazon-apigateway-authorizer {type: cognito_user_pools, providerARNs: [<user pool "
        "ARN>]} and give every operation security: "
        '[{<scheme>: ["<resource-server-identifier>/<scope>"]}].'
    )
    assert said(declared.analyze_all([api])) == [
        (
            "apigateway-restapi-body-operation-security",
            "mandatory",
            f"RestApi 'proxy': ANY / has no operation-level security; add "
            f"operation-level security naming a Cognito authorizer scheme with at least one "
            f"scope. {fix}",
        ),
        (
            "apigateway-restapi-body-operation-security",
            "mandatory",
            f"RestApi 'proxy': ANY /{{proxy+}} has no operation-level security; add "
            f"operation-level security naming a Cognito authorizer scheme with at least one "
            f"scope. {fix}",
        ),
    ]


def test_lambda_proxy_methods_are_named_by_their_resource_ids(declared: PolicyPackProcess):
    api = rest_api()
    proxy = path_resource("proxy", api, api, "{proxy+}", "p1")
    root_any = method("rootAny", api, api, "ANY", authorization="NONE")
    proxy_any = method("proxyAny", api, proxy, "ANY", authorization="NONE")
    stack = [
        api,
        proxy,
        root_any,
        integration("rootLambda", api, api, root_any, "AWS_PROXY"),
        proxy_any,
        integration("proxyLambda", api, proxy, proxy_any, "AWS_PROXY"),
    ]
    assert said(declared.analyze_all(stack)) == [
        (
            "apigateway-method-cognito-authorization",
            "mandatory",
            f"Method 'rootAny' (ANY on resourceId 'root1'): authorization is 'NONE', not "
            "'COGNITO_USER_POOLS'. "
            f"{METHOD_FIX}",
        ),
        (
            "apigateway-method-cognito-authorization",
            "mandatory",
            f"Method 'proxyAny' (ANY on resourceId 'p1'): authorization is 'NONE', not "
            f"'COGNITO_USER_POOLS'. {METHOD_FIX}",
        ),
    ]


def test_lambda_proxy_methods_with_cognito_and_scopes_pass(declared: PolicyPackProcess):
    api = rest_api()
    auth = cognito_authorizer(api)
    proxy = path_resource("proxy", api, api, "{proxy+}", "p1")
    sound = {
        "authorization": "COGNITO_USER_POOLS",
        "authorizerId": "auth1",
        "authorizerFrom": auth,
        "authorizationScopes": ["https://api.example.com/read"],
    }
    proxy_any = method("proxyAny", api, proxy, "ANY", **sound)
    stack = [api, auth, proxy, proxy_any, integration("l", api, proxy, proxy_any, "AWS_PROXY")]
    assert declared.analyze_all(stack) == []


def _proxy() -> dict[str, str]:
    return {"type": "aws_proxy", "httpMethod": "POST", "uri": LAMBDA_URI}


# -- an HTTP API with Lambda routes -------------------------------------------------------------


def _http_api(name: str = "http", **extra) -> RecordedResource:
    inputs = {"name": name, "protocolType": "HTTP", **extra}
    return resource("aws:apigatewayv2/api:Api", name, inputs, outputs={**inputs, "id": "h1"})


def _route(name: str, api: RecordedResource, key: str, **settings) -> RecordedResource:
    authorizer = settings.pop("authorizerFrom", None)
    deps = {"apiId": [api.urn]}
    if authorizer is not None:
        deps["authorizerId"] = [authorizer.urn]
    return resource(
        "aws:apigatewayv2/route:Route",
        name,
        {"apiId": "h1", "routeKey": key, "target": "integrations/i1", **settings},
        property_dependencies=deps,
    )


def _jwt_authorizer(api: RecordedResource) -> RecordedResource:
    inputs = {
        "apiId": "h1",
        "authorizerType": "JWT",
        "identitySources": ["$request.header.Authorization"],
        "jwtConfiguration": {"issuer": ISSUER, "audiences": ["client1"]},
    }
    return resource(
        "aws:apigatewayv2/authorizer:Authorizer",
        "jwt",
        inputs,
        outputs={**inputs, "id": "j1"},
        property_dependencies={"apiId": [api.urn]},
    )


def test_http_api_lambda_routes_without_authorizer_are_blocked(declared: PolicyPackProcess):
    api = _http_api()
    lam = resource(
        "aws:apigatewayv2/integration:Integration",
        "lambda",
        {"apiId": "h1", "integrationType": "AWS_PROXY", "integrationUri": LAMBDA_ARN},
        property_dependencies={"apiId": [api.urn]},
    )
    get = _route("getItems", api, "GET /items")
    post = _route("postItems", api, "POST /items", authorizationType="NONE")
    assert said(declared.analyze_all([api, lam, get, post])) == [
        (
            "apigateway-route-cognito-jwt-authorization",
            "mandatory",
            f"Route 'getItems' (GET /items): authorizationType is 'NONE', not 'JWT'. {ROUTE_FIX}",
        ),
        (
            "apigateway-route-cognito-jwt-authorization",
            "mandatory",
            f"Route 'postItems' (POST /items): authorizationType is 'NONE', not 'JWT'. {ROUTE_FIX}",
        ),
    ]


def test_http_api_jwt_route_without_scopes_names_the_consequence(declared: PolicyPackProcess):
    api = _http_api()
    jwt = _jwt_authorizer(api)
    get = _route(
        "getItems",
        api,
        "GET /items",
        authorizationType="JWT",
        authorizerId="j1",
        authorizerFrom=jwt,
    )
    assert said(declared.analyze_all([api, jwt, get])) == [
        (
            "apigateway-route-cognito-jwt-authorization",
            "mandatory",
            "Route 'getItems' (GET /items): authorizationScopes is empty, so no scope is "
            "required: ID tokens and access tokens of any client the authorizer accepts (its "
            f"audience) get in. {ROUTE_FIX}",
        )
    ]
    scoped = _route(
        "getItems",
        api,
        "GET /items",
        authorizationType="JWT",
        authorizerId="j1",
        authorizerFrom=jwt,
        authorizationScopes=["https://api.example.com/read"],
    )
    assert declared.analyze_all([api, jwt, scoped]) == []


# -- quick create ---------------------------------------------------------------------------------

QUICK_FIX = (
    "Fix: remove target and routeKey from the Api and declare the route as an "
    "aws.apigatewayv2.Route with authorizationType JWT, authorizerId of an apigatewayv2 "
    "Authorizer whose issuer is https://cognito-idp.<region>.amazonaws.com/<pool-id>, and "
    "authorizationScopes, with its own Integration and Stage."
)
QUICK = "apigateway-httpapi-no-quick-create"


@pytest.mark.parametrize(
    ("type_", "route_key", "shown"),
    [
        ("aws:apigatewayv2/api:Api", None, "$default"),
        ("aws:apigatewayv2/api:Api", "GET /", "GET /"),
        ("aws-native:apigatewayv2:Api", None, "$default"),
        ("aws-native:apigatewayv2:Api", "ANY /{proxy+}", "ANY /{proxy+}"),
    ],
)
def test_quick_create_is_blocked_before_the_api_exists(
    declared: PolicyPackProcess, type_, route_key, shown
):
    inputs = {"name": "quick", "protocolType": "HTTP", "target": LAMBDA_ARN}
    if route_key:
        inputs["routeKey"] = route_key
    api = resource(type_, "quick", inputs)
    assert said(declared.analyze(api)) == [
        (
            QUICK,
            "mandatory",
            f"Api 'quick': target is set (quick create), so API Gateway creates the route "
            f"{shown} with no authorizer together with the API: anyone can call it from the "
            "moment the Api exists, and a managed override, created only after the API, cannot "
            f"close that window. {QUICK_FIX}",
        )
    ]


def _override(api: RecordedResource, jwt: RecordedResource, **route) -> RecordedResource:
    return resource(
        "aws-native:apigatewayv2:ApiGatewayManagedOverrides",
        "overrides",
        {"apiId": "h1", "route": route},
        property_dependencies={"apiId": [api.urn], "route": [jwt.urn]},
    )


def test_quick_create_is_refused_even_with_a_sound_managed_override(
    declared: PolicyPackProcess,
):
    # Corpus class: the override is created after the Api, whose route is open until then.
    api = _http_api("quick", target=LAMBDA_ARN, routeKey="GET /")
    jwt = _jwt_authorizer(api)
    sound = _override(
        api,
        jwt,
        authorizationType="JWT",
        authorizerId="j1",
        authorizationScopes=["https://api.example.com/read"],
    )
    assert [(d.policy_name, d.mandatory) for d in declared.analyze(api)] == [(QUICK, True)]
    assert [d.policy_name for d in declared.analyze_all([api, jwt, sound])] == [QUICK]


def test_an_override_is_still_judged_like_a_route(declared: PolicyPackProcess):
    api = _http_api("quick", target=LAMBDA_ARN, routeKey="GET /")
    jwt = _jwt_authorizer(api)
    unscoped = _override(api, jwt, authorizationType="JWT", authorizerId="j1")
    assert said(declared.analyze(unscoped)) == [
        (
            "apigateway-route-cognito-jwt-authorization",
            "mandatory",
            "ApiGatewayManagedOverrides 'overrides' (route override of the quick-created route): "
            "authorizationScopes is empty, so no scope is required: ID tokens and access tokens "
            f"of any client the authorizer accepts (its audience) get in. {ROUTE_FIX}",
        )
    ]


@pytest.mark.parametrize(
    "api_id_and_deps",
    [("h2", "other"), ("h1", "both")],
    ids=["override-names-another-api", "override-depends-on-two-apis"],
)
def test_overrides_matched_by_dependency_no_longer_matter(
    declared: PolicyPackProcess, api_id_and_deps
):
    # Corpus classes: 0.2 matched an override to an API by dependency rather than by value
    # (an override whose apiId names another API; one override depending on two APIs) and let
    # the quick create through. Quick create is refused at resource level, overrides or not.
    api_id, deps = api_id_and_deps
    api = _http_api("quick", target=LAMBDA_ARN)
    other = resource(
        "aws:apigatewayv2/api:Api", "other", {"protocolType": "HTTP"}, outputs={"id": "h2"}
    )
    jwt = _jwt_authorizer(other)
    override = resource(
        "aws-native:apigatewayv2:ApiGatewayManagedOverrides",
        "overrides",
        {
            "apiId": api_id,
            "route": {
                "authorizationType": "JWT",
                "authorizerId": "j1",
                "authorizationScopes": ["api/read"],
            },
        },
        property_dependencies={
            "apiId": [other.urn] if deps == "other" else [api.urn, other.urn],
            "route": [jwt.urn],
        },
    )
    stack = [api, other, jwt, override]
    assert [(d.policy_name, d.mandatory) for d in declared.analyze(api)] == [(QUICK, True)]
    assert [d.policy_name for d in declared.analyze_all(stack)] == [QUICK]


def test_an_api_without_target_and_a_jwt_route_pass(declared: PolicyPackProcess):
    # The neighbour of every quick-create class.
    api = _http_api()
    jwt = _jwt_authorizer(api)
    route = _route(
        "getItems",
        api,
        "GET /items",
        authorizationType="JWT",
        authorizerId="j1",
        authorizerFrom=jwt,
        authorizationScopes=["https://api.example.com/read"],
    )
    assert declared.analyze_all([api, jwt, route]) == []


# -- Cognito methods without scopes ---------------------------------------------------------------


def test_cognito_method_without_scopes_names_the_consequence(declared: PolicyPackProcess):
    api = rest_api()
    auth = cognito_authorizer(api)
    items = path_resource("items", api, api, "items", "r1")
    item = path_resource("item", api, items, "{id}", "r2")
    get = method(
        "getItem",
        api,
        item,
        "GET",
        authorization="COGNITO_USER_POOLS",
        authorizerId="auth1",
        authorizerFrom=auth,
    )
    assert said(declared.analyze_all([api, auth, items, item, get])) == [
        (
            "apigateway-method-cognito-authorization",
            "mandatory",
            "Method 'getItem' (GET on resourceId 'r2'): authorizationScopes is empty, so no "
            "scope is "
            "required: ID tokens and access tokens of any app client of the authorizer's user "
            f"pool(s) get in. {METHOD_FIX}",
        )
    ]


# -- CORS preflights ------------------------------------------------------------------------------


def _preflight_stack(kind: str = "MOCK") -> list[RecordedResource]:
    api = rest_api()
    auth = cognito_authorizer(api)
    items = path_resource("items", api, api, "items", "r1")
    get = method(
        "getItems",
        api,
        items,
        "GET",
        authorization="COGNITO_USER_POOLS",
        authorizerId="auth1",
        authorizerFrom=auth,
        authorizationScopes=["https://api.example.com/read"],
    )
    options = method("itemsOptions", api, items, "OPTIONS", authorization="NONE")
    return [
        api,
        auth,
        items,
        get,
        integration("getLambda", api, items, get, "AWS_PROXY"),
        options,
        integration("optionsMock", api, items, options, kind),
    ]


def test_cors_preflight_gets_both_fixes_the_exemption_addressed_to_the_admin(
    declared: PolicyPackProcess,
):
    assert said(declared.analyze_all(_preflight_stack())) == [
        (
            "apigateway-method-cognito-authorization",
            "mandatory",
            "Method 'itemsOptions' (OPTIONS on resourceId 'r1'): authorization is 'NONE', not "
            f"'COGNITO_USER_POOLS'. {METHOD_FIX[:-1]}; or, if it is a CORS preflight (MOCK "
            "integration): for a server-to-server API, remove the OPTIONS method and its "
            "integration (no browser, no preflight); if browsers call this API, ask the policy "
            "admin to set exemptCorsPreflightMock: true on "
            "apigateway-method-cognito-authorization, which exempts exactly the OPTIONS methods "
            "whose own integration is MOCK.",
        )
    ]


def test_cors_preflight_exempted_on_the_owning_policy_passes(pack: PolicyPackProcess):
    pack.configure(
        default_level=None,
        config={
            "apigateway-method-cognito-authorization": {"exemptCorsPreflightMock": True},
            **POOL_ALLOWLISTED,
        },
    )
    assert pack.analyze_all(_preflight_stack()) == []
