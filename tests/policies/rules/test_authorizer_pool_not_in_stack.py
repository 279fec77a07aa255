# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-authorizer-pool-not-in-stack: a stack that creates the pool it trusts, then one
change per fault, per unknown and per config property (left out, set, of the wrong type)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from apigw_guard.rules.authorizer_pool_not_in_stack import policy
from offline_engine import COMPUTED, resource
from tests.policies.rules.harness import analyze_stack, assert_metadata
from tests.policies.rules.user_pools import (
    FOREIGN_ARN,
    POOL_ID,
    SCOPE,
    foreign_authorizer,
    http_api,
    rest_stack,
    user_pool,
)

NAME = "apigateway-authorizer-pool-not-in-stack"


def test_metadata():
    assert_metadata(policy, NAME, "advisory", {"allowedUserPoolArns"}, severity="high")


def test_a_stack_that_creates_the_pool_it_trusts_is_silent():
    api = [*rest_stack([SCOPE]), http_api()]  # the authorizer and the body trust the pool
    assert analyze_stack(policy, [user_pool(), *api]).clean
    # Matched by pool id alone too (an aws-native pool outputs userPoolId).
    native = resource("aws-native:cognito:UserPool", "np", {}, outputs={"userPoolId": POOL_ID})
    assert analyze_stack(policy, [native, *api]).clean


# -- one change per fault ---------------------------------------------------------------------


def test_an_authorizer_trusting_a_foreign_pool_is_advised():
    message = analyze_stack(policy, [user_pool(), foreign_authorizer([FOREIGN_ARN])]).only()
    assert message == (
        f"Authorizer 'cognito' trusts user pool {FOREIGN_ARN} (providerArns), which no user pool "
        "of this stack is: whoever controls that pool, possibly another AWS account, can mint "
        "tokens this API accepts. Fix: create the pool in this stack; or if the pool is one "
        "your organisation trusts, ask the policy admin to list it in allowedUserPoolArns (on "
        "the guarantee policies that judge authorizers and bodies, and on this advisory, which "
        f"is then silent), e.g. ['{FOREIGN_ARN}']."
    )


def test_a_foreign_jwt_issuer_and_body_pool_are_advised():
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
    messages = analyze_stack(policy, [user_pool(), jwt, http_api("us-east-1_Else")]).messages
    assert len(messages) == 2, messages
    assert "Authorizer 'jwt' trusts JWT issuer" in messages[0]
    assert "'arn:aws:cognito-idp:eu-west-1:<account-id>:userpool/eu-west-1_Far'" in messages[0]
    assert "Api 'http' body: scheme 'jwt' trusts JWT issuer" in messages[1]


@settings(max_examples=30, derandomize=True, deadline=None)
@given(
    account=st.sampled_from(["123456789012", "999999999999"]),
    pool_id=st.sampled_from([POOL_ID, "us-east-1_Zz9", "us-east-1_AbC1234"]),
)
def test_advised_exactly_when_the_trusted_arn_is_not_the_stacks_pool(account, pool_id):
    arn = f"arn:aws:cognito-idp:us-east-1:{account}:userpool/{pool_id}"
    outcome = analyze_stack(policy, [user_pool(), foreign_authorizer([arn])])
    assert outcome.deferred is None
    assert bool(outcome.violations) == (pool_id != POOL_ID), (arn, outcome)


# -- one change per unknown: the deferral names the resources it covers -----------------------


def test_a_pool_created_in_this_run_defers_and_a_value_from_it_is_left_to_the_update():
    new_pool = resource("aws:cognito/userPool:UserPool", "pool", {"name": "pool"})
    authorizer = foreign_authorizer([FOREIGN_ARN])
    outcome = analyze_stack(policy, [new_pool, authorizer])
    assert outcome.violations == []
    assert f"whether {FOREIGN_ARN} (Authorizer 'cognito') is UserPool 'pool' of this stack" in (
        outcome.deferred or ""
    )
    assert outcome.deferred_urns == (authorizer.urn,)
    from_pool = resource(
        "aws:apigateway/authorizer:Authorizer",
        "cognito",
        {"restApi": "a1", "type": "COGNITO_USER_POOLS", "providerArns": [COMPUTED]},
        property_dependencies={"providerArns": [new_pool.urn]},
    )
    assert analyze_stack(policy, [new_pool, from_pool]).clean


def test_unknown_pools_from_elsewhere_defer_naming_the_authorizer():
    authorizer = foreign_authorizer([COMPUTED])
    outcome = analyze_stack(policy, [user_pool(), authorizer])
    assert "the providerArns of Authorizer 'cognito'" in (outcome.deferred or "")
    assert outcome.deferred_urns == (authorizer.urn,)


# -- config: allowedUserPoolArns ---------------------------------------------------------------


def test_allowlist_left_out_advises():
    assert analyze_stack(policy, [foreign_authorizer([FOREIGN_ARN])]).violations


def test_allowlist_set_silences_the_advisory():
    config = {"allowedUserPoolArns": [FOREIGN_ARN]}
    assert analyze_stack(policy, [foreign_authorizer([FOREIGN_ARN])], config).clean


def test_allowlist_of_the_wrong_type_is_reported_to_the_admin():
    outcome = analyze_stack(policy, [foreign_authorizer([FOREIGN_ARN])], {"allowedUserPoolArns": 3})
    assert outcome.only().startswith(
        "policy config: allowedUserPoolArns must be a list of user pool ARNs"
    )


def test_properties_it_does_not_declare_are_not_read():
    config = {"exemptCorsPreflightMock": "yes"}
    assert analyze_stack(policy, [user_pool(), *rest_stack([SCOPE])], config).clean
