# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""What authors see for the programs people write (issue 17, items 2 and 5), over the protocol.

WebSocket APIs, children of a known component, one user-flow advisory per client, fixes only
the policy admin can apply, and values current AWS accepts (both issuer forms, replicas, a
sovereign-cloud region, AWS variables resolved with the resource's or its provider's region).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from offline_engine import Diagnostic, PolicyPackProcess, RecordedResource, make_urn, resource
from tests.policies.stack_shapes import ISSUER, POOL, POOL_ALLOWLISTED

ROUTES = "apigateway-route-cognito-jwt-authorization"
ROUTE_LINKS = "apigateway-references-resolve"
WS_URN = make_urn("aws:apigatewayv2/api:Api", "chat")


def text(diag: Diagnostic) -> str:
    return diag.message.split("\n", 1)[-1]


def configure(pack: PolicyPackProcess, **config: dict[str, Any]) -> PolicyPackProcess:
    pack.configure(default_level=None, config={**POOL_ALLOWLISTED, **config})
    return pack


def websocket_api(api_id: str = "ws1") -> RecordedResource:
    inputs = {"name": "chat", "protocolType": "WEBSOCKET", "routeSelectionExpression": "$x"}
    return resource("aws:apigatewayv2/api:Api", "chat", inputs, outputs={**inputs, "id": api_id})


def ws_route(api: RecordedResource | None, key: str, api_id: str = "ws1") -> RecordedResource:
    deps = {"apiId": [api.urn]} if api is not None else {}
    return resource(
        "aws:apigatewayv2/route:Route",
        key.strip("$") or "route",
        {"apiId": api_id, "routeKey": key, "authorizationType": "NONE"},
        property_dependencies=deps,
    )


WHY = (
    "WebSocket APIs accept only NONE, AWS_IAM or a Lambda (REQUEST) authorizer, and only on "
    "$connect: no Cognito or JWT authorizer exists for them, so no route of it can require a "
    "Cognito access token with a scope"
)


def test_a_websocket_api_is_refused_unless_the_admin_lists_it(pack: PolicyPackProcess):
    (diag,) = configure(pack).analyze(websocket_api())
    assert (diag.policy_name, diag.mandatory) == (ROUTES, True)
    assert text(diag) == (
        f"Api 'chat': protocolType is WEBSOCKET. {WHY}. Fix: use an HTTP API (protocolType HTTP) "
        "whose routes have a JWT authorizer with a Cognito user pool as issuer and authorization "
        "scopes; if the API must be a WebSocket API, ask the policy admin to list it in "
        f"allowedWebSocketApis on {ROUTES} (its Api's URN: {WS_URN})."
    )
    listed = configure(pack, **{ROUTES: {"allowedWebSocketApis": [WS_URN]}})
    assert listed.analyze(websocket_api()) == []


def test_a_websocket_route_gets_the_websocket_message_not_the_jwt_fix(pack: PolicyPackProcess):
    (diag,) = configure(pack).analyze(ws_route(None, "$connect"))
    assert text(diag).startswith(
        f"Route 'connect' ($connect): route key '$connect' is a WebSocket route. {WHY}. "
    )
    assert "set authorizationType to JWT" not in text(diag)


def test_routes_of_a_listed_websocket_api_pass_and_others_are_found_at_the_end(
    pack: PolicyPackProcess,
):
    listed = configure(pack, **{ROUTES: {"allowedWebSocketApis": [WS_URN]}})
    api = websocket_api()
    stack = [
        api,
        ws_route(api, "$connect"),
        ws_route(api, "sendMessage"),
        ws_route(api, "$default"),
    ]
    assert listed.analyze_all(stack) == []
    # An API of another stack, not listed by id: the route cannot be shown to be allowed.
    stray = ws_route(None, "$connect", api_id="ws-elsewhere")
    diags = listed.analyze_all([stray])
    assert [(d.policy_name, d.mandatory) for d in diags] == [(ROUTE_LINKS, True)]
    assert "its API ('ws-elsewhere') is not an Api of this stack" in text(diags[0])
    by_id = configure(pack, **{ROUTES: {"allowedWebSocketApis": ["ws-elsewhere"]}})
    assert by_id.analyze_all([stray]) == []


def test_default_route_of_an_http_api_with_the_websocket_list_set_is_found_at_the_end(
    pack: PolicyPackProcess,
):
    listed = configure(pack, **{ROUTES: {"allowedWebSocketApis": [WS_URN]}})
    inputs = {"name": "http", "protocolType": "HTTP"}
    http = resource("aws:apigatewayv2/api:Api", "http", inputs, outputs={**inputs, "id": "h1"})
    route = ws_route(http, "$default", api_id="h1")
    diags = listed.analyze_all([http, route])
    assert [(d.policy_name, d.mandatory) for d in diags] == [(ROUTE_LINKS, True)]
    assert text(diags[0]).startswith(
        "Route 'default' ($default): authorizationType is 'NONE', not 'JWT' (Api 'http' is an "
        "HTTP API)."
    )
    # Without the list, a $default route without JWT is refused before it exists.
    (before,) = configure(pack).analyze(route)
    assert (before.policy_name, before.mandatory) == (ROUTES, True)


