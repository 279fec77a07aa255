"""config_keys.py: keys that would be ignored without a word (namespaces, aws: keys, project keys)
and the region."""

from __future__ import annotations

import re
from pathlib import Path

import pulumi_aws.config
import pytest

from program_support.aws_provider import AWS_CONFIG_KEYS, AWS_REGIONS, PULUMI_AWS_VERSION
from program_support.config_keys import (
    check_aws_keys,
    check_config_keys,
    check_namespaces,
    edit_distance,
    resolve_region,
)
from secured_m2m_api.config_values import ConfigError

# --- keys that would be ignored without a word: namespaces, aws: keys, the region ----------


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [
        ("secured-m2m-apii:deletionProtection", "secured-m2m-api:deletionProtection"),  # 1 edit
        ("secured-m2m-pai:consumers", "secured-m2m-api:consumers"),  # 2 (a swap)
        ("securedm2mapi:stageName", "secured-m2m-api:stageName"),  # 2 (hyphens dropped)
        ("Secured-M2M-Api:stageName", "secured-m2m-api:stageName"),  # case only
        ("secured-m2m:stageName", None),  # 4 edits: another project's namespace, left alone
        ("aws:region", None),  # a provider's namespace, never a typo
        ("pulumi:tags", None),  # the engine's
    ],
)
def test_a_namespace_two_edits_from_the_projects_is_a_typo(key: str, suggestion: str | None):
    if suggestion is None:
        check_namespaces([key])
        return
    namespace = key.partition(":")[0]
    with pytest.raises(ConfigError) as raised:
        check_namespaces([key])
    assert str(raised.value).startswith(
        f"{key}: unknown namespace '{namespace}'; did you mean '{suggestion}'? "
    )


def test_a_provider_namespace_close_to_the_projects_name_is_not_a_typo() -> None:
    # A project called `awsx` is one edit from `aws`: the provider's keys stay valid.
    check_namespaces(["aws:region", "pulumi:tags"], project="awsx")
    with pytest.raises(ConfigError, match=r"^awx:region: unknown namespace 'awx'"):
        check_namespaces(["awx:region"], project="awsx")


def test_a_misspelled_aws_key_names_the_right_one() -> None:
    with pytest.raises(ConfigError) as raised:
        check_config_keys(["aws:regoin", "secured-m2m-api:domainPrefix"])
    assert str(raised.value) == (
        f"aws:regoin: not a config key of the aws provider (pulumi-aws {PULUMI_AWS_VERSION}), "
        "which would ignore it; did you mean 'aws:region'?"
    )


def test_an_unknown_aws_key_lists_the_providers_keys() -> None:
    with pytest.raises(ConfigError, match=r"^aws:colour: .*; known keys: accessKey, .*region"):
        check_aws_keys(["aws:colour"])


def test_the_aws_keys_are_the_ones_the_pinned_sdk_reads() -> None:
    # The keys come from the SDK's generated config module (one property per key); the same
    # file names each key once more, as the string it reads.
    source = Path(pulumi_aws.config.__file__).with_name("vars.py").read_text()
    literal = set(re.findall(r"__config__\.get\w*\('(\w+)'\)", source))
    assert literal == AWS_CONFIG_KEYS
    assert {"region", "profile", "defaultTags", "skipRegionValidation"} <= AWS_CONFIG_KEYS
    check_aws_keys([f"aws:{key}" for key in AWS_CONFIG_KEYS])


def test_check_config_keys_reports_the_namespace_before_the_keys() -> None:
    keys = ["secured-m2m-api:deletionProtecton", "secured-m2m-apii:stageName", "aws:regoin"]
    with pytest.raises(ConfigError, match=r"^secured-m2m-apii:stageName: unknown namespace"):
        check_config_keys(keys)


@pytest.mark.parametrize(
    ("configured", "environ", "region"),
    [
        ("eu-west-1", {"AWS_REGION": "us-east-1"}, "eu-west-1"),
        (None, {"AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "us-east-1"}, "eu-central-1"),
        ("", {"AWS_DEFAULT_REGION": "ap-southeast-2"}, "ap-southeast-2"),
    ],
)
def test_the_region_comes_from_config_then_the_environment(configured, environ, region) -> None:
    assert resolve_region(configured, environ) == region


def test_a_stack_without_a_region_is_refused() -> None:
    with pytest.raises(ConfigError) as raised:
        resolve_region(None, {"AWS_PROFILE": "dev"})
    assert str(raised.value).startswith(
        "aws:region: not set; set the stack's region (`pulumi config set aws:region eu-west-1`) "
        "or export AWS_REGION or AWS_DEFAULT_REGION"
    )


@pytest.mark.parametrize(
    ("configured", "environ", "message"),
    [
        (
            "eu-west-9",
            {},
            f"aws:region: 'eu-west-9' is not an AWS region (pulumi-aws {PULUMI_AWS_VERSION}); "
            "closest: eu-west-1, eu-west-2, eu-west-3",
        ),
        (
            None,
            {"AWS_REGION": "us-gov-wst-1"},
            "AWS_REGION (environment): 'us-gov-wst-1' is not an AWS region (pulumi-aws "
            f"{PULUMI_AWS_VERSION}); closest: us-gov-west-1, us-gov-east-1, us-iso-west-1",
        ),
    ],
)
def test_an_unknown_region_names_the_closest_real_ones(configured, environ, message) -> None:
    with pytest.raises(ConfigError) as raised:
        resolve_region(configured, environ)
    assert str(raised.value).startswith(message)


def test_every_region_of_the_pinned_sdk_is_accepted() -> None:
    assert len(AWS_REGIONS) > 30
    assert {"eu-west-1", "us-east-1", "us-gov-west-1", "cn-north-1"} <= set(AWS_REGIONS)
    for region in AWS_REGIONS:
        assert resolve_region(region, {}) == region


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [
        ("", "abc", 3),
        ("kitten", "sitting", 3),
        ("api", "apii", 1),
        ("pai", "api", 2),
        ("x", "x", 0),
    ],
)
def test_edit_distance(a: str, b: str, edits: int) -> None:
    assert edit_distance(a, b) == edits == edit_distance(b, a)
