# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-references-resolve: a compliant stack, then one change per link fault and per
unknown, and what the resource policies hand over in the same run (the policy reads no config).

A stack policy: each test runs AnalyzeStack over the stack's outputs as PolicyResources; where a
resource policy hands a resource over, the test runs that resource's Analyze first, as every
CrossGuard flow does.
"""

from __future__ import annotations

from typing import Any

import pytest

from apigw_guard.model.resource_types import INTEGRATION_TYPES
from apigw_guard.rules import method_cognito_authorization, route_cognito_jwt_authorization
from apigw_guard.rules.references_resolve import policy
from offline_engine import COMPUTED, RecordedResource, resource
from tests.policies.rules.harness import analyze, analyze_stack, assert_metadata
from tests.policies.stack_shapes import (
    ISSUER,
    cognito_authorizer,
    integration,
    method,
    path_resource,
    rest_api,
)

NAME = "apigateway-references-resolve"
SCOPES = ["https://api.example.com/read"]
METHOD_FIX = (
    "Fix: point authorizerId at an aws.apigateway.Authorizer of this stack with type "
    "COGNITO_USER_POOLS and providerArns listing the user pool ARN(s)."
)
ROUTE_FIX = (
    "Fix: point authorizerId at an apigatewayv2 Authorizer of this stack with authorizerType JWT "
    "and jwtConfiguration.issuer https://cognito-idp.<region>.amazonaws.com/<pool-id>."
)
EXEMPT = {"exemptCorsPreflightMock": True}


def rest_stack(authorizer_id: Any = "auth1", linked: bool = True) -> list[RecordedResource]:
    """A RestApi, /items, its Cognito authorizer and GET /items naming it."""
    api = rest_api()
    items = path_resource("items", api, api, "items", "r1")
    auth = cognito_authorizer(api)
    link = {"authorizerFrom": auth} if linked else {}
    get = method(
        "getItems",
        api,
        items,
        "GET",
        authorization="COGNITO_USER_POOLS",
        authorizerId=authorizer_id,
        authorizationScopes=SCOPES,
        **link,
    )
    return [api, items, auth, get]


def http_api(protocol: Any = "HTTP", api_id: str = "h1") -> RecordedResource:
    inputs = {"name": "http", "protocolType": protocol}
    return resource("aws:apigatewayv2/api:Api", "http", inputs, outputs={**inputs, "id": api_id})


def jwt_authorizer(kind: str = "JWT") -> RecordedResource:
    inputs: dict[str, Any] = {"apiId": "h1", "authorizerType": kind}
    if kind == "JWT":
        inputs["jwtConfiguration"] = {"issuer": ISSUER, "audiences": ["c"]}
    return resource(
        "aws:apigatewayv2/authorizer:Authorizer", "jwt", inputs, outputs={**inputs, "id": "j1"}
    )


def route(key: str = "GET /pets", **settings: Any) -> RecordedResource:
    props = {
        "apiId": "h1",
        "routeKey": key,
        "authorizationType": "JWT",
        "authorizerId": "j1",
        "authorizationScopes": SCOPES,
        **settings,
    }
    return resource("aws:apigatewayv2/route:Route", "getPets", props)


def test_metadata():
    assert_metadata(policy, NAME, "mandatory", set())


def test_compliant_rest_and_http_stacks_pass():
    assert analyze_stack(policy, rest_stack()).clean
    assert analyze_stack(policy, rest_stack(linked=False)).clean  # by id, no dependency
    assert analyze_stack(policy, [http_api(), jwt_authorizer(), route()]).clean


def test_a_stack_without_methods_or_routes_is_not_read():
    assert analyze_stack(policy, [rest_api(), jwt_authorizer()]).clean


# -- one change per link fault -----------------------------------------------------------------


def test_method_authorizer_not_in_stack():
    stack = rest_stack(authorizer_id="another-stacks", linked=False)
    outcome = analyze_stack(policy, [r for r in stack if r.name != "cognito"])
    ((message, urn),) = outcome.violations
    assert message == (
        "Method 'getItems' (GET /items): authorizerId 'another-stacks' does not resolve to an "
        "authorizer in this stack, so it cannot be shown to be a Cognito one (it may belong to "
        f"another stack). {METHOD_FIX}"
    )
    assert urn == stack[-1].urn


def test_route_authorizer_not_in_stack():
    ((message, _urn),) = analyze_stack(policy, [http_api(), route()]).violations
    assert message.startswith(
        "Route 'getPets' (GET /pets): authorizerId 'j1' does not resolve to an authorizer in "
        "this stack"
    )
    assert message.endswith(ROUTE_FIX)


def test_route_authorizer_not_jwt():
    outcome = analyze_stack(policy, [http_api(), jwt_authorizer("REQUEST"), route()])
    assert outcome.only() == (
        "Route 'getPets' (GET /pets): its authorizer has authorizerType 'REQUEST', not 'JWT' "
        f"(Authorizer 'jwt'). {ROUTE_FIX}"
    )


def test_a_method_with_its_own_fault_is_left_to_the_resource_policy():
    stack = rest_stack()
    stack[-1] = method("getItems", stack[0], stack[1], "GET", authorization="NONE")
    assert analyze_stack(policy, stack).clean


# -- the CORS exemption, handed over by apigateway-method-cognito-authorization -----------------


def preflight_stack(*integrations: str) -> list[RecordedResource]:
    api = rest_api()
    items = path_resource("items", api, api, "items", "r1")
    options = method("options", api, items, "OPTIONS", authorization="NONE")
    attached = [
        integration(f"integration{i}", api, items, options, kind)
        for i, kind in enumerate(integrations)
    ]
    return [api, items, options, *attached]


def run(stack: list[RecordedResource], exempt: bool = True):
    """Analyze each Method (exemption on), then AnalyzeStack: one run of the pack."""
    for record in stack:
        if record.type.endswith(":Method"):
            outcome = analyze(
                method_cognito_authorization.policy, record, EXEMPT if exempt else None
            )
            assert outcome.violations == [], outcome
    return analyze_stack(policy, stack)


def test_an_exempted_preflight_with_one_mock_integration_passes():
    assert run(preflight_stack("MOCK")).clean


@pytest.mark.parametrize(
    ("integrations", "note"),
    [
        (
            ("AWS_PROXY",),
            "exemptCorsPreflightMock applies only to an OPTIONS method whose own integration is "
            "MOCK; Integration 'integration0' has type 'AWS_PROXY'.",
        ),
        (
            (),
            "exemptCorsPreflightMock applies only to an OPTIONS method whose own integration is "
            "MOCK, and no integration of this stack is attached to this method.",
        ),
        (
            ("MOCK", "MOCK"),
            "exemptCorsPreflightMock does not apply: Integration 'integration0' and Integration "
            "'integration1' are all attached to this method and API Gateway keeps only the last "
            "one put, which cannot be told here (failing closed).",
        ),
    ],
    ids=["not-mock", "none", "ambiguous"],
)
def test_an_exempted_preflight_without_exactly_one_mock_is_blocked(integrations, note):
    message = run(preflight_stack(*integrations)).only()
    assert message.startswith(
        f"Method 'options' (OPTIONS /items): authorization is 'NONE', not 'COGNITO_USER_POOLS'. "
        f"{note} Fix: "
    )


def test_an_aws_native_preflights_mock_replaced_by_another_providers_integration():
    api = rest_api()
    items = path_resource("items", api, api, "items", "r1")
    native = resource(
        "aws-native:apigateway:Method",
        "options",
        {
            "restApiId": "a1",
            "resourceId": "r1",
            "httpMethod": "OPTIONS",
            "integration": {"type": "MOCK"},
        },
    )
    bridged = resource(
        INTEGRATION_TYPES[1],
        "replacing",
        {"restApiId": "a1", "resourceId": "r1", "httpMethod": "OPTIONS", "type": "HTTP_PROXY"},
    )
    message = run([api, items, native, bridged]).only()
    assert "its integration and ApiGatewayIntegration 'replacing' are all attached" in message


def test_without_a_hand_off_an_open_preflight_is_not_reported_twice():
    # Exemption off: the resource policy blocked it before it existed.
    stack = preflight_stack("MOCK")
    analyze(method_cognito_authorization.policy, stack[2])
    assert analyze_stack(policy, stack).clean


# -- WebSocket routes, handed over by apigateway-route-cognito-jwt-authorization ----------------

LISTED = {"allowedWebSocketApis": ["ws-1"]}


def run_routes(stack: list[RecordedResource]):
    for record in stack:
        if record.type.endswith(":Route"):
            analyze(route_cognito_jwt_authorization.policy, record, LISTED)
    return analyze_stack(policy, stack)


def test_a_route_of_a_listed_websocket_api_passes():
    api = http_api("WEBSOCKET", "ws-1")
    connect = route("$connect", apiId="ws-1", authorizationType="NONE")
    assert run_routes([api, connect]).clean
    # Listed by id, of an API of another stack.
    assert run_routes([route("$connect", apiId="ws-1", authorizationType="NONE")]).clean


def test_websocket_route_of_unlisted_api():
    api = http_api("WEBSOCKET", "ws-2")
    message = run_routes([api, route("$connect", apiId="ws-2", authorizationType="NONE")]).only()
    assert message.startswith(
        "Route 'getPets' ($connect): Api 'http' is a WebSocket API not in allowedWebSocketApis."
    )


def test_websocket_route_of_an_api_of_another_stack():
    message = run_routes([route("$connect", apiId="ws-9", authorizationType="NONE")]).only()
    assert "its API ('ws-9') is not an Api of this stack and not in allowedWebSocketApis" in message


def test_default_route_of_http_api():
    message = run_routes([http_api(), route("$default", authorizationType="NONE")]).only()
    assert message.startswith(
        "Route 'getPets' ($default): authorizationType is 'NONE', not 'JWT' (Api 'http' is an "
        "HTTP API)."
    )


def test_a_websocket_route_key_on_an_http_api():
    message = run_routes([http_api(), route("$connect", authorizationType="NONE")]).only()
    assert (
        "route key '$connect' is not METHOD /path, which an HTTP API (Api 'http') needs" in message
    )


# -- one change per unknown: the deferral names the resources it covers -----------------------


def test_an_unknown_authorizer_id_defers_naming_its_source_and_the_method():
    stack = rest_stack(authorizer_id=COMPUTED)
    outcome = analyze_stack(policy, stack)
    assert outcome.violations == []
    assert outcome.deferred == (
        "not judged yet because values are unknown until the update: Method 'getItems' (GET "
        "/items): authorizerId (from Authorizer 'cognito'). It will be checked (and enforced) at "
        "update, when the values are known\n"
        f'Deferred resources: ["{stack[-1].urn}"]'
    )
    assert outcome.deferred_urns == (stack[-1].urn,)


def test_an_unknown_integration_type_defers_the_exempted_preflight():
    stack = preflight_stack("MOCK")
    stack[-1] = integration("integration0", stack[0], stack[1], stack[2], "MOCK")
    stack[-1] = resource(
        stack[-1].type,
        "integration0",
        {"restApi": "a1", "resourceId": "r1", "httpMethod": "OPTIONS", "type": COMPUTED},
    )
    outcome = run(stack)
    assert outcome.violations == []
    assert "the type of Integration 'integration0', which decides exemptCorsPreflightMock" in (
        outcome.deferred or ""
    )
    assert outcome.deferred_urns == (stack[2].urn,)


def test_an_unknown_protocol_type_defers_the_handed_route():
    api = http_api(COMPUTED, "ws-1")
    connect = route("$connect", apiId="ws-1", authorizationType="NONE")
    outcome = run_routes([api, connect])
    assert outcome.violations == []
    assert outcome.deferred_urns == (connect.urn,)
    assert "the protocolType of Api 'http'" in (outcome.deferred or "")


def test_it_reads_no_config():
    assert analyze_stack(policy, rest_stack(), {"allowedWebSocketApis": 1}).clean
