# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Prevention in the order an update runs: what an open shape gets created before the pack says.

Each shape is a small stack in registration order (what a resource depends on comes first). The
harness plays an update as the engine runs it under `pulumi up --skip-preview` or the
Automation API's `Stack.up`: Analyze before each resource is created (a mandatory violation
stops that resource, and so every resource that depends on it), AnalyzeStack once at the end.
The open resources it lets through (created, then reported at the end) must be exactly the
detect-only list policies/README.md documents.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from offline_engine import PolicyPackProcess, RecordedResource, resource
from tests.policies.stack_shapes import (
    ISSUER,
    LAMBDA_ARN,
    POOL,
    POOL_ALLOWLISTED,
    cognito_authorizer,
    integration,
    method,
    path_resource,
    rest_api,
)

README = Path(__file__).resolve().parents[2] / "policies" / "README.md"
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


def shapes() -> list[Shape]:
    api = rest_api()
    http = _http()
    quick = _http("quick", target=LAMBDA_ARN)
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
            "method-custom",
            _method_stack("get", authorization="CUSTOM", authorizerId="lam1"),
            "get",
        ),
        Shape(
            "native-method-none",
            [
                resource(
                    "aws-native:apigateway:Method",
                    "get",
                    {"restApiId": "a1", "resourceId": "r1", "httpMethod": "GET"},
                )
            ],
            "get",
        ),
        Shape(
            "bridged-method-none",
            [
                resource(
                    "aws:index/apiGatewayMethod:ApiGatewayMethod",
                    "get",
                    {
                        "restApiId": "a1",
                        "resourceId": "r1",
                        "httpMethod": "GET",
                        "authorization": "NONE",
                    },
                )
            ],
            "get",
        ),
        Shape("preflight-not-exempted", _preflight("MOCK"), "opt"),
        # -- authorizers, judged when created (before the methods and routes using them) ----
        Shape(
            "method-lambda-authorizer", _cognito_method_to(_lambda_authorizer(api), "lam1"), "get"
        ),
        Shape(
            "method-authorizer-without-pools",
            _cognito_method_to(
                resource(
                    "aws:apigateway/authorizer:Authorizer",
                    "auth",
                    {"restApi": "a1", "type": "COGNITO_USER_POOLS", "providerArns": []},
                    outputs={"restApi": "a1", "type": "COGNITO_USER_POOLS", "id": "auth1"},
                ),
                "auth1",
            ),
            "get",
        ),
        Shape(
            "method-authorizer-outside-allowlist",
            _cognito_method_to(cognito_authorizer(api), "auth1"),
            "get",
            {
                "apigateway-method-cognito-authorizer": {
                    "allowedUserPoolArns": [POOL.replace("AbC123", "Other9")]
                }
            },
        ),
        Shape(
            "route-authorizer-not-cognito",
            [
                http,
                (jwt := _jwt(http, "https://login.example.com/")),
                _route(
                    "get",
                    http,
                    "GET /items",
                    authorizationType="JWT",
                    authorizerId="j1",
                    authorizerFrom=jwt,
                    authorizationScopes=SCOPES,
                ),
            ],
            "get",
        ),
        # -- HTTP API routes and quick create ------------------------------------------------
        Shape("route-none", [http, _route("get", http, "GET /items")], "get"),
        Shape(
            "route-jwt-no-scopes",
            [
                http,
                (jwt2 := _jwt(http)),
                _route(
                    "get",
                    http,
                    "GET /items",
                    authorizationType="JWT",
                    authorizerId="j1",
                    authorizerFrom=jwt2,
                ),
            ],
            "get",
        ),
        Shape("quick-create", [quick], "quick"),
        Shape(
            "quick-create-with-override",
            [
                quick,
                resource(
                    "aws-native:apigatewayv2:ApiGatewayManagedOverrides",
                    "overrides",
                    {
                        "apiId": "h1",
                        "route": {
                            "authorizationType": "JWT",
                            "authorizerId": "j1",
                            "authorizationScopes": SCOPES,
                        },
                    },
                    property_dependencies={"apiId": [quick.urn]},
                    dependencies=[quick.urn],
                ),
            ],
            "quick",
        ),
        Shape(
            "websocket-api",
            [resource("aws:apigatewayv2/api:Api", "ws", {"protocolType": "WEBSOCKET"})],
            "ws",
        ),
        Shape(
            "websocket-route",
            [_route("connect", http, "$connect", authorizationType="NONE")],
            "connect",
        ),
        # -- bodies ----------------------------------------------------------------------------
        Shape(
            "restapi-body-open",
            [
                resource(
                    "aws:apigateway/restApi:RestApi",
                    "api",
                    {"body": _body(None), "failOnWarnings": True},
                )
            ],
            "api",
        ),
        Shape(
            "restapiput-body-cognito-without-scopes",
            [
                api,
                resource(
                    "aws:apigateway/restApiPut:RestApiPut",
                    "put",
                    {"restApiId": "a1", "body": _body([{"pool": []}]), "failOnWarnings": True},
                ),
            ],
            "put",
        ),
        Shape(
            "native-restapi-body-open",
            [
                resource(
                    "aws-native:apigateway:RestApi",
                    "api",
                    {"body": json.loads(_body([])), "failOnWarnings": True},
                )
            ],
            "api",
        ),
        Shape(
            "httpapi-body-open",
            [_http("body", body=_body(None, jwt=True), failOnWarnings=True)],
            "body",
        ),
        Shape(
            "cloudformation-open-method",
            [
                _cfn(
                    {
                        "Resources": {
                            "Get": {
                                "Type": "AWS::ApiGateway::Method",
                                "Properties": {"HttpMethod": "GET"},
                            }
                        }
                    }
                )
            ],
            "cfn",
        ),
        # -- only the stack shows these: detected at the end --------------------------------
        Shape("method-authorizer-not-in-stack", _cognito_method_to(None, "elsewhere"), "get"),
        Shape(
            "route-authorizer-not-in-stack",
            [
                http,
                _route(
                    "get",
                    http,
                    "GET /items",
                    authorizationType="JWT",
                    authorizerId="elsewhere",
                    authorizationScopes=SCOPES,
                ),
            ],
            "get",
        ),
        Shape(
            "route-authorizer-not-jwt",
            [
                http,
                (lam := _jwt(http, kind="REQUEST")),
                _route(
                    "get",
                    http,
                    "GET /items",
                    authorizationType="JWT",
                    authorizerId="j1",
                    authorizerFrom=lam,
                    authorizationScopes=SCOPES,
                ),
            ],
            "get",
        ),
        Shape("exempted-preflight-not-mock", _preflight("HTTP_PROXY"), "opt", EXEMPT),
        Shape("exempted-preflight-mock-replaced", _native_preflight_replaced(), "opt", EXEMPT),
        Shape(
            "websocket-route-of-unlisted-api",
            [
                resource(
                    "aws:apigatewayv2/route:Route",
                    "connect",
                    {"apiId": "ws-elsewhere", "routeKey": "$connect", "authorizationType": "NONE"},
                )
            ],
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


SHAPES = shapes()


def play(pack: PolicyPackProcess, shape: Shape) -> tuple[bool, list[str]]:
    """(whether the open resource was created, the mandatory policies of AnalyzeStack)."""
    pack.configure(default_level=None, config={**POOL_ALLOWLISTED, **shape.config})
    created: list[RecordedResource] = []
    stopped: set[str] = set()
    for record in shape.resources:
        blocked = any(d.mandatory for d in pack.analyze(record))
        # The engine's dependencies: explicit ones and every property's.
        needs = {
            *record.dependencies,
            *(u for us in record.property_dependencies.values() for u in us),
        }
        if blocked or stopped & needs:
            stopped.add(record.urn)
        else:
            created.append(record)
    let_through = any(r.name == shape.open for r in created)
    at_end = [d.policy_name for d in pack.analyze_stack(created) if d.mandatory]
    return let_through, at_end


def documented_detect_only() -> set[str]:
    """The ids in the first column of policies/README's detect-only table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Detected only at the end", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.MULTILINE))


def test_the_only_open_resources_let_through_are_the_documented_detect_only_list(
    pack: PolicyPackProcess,
):
    let_through = {shape.id for shape in SHAPES if play(pack, shape)[0]}
    assert let_through == documented_detect_only()


@pytest.mark.parametrize("shape", SHAPES, ids=[s.id for s in SHAPES])
def test_every_open_shape_is_stopped_before_creation_or_reported_at_the_end(
    pack: PolicyPackProcess, shape: Shape
):
    let_through, at_end = play(pack, shape)
    if let_through:
        assert at_end, f"{shape.id}: created and never reported"
    else:
        assert at_end == [], f"{shape.id}: reported twice ({at_end})"
