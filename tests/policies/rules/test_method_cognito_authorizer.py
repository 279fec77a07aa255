# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""apigateway-method-cognito-authorizer: a compliant REST Authorizer, then one change per fault,
per unknown and per config property (left out, set, of the wrong type)."""

from __future__ import annotations

from typing import Any

import pytest

from apigw_guard.model.resource_types import REST_AUTHORIZER_TYPES
from apigw_guard.rules.method_cognito_authorizer import policy
from offline_engine import COMPUTED, Computed, RecordedResource, resource
from tests.policies.rules.harness import analyze, assert_metadata

NAME = "apigateway-method-cognito-authorizer"
POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
OTHER = POOL.replace("AbC123", "Other9")
FIX = (
    "Fix: set type to COGNITO_USER_POOLS and providerArns to the ARN(s) of the user pool(s) it "
    "trusts."
)
ALLOWLIST_FIX = (
    "Fix: trust a user pool on the allowed list; if this pool should be trusted, ask the policy "
    "admin to add its ARN to allowedUserPoolArns on this policy."
)


def compliant(resource_type: str = REST_AUTHORIZER_TYPES[0], **changes: Any) -> RecordedResource:
    props: dict[str, Any] = {
        "restApi": "a1",
        "name": "cognito",
        "type": "COGNITO_USER_POOLS",
        "providerArns": [POOL],
    }
    props.update(changes)
    return resource(resource_type, "cognito", {k: v for k, v in props.items() if v is not None})


def test_metadata():
    assert_metadata(policy, NAME, "mandatory", {"allowedUserPoolArns"})


@pytest.mark.parametrize("resource_type", REST_AUTHORIZER_TYPES)
def test_compliant_authorizer_of_every_provider_passes(resource_type):
    assert analyze(policy, compliant(resource_type)).clean


def test_a_replica_pool_and_the_updated_partitions_are_sound():
    replica = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbC123"
    sovereign = "arn:aws-eusc:cognito-idp:eusc-de-east-1:123456789012:userpool/eusc-de-east-1_Ab1"
    assert analyze(policy, compliant(providerArns=[replica, sovereign])).clean


# -- one change per fault ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "lam"), [("TOKEN", " (a Lambda authorizer)"), ("REQUEST", " (a Lambda authorizer)")]
)
def test_a_lambda_authorizer_is_refused_when_created(kind, lam):
    message = analyze(policy, compliant(type=kind)).only()
    assert message == (
        f"Authorizer 'cognito': type is {kind!r}{lam}, not 'COGNITO_USER_POOLS': every REST API "
        "method must use a Cognito user-pool authorizer with scopes, so this authorizer could "
        f"only protect methods this pack refuses. {FIX}"
    )


def test_an_authorizer_without_type_is_refused():
    assert "type is None, not 'COGNITO_USER_POOLS'" in analyze(policy, compliant(type=None)).only()


@pytest.mark.parametrize(
    ("arns", "problem"),
    [
        ([], "has no providerArns; list the user pool ARN(s)"),
        (None, "has no providerArns; list the user pool ARN(s)"),
        ([" "], "has a blank or non-string providerArns entry: [' ']"),
        (
            ["arn:aws:s3:::bucket"],
            "has providerArns that are not user pool ARNs (arn:<partition>:cognito-idp:<region>:"
            "<account>:userpool/<region>_<id>, with regions of that partition): "
            "arn:aws:s3:::bucket",
        ),
    ],
)
def test_provider_arns_that_are_not_user_pools_are_refused(arns, problem):
    message = analyze(policy, compliant(providerArns=arns)).only()
    assert message == f"Authorizer 'cognito' {problem}. {FIX}"


def test_aws_variables_are_taken_literally_on_an_authorizer_resource():
    arn = "arn:${AWS::Partition}:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"
    message = analyze(policy, compliant(providerArns=[arn])).only()
    assert "AWS variables are resolved only where API Gateway imports an OpenAPI body" in message


def test_redacted_provider_arns_cannot_be_judged():
    message = analyze(policy, compliant(providerArns="[secret]")).only()
    assert message.startswith("Authorizer 'cognito': providerArns is '[secret]'")


def test_a_read_authorizer_with_no_inputs_is_not_judged():
    assert analyze(policy, resource(REST_AUTHORIZER_TYPES[0], "external", {})).clean


# -- one change per unknown --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "what"),
    [
        ({"type": COMPUTED}, "Authorizer 'cognito': type"),
        ({"providerArns": Computed("array")}, "Authorizer 'cognito': providerArns"),
        ({"providerArns": [COMPUTED]}, "Authorizer 'cognito': providerArns"),
    ],
)
def test_an_unknown_setting_defers(changes, what):
    outcome = analyze(policy, compliant(**changes))
    assert outcome.violations == []
    assert outcome.deferred is not None
    assert outcome.deferred.startswith(
        f"not judged yet because values are unknown until the update: {what}."
    )


# -- config: allowedUserPoolArns ---------------------------------------------------------------


def test_allowlist_left_out_accepts_any_pool():
    assert analyze(policy, compliant(providerArns=[OTHER])).clean


def test_allowlist_set_accepts_its_pools_and_refuses_others():
    config = {"allowedUserPoolArns": [POOL]}
    assert analyze(policy, compliant(), config).clean
    message = analyze(policy, compliant(providerArns=[OTHER]), config).only()
    assert message == (
        "Authorizer 'cognito' trusts user pool(s) outside the allowed list "
        f"(allowedUserPoolArns): {OTHER}. {ALLOWLIST_FIX}"
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [(POOL, repr(POOL)), (["not-an-arn"], "'not-an-arn'")],
)
def test_allowlist_of_the_wrong_type_is_reported_and_trusts_no_pool_through_it(value, shown):
    outcome = analyze(policy, compliant(), {"allowedUserPoolArns": value})
    assert outcome.messages[0].startswith(
        "policy config: allowedUserPoolArns must be a list of user pool ARNs "
        f"(arn:<partition>:cognito-idp:<region>:<account>:userpool/<pool-id>), got {shown}; no "
        "user pool is trusted through an invalid entry."
    )
    assert "outside the allowed list" in outcome.messages[1]


def test_properties_it_does_not_declare_are_not_read():
    assert analyze(policy, compliant(), {"exemptCorsPreflightMock": "yes"}).clean