COMPONENT_URN = (
    "urn:pulumi:dev::books::aws-apigateway:index:RestAPI$aws:apigateway/restApi:RestApi::books"
)


def test_a_child_of_pulumi_aws_apigateway_gets_the_component_argument_to_change(
    pack: PolicyPackProcess,
):
    body = {
        "swagger": "2.0",
        "info": {"title": "books", "version": "1"},
        "paths": {"/books": {"post": {"x-amazon-apigateway-integration": {"type": "aws_proxy"}}}},
    }
    api = resource(
        "aws:apigateway/restApi:RestApi",
        "books",
        {"body": json.dumps(body), "failOnWarnings": True},
        urn=COMPONENT_URN,
    )
    (diag,) = configure(pack).analyze(api)
    assert text(diag) == (
        "RestApi 'books' (built by the pulumi-aws-apigateway RestAPI component): POST /books "
        "has no operation-level security; add operation-level security naming a Cognito "
        "authorizer scheme with at least one scope. Fix: in the component's `routes`, give the "
        "route {path: '/books', method: 'POST'} an `authorizers` entry for a Cognito user pool "
        '(`providerARNs: [<user pool ARN>]`, `parameterName: "Authorization"`, '
        '`identitySource: ["method.request.header.Authorization"]`, no `handler`) with '
        '`methodsToAuthorize: ["<identifier>/<scope>"]`, and no `iamAuthEnabled`; with '
        "`swaggerString`, give the operation its own security in that document instead "
        "(argument names: pulumi-aws-apigateway v3.0.0 schema, aws-apigateway:index:Route and "
        "aws-apigateway:index:Authorizer)."
    )


def test_a_child_of_this_repositorys_package_gets_its_arguments_over_the_protocol(
    pack: PolicyPackProcess,
):
    body = {
        "openapi": "3.0.1",
        "info": {"title": "pets", "version": "1"},
        "paths": {"/pets": {"get": {"x-amazon-apigateway-integration": {"type": "mock"}}}},
    }
    put = resource(
        "aws:apigateway/restApiPut:RestApiPut",
        "shop-body",
        {"restApiId": "a1", "body": json.dumps(body), "failOnWarnings": True},
        urn="urn:pulumi:dev::shop::secured-m2m-api:index:SecuredRestApi$"
        "aws:apigateway/restApiPut:RestApiPut::shop-body",
    )
    (diag,) = configure(pack).analyze(put)
    assert text(diag).startswith(
        "RestApiPut 'shop-body' (built by the secured-m2m-api SecuredRestApi component): GET /pets "
        "has no operation-level security; add operation-level security naming a Cognito "
        "authorizer scheme with at least one scope. Fix: in the component's `operationScopes`, "
        "give 'GET /pets' the names of the `scopes` that may call it"
    )


def test_one_user_flow_advisory_per_client(pack: PolicyPackProcess):
    scopes = ["https://api.example.com/read", "https://api.example.com/write"]
    method = resource(
        "aws:apigateway/method:Method",
        "getPets",
        {
            "restApi": "a1",
            "resourceId": "r1",
            "httpMethod": "GET",
            "authorization": "COGNITO_USER_POOLS",
            "authorizerId": "auth1",
            "authorizationScopes": scopes,
        },
    )
    client = resource(
        "aws:cognito/userPoolClient:UserPoolClient",
        "web",
        {"allowedOauthFlows": ["code"], "allowedOauthScopes": scopes, "userPoolId": "p1"},
    )
    diags = [
        d
        for d in configure(pack).analyze_stack([method, client])
        if d.policy_name == "apigateway-cognito-user-flow-reaches-api-scopes"
    ]
    assert len(diags) == 1
    assert (
        "allows the 'code' flow (a person signs in) and the custom scopes "
        "'https://api.example.com/read', which Method 'getPets' (GET on an unresolved path: "
        "resourceId 'r1' is not an API Gateway Resource of this stack (it may belong to another "
        "stack)) accept; 'https://api.example.com/write', which Method 'getPets' (GET on an "
        "unresolved path: resourceId 'r1' is not an API Gateway Resource of this stack (it may "
        "belong to another stack)) accept:"
    ) in text(diags[0])


