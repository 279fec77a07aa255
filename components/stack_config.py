"""Typed, validated stack configuration.

Every config value is checked here, before the program registers its first resource, so a bad
value fails `pulumi preview` fast and nothing is half-created. Messages start with the config
key (a stable prefix tests match on), name the rule and the value received.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from apigw_guard.model.errors import InputError
from components.aws_provider import (
    AWS_CONFIG_KEYS,
    AWS_NAMESPACE,
    AWS_REGIONS,
    PULUMI_AWS_VERSION,
    provider_namespaces,
)
from components.backend_tokens import parse_withheld_hosts
from components.execution_logs import parse_import_name
from components.naming import stage_invoke_url

PROJECT = "secured-m2m-api"
T = TypeVar("T")

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
# REST API ids are 10 characters in practice (not a documented guarantee), used only to
# estimate the length of the default identifier, the stage invoke URL, before the API exists.
REST_API_ID_LENGTH = 10
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


@dataclass(frozen=True)
class StackConfig:
    """Everything the program reads from stack config, validated.

    `operation_scopes` is only checked for shape here; whether its operations and scopes exist
    is decided against the OpenAPI document by the shared model's `resolve_operation_scopes`.
    """

    domain_prefix: str
    spec_path: str = "api/petstore.yaml"
    stage_name: str = "v1"
    scopes: tuple[ScopeDef, ...] = (
        ScopeDef("read", "Read access to the API"),
        ScopeDef("write", "Write access to the API"),
    )
    operation_scopes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    consumers: tuple[Consumer, ...] = ()
    access_token_validity_minutes: int = 60
    resource_server_identifier: str | None = None
    deletion_protection: bool = False
    manage_api_gateway_account: bool = False
    log_retention_days: int = 90
    throttling_rate_limit: float = 50.0
    throttling_burst_limit: int = 100
    security_policy: str = DEFAULT_SECURITY_POLICY
    endpoint_access_mode: str | None = None
    withhold_token_from_hosts: tuple[str, ...] = ()
    execution_log_group_import: str | None = None

    @property
    def scope_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.scopes)

    @property
    def operation_scope_mapping(self) -> dict[str, list[str]]:
        return {key: list(scopes) for key, scopes in self.operation_scopes}


# Keys whose stack-config value is an object or list (the CLI hands them over as JSON text).
STRUCTURED_KEYS: frozenset[str] = frozenset(
    {"scopes", "operationScopes", "consumers", "withholdTokenFromHosts"}
)
KNOWN_KEYS: tuple[str, ...] = (
    "domainPrefix",
    "specPath",
    "stageName",
    "scopes",
    "operationScopes",
    "consumers",
    "accessTokenValidityMinutes",
    "resourceServerIdentifier",
    "deletionProtection",
    "manageApiGatewayAccount",
    "logRetentionDays",
    "throttlingRateLimit",
    "throttlingBurstLimit",
    "securityPolicy",
    "endpointAccessMode",
    "withholdTokenFromHosts",
    "executionLogGroupImport",
)


def project_keys(full_keys: Iterable[str], project: str = PROJECT) -> list[str]:
    """The keys of `project`'s namespace among namespaced keys (`secured-m2m-api:stageName`)."""
    prefix = f"{project}:"
    return sorted(k[len(prefix) :] for k in full_keys if k.startswith(prefix))


def check_known_keys(keys: Iterable[str]) -> None:
    """Refuse a key of the project's namespace that the program does not read.

    The Pulumi CLI hands such keys to the program without a word, so a misspelled
    `deletionProtecton: true` would silently leave deletion protection off. The message names
    the key and the closest known one (case differences count as close).
    """
    for key in sorted(keys):
        if key in KNOWN_KEYS:
            continue
        by_lower = {k.lower(): k for k in KNOWN_KEYS}
        close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.6)
        hint = f"did you mean '{by_lower[close[0]]}'? " if close else ""
        raise ConfigError(
            f"{PROJECT}:{key}: unknown config key; {hint}"
            f"Known keys: {', '.join(KNOWN_KEYS)} (declared in Pulumi.yaml)"
        )


# A namespace this many edits (or fewer) from the project's name is taken for a typo of it.
NAMESPACE_TYPO_EDITS = 2
# The variables the provider reads when `aws:region` is unset, in its order (pulumi-aws's
# `config.region`: `__config__.get('region') or get_env('AWS_REGION', 'AWS_DEFAULT_REGION')`).
REGION_VARIABLES = ("AWS_REGION", "AWS_DEFAULT_REGION")
REGION_SUGGESTIONS = 3


