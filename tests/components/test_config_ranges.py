"""Every range the stack config checks, at both ends: the last value in is accepted, the first
value out is refused (a 5-minute token lifetime, Cognito's minimum, refused by an off-by-one
would otherwise go unnoticed).

Each row: the key, the values at the two ends that must be accepted, the values just past them
that must be refused, and the message's prefix for a refusal. Lengths are the documented ones
(Cognito's and API Gateway's); `config_values` cites where each comes from.
"""

from __future__ import annotations

from typing import Any

import pytest

from program_support.stack_config import StackConfig, parse_config
from secured_m2m_api.config_values import (
    LOG_RETENTION_DAYS,
    MAX_FULL_SCOPE_LENGTH,
    MAX_SCOPES,
    MAX_SCOPES_PER_CLIENT,
    MAX_TOKEN_MINUTES,
    MIN_TOKEN_MINUTES,
    ConfigError,
)

BASE: dict[str, Any] = {"domainPrefix": "pets-dev"}


def _scopes(n: int) -> dict[str, str]:
    return {f"s{i}": "d" for i in range(n)}


def _consumer_with(n: int) -> dict[str, Any]:
    # The consumer asks for n of the scopes defined; the default rule's read/write stay defined.
    return {
        "scopes": {"read": "r", "write": "w", **_scopes(n)},
        "consumers": [{"name": "c", "scopes": [f"s{i}" for i in range(n)]}],
    }


# (id, accepted at the low end, accepted at the high end, refused below, refused above, match)
Change = dict[str, Any]
RANGES: list[tuple[str, Change, Change, Change | None, Change | None, str]]
RANGES = [
    (
        "accessTokenValidityMinutes 5..1440",
        {"accessTokenValidityMinutes": MIN_TOKEN_MINUTES},
        {"accessTokenValidityMinutes": MAX_TOKEN_MINUTES},
        {"accessTokenValidityMinutes": MIN_TOKEN_MINUTES - 1},
        {"accessTokenValidityMinutes": MAX_TOKEN_MINUTES + 1},
        r"^accessTokenValidityMinutes: (4|1441) is out of range; Cognito accepts 5 to 1440",
    ),
    (
        "accessTokenValidityMinutes as the CLI's text",
        {"accessTokenValidityMinutes": "5"},
        {"accessTokenValidityMinutes": "1440"},
        {"accessTokenValidityMinutes": "4"},
        {"accessTokenValidityMinutes": "1441"},
        r"^accessTokenValidityMinutes: (4|1441) is out of range",
    ),
    (
        "logRetentionDays: CloudWatch's first and last values",
        {"logRetentionDays": LOG_RETENTION_DAYS[0]},
        {"logRetentionDays": LOG_RETENTION_DAYS[-1]},
        {"logRetentionDays": LOG_RETENTION_DAYS[0] - 1},
        {"logRetentionDays": LOG_RETENTION_DAYS[-1] + 1},
        r"^logRetentionDays: (0|3654) is not a CloudWatch Logs retention",
    ),
    (
        # No upper end: the account's limits cap it, and AWS raises them on request.
        "throttlingBurstLimit >= 0",
        {"throttlingBurstLimit": 0},
        {"throttlingBurstLimit": 2**31 - 1},
        {"throttlingBurstLimit": -1},
        None,
        r"^throttlingBurstLimit: expected an integer >= 0, got -1",
    ),
    (
        "throttlingRateLimit > 0 and finite",
        {"throttlingRateLimit": "0.001"},
        {"throttlingRateLimit": 1e9},
        {"throttlingRateLimit": 0},
        {"throttlingRateLimit": "inf"},
        r"^throttlingRateLimit: expected a positive number of requests per second, got (0|inf)",
    ),
    (
        "domainPrefix 1..63 characters",
        {"domainPrefix": "p"},
        {"domainPrefix": "p" * 63},
        {"domainPrefix": ""},
        {"domainPrefix": "p" * 64},
        r"^domainPrefix: (required|'p{64}' is not a valid Cognito domain prefix)",
    ),
    (
        "stageName 1..128 characters",
        {"stageName": "v"},
        {"stageName": "v" * 128},
        {"stageName": ""},
        {"stageName": "v" * 129},
        r"^stageName: '(v{129})?' is not a valid API Gateway stage name; expected 1-128",
    ),
    (
        "scopes: 1..100 per resource server",
        {"scopes": {"read": "r", "write": "w"}, "operationScopes": {}},
        {"scopes": {"read": "r", "write": "w", **_scopes(MAX_SCOPES - 2)}},
        {"scopes": {}},
        {"scopes": {"read": "r", "write": "w", **_scopes(MAX_SCOPES - 1)}},
        r"^scopes: (expected a non-empty map|101 scopes; Cognito allows at most 100)",
    ),
    (
        "a scope name 1..256 characters",
        {"scopes": {"read": "r", "write": "w", "x": "d"}},
        {"scopes": {"read": "r", "write": "w", "x" * 200: "d"}, "resourceServerIdentifier": "i"},
        {"scopes": {"read": "r", "write": "w", "": "d"}},
        {"scopes": {"read": "r", "write": "w", "x" * 257: "d"}},
        r"^scopes: '(x{257})?' is not a valid scope name",
    ),
    (
        "a scope description 1..256 characters",
        {"scopes": {"read": "r", "write": "w"}},
        {"scopes": {"read": "r" * 256, "write": "w"}},
        {"scopes": {"read": "", "write": "w"}},
        {"scopes": {"read": "r" * 257, "write": "w"}},
        r"^scopes\['read'\]: expected a description of 1-256 characters",
    ),
    (
        "a consumer's scopes: 1..50 per app client",
        _consumer_with(1),
        _consumer_with(MAX_SCOPES_PER_CLIENT),
        {"consumers": [{"name": "c", "scopes": []}]},
        _consumer_with(MAX_SCOPES_PER_CLIENT + 1),
        r"^consumers\[0\]\.scopes: consumer 'c' (needs at least one scope|has 51 scopes)",
    ),
    (
        "a consumer name 1..64 characters",
        {"consumers": [{"name": "c", "scopes": ["read"]}]},
        {"consumers": [{"name": "c" * 64, "scopes": ["read"]}]},
        {"consumers": [{"name": "", "scopes": ["read"]}]},
        {"consumers": [{"name": "c" * 65, "scopes": ["read"]}]},
        r"^consumers\[0\]\.name: '(c{65})?' is not a valid consumer name; expected 1-64",
    ),
    (
        "resourceServerIdentifier 1..256 characters (empty: the invoke URL)",
        {"resourceServerIdentifier": "i", "scopes": {"read": "r", "write": "w"}},
        {"resourceServerIdentifier": "i" * 250, "scopes": {"read": "r", "write": "w"}},
        None,  # "" is the documented default: the stage invoke URL
        {"resourceServerIdentifier": "i" * 257},
        r"^resourceServerIdentifier: 'i{257}' is not a valid identifier; expected 1-256",
    ),
]


