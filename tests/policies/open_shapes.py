# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Open shapes, each a small stack in registration order, for the registration-order test.

Written from the AWS resource shapes (see stack_shapes.py): each leaves one resource (`open`)
callable without a Cognito access token with a scope; what a resource depends on comes first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from offline_engine import RecordedResource, resource
from tests.policies.stack_shapes import (
    ISSUER,
    LAMBDA_ARN,
    POOL,
    cognito_authorizer,
    integration,
    method,
    path_resource,
    rest_api,
)

EXEMPT = {"apigateway-method-cognito-authorization": {"exemptCorsPreflightMock": True}}
LISTED = {"apigateway-route-cognito-jwt-authorization": {"allowedWebSocketApis": ["api-xyz"]}}
SCOPES = ["https://api.example.com/read"]


@dataclass
class Shape:
    """An open shape: its stack in registration order, and which resource is the open one."""

    id: str
    resources: list[RecordedResource]
    open: str  # the name of the resource whose creation exposes the API
    config: dict[str, dict[str, Any]] = field(default_factory=dict)


def _method_stack(name: str, **settings) -> list[RecordedResource]:
    api = rest_api()
    items = path_resource("items", api, api, "items", "r1")
    return [api, items, method(name, api, items, settings.pop("verb", "GET"), **settings)]


def _http(name: str = "http", **extra) -> RecordedResource:
    inputs = {"name": name, "protocolType": "HTTP", **extra}
    return resource("aws:apigatewayv2/api:Api", name, inputs, outputs={**inputs, "id": "h1"})


def _route(name: str, api: RecordedResource, key: str, **settings) -> RecordedResource:
    authorizer = settings.pop("authorizerFrom", None)
    deps = {"apiId": [api.urn], **({"authorizerId": [authorizer.urn]} if authorizer else {})}
    return resource(
        "aws:apigatewayv2/route:Route",
        name,
        {"apiId": "h1", "routeKey": key, **settings},
        property_dependencies=deps,
        dependencies=sorted({u for us in deps.values() for u in us}),
    )


def _jwt(api: RecordedResource, issuer: str = ISSUER, kind: str = "JWT") -> RecordedResource:
    inputs: dict[str, Any] = {"apiId": "h1", "authorizerType": kind}
    if kind == "JWT":
        inputs["jwtConfiguration"] = {"issuer": issuer, "audiences": ["c"]}
    return resource(
        "aws:apigatewayv2/authorizer:Authorizer",
        "jwt",
        inputs,
        outputs={**inputs, "id": "j1"},
        property_dependencies={"apiId": [api.urn]},
        dependencies=[api.urn],
    )


def _body(security: Any, jwt: bool = False) -> str:
    scheme = (
        {
            "type": "oauth2",
            "x-amazon-apigateway-authorizer": {
                "type": "jwt",
                "jwtConfiguration": {"issuer": ISSUER, "audience": ["c"]},
            },
        }
        if jwt
        else {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authorizer": {
                "type": "cognito_user_pools",
                "providerARNs": [POOL],
            },
        }
    )
    operation = {} if security is None else {"security": security}
    return json.dumps(
        {
            "openapi": "3.0.1",
            "paths": {"/items": {"get": operation}},
            "components": {"securitySchemes": {"pool": scheme}},
        }
    )


def _cognito_method_to(authorizer: RecordedResource | None, authorizer_id: str):
    api = rest_api()
    items = path_resource("items", api, api, "items", "r1")
    extra = {"authorizerFrom": authorizer} if authorizer is not None else {}
    get = method(
        "get",
        api,
        items,
        "GET",
        authorization="COGNITO_USER_POOLS",
        authorizerId=authorizer_id,
        authorizationScopes=SCOPES,
        **extra,
    )
    return [api, items, *([authorizer] if authorizer is not None else []), get]


def _lambda_authorizer(api: RecordedResource) -> RecordedResource:
    inputs = {"restApi": "a1", "type": "TOKEN", "authorizerUri": LAMBDA_ARN}
    return resource(
        "aws:apigateway/authorizer:Authorizer", "lam", inputs, outputs={**inputs, "id": "lam1"}
    )


def _preflight(kind: str) -> list[RecordedResource]:
    api = rest_api()
    items = path_resource("items", api, api, "items", "r1")
    options = method("opt", api, items, "OPTIONS", authorization="NONE")
    return [api, items, options, integration("optInteg", api, items, options, kind)]


def _native_preflight_replaced() -> list[RecordedResource]:
    refs = {"restApiId": "a1", "resourceId": "r1", "httpMethod": "OPTIONS"}
    native = resource(
        "aws-native:apigateway:Method",
        "opt",
        {**refs, "authorizationType": "NONE", "integration": {"type": "MOCK"}},
    )
    bridged = resource(
        "aws:index/apiGatewayIntegration:ApiGatewayIntegration",
        "proxy",
        {**refs, "type": "HTTP_PROXY", "uri": "https://backend.example.com"},
    )
    return [native, bridged]


def _cfn(template: dict[str, Any]) -> RecordedResource:
    return resource("aws:cloudformation/stack:Stack", "cfn", {"templateBody": json.dumps(template)})


def _alone(type_: str, name: str, inputs: dict[str, Any]) -> list[RecordedResource]:
    return [resource(type_, name, inputs)]


def _jwt_route(
    http: RecordedResource, authorizer_id: str, authorizer: RecordedResource | None, **extra
) -> list[RecordedResource]:
    """The HTTP API, its authorizer (when there is one) and a JWT route naming `authorizer_id`."""
    if authorizer is not None:
        extra["authorizerFrom"] = authorizer
    route = _route(
        "get", http, "GET /items", authorizationType="JWT", authorizerId=authorizer_id, **extra
    )
    return [http, *([authorizer] if authorizer is not None else []), route]


