"""Policy config: each property's schema, the options it yields, and its errors.

A policy reads only its own config (pulumi-policy hands each policy the properties set under its
name), so each policy declares exactly the properties it reads, built here from one definition
per property. The CLI applies schema defaults, the SDK does not: `judge_options` applies them
again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationArgs,
)

from .model.options import JudgeOptions
from .model.pool_refs import parse_pool_arn

EXEMPT_MOCK_OPTIONS = "exemptCorsPreflightMock"
ALLOWED_POOL_ARNS = "allowedUserPoolArns"
ALLOWED_WEBSOCKET_APIS = "allowedWebSocketApis"

_EXEMPT: dict[str, Any] = {
    "type": "boolean",
    "default": False,
    "description": "Exempt CORS preflight OPTIONS methods whose own integration is MOCK from "
    "the authorizer requirement. Off by default.",
}
_POOLS: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string"},
    "description": "If set, the only Cognito user pool ARNs an authorizer may trust. Unset: any "
    "user pool is accepted.",
}
_WEBSOCKET: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string"},
    "default": [],
    "description": "WebSocket APIs allowed although no Cognito or JWT authorizer exists for "
    "them: each entry is the Api resource's URN or the API's id. Empty by default: every "
    "WebSocket API is refused.",
}


def schema(*properties: str) -> PolicyConfigSchema:
    """The config schema of a policy that reads exactly `properties`."""
    known = {
        EXEMPT_MOCK_OPTIONS: _EXEMPT,
        ALLOWED_POOL_ARNS: _POOLS,
        ALLOWED_WEBSOCKET_APIS: _WEBSOCKET,
    }
    return PolicyConfigSchema(properties={p: known[p] for p in properties})


# The fix for a pool outside the allowlist: the list is the policy admin's, not the author's.
ALLOWLIST_FIX = (
    "trust a user pool on the allowed list; if this pool should be trusted, ask the policy "
    f"admin to add its ARN to {ALLOWED_POOL_ARNS} on this policy"
)

# For the advisory on pools the stack does not create: a policy reads only its own config, so
# it takes the allowlist too (set, the advisory is silent; the guarantee policies enforce it).
ALLOWLIST_ADVISORY_SCHEMA = PolicyConfigSchema(
    properties={
        ALLOWED_POOL_ARNS: {
            **_POOLS,
            "description": "The Cognito user pool ARNs the guarantee policies allow (set the "
            "same list there). Set: this advisory is silent. Unset: an authorizer trusting a "
            "pool the stack does not create is advised.",
        },
    }
)


def judge_options(
    config: Mapping[str, Any] | None, import_region: str | None = None
) -> JudgeOptions:
    """Policy config with defaults applied: no exemption, any user pool.

    Values of the wrong type fail closed (see `config_errors`): an exemption that is not `true`
    is off, and an allowlist that is not a list trusts no pool. `import_region` is the region a
    body is imported in (see `aws_context`), not config.
    """
    config = config or {}
    exempt = config.get(EXEMPT_MOCK_OPTIONS, False)
    allowed = config.get(ALLOWED_POOL_ARNS)
    return JudgeOptions(
        exempt_mock_options=exempt is True,
        allowed_pool_arns=(
            None
            if allowed is None
            else frozenset(a for a in allowed if isinstance(a, str))
            if isinstance(allowed, list)
            else frozenset()
        ),
        import_region=import_region,
    )


def allowed_websocket_apis(config: Mapping[str, Any] | None) -> frozenset[str]:
    """The WebSocket APIs the admin allows (URNs or API ids); a value that is not a list of
    strings allows none."""
    value = (config or {}).get(ALLOWED_WEBSOCKET_APIS, [])
    if not isinstance(value, list):
        return frozenset()
    return frozenset(v for v in value if isinstance(v, str) and v.strip())


def config_errors(config: Mapping[str, Any] | None) -> list[str]:
    """What is wrong with a policy's config; the CLI validates against the schema, but a pack
    started by another client (or an older CLI) may be sent anything."""
    config = config or {}
    errors = []
    exempt = config.get(EXEMPT_MOCK_OPTIONS, False)
    if not isinstance(exempt, bool):
        errors.append(
            f"{EXEMPT_MOCK_OPTIONS} must be true or false, got {exempt!r}; it is treated as false"
        )
    allowed = config.get(ALLOWED_POOL_ARNS)
    if allowed is not None:
        bad = (
            [a for a in allowed if not (isinstance(a, str) and parse_pool_arn(a))]
            if isinstance(allowed, list)
            else [allowed]
        )
        if bad:
            errors.append(
                f"{ALLOWED_POOL_ARNS} must be a list of user pool ARNs "
                "(arn:<partition>:cognito-idp:<region>:<account>:userpool/<pool-id>), got "
                f"{', '.join(map(repr, bad))}; no user pool is trusted through an invalid entry"
            )
    websocket = config.get(ALLOWED_WEBSOCKET_APIS, [])
    if not isinstance(websocket, list) or not all(
        isinstance(v, str) and v.strip() for v in websocket
    ):
        errors.append(
            f"{ALLOWED_WEBSOCKET_APIS} must be a list of Api URNs or API ids, got "
            f"{websocket!r}; no WebSocket API is allowed through an invalid entry"
        )
    return errors


def configured_options(
    args: ResourceValidationArgs | StackValidationArgs,
    report: ReportViolation,
    import_region: str | None = None,
) -> JudgeOptions:
    """The policy's options; each config error is reported as a violation of the policy,
    addressed to the policy admin (the author cannot change a pack's config)."""
    config = args.get_config()
    for error in config_errors(config):
        report(
            f"policy config: {error}. Fix (policy admin): correct this policy's config in the "
            "pack's configuration (pulumi policy enable --config, or --policy-pack-config).",
            None,
        )
    return judge_options(config, import_region)
