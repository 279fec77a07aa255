"""Policy config: each property's schema, the value it falls back to, and its errors.

pulumi-policy hands each policy the properties set under its own name, so each policy declares
exactly the properties it reads (a tuple of `ConfigProperty`), gets its schema from `schema`
and its values from `read_config`, which looks at nothing else. The CLI applies schema defaults,
the SDK does not: a property left out takes its `fallback` here. A value of the wrong type fails
closed and is reported to the policy admin, who alone can change it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pulumi_policy import (
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationArgs,
)

from .model.pool_refs import parse_pool_arn

T = TypeVar("T")


@dataclass(frozen=True)
class ConfigProperty(Generic[T]):
    """One config property: its name, JSON schema, the raw value a policy reads when it is left
    out, how a raw value is read (a wrong type becoming the fail-closed value) and what is
    wrong with one (None: nothing)."""

    name: str
    schema: Mapping[str, Any]
    fallback: Any
    read: Callable[[Any], T]
    error: Callable[[Any], str | None]

    def value(self, config: Mapping[str, Any] | None) -> T:
        """This property's value in a policy's config: as read, or the fallback's when left out.

        Plain: the report reads a policy's config with this too, so it shows what the pack
        decided.
        """
        return self.read((config or {}).get(self.name, self.fallback))

    def with_description(self, description: str) -> ConfigProperty[T]:
        """The same property described for one policy's admin."""
        return ConfigProperty(
            self.name,
            {**self.schema, "description": description},
            self.fallback,
            self.read,
            self.error,
        )


def _exempt_error(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    name = EXEMPT_CORS_PREFLIGHT_MOCK.name
    return f"{name} must be true or false, got {value!r}; it is treated as false"


EXEMPT_CORS_PREFLIGHT_MOCK: ConfigProperty[bool] = ConfigProperty(
    name="exemptCorsPreflightMock",
    schema={
        "type": "boolean",
        "default": False,
        "description": "Exempt CORS preflight OPTIONS methods whose own integration is MOCK from "
        "the authorizer requirement. Off by default.",
    },
    fallback=False,
    read=lambda value: value is True,  # anything but true is off
    error=_exempt_error,
)


def _read_pools(value: Any) -> frozenset[str] | None:
    # Unset: any pool. Not a list: no pool (an admin who set a list meant to restrict).
    if value is None:
        return None
    if not isinstance(value, list):
        return frozenset()
    return frozenset(a for a in value if isinstance(a, str))


def _pools_error(value: Any) -> str | None:
    if value is None:
        return None
    bad = (
        [a for a in value if not (isinstance(a, str) and parse_pool_arn(a))]
        if isinstance(value, list)
        else [value]
    )
    if not bad:
        return None
    return (
        f"{ALLOWED_USER_POOL_ARNS.name} must be a list of user pool ARNs "
        "(arn:<partition>:cognito-idp:<region>:<account>:userpool/<pool-id>), got "
        f"{', '.join(map(repr, bad))}; no user pool is trusted through an invalid entry"
    )


ALLOWED_USER_POOL_ARNS: ConfigProperty[frozenset[str] | None] = ConfigProperty(
    name="allowedUserPoolArns",
    schema={
        "type": "array",
        "items": {"type": "string"},
        "description": "If set, the only Cognito user pool ARNs an authorizer may trust. Unset: "
        "any user pool is accepted.",
    },
    fallback=None,
    read=_read_pools,
    error=_pools_error,
)


def _read_websocket(value: Any) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()  # not a list of strings: allows none
    return frozenset(v for v in value if isinstance(v, str) and v.strip())


def _websocket_error(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return None
    return (
        f"{ALLOWED_WEBSOCKET_APIS.name} must be a list of Api URNs or API ids, got "
        f"{value!r}; no WebSocket API is allowed through an invalid entry"
    )


ALLOWED_WEBSOCKET_APIS: ConfigProperty[frozenset[str]] = ConfigProperty(
    name="allowedWebSocketApis",
    schema={
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": "WebSocket APIs allowed although no Cognito or JWT authorizer exists for "
        "them: each entry is the Api resource's URN or the API's id. Empty by default: every "
        "WebSocket API is refused.",
    },
    fallback=[],
    read=_read_websocket,
    error=_websocket_error,
)


def schema(*properties: ConfigProperty[Any]) -> PolicyConfigSchema:
    """The config schema of a policy that reads exactly `properties`."""
    return PolicyConfigSchema(properties={p.name: dict(p.schema) for p in properties})


def config_errors(
    config: Mapping[str, Any] | None, properties: tuple[ConfigProperty[Any], ...]
) -> list[str]:
    """What is wrong with the declared properties of a policy's config; the CLI validates
    against the schema, but a pack started by another client (or an older CLI) may be sent
    anything."""
    config = config or {}
    errors = (p.error(config.get(p.name, p.fallback)) for p in properties)
    return [e for e in errors if e is not None]


def read_config(
    args: ResourceValidationArgs | StackValidationArgs,
    report: ReportViolation,
    properties: tuple[ConfigProperty[Any], ...],
) -> Mapping[str, Any]:
    """A policy's config, after reporting each error in the properties it declares as a
    violation of the policy, addressed to the policy admin (the author cannot change a pack's
    config). Read each value with `ConfigProperty.value`."""
    config = args.get_config()
    for error in config_errors(config, properties):
        report(
            f"policy config: {error}. Fix (policy admin): correct this policy's config in the "
            "pack's configuration (pulumi policy enable --config, or --policy-pack-config).",
            None,
        )
    return config or {}


# The fix for a pool outside the allowlist: the list is the policy admin's, not the author's.
ALLOWLIST_FIX = (
    "trust a user pool on the allowed list; if this pool should be trusted, ask the policy "
    f"admin to add its ARN to {ALLOWED_USER_POOL_ARNS.name} on this policy"
)
