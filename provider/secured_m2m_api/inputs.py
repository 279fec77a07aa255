"""What each component input may be, checked before any child resource exists.

The components' input names are the program's stack-config keys (`domainPrefix`, `scopes`,
`operationScopes`, ...), so each is checked by the same parser (`config_values`), with the same
message, whoever calls: the program with its stack config, or another project through the
engine's `Construct`. Values arrive as Python values, not config text: a number sent over the
engine's protocol arrives as a float (`30.0`), which `_whole` turns back into the integer it is.

Each component calls one function here first thing in its constructor, before
`super().__init__`: a bad input raises an `InputError` naming the input and the accepted form,
and the engine (or the program) has nothing half-created.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from secured_m2m_api.backend_tokens import parse_withheld_hosts
from secured_m2m_api.config_values import (
    APP_CLIENT_DOC,
    DEFAULT_SECURITY_POLICY,
    ENDPOINT_ACCESS_MODES,
    ENHANCED_SECURITY_POLICIES,
    MAX_FULL_SCOPE_LENGTH,
    SECURITY_POLICIES,
    ConfigError,
    Consumer,
    ScopeDef,
    consumer_entries,
    parse_bool,
    parse_consumers,
    parse_domain_prefix,
    parse_full_scope,
    parse_identifier,
    parse_log_retention,
    parse_non_negative_int,
    parse_operation_scopes,
    parse_rate,
    parse_scopes,
    parse_stage_name,
    parse_token_validity,
)
from secured_m2m_api.execution_logs import parse_import_name
from secured_m2m_api.naming import stage_invoke_url, user_pool_arn_estimate
from secured_m2m_api.openapi_body import ApiPlan, plan_api
from secured_m2m_api.spec_reader import parse_spec_text

# Defaults: the program's stack config declares the same ones (Pulumi.yaml), and
# tests/program/test_config_contract.py holds the two together.
DEFAULT_SCOPES: dict[str, str] = {
    "read": "Read access to the API",
    "write": "Write access to the API",
}
DEFAULT_STAGE = "v1"
DEFAULT_TOKEN_MINUTES = 60
DEFAULT_LOG_RETENTION_DAYS = 90
DEFAULT_RATE_LIMIT = 50.0
DEFAULT_BURST_LIMIT = 100
# How messages name a spec given without `specName`.
DEFAULT_SPEC_NAME = "spec"
# REST API ids are 10 characters in practice (not a documented guarantee): used only to
# estimate the length of the default identifier, the stage invoke URL, before the API exists.
REST_API_ID_LENGTH = 10
# User-pool ids: Cognito's UserPoolIdType, `[\w-]+_[0-9a-zA-Z]+`, 1-55 characters.
_USER_POOL_ID = re.compile(r"(?=.{1,55}$)[\w-]+_[0-9a-zA-Z]+")
# One of the longest region names, to size the body when the stack names no region.
ESTIMATE_REGION = "ap-southeast-2"


@dataclass(frozen=True)
class IdentitySettings:
    """A pool to create (`domain_prefix`, no `existing_user_pool_id`) or one to use.

    With `existing_user_pool_id`, `domain_prefix` (if any) is a domain to create on that pool;
    without it the pool's own domain serves the token endpoint.
    """

    domain_prefix: str | None
    existing_user_pool_id: str | None
    deletion_protection: bool


@dataclass(frozen=True)
class ApiSettings:
    """One API's validated inputs, its spec already planned (`plan`, proven fully guarded)."""

    plan: ApiPlan
    scopes: tuple[ScopeDef, ...]
    stage_name: str
    resource_server_identifier: str | None
    log_retention_days: int
    throttling_rate_limit: float
    throttling_burst_limit: int
    security_policy: str
    endpoint_access_mode: str | None
    execution_log_group_import: str | None

    @property
    def scope_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.scopes)


@dataclass(frozen=True)
class ConsumerClient:
    """One app client of `M2MConsumers`: its name and full scope strings (or Outputs of them)."""

    name: str
    scopes: tuple[pulumi.Input[str], ...]


def parse_user_pool_id(key: str, value: Any) -> str:
    """An existing pool's id, `<region>_<id>`."""
    if not isinstance(value, str) or not _USER_POOL_ID.fullmatch(value):
        raise ConfigError(
            f"{key}: {value!r} is not a Cognito user pool id; expected '<region>_<id>', "
            "e.g. 'eu-west-1_AbCdEfGhI' (the pool's Id, not its ARN or name)"
        )
    return value


