"""What each stack-config value may be: one parser per key, with Cognito's, API Gateway's and
CloudWatch's rules.

Every parser takes the key (the stable prefix of its messages) and the value as the CLI passes
it (text, or JSON-decoded for objects and lists) and returns it typed, or raises `ConfigError`
naming the key, the rule, the accepted form and the value received. Rules that involve two
values (the TLS policy and its access mode, a full scope's length) are `stack_config`'s.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apigw_guard.model.errors import InputError

# Cognito managed-domain prefix: lowercase letters, digits, hyphens; no leading or trailing
# hyphen; 1-63 characters. https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html
_DOMAIN_PREFIX = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# Cognito refuses prefixes containing these reserved words.
_RESERVED_PREFIX_WORDS = ("aws", "amazon", "cognito")
# API Gateway stage names: letters, digits, hyphens and underscores, up to 128 characters.
_STAGE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
# Cognito scope names: printable ASCII except space, `"`, `/` and `\`, 1-256 characters.
_SCOPE_NAME = re.compile(r"^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$")
# Cognito resource-server identifiers: printable ASCII except space, `"` and `\`, 1-256.
_IDENTIFIER = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]{1,256}$")
# A full scope: an identifier, '/', a scope name (the scope name has no '/').
_FULL_SCOPE = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]+/[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$")
# Consumer names become Cognito client names, resource names and output keys: keep them tame.
_CONSUMER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# Values CloudWatch Logs accepts for retention_in_days.
LOG_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
    2922, 3288, 3653,
)  # fmt: skip
# Cognito's documented limits on scopes, checked before any resource exists:
# - at most 100 scopes per resource server (CreateResourceServer, `Scopes`, "Maximum number of
#   100 items": https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateResourceServer.html);
# - at most 50 scopes per app client, each a full scope `<identifier>/<scope_name>` of 1-256
#   characters matching [\x21\x23-\x5B\x5D-\x7E]+ (CreateUserPoolClient, `AllowedOAuthScopes`:
#   https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html).
#   The 50 is the current service model (botocore's cognito-idp `ScopeListType`, max 50); older
#   copies of that page said 25, so if Cognito refuses 26-50 scopes, this number is the one to
#   lower. The character rule needs no check of its own: the identifier's and the scope name's
#   rules above are subsets of it, and `/` is in it.
MAX_SCOPES = 100  # per resource server
MAX_SCOPES_PER_CLIENT = 50
MAX_FULL_SCOPE_LENGTH = 256
RESOURCE_SERVER_DOC = (
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/"
    "API_CreateResourceServer.html"
)
APP_CLIENT_DOC = (
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/"
    "API_CreateUserPoolClient.html"
)
# Cognito's access-token validity: 5 minutes to 1 day.
MIN_TOKEN_MINUTES = 5
MAX_TOKEN_MINUTES = 24 * 60

# TLS on the REST API's execute-api endpoint (REGIONAL). TLS_1_2 is the default; the enhanced
# `SecurityPolicy_TLS13_*` policies for regional endpoints need an endpoint access mode. The
# `_EDGE` policies are for edge-optimized endpoints and TLS_1_0 is below our minimum, so
# neither is offered. https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies.html
DEFAULT_SECURITY_POLICY = "TLS_1_2"
ENHANCED_SECURITY_POLICIES: tuple[str, ...] = (
    "SecurityPolicy_TLS13_1_3_2025_09",
    "SecurityPolicy_TLS13_1_3_FIPS_2025_09",
    "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_2021_06",
)
SECURITY_POLICIES: tuple[str, ...] = (DEFAULT_SECURITY_POLICY, *ENHANCED_SECURITY_POLICIES)
ENDPOINT_ACCESS_MODES: tuple[str, ...] = ("STRICT", "BASIC")


class ConfigError(InputError):
    """A stack config value that cannot work; the message names the key and the accepted form."""


@dataclass(frozen=True)
class ScopeDef:
    """One scope of the resource server: Cognito's `scope_name` and its description."""

    name: str
    description: str


@dataclass(frozen=True)
class Consumer:
    """One machine client: gets its own app client allowed exactly `scopes`."""

    name: str
    scopes: tuple[str, ...]