def check_config_keys(full_keys: Iterable[str], project: str = PROJECT) -> None:
    """Refuse stack-config keys that would be ignored without a word.

    The Pulumi CLI passes every key of every namespace to the program and the provider, and
    neither complains about one it does not read. So a namespace one or two letters off the
    project's (`secured-m2m-apii:deletionProtection`), a misspelled provider key
    (`aws:regoin`) or a misspelled project key would each silently leave a setting at its
    default. Checked in that order; `full_keys` are namespaced (`aws:region`).
    """
    keys = sorted(full_keys)
    check_namespaces(keys, project)
    check_aws_keys(keys)
    check_known_keys(project_keys(keys, project))


def check_namespaces(full_keys: Iterable[str], project: str = PROJECT) -> None:
    """A namespace within two edits of the project's name, and not a provider's, is a typo.

    Case differences count as edits of their own only when the rest matches
    (`Secured-M2M-Api:` is one typo, not fifteen). Provider namespaces (`aws`, `pulumi`, any
    installed provider SDK's) are never taken for one, whatever the project is called.
    """
    known = provider_namespaces()
    for key in sorted(full_keys):
        namespace, _, name = key.partition(":")
        if not name or namespace == project or namespace in known:
            continue
        edits = edit_distance(namespace.lower(), project.lower())
        if edits <= NAMESPACE_TYPO_EDITS:
            raise ConfigError(
                f"{key}: unknown namespace {namespace!r}; did you mean '{project}:{name}'? "
                f"The program reads only its project's namespace, '{project}:', and the "
                "Pulumi CLI passes any other without a word"
            )


def check_aws_keys(full_keys: Iterable[str]) -> None:
    """Every `aws:` key must be one the pinned aws provider reads (`aws:region`, ...)."""
    for key in sorted(full_keys):
        namespace, _, name = key.partition(":")
        if namespace != AWS_NAMESPACE or name in AWS_CONFIG_KEYS:
            continue
        by_lower = {k.lower(): k for k in AWS_CONFIG_KEYS}
        close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
        hint = (
            f"did you mean '{AWS_NAMESPACE}:{by_lower[close[0]]}'?"
            if close
            else f"known keys: {', '.join(sorted(AWS_CONFIG_KEYS))}"
        )
        raise ConfigError(
            f"{key}: not a config key of the aws provider (pulumi-aws {PULUMI_AWS_VERSION}), "
            f"which would ignore it; {hint}"
        )


def resolve_region(configured: str | None, environ: Mapping[str, str]) -> str:
    """The stack's AWS region: `aws:region`, else AWS_REGION, else AWS_DEFAULT_REGION.

    That is the provider's own order. A region from an AWS profile's config file is not
    taken: the stack file (or the deploying job's environment) must say where the user pool,
    its token endpoint and the API live, not whichever machine runs `pulumi up`. The region
    must be one the pinned pulumi-aws knows (its `Region` enum); the provider itself does not
    check (its `skipRegionValidation` defaults to true), so a typo would only fail at deploy.
    """
    source, region = "aws:region", configured
    for variable in REGION_VARIABLES:
        if region:
            break
        source, region = f"{variable} (environment)", environ.get(variable)
    if not region:
        raise ConfigError(
            "aws:region: not set; set the stack's region (`pulumi config set aws:region "
            f"eu-west-1`) or export {' or '.join(REGION_VARIABLES)}: it decides where the "
            "user pool, its token endpoint and the API are created"
        )
    if region not in AWS_REGIONS:
        closest = sorted(
            AWS_REGIONS,
            key=lambda known: -difflib.SequenceMatcher(None, region.lower(), known).ratio(),
        )[:REGION_SUGGESTIONS]
        raise ConfigError(
            f"{source}: {region!r} is not an AWS region (pulumi-aws {PULUMI_AWS_VERSION}); "
            f"closest: {', '.join(closest)} (a region launched since needs a newer pulumi-aws)"
        )
    return region


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions of one character."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def read_raw_config(get: Callable[[str], str | None]) -> dict[str, Any]:
    """Collect the raw values of every known key, decoding JSON for structured keys.

    `get` is `pulumi.Config(PROJECT).get`: the CLI passes every value as a string, objects and
    lists as JSON text. Absent keys are left out so `parse_config` applies its defaults.
    """
    raw: dict[str, Any] = {}
    for key in KNOWN_KEYS:
        value = get(key)
        if value is None:
            continue
        if key in STRUCTURED_KEYS:
            try:
                raw[key] = json.loads(value)
            except ValueError:
                raise ConfigError(
                    f"{key}: expected a YAML/JSON object or list, got {value!r}"
                ) from None
        else:
            raw[key] = value
    return raw


