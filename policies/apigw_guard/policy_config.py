"""The guarantee policies' config: its schema, the options it yields, and its errors."""

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
from .model.schemes import POOL_ARN

# Config keys (declared in CONFIG_SCHEMA; the CLI applies schema defaults, the SDK does not, so
# `judge_options` applies them again here).
EXEMPT_MOCK_OPTIONS = "exemptCorsPreflightMock"
ALLOWED_POOL_ARNS = "allowedUserPoolArns"

CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        EXEMPT_MOCK_OPTIONS: {
            "type": "boolean",
            "default": False,
            "description": "Exempt CORS preflight OPTIONS methods whose own integration is MOCK "
            "from the authorizer requirement. Off by default. Methods (aws.apigateway.Method, "
            "aws-native Method): only apigateway-method-cognito-authorization reads it, as the "
            "one policy that sees the method's integration. OpenAPI bodies: the body policy "
            "reads it. Elsewhere it has no effect.",
        },
        ALLOWED_POOL_ARNS: {
            "type": "array",
            "items": {"type": "string"},
            "description": "If set, the only Cognito user pool ARNs an authorizer may trust. "
            "Unset: any user pool is accepted.",
        },
    }
)

# For the advisory on pools the stack does not create: a policy reads only its own config, so
# it takes the allowlist too (set, the advisory is silent; the guarantee policies enforce it).
ALLOWLIST_SCHEMA = PolicyConfigSchema(
    properties={
        ALLOWED_POOL_ARNS: {
            "type": "array",
            "items": {"type": "string"},
            "description": "The Cognito user pool ARNs the guarantee policies allow (set the "
            "same list there). Set: this advisory is silent. Unset: an authorizer trusting a "
            "pool the stack does not create is advised.",
        },
    }
)


def judge_options(config: Mapping[str, Any] | None) -> JudgeOptions:
    """Policy config with defaults applied: no exemption, any user pool.

    Values of the wrong type fail closed (see `config_errors`): an exemption that is not `true`
    is off, and an allowlist that is not a list trusts no pool.
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
    )


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
            [a for a in allowed if not (isinstance(a, str) and POOL_ARN.match(a))]
            if isinstance(allowed, list)
            else [allowed]
        )
        if bad:
            errors.append(
                f"{ALLOWED_POOL_ARNS} must be a list of user pool ARNs "
                "(arn:aws:cognito-idp:<region>:<account>:userpool/<pool-id>), got "
                f"{', '.join(map(repr, bad))}; no user pool is trusted through an invalid entry"
            )
    return errors


def configured_options(
    args: ResourceValidationArgs | StackValidationArgs, report: ReportViolation
) -> JudgeOptions:
    """The policy's options; each config error is reported as a violation of the policy."""
    config = args.get_config()
    for error in config_errors(config):
        report(f"policy config: {error}. Fix: correct the policy config of this pack.", None)
    return judge_options(config)