def parse_domain_prefix(value: Any) -> str:
    if value is None or value == "":
        raise ConfigError(
            "domainPrefix: required; set a Cognito domain prefix (lowercase letters, digits and "
            "hyphens, 1-63 characters), e.g. `pulumi config set domainPrefix my-m2m-api-dev`"
        )
    if not isinstance(value, str) or not _DOMAIN_PREFIX.match(value):
        raise ConfigError(
            f"domainPrefix: {value!r} is not a valid Cognito domain prefix; expected 1-63 "
            "lowercase letters, digits and hyphens, not starting or ending with a hyphen"
        )
    reserved = [w for w in _RESERVED_PREFIX_WORDS if w in value]
    if reserved:
        raise ConfigError(
            f"domainPrefix: {value!r} contains the reserved word {reserved[0]!r}; Cognito "
            f"rejects prefixes containing any of: {', '.join(_RESERVED_PREFIX_WORDS)}"
        )
    return value


def parse_stage_name(key: str, value: Any) -> str:
    if not isinstance(value, str) or not _STAGE_NAME.match(value):
        raise ConfigError(
            f"{key}: {value!r} is not a valid API Gateway stage name; expected 1-128 "
            "letters, digits, hyphens or underscores, e.g. 'v1'"
        )
    return value


def parse_scopes(key: str, value: Any) -> tuple[ScopeDef, ...]:
    if not isinstance(value, Mapping) or not value:
        raise ConfigError(
            f"{key}: expected a non-empty map of scope name to description, got {value!r}"
        )
    if len(value) > MAX_SCOPES:
        raise ConfigError(
            f"{key}: {len(value)} scopes; Cognito allows at most {MAX_SCOPES} per resource "
            f"server ({RESOURCE_SERVER_DOC})"
        )
    result = []
    for name, description in value.items():
        if not isinstance(name, str) or not _SCOPE_NAME.match(name):
            raise ConfigError(
                f"{key}: {name!r} is not a valid scope name; expected 1-256 printable "
                "characters without spaces, '/', '\"' or '\\'"
            )
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise ConfigError(
                f"{key}[{name!r}]: expected a description of 1-256 characters, got {description!r}"
            )
        result.append(ScopeDef(name, description))
    return tuple(result)


def parse_operation_scopes(key: str, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{key}: expected a map of 'METHOD /path' to a list of scope names, got {value!r}"
        )
    result = []
    for operation, scopes in value.items():
        if isinstance(scopes, str):
            raise ConfigError(_string_for_list(f"{key}[{operation!r}]", scopes))
        if not isinstance(scopes, Sequence) or not all(isinstance(s, str) for s in scopes):
            raise ConfigError(
                f"{key}[{operation!r}]: expected a list of scope names, got {scopes!r}"
            )
        result.append((str(operation), tuple(scopes)))
    return tuple(result)


def _string_for_list(where: str, value: str) -> str:
    """The message for a scope list written as a plain string (`scopes: read`)."""
    return (
        f"{where}: type error: expected a list of scope names, got the string {value!r}; "
        f"write it as a list, e.g. [{value}]"
    )


def parse_consumers(key: str, value: Any, defined: Sequence[str]) -> tuple[Consumer, ...]:
    """Consumers whose scopes are scope names of one resource server (`defined`)."""
    defined_text = ", ".join(defined)
    result = []
    for where, name, scopes in consumer_entries(key, value, f"defined: {defined_text}"):
        for scope in scopes:
            if scope not in defined:
                raise ConfigError(
                    f"{where}.scopes: consumer {name!r} asks for {scope!r}, which is not a "
                    f"scope of the resource server (defined: {defined_text})"
                )
        result.append(Consumer(name, tuple(dict.fromkeys(scopes))))
    return tuple(result)


