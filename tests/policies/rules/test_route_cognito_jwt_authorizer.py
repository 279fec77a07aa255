# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-route-cognito-jwt-authorizer: a compliant JWT Authorizer, then one change per fault,
per unknown and per config property (left out, set, of the wrong type)."""

from __future__ import annotations

from typing import Any

import pytest

from apigw_guard.model.resource_types import HTTP_AUTHORIZER_TYPES
from apigw_guard.rules.route_cognito_jwt_authorizer import policy
from offline_engine import COMPUTED, RecordedResource, resource
from tests.policies.rules.harness import analyze, assert_metadata

NAME = "apigateway-route-cognito-jwt-authorizer"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"
POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
FIX = (
    "Fix: set jwtConfiguration.issuer to the user pool's issuer, "
    "https://cognito-idp.<region>.amazonaws.com/<pool-id> (or its issuer-cognito-idp form)."
)


def compliant(
    resource_type: str = HTTP_AUTHORIZER_TYPES[0], issuer: Any = ISSUER, **changes: Any
) -> RecordedResource:
    props: dict[str, Any] = {
        "apiId": "h1",
        "authorizerType": "JWT",
        "identitySources": ["$request.header.Authorization"],
        "jwtConfiguration": {"issuer": issuer, "audiences": ["client"]},
    }
    props.update(changes)
    return resource(resource_type, "jwt", {k: v for k, v in props.items() if v is not None})


def test_metadata():
    assert_metadata(policy, NAME, "mandatory", {"allowedUserPoolArns"})


@pytest.mark.parametrize("resource_type", HTTP_AUTHORIZER_TYPES)
def test_compliant_authorizer_of_every_provider_passes(resource_type):
    assert analyze(policy, compliant(resource_type)).clean


@pytest.mark.parametrize(
    "issuer",
    [
        "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
        "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbC123",
        "https://cognito-idp.eusc-de-east-1.amazonaws.eu/eusc-de-east-1_AbC123",
    ],
)
def test_both_issuer_forms_in_every_partition_pass(issuer):
    assert analyze(policy, compliant(issuer=issuer)).clean


def test_a_request_authorizer_is_not_judged_here():
    # A WebSocket API the admin allows needs one; a JWT route naming one is the stack policy's.
    assert analyze(policy, compliant(authorizerType="REQUEST", jwtConfiguration=None)).clean


# -- one change per fault ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "issuer",
    [
        "https://example.auth0.com/",
        "https://cognito-idp.s3.amazonaws.com/us-east-1_AbC123",
        ISSUER + "\n",
        "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_AbC123",
        None,
    ],
    ids=["auth0", "s3-host", "newline", "other-region", "missing"],
)
def test_an_issuer_that_is_not_a_cognito_pool_is_refused(issuer):
    message = analyze(policy, compliant(issuer=issuer)).only()
    assert message.startswith(f"Authorizer 'jwt' has JWT issuer {issuer!r}, which is not a Cognito")
    assert message.endswith(FIX)


def test_a_redacted_issuer_cannot_be_judged():
    message = analyze(policy, compliant(issuer="[secret]")).only()
    assert message.startswith("Authorizer 'jwt': jwtConfiguration.issuer is '[secret]'")


# -- one change per unknown --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "what"),
    [
        ({"authorizerType": COMPUTED}, "Authorizer 'jwt': authorizerType"),
        ({"issuer": COMPUTED}, "Authorizer 'jwt': jwtConfiguration.issuer"),
        ({"jwtConfiguration": COMPUTED}, "Authorizer 'jwt': jwtConfiguration.issuer"),
    ],
)
def test_an_unknown_setting_defers(changes, what):
    outcome = analyze(policy, compliant(**changes))
    assert outcome.violations == []
    assert outcome.deferred is not None
    assert f": {what}." in outcome.deferred


# -- config: allowedUserPoolArns ---------------------------------------------------------------


def test_allowlist_left_out_set_and_of_the_wrong_type():
    other = POOL.replace("AbC123", "Other9")
    assert analyze(policy, compliant()).clean
    assert analyze(policy, compliant(), {"allowedUserPoolArns": [POOL]}).clean
    message = analyze(policy, compliant(), {"allowedUserPoolArns": [other]}).only()
    assert message == (
        f"Authorizer 'jwt' trusts JWT issuer {ISSUER!r}, a user pool outside the allowed list "
        "(allowedUserPoolArns). Fix: trust a user pool on the allowed list; if this pool should "
        "be trusted, ask the policy admin to add its ARN to allowedUserPoolArns on this policy."
    )
    wrong = analyze(policy, compliant(), {"allowedUserPoolArns": {"a": 1}}).messages
    assert wrong[0].startswith("policy config: allowedUserPoolArns must be a list")
    assert "outside the allowed list" in wrong[1]


def test_properties_it_does_not_declare_are_not_read():
    assert analyze(policy, compliant(), {"allowedWebSocketApis": 3}).clean
