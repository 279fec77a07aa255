"""The secrets-provider rules `make preview|up|destroy` apply before calling the Pulumi CLI.

The Makefile-level behaviour (a stand-in CLI recording its arguments) is in test_make.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from preflight.cli import names_stack
from preflight.secrets import (
    existing_stack_provider,
    is_service_backend,
    new_stack_provider,
    passphrase_given,
)

KMS = "awskms://alias/pulumi-secrets?region=eu-west-1"
CLOUD = "https://api.pulumi.com"
FILE = "file:///home/me/state"


@pytest.mark.parametrize(
    ("settings", "backend", "provider", "passphrase"),
    [
        ({"secretsprovider": KMS, "encryptedkey": "AQ"}, FILE, KMS, False),
        ({"secretsprovider": "hashivault://key"}, CLOUD, "hashivault://key", False),
        ({"encryptionsalt": "v1:x"}, CLOUD, "passphrase", True),
        ({"secretsprovider": "passphrase", "encryptionsalt": "v1:x"}, FILE, "passphrase", True),
        # The CLI falls back to the backend's default when the file names no key service and
        # holds no salt, even with `secretsprovider: passphrase` (GetSecretsManager).
        ({"secretsprovider": "passphrase"}, CLOUD, "Pulumi Cloud", False),
        ({"secretsprovider": "default"}, FILE, "passphrase", True),
        ({}, "s3://bucket/state", "passphrase", True),
        ({}, "gs://bucket", "passphrase", True),
        ({}, "azblob://container", "passphrase", True),
        ({}, "https://pulumi.example.com", "Pulumi Cloud", False),
    ],
)
def test_an_existing_stack_uses_the_provider_the_cli_would(
    settings: dict[str, Any], backend: str, provider: str, passphrase: bool
) -> None:
    found = existing_stack_provider(settings, "Pulumi.dev.yaml", backend)
    assert (found.name, found.needs_passphrase) == (provider, passphrase)
    assert found.init_flag is None


@pytest.mark.parametrize(
    ("settings", "requested", "backend", "flag", "passphrase"),
    [
        ({}, None, FILE, None, True),
        ({}, None, CLOUD, None, False),
        ({}, "default", CLOUD, None, False),
        ({}, "passphrase", CLOUD, "passphrase", True),
        ({}, KMS, FILE, KMS, False),
        # A stack file copied from another stack keeps the provider it names.
        ({"secretsprovider": KMS, "encryptedkey": "AQ"}, None, FILE, KMS, False),
        ({"encryptionsalt": "v1:x"}, None, CLOUD, "passphrase", True),
        ({"secretsprovider": "passphrase"}, None, CLOUD, "passphrase", True),
        ({"encryptionsalt": "v1:x"}, KMS, FILE, KMS, False),  # asked for wins
    ],
)
def test_a_new_stack_gets_the_provider_asked_for_then_the_stack_files(
    settings: dict[str, Any], requested: str | None, backend: str, flag: str | None,
    passphrase: bool,
) -> None:  # fmt: skip
    found = new_stack_provider(settings, "Pulumi.staging.yaml", backend, requested)
    assert (found.init_flag, found.needs_passphrase) == (flag, passphrase)


@pytest.mark.parametrize(
    ("environ", "given"),
    [
        ({"PULUMI_CONFIG_PASSPHRASE": ""}, True),
        ({"PULUMI_CONFIG_PASSPHRASE": "x"}, True),
        ({"PULUMI_CONFIG_PASSPHRASE_FILE": "/run/secrets/p"}, True),
        ({"PULUMI_CONFIG_PASSPHRASE_FILE": ""}, False),
        ({}, False),
    ],
)
def test_the_passphrase_is_found_where_the_cli_looks(environ: dict[str, str], given: bool):
    assert passphrase_given(environ) is given


def test_service_backends_are_http_urls() -> None:
    assert is_service_backend("https://api.pulumi.com")
    assert is_service_backend("HTTP://localhost:8080")
    assert not is_service_backend("file://~")
    assert not is_service_backend("s3://bucket?region=eu-west-1")


@pytest.mark.parametrize(
    ("listed", "stack", "same"),
    [
        ("dev", "dev", True),
        ("acme/dev", "dev", True),
        ("acme/secured-m2m-api/dev", "dev", True),
        ("acme/secured-m2m-api/dev", "secured-m2m-api/dev", True),
        ("acme/dev", "other/dev", False),
        ("dev-2", "dev", False),
        ("staging", "dev", False),
    ],
)
def test_a_listed_stack_name_matches_the_stack_asked_for(listed: str, stack: str, same: bool):
    assert names_stack(listed, stack) is same
