"""User pool ARNs and issuers: both issuer forms, replicas, partitions and AWS variables."""

from __future__ import annotations

import pytest

from apigw_guard.model.pool_refs import (
    ImportVariables,
    check_issuer,
    check_pool_arns,
    document_region,
    issuer_pool_id,
    parse_pool_arn,
)

ANY = ImportVariables()
POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123"


@pytest.mark.parametrize(
    "arn",
    [
        POOL,
        # A replica of multi-Region replication shares the primary's pool id.
        "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbC123",
        "arn:aws-cn:cognito-idp:cn-north-1:123456789012:userpool/cn-north-1_AbC123",
        "arn:aws-us-gov:cognito-idp:us-gov-west-1:123456789012:userpool/us-gov-west-1_Ab1",
        "arn:aws-eusc:cognito-idp:eusc-de-east-1:123456789012:userpool/eusc-de-east-1_Ab1",
        "arn:aws:cognito-idp:eu-south-3:123456789012:userpool/eu-south-3_Ab1",  # a future region
    ],
)
def test_sound_pool_arns(arn):
    assert check_pool_arns([arn], None, "providerArns") is None


@pytest.mark.parametrize(
    "arn",
    [
        # The pool id's region in another partition than the ARN's.
        "arn:aws:cognito-idp:us-east-1:123456789012:userpool/cn-north-1_AbC123",
        "arn:aws-cn:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123",
        "arn:aws-xx:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123",
        "arn:aws:cognito-idp:s3:123456789012:userpool/s3_AbC123",
        "arn:aws:cognito-idp:us-east-1:12345:userpool/us-east-1_AbC123",
        POOL + "\n",
        POOL.replace("cognito-idp", "cognito-identity"),
    ],
)
def test_malformed_pool_arns(arn):
    problem = check_pool_arns([arn], None, "providerArns")
    assert problem is not None
    assert "not user pool ARNs" in problem


def test_replica_arn_matches_the_allowlist_entry_of_the_same_region_only():
    replica = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbC123"
    assert check_pool_arns([replica], [replica], "providerArns") is None
    assert "outside the allowed list" in (check_pool_arns([replica], [POOL], "providerArns") or "")


@pytest.mark.parametrize(
    ("issuer", "pool"),
    [
        ("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123", "us-east-1_AbC123"),
        ("https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123", "us-east-1_AbC123"),
        ("https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Ab1", "cn-north-1_Ab1"),
        (
            "https://cognito-idp.eusc-de-east-1.amazonaws.eu/eusc-de-east-1_Ab1",
            "eusc-de-east-1_Ab1",
        ),
    ],
)
def test_both_issuer_forms(issuer, pool):
    assert issuer_pool_id(issuer) == pool
    assert check_issuer(issuer, None) is None


@pytest.mark.parametrize(
    "issuer",
    [
        "https://cognito-idp.us-east-1.amazonaws.com.cn/us-east-1_AbC123",  # wrong suffix
        "https://cognito-idp.cn-north-1.amazonaws.com/cn-north-1_AbC123",  # wrong suffix
        "https://issuer-cognito-idp.eu-west-1.amazonaws.com/us-east-1_AbC123",  # region != pool's
        "https://evil-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
    ],
)
def test_issuer_look_alikes(issuer):
    assert "not a Cognito user pool" in (check_issuer(issuer, None) or "")


VAR_ARN = (
    "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/us-east-1_Ab1"
)
VAR_ISSUER = "https://cognito-idp.${AWS::Region}.amazonaws.com/us-east-1_Ab1"


def test_aws_variables_resolve_only_inside_a_body():
    # An Authorizer resource takes the value literally: the variables are not resolved.
    literal = check_pool_arns([VAR_ARN], None, "providerArns")
    assert literal is not None
    assert "taken literally" in literal
    assert check_pool_arns([VAR_ARN], None, "providerARNs", ANY) is None


@pytest.mark.parametrize(
    ("region", "sound"),
    [("us-east-1", True), ("eu-west-1", True), ("cn-north-1", False), (None, True)],
)
def test_variables_in_an_arn_resolve_with_the_import_region(region, sound):
    # eu-west-1 is a replica of a us-east-1 pool: fine. In China the pool id's region is not a
    # region of the partition the ARN resolves to.
    problem = check_pool_arns([VAR_ARN], None, "providerARNs", ImportVariables(region))
    assert (problem is None) is sound, problem


@pytest.mark.parametrize(("region", "sound"), [("us-east-1", True), ("eu-west-1", False)])
def test_an_issuer_region_variable_must_resolve_to_the_pool_region(region, sound):
    problem = check_issuer(VAR_ISSUER, None, ImportVariables(region))
    assert (problem is None) is sound, problem
    assert check_issuer(VAR_ISSUER, None, ANY) is None  # some region makes it sound


def test_one_variable_has_one_value_in_a_document():
    other = "https://cognito-idp.${AWS::Region}.amazonaws.com/eu-west-1_Cd2"
    bound = document_region([VAR_ISSUER, other], ANY)
    assert bound.region == "us-east-1"  # the first one's; the second then conflicts
    assert check_issuer(VAR_ISSUER, None, bound) is None
    assert "not a Cognito user pool" in (check_issuer(other, None, bound) or "")
    assert document_region([VAR_ISSUER, VAR_ARN], ANY).region == "us-east-1"


def test_unresolvable_variable_is_named():
    problem = check_pool_arns(
        ["arn:${AWS::URLSuffix}:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Ab1"],
        None,
        "providerARNs",
        ANY,
    )
    assert problem is not None
    assert "${AWS::URLSuffix} is not resolved" in problem


def test_account_variable_matches_any_allowed_account():
    arn = "arn:aws:cognito-idp:us-east-1:${AWS::AccountId}:userpool/us-east-1_AbC123"
    parsed = parse_pool_arn(arn, ANY)
    assert parsed is not None
    assert parsed.account is None
    assert check_pool_arns([arn], [POOL], "providerARNs", ANY) is None
    other_pool = POOL.replace("AbC123", "Zz9")
    assert "outside the allowed list" in (check_pool_arns([arn], [other_pool], "p", ANY) or "")