def consumer_entries(key: str, value: Any, scopes_hint: str) -> list[tuple[str, str, list[Any]]]:
    """`(where, name, scopes)` of each consumer: a list of `{name, scopes}` with unique, tame
    names and 1 to `MAX_SCOPES_PER_CLIENT` distinct scopes each, whatever the scopes are (scope
    names of one API, or full scope strings of several). `scopes_hint` says in a message what a
    scope may be."""
    if not isinstance(value, list):
        raise ConfigError(f"{key}: expected a list of {{name, scopes}}, got {value!r}")
    seen: set[str] = set()
    result = []
    for index, item in enumerate(value):
        where = f"{key}[{index}]"
        if not isinstance(item, Mapping):
            raise ConfigError(f"{where}: expected a mapping with name and scopes, got {item!r}")
        name = item.get("name")
        if not isinstance(name, str) or not _CONSUMER_NAME.match(name):
            raise ConfigError(
                f"{where}.name: {name!r} is not a valid consumer name; expected 1-64 letters, "
                "digits, hyphens or underscores, starting with a letter or digit"
            )
        if name in seen:
            raise ConfigError(f"{where}.name: {name!r} is a duplicate; consumer names are unique")
        seen.add(name)
        scopes = item.get("scopes")
        if isinstance(scopes, str):
            raise ConfigError(_string_for_list(f"{where}.scopes: consumer {name!r}", scopes))
        if not isinstance(scopes, list) or not scopes:
            raise ConfigError(
                f"{where}.scopes: consumer {name!r} needs at least one scope "
                f"({scopes_hint}), got {scopes!r}"
            )
        distinct = len({id(s) if not isinstance(s, str) else s for s in scopes})
        if distinct > MAX_SCOPES_PER_CLIENT:
            raise ConfigError(
                f"{where}.scopes: consumer {name!r} has {distinct} scopes; Cognito allows "
                f"at most {MAX_SCOPES_PER_CLIENT} per app client ({APP_CLIENT_DOC}, "
                "AllowedOAuthScopes)"
            )
        result.append((where, name, scopes))
    return result


def parse_full_scope(where: str, value: Any) -> str:
    """A full scope string `<identifier>/<scope_name>` as Cognito's app clients take it."""
    if (
        not isinstance(value, str)
        or not _FULL_SCOPE.match(value)
        or len(value) > MAX_FULL_SCOPE_LENGTH
    ):
        raise ConfigError(
            f"{where}: {value!r} is not a full scope; expected '<resource-server identifier>/"
            f"<scope name>' of at most {MAX_FULL_SCOPE_LENGTH} printable characters without "
            "spaces, e.g. an API's scopeIdentifiers value"
        )
    return value


def parse_token_validity(key: str, value: Any) -> int:
    minutes = parse_int(key, value, f"from {MIN_TOKEN_MINUTES} to {MAX_TOKEN_MINUTES} (minutes)")
    if not MIN_TOKEN_MINUTES <= minutes <= MAX_TOKEN_MINUTES:
        raise ConfigError(
            f"{key}: {minutes} is out of range; Cognito accepts "
            f"{MIN_TOKEN_MINUTES} to {MAX_TOKEN_MINUTES} minutes (5 minutes to 1 day)"
        )
    return minutes


def parse_identifier(key: str, value: Any) -> str | None:
    # Pulumi.yaml's default "" (the CLI has no null) means: the stage invoke URL.
    if value == "":
        return None
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        raise ConfigError(
            f"{key}: {value!r} is not a valid identifier; expected 1-256 "
            "printable characters without spaces, e.g. 'https://api.example.com'"
        )
    if value.endswith("/"):
        raise ConfigError(
            f"{key}: {value!r} ends with '/'; drop it (scopes would read '...//read')"
        )
    return value


def parse_log_retention(key: str, value: Any) -> int:
    days = parse_int(key, value, "of days, a CloudWatch Logs retention value such as 30 or 90")
    if days not in LOG_RETENTION_DAYS:
        raise ConfigError(
            f"{key}: {days} is not a CloudWatch Logs retention; expected one of "
            f"{', '.join(map(str, LOG_RETENTION_DAYS))}"
        )
    return days


def parse_rate(key: str, value: Any) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{key}: expected a number of requests per second, got {value!r}"
        ) from None
    if not math.isfinite(rate) or rate <= 0:
        raise ConfigError(f"{key}: expected a positive number of requests per second, got {rate}")
    return rate


def parse_non_negative_int(key: str, value: Any) -> int:
    number = parse_int(key, value, ">= 0")
    if number < 0:
        raise ConfigError(f"{key}: expected an integer >= 0, got {number}")
    return number


def parse_int(key: str, value: Any, accepted: str) -> int:
    """An integer, from a number or the CLI's text form; `accepted` describes the range."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise ConfigError(f"{key}: {value!r} is not a whole number; expected an integer {accepted}")


def parse_bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ConfigError(f"{key}: expected true or false, got {value!r}")


def parse_non_empty_string(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{key}: expected a non-empty string, got {value!r}")
    return value
