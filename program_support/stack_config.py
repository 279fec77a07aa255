"""Typed, validated stack configuration: `StackConfig`, assembled from the raw values.

Every config value is checked before the program registers its first resource, so a bad value
fails `pulumi preview` fast and nothing is half-created: each key by its parser
(`config_values`), then the rules that involve two values (the TLS policy and its access mode,
a full scope's length with the identifier). Which keys exist is `config_keys`'. Messages start
with the config key (a stable prefix tests match on), name the rule and the value received.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from program_support.config_keys import KNOWN_KEYS, STRUCTURED_KEYS, check_known_keys
from secured_m2m_api.backend_tokens import parse_withheld_hosts
from secured_m2m_api.config_values import (
    DEFAULT_SECURITY_POLICY,
    ConfigError,
    Consumer,
    ScopeDef,
    parse_bool,
    parse_consumers,
    parse_domain_prefix,
    parse_identifier,
    parse_log_retention,
    parse_non_empty_string,
    parse_non_negative_int,
    parse_operation_scopes,
    parse_rate,
    parse_scopes,
    parse_stage_name,
    parse_token_validity,
)
from secured_m2m_api.execution_logs import parse_import_name
from secured_m2m_api.inputs import (
    DEFAULT_BURST_LIMIT,
    DEFAULT_LOG_RETENTION_DAYS,
    DEFAULT_RATE_LIMIT,
    DEFAULT_SCOPES,
    DEFAULT_STAGE,
    DEFAULT_TOKEN_MINUTES,
    check_full_scope_lengths,
    tls_settings,
)
from secured_m2m_api.m2m_api import ConsumerArgs, SecuredM2MApiArgs

T = TypeVar("T")


@dataclass(frozen=True)
class StackConfig:
    """Everything the program reads from stack config, validated.

    `operation_scopes` is only checked for shape here; whether its operations and scopes exist
    is decided against the OpenAPI document by the shared model's `resolve_operation_scopes`.
    """

    domain_prefix: str
    spec_path: str = "api/petstore.yaml"
    stage_name: str = DEFAULT_STAGE
    scopes: tuple[ScopeDef, ...] = tuple(ScopeDef(n, d) for n, d in DEFAULT_SCOPES.items())
    operation_scopes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    consumers: tuple[Consumer, ...] = ()
    access_token_validity_minutes: int = DEFAULT_TOKEN_MINUTES
    resource_server_identifier: str | None = None
    deletion_protection: bool = False
    manage_api_gateway_account: bool = False
    log_retention_days: int = DEFAULT_LOG_RETENTION_DAYS
    throttling_rate_limit: float = DEFAULT_RATE_LIMIT
    throttling_burst_limit: int = DEFAULT_BURST_LIMIT
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
    defaults = StackConfig(domain_prefix=parse_domain_prefix(raw.get("domainPrefix")))

    def given(key: str, parse: Callable[[str, Any], T], default: T) -> T:
        return parse(key, raw[key]) if key in raw else default

    scopes = given("scopes", parse_scopes, defaults.scopes)
    scope_names = [s.name for s in scopes]
    config = replace(
        defaults,
        spec_path=given("specPath", parse_non_empty_string, defaults.spec_path),
        stage_name=given("stageName", parse_stage_name, defaults.stage_name),
        scopes=scopes,
        operation_scopes=given(
            "operationScopes", parse_operation_scopes, defaults.operation_scopes
        ),
        consumers=given(
            "consumers", lambda k, v: parse_consumers(k, v, scope_names), defaults.consumers
        ),
        access_token_validity_minutes=given(
            "accessTokenValidityMinutes",
            parse_token_validity,
            defaults.access_token_validity_minutes,
        ),
        resource_server_identifier=given(
            "resourceServerIdentifier", parse_identifier, defaults.resource_server_identifier
        ),
        deletion_protection=given("deletionProtection", parse_bool, defaults.deletion_protection),
        manage_api_gateway_account=given(
            "manageApiGatewayAccount", parse_bool, defaults.manage_api_gateway_account
        ),
        log_retention_days=given(
            "logRetentionDays", parse_log_retention, defaults.log_retention_days
        ),
        throttling_rate_limit=given(
            "throttlingRateLimit", parse_rate, defaults.throttling_rate_limit
        ),
        throttling_burst_limit=given(
            "throttlingBurstLimit", parse_non_negative_int, defaults.throttling_burst_limit
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
    check_full_scope_lengths(
        config.scopes, config.resource_server_identifier, config.stage_name, region
    )
    return config


def _tls(config: StackConfig, raw: Mapping[str, Any]) -> StackConfig:
    """`securityPolicy` and `endpointAccessMode`, which only make sense together."""
    policy, mode = tls_settings(
        raw.get("securityPolicy", config.security_policy), raw.get("endpointAccessMode", "")
    )
    return replace(config, security_policy=policy, endpoint_access_mode=mode)


def component_args(config: StackConfig, spec: str, spec_name: str) -> SecuredM2MApiArgs:
    """The stack's config as `SecuredM2MApi`'s inputs: the same names, the spec as its text.

    A setting left at "none" (no identifier, no access mode, nothing to import) is left out,
    so the component applies its own default, which is the program's.
    """
    args: SecuredM2MApiArgs = {
        "domain_prefix": config.domain_prefix,
        "spec": spec,
        "spec_name": spec_name,
        "scopes": {scope.name: scope.description for scope in config.scopes},
        "operation_scopes": {key: list(scopes) for key, scopes in config.operation_scopes},
        "consumers": [
            ConsumerArgs(name=consumer.name, scopes=list(consumer.scopes))
            for consumer in config.consumers
        ],
        "stage_name": config.stage_name,
        "access_token_validity_minutes": config.access_token_validity_minutes,
        "deletion_protection": config.deletion_protection,
        "log_retention_days": config.log_retention_days,
        "throttling_rate_limit": config.throttling_rate_limit,
        "throttling_burst_limit": config.throttling_burst_limit,
        "security_policy": config.security_policy,
        "withhold_token_from_hosts": list(config.withhold_token_from_hosts),
    }
    if config.resource_server_identifier is not None:
        args["resource_server_identifier"] = config.resource_server_identifier
    if config.endpoint_access_mode is not None:
        args["endpoint_access_mode"] = config.endpoint_access_mode
    if config.execution_log_group_import is not None:
        args["execution_log_group_import"] = config.execution_log_group_import
    return args


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