def test_an_allowlist_fault_sends_the_author_to_the_admin(pack: PolicyPackProcess):
    other = POOL.replace("AbC123", "Other9")
    auth = resource(
        "aws:apigateway/authorizer:Authorizer",
        "cognito",
        {"restApi": "a1", "type": "COGNITO_USER_POOLS", "providerArns": [POOL]},
    )
    pool_config = {"allowedUserPoolArns": [other]}
    (diag,) = configure(pack, **{"apigateway-method-cognito-authorizer": pool_config}).analyze(auth)
    assert text(diag) == (
        f"Authorizer 'cognito' trusts user pool(s) outside the allowed list "
        f"(allowedUserPoolArns): {POOL}. Fix: trust a user pool on the allowed list; if this "
        "pool should be trusted, ask the policy admin to add its ARN to allowedUserPoolArns on "
        "this policy."
    )


def test_a_config_error_is_addressed_to_the_admin(pack: PolicyPackProcess):
    bad = {"apigateway-method-cognito-authorization": {"exemptCorsPreflightMock": "yes"}}
    method = resource(
        "aws:apigateway/method:Method",
        "m",
        {"restApi": "a", "resourceId": "r", "httpMethod": "GET", "authorization": "NONE"},
    )
    messages = [text(d) for d in configure(pack, **bad).analyze(method)]
    assert any(
        m.startswith("policy config: exemptCorsPreflightMock must be true or false")
        and "Fix (policy admin):" in m
        for m in messages
    ), messages


# -- current with AWS ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "inputs"),
    [
        (
            "aws:apigatewayv2/authorizer:Authorizer",
            {
                "authorizerType": "JWT",
                "jwtConfiguration": {"issuer": ISSUER.replace("cognito-idp", "issuer-cognito-idp")},
            },
        ),
        (
            "aws:apigateway/authorizer:Authorizer",
            {
                "type": "COGNITO_USER_POOLS",
                "providerArns": [
                    # A replica in eu-west-1 of a us-east-1 pool, and a sovereign-cloud pool.
                    "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbC123",
                    "arn:aws-eusc:cognito-idp:eusc-de-east-1:123456789012:userpool/"
                    "eusc-de-east-1_AbC123",
                ],
            },
        ),
    ],
    ids=["updated-issuer", "replica-and-eusc"],
)
def test_values_current_aws_accepts_pass(pack: PolicyPackProcess, type_, inputs):
    pack.configure(default_level=None)
    assert pack.analyze(resource(type_, "auth", inputs)) == []


VAR_ARN = "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/"


def _body_with(arn: str, **extra: Any) -> RecordedResource:
    body = {
        "openapi": "3.0.1",
        "paths": {"/pets": {"get": {"security": [{"pool": ["api/read"]}]}}},
        "components": {
            "securitySchemes": {
                "pool": {
                    "type": "apiKey",
                    "name": "Authorization",
                    "in": "header",
                    "x-amazon-apigateway-authorizer": {
                        "type": "cognito_user_pools",
                        "providerARNs": [arn],
                    },
                }
            }
        },
    }
    return resource(
        "aws:apigateway/restApi:RestApi",
        "api",
        {"body": json.dumps(body), "failOnWarnings": True, **extra},
        provider=f"{make_urn('pulumi:providers:aws', 'default')}::p1",
    )


def _provider(region: str) -> RecordedResource:
    return resource("pulumi:providers:aws", "default", {"region": region})


@pytest.mark.parametrize(
    ("pool", "provider_region", "own_region", "passes"),
    [
        ("eu-west-1_AbC123", "eu-west-1", None, True),
        ("us-east-1_AbC123", "eu-west-1", None, True),  # a replica: still the aws partition
        ("us-east-1_AbC123", "cn-north-1", None, False),  # the pool id is not in aws-cn
        ("us-east-1_AbC123", "cn-north-1", "eu-west-1", True),  # the resource's own region wins
        ("cn-north-1_AbC123", None, None, True),  # no region known: some region makes it sound
    ],
)
def test_aws_variables_resolve_with_the_resources_or_its_providers_region(
    pack: PolicyPackProcess, pool, provider_region, own_region, passes
):
    configure(pack)
    extra = {"region": own_region} if own_region else {}
    api = _body_with(VAR_ARN + pool, **extra)
    provider = _provider(provider_region) if provider_region else None
    diags = [d for d in pack.analyze(api, provider) if d.mandatory]
    assert (diags == []) is passes, diags


def test_aws_variables_resolve_in_an_update_and_at_stack_level(pack: PolicyPackProcess):
    # The whole update: the provider travels beside each resource; the pool advisory matches
    # the body's resolved pool id against the stack's pool.
    pool = resource(
        "aws:cognito/userPool:UserPool",
        "pool",
        {"name": "p"},
        outputs={
            "name": "p",
            "id": "eu-west-1_AbC123",
            "arn": POOL.replace("us-east-1", "eu-west-1"),
        },
    )
    pack.configure(default_level=None)
    stack = [_provider("eu-west-1"), pool, _body_with(VAR_ARN + "eu-west-1_AbC123")]
    assert pack.analyze_all(stack) == []