def parse_config(raw: Mapping[str, Any], *, region: str | None = None) -> StackConfig:
    """Validate raw config values (strings as the CLI passes them, or native values).

    A key absent from `raw` keeps `StackConfig`'s field default, the program's only copy of it
    (Pulumi.yaml declares the same values for the CLI; tests/program/test_config_contract.py
    holds the two together). Every parser takes the key, the prefix of its messages. Unknown
    keys in `raw` are refused (`check_known_keys`). `region` (the stack's `aws:region`, if
    known) sizes the default identifier, the stage invoke URL, for Cognito's scope-length limit.
    """
    check_known_keys(raw)
    defaults = StackConfig(domain_prefix=_domain_prefix(raw.get("domainPrefix")))

    def given(key: str, parse: Callable[[str, Any], T], default: T) -> T:
        return parse(key, raw[key]) if key in raw else default

    scopes = given("scopes", _scopes, defaults.scopes)
    scope_names = [s.name for s in scopes]
    config = replace(
        defaults,
        spec_path=given("specPath", _non_empty_string, defaults.spec_path),
        stage_name=given("stageName", _stage_name, defaults.stage_name),
        scopes=scopes,
        operation_scopes=given("operationScopes", _operation_scopes, defaults.operation_scopes),
        consumers=given(
            "consumers", lambda k, v: _consumers(k, v, scope_names), defaults.consumers
        ),
        access_token_validity_minutes=given(
            "accessTokenValidityMinutes", _token_validity, defaults.access_token_validity_minutes
        ),
        resource_server_identifier=given(
            "resourceServerIdentifier", _identifier, defaults.resource_server_identifier
        ),
        deletion_protection=given("deletionProtection", _bool, defaults.deletion_protection),
        manage_api_gateway_account=given(
            "manageApiGatewayAccount", _bool, defaults.manage_api_gateway_account
        ),
        log_retention_days=given("logRetentionDays", _log_retention, defaults.log_retention_days),
        throttling_rate_limit=given("throttlingRateLimit", _rate, defaults.throttling_rate_limit),
        throttling_burst_limit=given(
            "throttlingBurstLimit", _non_negative_int, defaults.throttling_burst_limit
        ),
    )
    config = replace(
        _tls(config, raw),
        # Checked against the spec's https backends by openapi_body.plan_api.
        withhold_token_from_hosts=given(
            "withholdTokenFromHosts", parse_withheld_hosts, defaults.withhold_token_from_hosts
        ),
        execution_log_group_import=given(
            "executionLogGroupImport",
            lambda k, v: parse_import_name(k, v, config.stage_name),
            defaults.execution_log_group_import,
        ),
    )
    _check_full_scope_lengths(config, region)
    return config


def _tls(config: StackConfig, raw: Mapping[str, Any]) -> StackConfig:
    """`securityPolicy` and `endpointAccessMode`, which only make sense together."""
    policy = raw.get("securityPolicy", config.security_policy)
    if policy not in SECURITY_POLICIES:
        raise ConfigError(
            f"securityPolicy: {policy!r} is not offered; expected {DEFAULT_SECURITY_POLICY} "
            f"(the default) or an enhanced policy: {', '.join(ENHANCED_SECURITY_POLICIES)}"
        )
    mode = raw.get("endpointAccessMode", "")
    if policy in ENHANCED_SECURITY_POLICIES:
        if mode not in ENDPOINT_ACCESS_MODES:
            raise ConfigError(
                f"endpointAccessMode: {mode!r} with securityPolicy {policy!r}; an enhanced "
                f"policy needs an endpoint access mode: STRICT (recommended) or BASIC"
            )
    elif mode != "":
        raise ConfigError(
            f"endpointAccessMode: {mode!r} needs an enhanced securityPolicy "
            f"(SecurityPolicy_TLS13_*); with {policy!r} leave it empty"
        )
    return replace(config, security_policy=policy, endpoint_access_mode=mode or None)


