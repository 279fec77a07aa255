# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-httpapi-no-quick-create: a compliant HTTP API, then one change per fault and per
unknown (the policy reads no config)."""

from __future__ import annotations

from typing import Any

import pytest

from apigw_guard.model.resource_types import HTTP_BODY_TYPES
from apigw_guard.rules.httpapi_no_quick_create import policy
from offline_engine import COMPUTED, RecordedResource, resource
from tests.policies.rules.harness import analyze, assert_metadata

NAME = "apigateway-httpapi-no-quick-create"
FIX = (
    "Fix: remove target and routeKey from the Api and declare the route as an "
    "aws.apigatewayv2.Route with authorizationType JWT, authorizerId of an apigatewayv2 "
    "Authorizer whose issuer is https://cognito-idp.<region>.amazonaws.com/<pool-id>, and "
    "authorizationScopes, with its own Integration and Stage."
)
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"


def compliant(resource_type: str = HTTP_BODY_TYPES[0], **changes: Any) -> RecordedResource:
    props = {"name": "quick", "protocolType": "HTTP", **changes}
    return resource(resource_type, "quick", props)


def message(key: str, resource_type: str = HTTP_BODY_TYPES[0]) -> str:
    return (
        f"{resource_type.rsplit(':', 1)[1]} 'quick': target is set (quick create), so API "
        f"Gateway creates the route {key} with no authorizer together with the API: anyone can "
        "call it from the moment the Api exists, and a managed override, created only after the "
        f"API, cannot close that window. {FIX}"
    )


def test_metadata():
    assert_metadata(policy, NAME, "mandatory", set())


@pytest.mark.parametrize("resource_type", HTTP_BODY_TYPES)
def test_an_api_without_target_passes(resource_type):
    assert analyze(policy, compliant(resource_type)).clean
    assert analyze(policy, compliant(resource_type, target="")).clean


@pytest.mark.parametrize("resource_type", HTTP_BODY_TYPES)
def test_quick_create_is_refused_before_the_api_exists(resource_type):
    refused = analyze(policy, compliant(resource_type, target=LAMBDA)).only()
    assert refused == message("$default", resource_type)


def test_the_route_key_it_would_create_is_named():
    refused = analyze(policy, compliant(target=LAMBDA, routeKey="GET /pets")).only()
    assert refused == message("GET /pets")


def test_an_unknown_target_is_still_quick_create():
    assert analyze(policy, compliant(target=COMPUTED)).only() == message("$default")


def test_an_unknown_route_key_is_named_as_unknown():
    refused = analyze(policy, compliant(target=LAMBDA, routeKey=COMPUTED)).only()
    assert refused == message("<routeKey unknown until the update>")


def test_it_reads_no_config():
    assert analyze(policy, compliant(), {"allowedWebSocketApis": 3}).clean
