"""Helpers every policy shares: reading proxied properties safely, config, preview deferral."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import PolicyConfigSchema, ReportViolation
from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
)

from ..model.security import UNKNOWN, JudgeOptions, Verdict

_UNKNOWN_SENTINELS = frozenset(
    {
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_STRING_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_ARCHIVE_VALUE,
        UNKNOWN_OBJECT_VALUE,
    }
)

# Config keys (declared in CONFIG_SCHEMA; the CLI applies schema defaults, the SDK does not, so
# `judge_options` applies them again here).
EXEMPT_MOCK_OPTIONS = "exemptCorsPreflightMock"
ALLOWED_POOL_ARNS = "allowedUserPoolArns"

CONFIG_SCHEMA = PolicyConfigSchema(
    properties={
        EXEMPT_MOCK_OPTIONS: {
            "type": "boolean",
            "default": False,
            "description": "Exempt CORS preflight OPTIONS methods whose integration is MOCK "
            "from the authorizer requirement. Off by default.",
        },
        ALLOWED_POOL_ARNS: {
            "type": "array",
            "items": {"type": "string"},
            "description": "If set, the only Cognito user pool ARNs an authorizer may trust. "
            "Unset: any user pool is accepted.",
        },
    }
)

COGNITO_SCHEME_FIX = (
    "define a security scheme of type apiKey (name Authorization, in header) with "
    "x-amazon-apigateway-authorizer {type: cognito_user_pools, providerARNs: [<user pool ARN>]} "
    'and give every operation security: [{<scheme>: ["<resource-server-identifier>/<scope>"]}]'
)


def plain(value: Any) -> Any:
    """Copy a pulumi-policy property value into plain Python without tripping on unknowns.

    The SDK's proxy raises UnknownValueError on any access to an unknown value (even `in` and
    `.get`); this reads the proxy's target instead and turns every unknown sentinel into
    model.UNKNOWN, so the checks can report what is known and defer the rest.
    """
    if isinstance(value, str):
        return UNKNOWN if value in _UNKNOWN_SENTINELS else value
    if isinstance(value, Mapping):
        target = _target(value)
        return {k: plain(v) for k, v in target.items()}
    if isinstance(value, (list, tuple)) or _is_list_proxy(value):
        target = _target(value)
        return [plain(v) for v in target]
    return value


def _target(value: Any) -> Any:
    try:
        return value["__target"]
    except (KeyError, TypeError, IndexError):
        return value


def _is_list_proxy(value: Any) -> bool:
    return type(value).__name__ == "_ListProxy"


def props_of(props: Any) -> dict[str, Any]:
    value = plain(props)
    return value if isinstance(value, dict) else {}


def judge_options(config: Mapping[str, Any] | None) -> JudgeOptions:
    """Policy config with defaults applied: no exemption, any user pool."""
    config = config or {}
    exempt = config.get(EXEMPT_MOCK_OPTIONS, False)
    allowed = config.get(ALLOWED_POOL_ARNS)
    return JudgeOptions(
        exempt_mock_options=exempt is True,
        allowed_pool_arns=(
            frozenset(a for a in allowed if isinstance(a, str))
            if isinstance(allowed, list)
            else None
        ),
    )


class PendingUntilUpdate(UnknownValueError):
    """Raised after every known fault is reported, when some values are unknown (preview).

    The SDK turns an UnknownValueError into an advisory diagnostic ("can't run policy ... during
    preview: <message>") of the same policy; the message says what will be checked at update.
    """

    def __init__(self, what: Iterable[str]) -> None:
        super().__init__(UNKNOWN_STRING_VALUE, [])
        items = list(dict.fromkeys(what))
        self.message = (
            "not judged yet because values are unknown until the update: "
            + "; ".join(items)
            + ". It will be checked (and enforced) at update, when the values are known"
        )


def defer(pending: list[str]) -> None:
    if pending:
        raise PendingUntilUpdate(pending)


def describe(resource_type: str, name: str) -> str:
    return f"{short_type(resource_type)} '{name}'"


def short_type(resource_type: str) -> str:
    """`aws:apigateway/method:Method` -> `Method`; `aws-native:apigateway:RestApi` -> `RestApi`."""
    return resource_type.rsplit(":", 1)[-1]


def blank_entries(value: list[Any]) -> list[Any]:
    return [s for s in value if s is not UNKNOWN and not (isinstance(s, str) and s.strip())]


def report_verdict_problems(
    report: ReportViolation, where: str, verdict: Verdict, urn: str | None = None
) -> None:
    for problem in verdict.problems:
        report(f"{where}: {verdict.operation.key} {problem}. Fix: {COGNITO_SCHEME_FIX}.", urn)


COGNITO_ISSUER = re.compile(
    r"^https://cognito-idp\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/(?P<pool>(?P=region)_[A-Za-z0-9]+)$"
)
POOL_ARN = re.compile(
    r"^arn:aws[a-z-]*:cognito-idp:(?P<region>[a-z0-9-]+):\d{12}:userpool/(?P<pool>[\w-]+_[A-Za-z0-9]+)$"
)


def pool_id_of_arn(arn: str) -> str | None:
    match = POOL_ARN.match(arn)
    return match.group("pool") if match else None