@pytest.mark.parametrize(("name", "low", "high", "below", "above", "match"), RANGES)
def test_both_ends_are_accepted_and_one_past_each_is_refused(
    name: str,
    low: dict[str, Any],
    high: dict[str, Any],
    below: dict[str, Any] | None,
    above: dict[str, Any] | None,
    match: str,
) -> None:
    for accepted in (low, high):
        assert isinstance(parse_config({**BASE, **accepted}, region="eu-west-1"), StackConfig)
    for refused in (below, above):
        if refused is None:
            continue
        with pytest.raises(ConfigError, match=match):
            parse_config({**BASE, **refused}, region="eu-west-1")


def test_an_empty_identifier_is_the_default_not_a_refusal() -> None:
    config = parse_config({**BASE, "resourceServerIdentifier": ""}, region="eu-west-1")
    assert config.resource_server_identifier is None


@pytest.mark.parametrize("identifier_length", [100, 200])
def test_a_full_scope_of_256_characters_is_accepted_and_257_refused(
    identifier_length: int,
) -> None:
    identifier = "i" * identifier_length
    fits = MAX_FULL_SCOPE_LENGTH - identifier_length - 1  # `<identifier>/<scope>`
    scopes = {"read": "r", "write": "w"}
    config = parse_config(
        {**BASE, "resourceServerIdentifier": identifier, "scopes": {**scopes, "x" * fits: "d"}}
    )
    assert max(len(f"{identifier}/{s.name}") for s in config.scopes) == MAX_FULL_SCOPE_LENGTH
    with pytest.raises(
        ConfigError, match=rf"^scopes\['x{{{fits + 1}}}'\]: the full scope .* would be 257"
    ):
        parse_config(
            {
                **BASE,
                "resourceServerIdentifier": identifier,
                "scopes": {**scopes, "x" * (fits + 1): "d"},
            }
        )


def test_the_default_identifiers_estimate_is_held_to_the_same_limit() -> None:
    # With the invoke URL as the identifier, its length is estimated (10-character API id).
    url = len("https://xxxxxxxxxx.execute-api.eu-west-1.amazonaws.com/v1")
    fits = MAX_FULL_SCOPE_LENGTH - url - 1
    scopes = {"read": "r", "write": "w"}
    parse_config({**BASE, "scopes": {**scopes, "x" * fits: "d"}}, region="eu-west-1")
    with pytest.raises(ConfigError, match=r"would be 257 characters with the stage invoke URL"):
        parse_config({**BASE, "scopes": {**scopes, "x" * (fits + 1): "d"}}, region="eu-west-1")