OPEN_CFN = {"Resources": {"Get": {"Type": "AWS::ApiGateway::Method", "Properties": {}}}}
NO_POOLS = {"restApi": "a1", "type": "COGNITO_USER_POOLS", "providerArns": []}
OTHER_POOL = {"allowedUserPoolArns": [POOL.replace("AbC123", "Other9")]}
OVERRIDE = {
    "apiId": "h1",
    "route": {"authorizationType": "JWT", "authorizerId": "j1", "authorizationScopes": SCOPES},
}
REF = {"restApiId": "a1", "resourceId": "r1", "httpMethod": "GET"}


def shapes() -> list[Shape]:
    api, http = rest_api(), _http()
    quick = _http("quick", target=LAMBDA_ARN)
    override = resource(
        "aws-native:apigatewayv2:ApiGatewayManagedOverrides",
        "overrides",
        OVERRIDE,
        property_dependencies={"apiId": [quick.urn]},
        dependencies=[quick.urn],
    )
    no_pools = resource(
        "aws:apigateway/authorizer:Authorizer", "auth", NO_POOLS, outputs={**NO_POOLS, "id": "a1"}
    )
    ws_stray = {"apiId": "ws-elsewhere", "routeKey": "$connect", "authorizationType": "NONE"}
    return [
        # -- REST API methods, every provider ----------------------------------------------
        Shape("method-none", _method_stack("get", authorization="NONE"), "get"),
        Shape(
            "method-cognito-no-scopes",
            _method_stack("get", authorization="COGNITO_USER_POOLS", authorizerId="auth1"),
            "get",
        ),
        Shape("method-aws-iam", _method_stack("get", authorization="AWS_IAM"), "get"),
        Shape(
            "method-custom", _method_stack("get", authorization="CUSTOM", authorizerId="l"), "get"
        ),
        Shape("native-method-none", _alone("aws-native:apigateway:Method", "get", REF), "get"),
        Shape(
            "bridged-method-none",
            _alone(
                "aws:index/apiGatewayMethod:ApiGatewayMethod",
                "get",
                {**REF, "authorization": "NONE"},
            ),
            "get",
        ),
        Shape("preflight-not-exempted", _preflight("MOCK"), "opt"),
        # -- authorizers, judged when created (before the methods and routes using them) ----
        Shape("method-lambda-authorizer", _cognito_method_to(_lambda_authorizer(api), "l"), "get"),
        Shape("method-authorizer-without-pools", _cognito_method_to(no_pools, "a1"), "get"),
        Shape(
            "method-authorizer-outside-allowlist",
            _cognito_method_to(cognito_authorizer(api), "auth1"),
            "get",
            {"apigateway-method-cognito-authorizer": OTHER_POOL},
        ),
        Shape(
            "route-authorizer-not-cognito",
            _jwt_route(
                http, "j1", _jwt(http, "https://login.example.com/"), authorizationScopes=SCOPES
            ),
            "get",
        ),
        # -- HTTP API routes, quick create, WebSocket -----------------------------------------
        Shape("route-none", [http, _route("get", http, "GET /items")], "get"),
        Shape("route-jwt-no-scopes", _jwt_route(http, "j1", _jwt(http)), "get"),
        Shape("quick-create", [quick], "quick"),
        Shape("quick-create-with-override", [quick, override], "quick"),
        Shape(
            "websocket-api",
            _alone("aws:apigatewayv2/api:Api", "ws", {"protocolType": "WEBSOCKET"}),
            "ws",
        ),
        Shape(
            "websocket-route",
            [_route("connect", http, "$connect", authorizationType="NONE")],
            "connect",
        ),
        # -- bodies and templates --------------------------------------------------------------
        Shape(
            "restapi-body-open",
            _alone(
                "aws:apigateway/restApi:RestApi",
                "api",
                {"body": _body(None), "failOnWarnings": True},
            ),
            "api",
        ),
        Shape(
            "restapiput-body-cognito-without-scopes",
            [
                api,
                *_alone(
                    "aws:apigateway/restApiPut:RestApiPut",
                    "put",
                    {"restApiId": "a1", "body": _body([{"pool": []}]), "failOnWarnings": True},
                ),
            ],
            "put",
        ),
        Shape(
            "native-restapi-body-open",
            _alone("aws-native:apigateway:RestApi", "api", {"body": json.loads(_body([]))}),
            "api",
        ),
        Shape("httpapi-body-open", [_http("body", body=_body(None, jwt=True))], "body"),
        Shape("cloudformation-open-method", [_cfn(OPEN_CFN)], "cfn"),
        # -- only the stack shows these: detected at the end --------------------------------
        Shape("method-authorizer-not-in-stack", _cognito_method_to(None, "elsewhere"), "get"),
        Shape(
            "route-authorizer-not-in-stack",
            _jwt_route(http, "elsewhere", None, authorizationScopes=SCOPES),
            "get",
        ),
        Shape(
            "route-authorizer-not-jwt",
            _jwt_route(http, "j1", _jwt(http, kind="REQUEST"), authorizationScopes=SCOPES),
            "get",
        ),
        Shape("exempted-preflight-not-mock", _preflight("HTTP_PROXY"), "opt", EXEMPT),
        Shape("exempted-preflight-mock-replaced", _native_preflight_replaced(), "opt", EXEMPT),
        Shape(
            "websocket-route-of-unlisted-api",
            _alone("aws:apigatewayv2/route:Route", "connect", ws_stray),
            "connect",
            LISTED,
        ),
        Shape(
            "default-route-of-http-api",
            [http, _route("default", http, "$default", authorizationType="NONE")],
            "default",
            LISTED,
        ),
    ]
