# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-route-cognito-jwt-authorization: a compliant HTTP API Route, then one change per
fault, per unknown and per config property (left out, set, of the wrong type)."""

from __future__ import annotations

from typing import Any

import pytest

from apigw_guard import handoff
from apigw_guard.model.resource_types import HTTP_BODY_TYPES, MANAGED_OVERRIDES_TYPE, ROUTE_TYPES
from apigw_guard.rules.route_cognito_jwt_authorization import policy
from offline_engine import COMPUTED, RecordedResource, resource
from tests.policies.rules.harness import analyze, assert_metadata

NAME = "apigateway-route-cognito-jwt-authorization"
FIX = (
    "Fix: set authorizationType to JWT, authorizerId to an apigatewayv2 Authorizer of type JWT "
    "whose issuer is https://cognito-idp.<region>.amazonaws.com/<pool-id>, and "
    "authorizationScopes to at least one resource-server scope."
)
WHY = (
    "WebSocket APIs accept only NONE, AWS_IAM or a Lambda (REQUEST) authorizer, and only on "
    "$connect: no Cognito or JWT authorizer exists for them, so no route of it can require a "
    "Cognito access token with a scope"
)
AUTHOR_FIX = (
    "use an HTTP API (protocolType HTTP) whose routes have a JWT authorizer with a Cognito user "
    "pool as issuer and authorization scopes"
)


def compliant(resource_type: str = ROUTE_TYPES[0], **changes: Any) -> RecordedResource:
    props: dict[str, Any] = {
        "apiId": "h1",
        "routeKey": "GET /pets",
        "authorizationType": "JWT",
        "authorizerId": "j1",
        "authorizationScopes": ["https://api.example.com/read"],
    }
    props.update(changes)
    return resource(resource_type, "getPets", {k: v for k, v in props.items() if v is not None})


def websocket_api(**changes: Any) -> RecordedResource:
    props = {"name": "chat", "protocolType": "WEBSOCKET", **changes}
    return resource(HTTP_BODY_TYPES[0], "chat", props)


def test_metadata():
    assert_metadata(policy, NAME, "mandatory", {"allowedWebSocketApis"})


@pytest.mark.parametrize("resource_type", ROUTE_TYPES)
def test_compliant_route_of_every_provider_passes(resource_type):
    assert analyze(policy, compliant(resource_type)).clean


def test_an_http_api_and_an_override_with_a_sound_route_pass():
    assert analyze(policy, resource(HTTP_BODY_TYPES[0], "http", {"protocolType": "HTTP"})).clean
    route = {"authorizationType": "JWT", "authorizerId": "j1", "authorizationScopes": ["a/b"]}
    override = resource(MANAGED_OVERRIDES_TYPE, "o", {"apiId": "h1", "route": route})
    assert analyze(policy, override).clean


# -- one change per fault ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"authorizationType": "NONE"}, "authorizationType is 'NONE', not 'JWT'"),
        ({"authorizationType": None}, "authorizationType is 'NONE', not 'JWT'"),
        ({"authorizationType": "AWS_IAM"}, "authorizationType is 'AWS_IAM', not 'JWT'"),
        ({"authorizationType": "jwt"}, "authorizationType is 'jwt', not 'JWT'"),
        ({"authorizerId": None}, "authorizerId is missing; it must name a Cognito JWT authorizer"),
        (
            {"authorizationScopes": []},
            "authorizationScopes is empty, so no scope is required: ID tokens and access tokens "
            "of any client the authorizer accepts (its audience) get in",
        ),
        ({"authorizationScopes": [""]}, "authorizationScopes has blank entries: ['']"),
    ],
)
def test_each_fault_is_one_violation_naming_the_route(changes, problem):
    message = analyze(policy, compliant(**changes)).only()
    assert message == f"Route 'getPets' (GET /pets): {problem}. {FIX}"


def test_an_override_route_block_is_judged_like_a_route():
    override = resource(MANAGED_OVERRIDES_TYPE, "o", {"apiId": "h1", "route": {"target": "x"}})
    message = analyze(policy, override).only()
    assert message == (
        "ApiGatewayManagedOverrides 'o' (route override of the quick-created route): "
        f"authorizationType is 'NONE', not 'JWT'. {FIX}"
    )
    # No route block: the quick create itself is apigateway-httpapi-no-quick-create's.
    assert analyze(policy, resource(MANAGED_OVERRIDES_TYPE, "o2", {"apiId": "h1"})).clean


def test_a_websocket_api_is_refused_when_created():
    message = analyze(policy, websocket_api()).only()
    assert message == (
        f"Api 'chat': protocolType is WEBSOCKET. {WHY}. Fix: {AUTHOR_FIX}; if the API must be a "
        "WebSocket API, ask the policy admin to list it in allowedWebSocketApis on "
        f"{NAME} (its Api's URN: {websocket_api().urn})."
    )


def test_a_websocket_route_is_refused_when_created():
    message = analyze(policy, compliant(routeKey="$connect", authorizationType="NONE")).only()
    assert message.startswith(
        f"Route 'getPets' ($connect): route key '$connect' is a WebSocket route. {WHY}."
    )


def test_a_default_route_without_jwt_names_the_websocket_setting():
    message = analyze(policy, compliant(routeKey="$default", authorizationType="NONE")).only()
    assert message.endswith(
        "(a WebSocket API's $default route cannot use JWT: WebSocket APIs are allowed only when "
        "the policy admin lists them in allowedWebSocketApis)."
    )


def test_a_redacted_scope_list_cannot_be_judged():
    message = analyze(policy, compliant(authorizationScopes="[secret]")).only()
    assert message.startswith("Route 'getPets' (GET /pets): authorizationScopes is '[secret]'")


def test_a_read_route_with_no_inputs_is_not_judged():
    assert analyze(policy, resource(ROUTE_TYPES[0], "external", {})).clean


# -- one change per unknown --------------------------------------------------------------------


@pytest.mark.parametrize("field", ["authorizationType", "authorizationScopes"])
def test_an_unknown_setting_defers_naming_it(field):
    unknown: dict[str, Any] = {field: COMPUTED}
    outcome = analyze(policy, compliant(**unknown))
    assert outcome.violations == []
    assert outcome.deferred is not None
    assert f"Route 'getPets' (GET /pets): {field}." in outcome.deferred


def test_an_unknown_authorizer_id_is_left_to_the_stack_policy():
    assert analyze(policy, compliant(authorizerId=COMPUTED)).clean


def test_an_unknown_protocol_type_defers():
    outcome = analyze(policy, websocket_api(protocolType=COMPUTED))
    assert outcome.violations == []
    assert outcome.deferred is not None
    assert "Api 'chat': protocolType" in outcome.deferred


def test_an_unknown_route_key_is_named_as_unknown():
    message = analyze(policy, compliant(routeKey=COMPUTED, authorizationType="NONE")).only()
    assert message.startswith("Route 'getPets' (<route key unknown>): authorizationType is 'NONE'")


# -- config: allowedWebSocketApis --------------------------------------------------------------


def test_websocket_list_left_out_allows_none():
    assert analyze(policy, websocket_api()).messages


def test_a_listed_websocket_api_passes_by_urn_or_id():
    api = websocket_api()
    assert analyze(policy, api, {"allowedWebSocketApis": [api.urn]}).clean
    # By id the Api is known only once it exists: its routes are decided at stack level.
    route = compliant(routeKey="$connect", authorizationType="NONE", apiId="ws-id")
    assert analyze(policy, route, {"allowedWebSocketApis": ["ws-id"]}).clean
    handed = handoff.take(handoff.REFERENCES)
    assert handed[route.urn] == (
        "websocket",
        ("ws-id",),
        ("authorizationType is 'NONE', not 'JWT'",),
        (),
    )


def test_with_apis_listed_a_sound_route_is_still_judged_here():
    assert analyze(policy, compliant(), {"allowedWebSocketApis": ["ws-id"]}).clean
    assert handoff.take(handoff.REFERENCES) == {}


def test_websocket_list_of_the_wrong_type_is_reported_and_allows_none():
    outcome = analyze(policy, websocket_api(), {"allowedWebSocketApis": "ws-id"})
    assert outcome.messages[0].startswith(
        "policy config: allowedWebSocketApis must be a list of Api URNs or API ids, got 'ws-id'; "
        "no WebSocket API is allowed through an invalid entry."
    )
    assert "protocolType is WEBSOCKET" in outcome.messages[1]


def test_properties_it_does_not_declare_are_not_read():
    config = {"allowedUserPoolArns": "x", "exemptCorsPreflightMock": "yes"}
    assert analyze(policy, compliant(), config).clean