def _check_full_scope_lengths(config: StackConfig, region: str | None) -> None:
    """Every full scope `<identifier>/<scope_name>` must fit Cognito's 256 characters.

    With a configured identifier the length is exact. The default identifier is the stage
    invoke URL, whose REST API id does not exist yet: its length is estimated with a
    10-character id, and only when the region is known. Beyond that, the identity component
    still compares the built scopes with what the resource server reports.
    """
    if config.resource_server_identifier is not None:
        identifier = config.resource_server_identifier
        described = f"the identifier {identifier!r}"
    elif region:
        identifier = stage_invoke_url("x" * REST_API_ID_LENGTH, region, config.stage_name)
        described = f"the stage invoke URL (about {len(identifier)} characters)"
    else:
        return
    for scope in config.scopes:
        length = len(identifier) + 1 + len(scope.name)
        if length > MAX_FULL_SCOPE_LENGTH:
            raise ConfigError(
                f"scopes[{scope.name!r}]: the full scope '<identifier>/{scope.name}' would be "
                f"{length} characters with {described}; Cognito allows at most "
                f"{MAX_FULL_SCOPE_LENGTH} per scope ({APP_CLIENT_DOC}, AllowedOAuthScopes); "
                "shorten the scope name or set a shorter resourceServerIdentifier"
            )


def _domain_prefix(value: Any) -> str:
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


def _stage_name(key: str, value: Any) -> str:
    if not isinstance(value, str) or not _STAGE_NAME.match(value):
        raise ConfigError(
            f"{key}: {value!r} is not a valid API Gateway stage name; expected 1-128 "
            "letters, digits, hyphens or underscores, e.g. 'v1'"
        )
    return value


def _scopes(key: str, value: Any) -> tuple[ScopeDef, ...]:
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


def _operation_scopes(key: str, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
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


def _consumers(key: str, value: Any, defined: Sequence[str]) -> tuple[Consumer, ...]:
    defined_text = ", ".join(defined)
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
                f"(defined: {defined_text}), got {scopes!r}"
            )
        for scope in scopes:
            if scope not in defined:
                raise ConfigError(
                    f"{where}.scopes: consumer {name!r} asks for {scope!r}, which is not a "
                    f"scope of the resource server (defined: {defined_text})"
                )
        unique = tuple(dict.fromkeys(scopes))
        if len(unique) > MAX_SCOPES_PER_CLIENT:
            raise ConfigError(
                f"{where}.scopes: consumer {name!r} has {len(unique)} scopes; Cognito allows "
                f"at most {MAX_SCOPES_PER_CLIENT} per app client ({APP_CLIENT_DOC}, "
                "AllowedOAuthScopes)"
            )
        result.append(Consumer(name, unique))
    return tuple(result)


def _token_validity(key: str, value: Any) -> int:
    minutes = _int(key, value, f"from {MIN_TOKEN_MINUTES} to {MAX_TOKEN_MINUTES} (minutes)")
    if not MIN_TOKEN_MINUTES <= minutes <= MAX_TOKEN_MINUTES:
        raise ConfigError(
            f"{key}: {minutes} is out of range; Cognito accepts "
            f"{MIN_TOKEN_MINUTES} to {MAX_TOKEN_MINUTES} minutes (5 minutes to 1 day)"
        )
    return minutes


def _identifier(key: str, value: Any) -> str | None:
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


def _log_retention(key: str, value: Any) -> int:
    days = _int(key, value, "of days, a CloudWatch Logs retention value such as 30 or 90")
    if days not in LOG_RETENTION_DAYS:
        raise ConfigError(
            f"{key}: {days} is not a CloudWatch Logs retention; expected one of "
            f"{', '.join(map(str, LOG_RETENTION_DAYS))}"
        )
    return days


def _rate(key: str, value: Any) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{key}: expected a number of requests per second, got {value!r}"
        ) from None
    if not math.isfinite(rate) or rate <= 0:
        raise ConfigError(f"{key}: expected a positive number of requests per second, got {rate}")
    return rate


def _non_negative_int(key: str, value: Any) -> int:
    number = _int(key, value, ">= 0")
    if number < 0:
        raise ConfigError(f"{key}: expected an integer >= 0, got {number}")
    return number


def _int(key: str, value: Any, accepted: str) -> int:
    """An integer, from a number or the CLI's text form; `accepted` describes the range."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise ConfigError(f"{key}: {value!r} is not a whole number; expected an integer {accepted}")


def _bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ConfigError(f"{key}: expected true or false, got {value!r}")


def spec_file(spec_path: str, project_dir: Path) -> Path:
    """`specPath` resolved against the project; refuses a directory with a clear message."""
    path = Path(spec_path)
    path = path if path.is_absolute() else project_dir / path
    if path.is_dir():
        raise ConfigError(
            f"specPath: {spec_path!r} is a directory ({path}); expected an OpenAPI 2.0 or 3.x "
            "file (JSON or YAML), e.g. api/petstore.yaml"
        )
    return path


def _non_empty_string(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{key}: expected a non-empty string, got {value!r}")
    return value