def identity_settings(args: Mapping[str, Any]) -> IdentitySettings:
    """`domainPrefix`, `existingUserPoolId` and `deletionProtection` of `M2MIdentity` or
    `SecuredM2MApi`: a new pool needs a domain prefix; an existing pool is someone else's, so
    its deletion protection is not this component's to set."""
    existing = args.get("existing_user_pool_id")
    prefix = args.get("domain_prefix")
    protection = args.get("deletion_protection")
    if existing is None:
        return IdentitySettings(
            parse_domain_prefix(prefix),
            None,
            False if protection is None else parse_bool("deletionProtection", protection),
        )
    pool_id = parse_user_pool_id("existingUserPoolId", existing)
    if protection is not None:
        raise ConfigError(
            f"deletionProtection: set on the existing pool {pool_id!r}, which this component "
            "does not manage; leave deletionProtection out (its owner sets it on the pool)"
        )
    return IdentitySettings(None if prefix is None else parse_domain_prefix(prefix), pool_id, False)


def api_settings(args: Mapping[str, Any]) -> ApiSettings:
    """Every input of one API (`SecuredRestApi`, or the API part of `SecuredM2MApi`) checked,
    and its `spec` planned: read strictly, checked against what API Gateway's import refuses,
    every operation given its scopes and the result judged by the policy pack's own rules."""
    spec_name = _text(args, "spec_name", "specName", DEFAULT_SPEC_NAME)
    spec = args.get("spec")
    if not isinstance(spec, str) or not spec.strip():
        raise ConfigError(
            f"spec: expected the OpenAPI 2.0 or 3.0 document itself as text (JSON or YAML), "
            f"got {_shown(spec)}; a component runs in the consuming program's folder, so pass "
            "the file's contents, never its path"
        )
    if _looks_like_a_path(spec):
        raise ConfigError(
            f"spec: {_shown(spec)} looks like a file path; pass the document's text instead "
            "(fs.readFileSync in TypeScript, fn::readFile in YAML, open().read() in Python): "
            "a component runs in the consuming program's folder and never reads files"
        )
    scopes = parse_scopes("scopes", args.get("scopes", DEFAULT_SCOPES))
    mapping = parse_operation_scopes("operationScopes", args.get("operation_scopes", {}))
    stage_name = parse_stage_name("stageName", args.get("stage_name", DEFAULT_STAGE))
    identifier = parse_identifier(
        "resourceServerIdentifier", args.get("resource_server_identifier", "")
    )
    policy, mode = _tls(args)
    region = stack_region()
    check_full_scope_lengths(scopes, identifier, stage_name, region)
    withheld = parse_withheld_hosts(
        "withholdTokenFromHosts", args.get("withhold_token_from_hosts", [])
    )
    plan = plan_api(
        parse_spec_text(spec, spec_name),
        {key: list(names) for key, names in mapping},
        [s.name for s in scopes],
        source=spec_name,
        withheld_hosts=withheld,
        # The values the body will carry, as long as they will be, to size it before deploy.
        identifier=identifier
        or stage_invoke_url("x" * REST_API_ID_LENGTH, region or ESTIMATE_REGION, stage_name),
        pool_arn=user_pool_arn_estimate(region or ESTIMATE_REGION),
    )
    return ApiSettings(
        plan=plan,
        scopes=scopes,
        stage_name=stage_name,
        resource_server_identifier=identifier,
        log_retention_days=parse_log_retention(
            "logRetentionDays", _whole(args.get("log_retention_days", DEFAULT_LOG_RETENTION_DAYS))
        ),
        throttling_rate_limit=parse_rate(
            "throttlingRateLimit", args.get("throttling_rate_limit", DEFAULT_RATE_LIMIT)
        ),
        throttling_burst_limit=parse_non_negative_int(
            "throttlingBurstLimit", _whole(args.get("throttling_burst_limit", DEFAULT_BURST_LIMIT))
        ),
        security_policy=policy,
        endpoint_access_mode=mode,
        execution_log_group_import=parse_import_name(
            "executionLogGroupImport", args.get("execution_log_group_import", ""), stage_name
        ),
    )


def token_validity(args: Mapping[str, Any]) -> int:
    """`accessTokenValidityMinutes`, 5 minutes to 1 day; 60 by default."""
    return parse_token_validity(
        "accessTokenValidityMinutes",
        _whole(args.get("access_token_validity_minutes", DEFAULT_TOKEN_MINUTES)),
    )


