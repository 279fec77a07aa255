# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-httpapi-body-route-security: a compliant HTTP API body, then one change per fault,
per unknown and per config property (left out, set, of the wrong type)."""

from __future__ import annotations

from typing import Any

import pytest

from apigw_guard.model.resource_types import HTTP_BODY_TYPES
from apigw_guard.rules.httpapi_body_route_security import judge_options, policy
from offline_engine import COMPUTED, RecordedResource, resource
from tests.policies.rules.bodies import ISSUER, JWT_SCHEME, POOL, document, text
from tests.policies.rules.harness import analyze, assert_metadata

NAME = "apigateway-httpapi-body-route-security"
FIX = (
    "Fix: define a security scheme with x-amazon-apigateway-authorizer {type: jwt, "
    "identitySource: '$request.header.Authorization', jwtConfiguration: {issuer: "
    "'https://cognito-idp.<region>.amazonaws.com/<pool-id>', audience: [<app client id>]}} and "
    'give every operation security: [{<scheme>: ["<resource-server-identifier>/<scope>"]}].'
)


def http_api(body: Any, resource_type: str = HTTP_BODY_TYPES[0], **props: Any) -> RecordedResource:
    inputs = {"protocolType": "HTTP", "body": body, "failOnWarnings": True, **props}
    return resource(resource_type, "http", inputs)


def jwt(**authorizer: Any) -> dict[str, Any]:
    return {
        **JWT_SCHEME,
        "x-amazon-apigateway-authorizer": {
            **JWT_SCHEME["x-amazon-apigateway-authorizer"],
            **authorizer,
        },
    }


def test_metadata():
    assert_metadata(policy, NAME, "mandatory", {"allowedUserPoolArns"})


@pytest.mark.parametrize("resource_type", HTTP_BODY_TYPES)
def test_compliant_body_of_every_resource_passes(resource_type):
    assert analyze(policy, http_api(text(document(JWT_SCHEME)), resource_type)).clean


def test_an_api_without_body_is_not_judged():
    assert analyze(policy, resource(HTTP_BODY_TYPES[0], "http", {"protocolType": "HTTP"})).clean


# -- one change per fault ---------------------------------------------------------------------


def test_an_operation_without_security_is_one_violation():
    body = text(document(JWT_SCHEME, **{"/open": {"get": {}}}))
    message = analyze(policy, http_api(body)).only()
    assert message == (
        "Api 'http': GET /open has no operation-level security; add operation-level security "
        f"naming a Cognito authorizer scheme with at least one scope. {FIX}"
    )


@pytest.mark.parametrize(
    ("scheme", "problem"),
    [
        (jwt(type="request"), "uses 'pool', a Lambda authorizer; use a JWT authorizer scheme"),
        (
            jwt(jwtConfiguration={"issuer": "https://example.auth0.com/", "audience": ["c"]}),
            "has JWT issuer 'https://example.auth0.com/', which is not a Cognito user pool",
        ),
        (
            {**jwt(), "x-amazon-apigateway-authtype": "awsSigv4"},
            "(IAM) and an x-amazon-apigateway-authorizer, and AWS does not document which one",
        ),
        ({"type": "apiKey", "name": "k", "in": "header"}, "a scheme that is not a JWT authorizer"),
    ],
)
def test_a_scheme_that_is_not_a_cognito_jwt_authorizer_fails_every_operation(scheme, problem):
    messages = analyze(policy, http_api(text(document(scheme)))).messages
    assert len(messages) == 2
    assert all(problem in m for m in messages), messages


def test_a_default_path_cannot_be_judged():
    message = analyze(policy, http_api(text(document(JWT_SCHEME, **{"$default": {}})))).only()
    assert "path '$default' must be a string starting with '/'" in message


def test_a_body_in_s3_fails_closed():
    native = http_api(text(document(JWT_SCHEME)), "aws-native:apigatewayv2:Api")
    native = resource(
        native.type, "http", {"bodyS3Location": {"bucket": "b", "key": "k"}, "protocolType": "HTTP"}
    )
    assert "bodyS3Location is set" in analyze(policy, native).only()


def test_a_redacted_body_cannot_be_judged():
    assert analyze(policy, http_api("[secret]")).only().startswith("Api 'http': body is '[secret]'")


# -- one change per unknown --------------------------------------------------------------------


def test_an_unknown_body_defers():
    outcome = analyze(policy, http_api(COMPUTED))
    assert outcome.violations == []
    assert outcome.deferred is not None
    assert "Api 'http' body is not known during preview" in outcome.deferred


def test_an_unknown_issuer_defers_and_an_open_route_still_blocks():
    scheme = jwt(jwtConfiguration={"issuer": COMPUTED, "audience": ["c"]})
    doc = document(scheme, **{"/open": {"post": {}}})
    outcome = analyze(policy, http_api(doc, "aws-native:apigatewayv2:Api"))
    (message,) = outcome.messages
    assert "POST /open has no operation-level security" in message
    assert outcome.deferred is not None
    assert "GET /pets: security[0]: the JWT issuer of scheme 'pool'" in outcome.deferred


# -- config: allowedUserPoolArns (and no CORS exemption) ---------------------------------------


def test_allowlist_left_out_set_and_of_the_wrong_type():
    other = POOL.replace("AbC123", "Other9")
    body = text(document(JWT_SCHEME))
    assert analyze(policy, http_api(body)).clean
    assert analyze(policy, http_api(body), {"allowedUserPoolArns": [POOL]}).clean
    outside = analyze(policy, http_api(body), {"allowedUserPoolArns": [other]}).messages
    assert len(outside) == 2
    assert f"trusts JWT issuer {ISSUER!r}, a user pool outside the allowed list" in outside[0]
    wrong = analyze(policy, http_api(body), {"allowedUserPoolArns": "x"}).messages
    assert wrong[0].startswith("policy config: allowedUserPoolArns must be a list")


def test_an_exemption_in_its_config_exempts_nothing():
    # HTTP APIs have no MOCK integration: the property is not this policy's.
    preflight = {"options": {"x-amazon-apigateway-integration": {"type": "mock"}}}
    body = text(document(JWT_SCHEME, **{"/pets": preflight}))
    message = analyze(policy, http_api(body), {"exemptCorsPreflightMock": True}).only()
    assert "OPTIONS /pets has no operation-level security" in message
    assert not judge_options({"exemptCorsPreflightMock": True}).exempt_mock_options
