"""Stack config parsing: defaults, CLI string forms, and one error per bad value."""

from __future__ import annotations

from typing import Any

import pytest

from components.stack_config import (
    ConfigError,
    Consumer,
    StackConfig,
    parse_config,
    read_raw_config,
)

VALID: dict[str, Any] = {
    "domainPrefix": "petstore-m2m",
    "consumers": [{"name": "orders", "scopes": ["read", "write"]}],
}


def test_absent_keys_keep_the_typed_defaults() -> None:
    # The values themselves are held against Pulumi.yaml in tests/program/test_config_contract.py.
    assert parse_config({"domainPrefix": "petstore-m2m"}) == StackConfig("petstore-m2m")


def test_reads_cli_strings_and_json_like_the_pulumi_cli_passes_them() -> None:
    strings = {
        "domainPrefix": "petstore-m2m",
        "consumers": '[{"name": "orders", "scopes": ["write"]}]',
        "operationScopes": '{"GET /pets": ["read"]}',
        "accessTokenValidityMinutes": "15",
        "deletionProtection": "true",
        "throttlingRateLimit": "12.5",
        "resourceServerIdentifier": "",
    }
    config = parse_config(read_raw_config(strings.get))
    assert config.consumers == (Consumer("orders", ("write",)),)
    assert config.operation_scope_mapping == {"GET /pets": ["read"]}
    assert config.access_token_validity_minutes == 15
    assert config.deletion_protection is True
    assert config.throttling_rate_limit == 12.5
    assert config.resource_server_identifier is None


@pytest.mark.parametrize("prefix", ["a", "my-api-dev", "x" * 63, "0abc9"])
def test_accepts_valid_domain_prefixes(prefix: str) -> None:
    assert parse_config({**VALID, "domainPrefix": prefix}).domain_prefix == prefix


BAD: list[tuple[str, dict[str, Any], str]] = [
    (
        "prefix-upper",
        {"domainPrefix": "PetStoreApi"},
        r"domainPrefix: 'PetStoreApi' is not a valid",
    ),
    ("prefix-hyphen-end", {"domainPrefix": "pets-"}, r"domainPrefix: 'pets-' is not a valid"),
    ("prefix-too-long", {"domainPrefix": "x" * 64}, r"domainPrefix: 'x{64}' is not a valid"),
    (
        "prefix-reserved",
        {"domainPrefix": "my-cognito-api"},
        r"domainPrefix: .* reserved word 'cognito'",
    ),
    ("prefix-missing", {"domainPrefix": ""}, r"domainPrefix: required"),
    ("stage", {"stageName": "v 1"}, r"stageName: 'v 1' is not a valid API Gateway stage name"),
    (
        "token-low",
        {"accessTokenValidityMinutes": 4},
        r"accessTokenValidityMinutes: 4 is out of range",
    ),
    ("token-high", {"accessTokenValidityMinutes": "1441"}, r"accessTokenValidityMinutes: 1441"),
    (
        "token-text",
        {"accessTokenValidityMinutes": "an hour"},
        r"accessTokenValidityMinutes: expected an integer, got 'an hour'",
    ),
    (
        "token-bool",
        {"accessTokenValidityMinutes": True},
        r"accessTokenValidityMinutes: expected an integer",
    ),
    ("scopes-empty", {"scopes": {}}, r"scopes: expected a non-empty map"),
    (
        "scope-slash",
        {"scopes": {"pets/read": "x"}},
        r"scopes: 'pets/read' is not a valid scope name",
    ),
    ("scope-no-description", {"scopes": {"read": ""}}, r"scopes\['read'\]: expected a description"),
    (
        "consumer-no-scopes",
        {"consumers": [{"name": "orders", "scopes": []}]},
        r"consumers\[0\]\.scopes: consumer 'orders' needs at least one scope",
    ),
    (
        "consumer-unknown-scope",
        {"consumers": [{"name": "a", "scopes": ["read"]}, {"name": "b", "scopes": ["admin"]}]},
        r"consumers\[1\]\.scopes: 'admin' is not a scope of the resource server "
        r"\(defined: read, write\)",
    ),
    (
        "consumer-duplicate",
        {"consumers": [{"name": "a", "scopes": ["read"]}, {"name": "a", "scopes": ["write"]}]},
        r"consumers\[1\]\.name: 'a' is a duplicate",
    ),
    (
        "consumer-bad-name",
        {"consumers": [{"name": "a b", "scopes": ["read"]}]},
        r"consumers\[0\]\.name",
    ),
    ("consumers-not-list", {"consumers": {"a": ["read"]}}, r"consumers: expected a list"),
    ("mapping-not-map", {"operationScopes": ["GET /pets"]}, r"operationScopes: expected a map"),
    (
        "mapping-string-value",
        {"operationScopes": {"GET /pets": "read"}},
        r"operationScopes\['GET /pets'\]: expected a list of scope names",
    ),
    (
        "identifier-slash",
        {"resourceServerIdentifier": "https://x.example/"},
        r"resourceServerIdentifier: .* ends with '/'",
    ),
    (
        "identifier-space",
        {"resourceServerIdentifier": "my api"},
        r"resourceServerIdentifier: 'my api' is not",
    ),
    (
        "retention",
        {"logRetentionDays": 10},
        r"logRetentionDays: 10 is not a CloudWatch Logs retention",
    ),
    ("rate", {"throttlingRateLimit": 0}, r"throttlingRateLimit: expected a positive number"),
    ("burst", {"throttlingBurstLimit": -1}, r"throttlingBurstLimit: expected an integer >= 0"),
    ("bool", {"deletionProtection": "yes"}, r"deletionProtection: expected true or false"),
]


@pytest.mark.parametrize(("change", "message"), [pytest.param(c, m, id=i) for i, c, m in BAD])
def test_rejects_bad_value_naming_the_key(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({**VALID, **change})


def test_rejects_structured_value_that_is_not_json() -> None:
    raw = {"domainPrefix": "petstore-m2m", "consumers": "[{name: orders"}
    with pytest.raises(ConfigError, match=r"consumers: expected a YAML/JSON object or list"):
        read_raw_config(raw.get)
