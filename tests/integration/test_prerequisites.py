"""Offline checks of the integration tests' own logic (not marked ``integration``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .support import (
    CONSUMERS,
    OPERATION_SCOPES,
    PROJECT,
    granting_cases,
    insufficient_scope_cases,
    manage_api_gateway_account,
    missing_aws_credentials,
    operations,
    region,
    skip_reason,
    stack_config,
    unique_domain_prefix,
)


def test_missing_pulumi_cli_is_named(tmp_path: Path) -> None:
    env = {"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}
    assert skip_reason(env, tmp_path, which=lambda _: None) == (
        "Pulumi CLI not found: no `pulumi` executable on PATH"
    )


def test_missing_aws_credentials_names_every_source_checked(tmp_path: Path) -> None:
    reason = skip_reason({}, tmp_path, which=lambda _: "/usr/bin/pulumi")
    assert reason == (
        "AWS credentials not found: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, "
        "AWS_WEB_IDENTITY_TOKEN_FILE+AWS_ROLE_ARN and AWS_CONTAINER_CREDENTIALS_* are unset, "
        f"{tmp_path}/.aws/credentials does not exist and {tmp_path}/.aws/config does not exist"
    )


def test_both_missing_are_reported_together(tmp_path: Path) -> None:
    reason = skip_reason({}, tmp_path, which=lambda _: None)
    assert reason is not None
    assert reason.startswith("Pulumi CLI not found: no `pulumi` executable on PATH; ")
    assert "AWS credentials not found" in reason


def test_nothing_missing_means_no_skip(tmp_path: Path) -> None:
    env = {"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}
    assert skip_reason(env, tmp_path, which=lambda _: "/usr/bin/pulumi") is None


@pytest.mark.parametrize(
    "env",
    [
        {"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"},
        {"AWS_WEB_IDENTITY_TOKEN_FILE": "/t", "AWS_ROLE_ARN": "arn:aws:iam::1:role/r"},
        {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials"},
        {"M2M_IT_AWS_INSTANCE_PROFILE": "1"},
    ],
)
def test_environment_credentials_are_found(env: dict[str, str], tmp_path: Path) -> None:
    assert missing_aws_credentials(env, tmp_path) is None


def test_half_a_key_pair_is_named() -> None:
    assert missing_aws_credentials({"AWS_ACCESS_KEY_ID": "a"}, Path("/nonexistent")) == (
        "AWS credentials incomplete: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
    )


def test_default_profile_in_shared_files_is_found(tmp_path: Path) -> None:
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "credentials").write_text("[default]\naws_access_key_id = a\n")
    assert missing_aws_credentials({}, tmp_path) is None


def test_named_profile_must_exist(tmp_path: Path) -> None:
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "config").write_text("[profile ci]\nregion = eu-west-1\n")
    assert missing_aws_credentials({"AWS_PROFILE": "ci"}, tmp_path) is None
    reason = missing_aws_credentials({"AWS_PROFILE": "prod"}, tmp_path)
    assert reason is not None
    assert reason.startswith("AWS credentials not found: AWS_PROFILE='prod' but neither ")


def test_shared_file_without_default_section_is_named(tmp_path: Path) -> None:
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "credentials").write_text("[other]\n")
    reason = missing_aws_credentials({}, tmp_path)
    assert reason is not None
    assert f"{tmp_path}/.aws/credentials has no [default] section" in reason


def test_region_defaults_to_eu_west_1() -> None:
    assert region({}) == "eu-west-1"
    assert region({"AWS_DEFAULT_REGION": "us-east-1"}) == "us-east-1"
    assert region({"AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "us-east-1"}) == (
        "eu-central-1"
    )


def test_domain_prefix_is_valid_and_unique() -> None:
    prefixes = {unique_domain_prefix() for _ in range(50)}
    assert len(prefixes) == 50
    for prefix in prefixes:
        # Cognito: lowercase letters, digits, hyphens; no leading/trailing hyphen; <= 63.
        assert re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", prefix), prefix


def test_stack_config_uses_the_program_contract_keys() -> None:
    config = stack_config("m2m-it-x", "eu-west-1")
    assert set(config) == {
        "aws:region",
        *(
            f"{PROJECT}:{key}"
            for key in (
                "domainPrefix",
                "stageName",
                "deletionProtection",
                "manageApiGatewayAccount",
                "accessTokenValidityMinutes",
                "scopes",
                "operationScopes",
                "consumers",
            )
        ),
    }
    assert config[f"{PROJECT}:operationScopes"] == {
        "GET /": ["read"],
        "GET /pets": ["read"],
        "POST /pets": ["write"],
        "GET /pets/{petId}": ["read"],
    }
    assert config[f"{PROJECT}:deletionProtection"] is False
    assert config[f"{PROJECT}:manageApiGatewayAccount"] is False


def test_account_cloudwatch_role_is_taken_over_only_on_explicit_request() -> None:
    assert manage_api_gateway_account({}) is False
    assert manage_api_gateway_account({"M2M_IT_MANAGE_API_GATEWAY_ACCOUNT": "true"}) is False
    assert manage_api_gateway_account({"M2M_IT_MANAGE_API_GATEWAY_ACCOUNT": "1"}) is True
    config = stack_config("m2m-it-x", "eu-west-1", manage_account=True)
    assert config[f"{PROJECT}:manageApiGatewayAccount"] is True


def test_matrix_covers_every_consumer_and_operation() -> None:
    granted = {(c.consumer, c.method, c.path) for c in granting_cases()}
    denied = {(c.consumer, c.method, c.path) for c in insufficient_scope_cases()}
    assert ("orders", "GET", "/pets") in granted
    assert ("orders", "POST", "/pets") in granted
    assert ("analytics", "POST", "/pets") in denied
    assert ("analytics", "POST", "/pets") not in granted
    # orders is also denied each operation when it asks only for its other scope.
    assert {("orders", m, p) for m, p, _ in operations()} <= denied
    assert len(granted) == sum(
        1 for scopes in CONSUMERS.values() for s in OPERATION_SCOPES.values() if s in scopes
    )


def _as_cli_passes_it(value: object) -> str:
    """How the Pulumi CLI hands a config value to the program: JSON text for structures."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def test_stack_config_is_accepted_by_the_program() -> None:
    # Guards the contract: the ephemeral stack's config must pass the program's own validation.
    from program_support.stack_config import parse_config, read_raw_config

    raw = {
        key.split(":", 1)[1]: _as_cli_passes_it(value)
        for key, value in stack_config("m2m-it-0123456789", "eu-west-1").items()
        if key.startswith(f"{PROJECT}:")
    }
    parsed = parse_config(read_raw_config(raw.get))
    assert parsed.domain_prefix == "m2m-it-0123456789"
    assert [(c.name, c.scopes) for c in parsed.consumers] == list(CONSUMERS.items())
    assert parsed.manage_api_gateway_account is False
