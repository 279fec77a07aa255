"""Stack config parsing: defaults, CLI string forms, and one error per bad value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from program_support.stack_config import StackConfig, parse_config, read_raw_config, spec_file
from secured_m2m_api.config_values import ConfigError, Consumer

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
        r"^accessTokenValidityMinutes: 'an hour' is not a whole number; expected an integer "
        r"from 5 to 1440 \(minutes\)$",
    ),
    (
        "token-sixty",
        {"accessTokenValidityMinutes": "sixty"},
        r"^accessTokenValidityMinutes: 'sixty' is not a whole number; .* from 5 to 1440",
    ),
    (
        "token-bool",
        {"accessTokenValidityMinutes": True},
        r"^accessTokenValidityMinutes: True is not a whole number; expected an integer from 5",
    ),
    (
        "retention-text",
        {"logRetentionDays": "a month"},
        r"^logRetentionDays: 'a month' is not a whole number; expected an integer of days",
    ),
    (
        "burst-text",
        {"throttlingBurstLimit": "lots"},
        r"^throttlingBurstLimit: 'lots' is not a whole number; expected an integer >= 0$",
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
        r"^consumers\[1\]\.scopes: consumer 'b' asks for 'admin', which is not a scope of the "
        r"resource server \(defined: read, write\)$",
    ),
    (
        "consumer-scopes-as-string",
        {"consumers": [{"name": "orders", "scopes": "read"}]},
        r"^consumers\[0\]\.scopes: consumer 'orders': type error: expected a list of scope "
        r"names, got the string 'read'; write it as a list, e.g\. \[read\]$",
    ),
    (
        "consumer-too-many-scopes",
        {
            "scopes": {f"s{i}": "d" for i in range(51)},
            "operationScopes": {},
            "consumers": [{"name": "greedy", "scopes": [f"s{i}" for i in range(51)]}],
        },
        r"^consumers\[0\]\.scopes: consumer 'greedy' has 51 scopes; Cognito allows at most 50 "
        r"per app client \(https://docs\.aws\.amazon\.com/.*API_CreateUserPoolClient\.html",
    ),
    (
        "too-many-scopes",
        {"scopes": {f"s{i}": "d" for i in range(101)}},
        r"^scopes: 101 scopes; Cognito allows at most 100 per resource server "
        r"\(https://docs\.aws\.amazon\.com/.*API_CreateResourceServer\.html\)$",
    ),
    (
        "full-scope-too-long",
        {
            "resourceServerIdentifier": "https://api.example.com",
            "scopes": {"r" * 233: "d"},
            "consumers": [],
        },
        r"^scopes\['r{233}'\]: the full scope '<identifier>/r{233}' would be 257 characters "
        r"with the identifier 'https://api\.example\.com'; Cognito allows at most 256 per scope "
        r"\(https://docs\.aws\.amazon\.com/.*API_CreateUserPoolClient\.html",
    ),
    (
        "unknown-key",
        {"deletionProtecton": True},
        r"^secured-m2m-api:deletionProtecton: unknown config key; did you mean "
        r"'deletionProtection'\? Known keys: domainPrefix, ",
    ),
    (
        "unknown-key-case",
        {"domainprefix": "x"},
        r"^secured-m2m-api:domainprefix: unknown config key; did you mean 'domainPrefix'\?",
    ),
    (
        "unknown-key-far-from-any",
        {"colour": "blue"},
        r"^secured-m2m-api:colour: unknown config key; Known keys: ",
    ),
    (
        "security-policy-unknown",
        {"securityPolicy": "TLS_1_0"},
        r"^securityPolicy: 'TLS_1_0' is not offered; expected TLS_1_2 \(the default\) or an "
        r"enhanced policy: SecurityPolicy_TLS13_1_3_2025_09, ",
    ),
    (
        "enhanced-policy-without-access-mode",
        {"securityPolicy": "SecurityPolicy_TLS13_1_3_2025_09"},
        r"^endpointAccessMode: '' with securityPolicy 'SecurityPolicy_TLS13_1_3_2025_09'; an "
        r"enhanced policy needs an endpoint access mode: STRICT \(recommended\) or BASIC$",
    ),
    (
        "access-mode-without-enhanced-policy",
        {"endpointAccessMode": "STRICT"},
        r"^endpointAccessMode: 'STRICT' needs an enhanced securityPolicy",
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
        r"^operationScopes\['GET /pets'\]: type error: expected a list of scope names, got the "
        r"string 'read'; write it as a list, e.g\. \[read\]$",
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
    (
        "spec-path-empty",
        {"specPath": " "},
        r"^specPath: expected a non-empty string, got ' '$",
    ),
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


def test_the_default_identifier_is_sized_with_the_region_for_the_scope_length_limit() -> None:
    # https://abcdefghij.execute-api.eu-west-1.amazonaws.com/v1 is 57 characters: 57 + 1 + 198
    # = 256 fits, one more character does not.
    fits = {**VALID, "scopes": {"read": "r", "write": "w", "x" * 198: "long"}}
    assert parse_config(fits, region="eu-west-1").scopes[-1].name == "x" * 198
    too_long = {**VALID, "scopes": {"read": "r", "write": "w", "x" * 199: "long"}}
    with pytest.raises(
        ConfigError, match=r"^scopes\['x{199}'\]: .* 257 characters with the stage invoke URL"
    ):
        parse_config(too_long, region="eu-west-1")


def test_an_enhanced_tls_policy_comes_with_its_access_mode() -> None:
    config = parse_config(
        {
            **VALID,
            "securityPolicy": "SecurityPolicy_TLS13_1_2_2021_06",
            "endpointAccessMode": "STRICT",
        }
    )
    assert config.security_policy == "SecurityPolicy_TLS13_1_2_2021_06"
    assert config.endpoint_access_mode == "STRICT"
    assert parse_config(VALID).endpoint_access_mode is None


def test_spec_path_that_is_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    with pytest.raises(
        ConfigError,
        match=r"^specPath: 'api' is a directory \(.*\); expected an OpenAPI 2\.0 or 3\.x file",
    ):
        spec_file("api", tmp_path)
    assert spec_file("api/petstore.yaml", tmp_path) == tmp_path / "api/petstore.yaml"