def named_consumers(args: Mapping[str, Any], scopes: Sequence[ScopeDef]) -> tuple[Consumer, ...]:
    """`SecuredM2MApi`'s `consumers`: scope names of its own API."""
    return parse_consumers("consumers", args.get("consumers", []), [s.name for s in scopes])


def consumer_clients(args: Mapping[str, Any]) -> tuple[ConsumerClient, ...]:
    """`M2MConsumers`' `consumers`: full scope strings, of one API or several.

    A scope known now must be a full scope (`<identifier>/<name>`); one that is an Output of
    another component (an API's `scopeIdentifiers`, unknown until that API exists) is checked
    by Cognito, which refuses a scope no resource server of the pool defines.
    """
    result = []
    for where, name, scopes in consumer_entries(
        "consumers", args.get("consumers"), "full scope strings, e.g. an API's scopeIdentifiers"
    ):
        checked = tuple(
            parse_full_scope(f"{where}.scopes[{i}]", s) if isinstance(s, str) or s is None else s
            for i, s in enumerate(scopes)
        )
        literal = [s for s in checked if isinstance(s, str)]
        if len(set(literal)) != len(literal):
            raise ConfigError(f"{where}.scopes: consumer {name!r} lists a scope twice")
        result.append(ConsumerClient(name, checked))
    return tuple(result)


def check_full_scope_lengths(
    scopes: Sequence[ScopeDef], identifier: str | None, stage_name: str, region: str | None
) -> None:
    """Every full scope `<identifier>/<scope_name>` must fit Cognito's 256 characters.

    With a configured identifier the length is exact. The default identifier is the stage
    invoke URL, whose REST API id does not exist yet: its length is estimated with a
    10-character id, and only when the region is known. Beyond that, the API component still
    compares the built scopes with what the resource server reports.
    """
    if identifier is not None:
        described = f"the identifier {identifier!r}"
    elif region:
        identifier = stage_invoke_url("x" * REST_API_ID_LENGTH, region, stage_name)
        described = f"the stage invoke URL (about {len(identifier)} characters)"
    else:
        return
    for scope in scopes:
        length = len(identifier) + 1 + len(scope.name)
        if length > MAX_FULL_SCOPE_LENGTH:
            raise ConfigError(
                f"scopes[{scope.name!r}]: the full scope '<identifier>/{scope.name}' would be "
                f"{length} characters with {described}; Cognito allows at most "
                f"{MAX_FULL_SCOPE_LENGTH} per scope ({APP_CLIENT_DOC}, AllowedOAuthScopes); "
                "shorten the scope name or set a shorter resourceServerIdentifier"
            )


def tls_settings(policy: Any, mode: Any) -> tuple[str, str | None]:
    """`securityPolicy` and `endpointAccessMode`, which only make sense together."""
    if policy not in SECURITY_POLICIES:
        raise ConfigError(
            f"securityPolicy: {policy!r} is not offered; expected {DEFAULT_SECURITY_POLICY} "
            f"(the default) or an enhanced policy: {', '.join(ENHANCED_SECURITY_POLICIES)}"
        )
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
    return policy, mode or None


def stack_region() -> str | None:
    """The region the stack deploys to, as the aws provider finds it, if the component can
    see it: `aws:region` of the stack's config (the consuming program's, over Construct too),
    else `AWS_REGION`, else `AWS_DEFAULT_REGION`; None when none is set."""
    return (
        pulumi.Config("aws").get("region")
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or None
    )


def _tls(args: Mapping[str, Any]) -> tuple[str, str | None]:
    return tls_settings(
        args.get("security_policy", DEFAULT_SECURITY_POLICY),
        args.get("endpoint_access_mode") or "",
    )


def _text(args: Mapping[str, Any], name: str, key: str, default: str) -> str:
    value = args.get(name, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{key}: expected a non-empty string, got {_shown(value)}")
    return value


def _looks_like_a_path(spec: str) -> bool:
    """One line naming a JSON or YAML file: what a caller passes who expects a path to work."""
    text = spec.strip()
    return "\n" not in text and text.lower().endswith((".yaml", ".yml", ".json"))


def _whole(value: Any) -> Any:
    """A float that is a whole number as the integer it is: the engine's protocol has one
    number type, and the SDK hands the component `60.0` for an integer input of 60."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _shown(value: Any) -> str:
    """A value in a message, cut short: a spec may be megabytes."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."
