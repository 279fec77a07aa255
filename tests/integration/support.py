"""Plain helpers for the integration tests: prerequisite checks, stack config, the test matrix.

Kept free of Pulumi and AWS calls so test_prerequisites.py can check them offline.
"""

from __future__ import annotations

import configparser
import os
import secrets
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT = "secured-m2m-api"
DEFAULT_REGION = "eu-west-1"

# The integration stack's own consumers and mapping, so the expected matrix does not depend
# on whatever Pulumi.dev.yaml holds at the time.
SCOPES = {"read": "Read pets", "write": "Create pets"}
CONSUMERS: dict[str, tuple[str, ...]] = {"analytics": ("read",), "orders": ("read", "write")}
OPERATION_SCOPES: dict[tuple[str, str], str] = {
    ("GET", "/"): "read",
    ("GET", "/pets"): "read",
    ("POST", "/pets"): "write",
    ("GET", "/pets/{petId}"): "read",
}
# A concrete path to call for each templated one.
CONCRETE_PATHS = {"/pets/{petId}": "/pets/1"}
NEW_PET = {"type": "dog", "price": 249.99}


def missing_pulumi_cli(which: Callable[[str], str | None] = shutil.which) -> str | None:
    """Why the Pulumi CLI is unusable, or None when ``pulumi`` is on PATH."""
    if which("pulumi") is None:
        return "Pulumi CLI not found: no `pulumi` executable on PATH"
    return None


def _has_section(path: Path, section: str) -> bool:
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return False
    return parser.has_section(section)


def missing_aws_credentials(env: Mapping[str, str], home: Path) -> str | None:
    """Why no AWS credentials are available, or None when one of the SDK's sources is set.

    Checks what the AWS SDK's default chain would find without calling AWS: static keys,
    web identity (GitHub OIDC), container credentials, a named or default profile in the
    shared files. EC2 instance profiles cannot be seen without the network; set
    ``M2M_IT_AWS_INSTANCE_PROFILE=1`` on such a host.
    """
    key_id, secret = env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")
    if key_id and secret:
        return None
    if key_id and not secret:
        return (
            "AWS credentials incomplete: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
        )
    if secret and not key_id:
        return (
            "AWS credentials incomplete: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
        )
    if env.get("AWS_WEB_IDENTITY_TOKEN_FILE") and env.get("AWS_ROLE_ARN"):
        return None
    if env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") or env.get(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI"
    ):
        return None
    if env.get("M2M_IT_AWS_INSTANCE_PROFILE") == "1":
        return None
    credentials = Path(env.get("AWS_SHARED_CREDENTIALS_FILE") or home / ".aws" / "credentials")
    config = Path(env.get("AWS_CONFIG_FILE") or home / ".aws" / "config")
    profile = env.get("AWS_PROFILE") or env.get("AWS_DEFAULT_PROFILE")
    if profile:
        if _has_section(credentials, profile) or _has_section(config, f"profile {profile}"):
            return None
        return (
            f"AWS credentials not found: AWS_PROFILE={profile!r} but neither {credentials} has "
            f"a [{profile}] section nor {config} a [profile {profile}] section"
        )
    if _has_section(credentials, "default") or _has_section(config, "default"):
        return None
    files = [
        f"{p} {'has no [default] section' if p.exists() else 'does not exist'}"
        for p in (credentials, config)
    ]
    return (
        "AWS credentials not found: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, "
        "AWS_WEB_IDENTITY_TOKEN_FILE+AWS_ROLE_ARN and AWS_CONTAINER_CREDENTIALS_* are unset, "
        + " and ".join(files)
    )


def skip_reason(
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    which: Callable[[str], str | None] = shutil.which,
) -> str | None:
    """One line naming every missing prerequisite, or None when the tests can run."""
    problems = [
        p
        for p in (
            missing_pulumi_cli(which),
            missing_aws_credentials(
                os.environ if env is None else env, Path.home() if home is None else home
            ),
        )
        if p
    ]
    return "; ".join(problems) if problems else None


def region(env: Mapping[str, str]) -> str:
    """AWS region the ephemeral stack deploys to."""
    return env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


def unique_domain_prefix() -> str:
    """A fresh Cognito domain prefix (lowercase, digits, hyphens; globally unique per region)."""
    return f"m2m-it-{secrets.token_hex(5)}"


def manage_api_gateway_account(env: Mapping[str, str]) -> bool:
    """Whether the throw-away stack may set the account's API Gateway CloudWatch role.

    Off unless ``M2M_IT_MANAGE_API_GATEWAY_ACCOUNT=1``: the role is one setting per account
    and region, shared with every other API there, so a test must not take it over silently.
    Stage access logs need it, though: in an account where nobody has set it yet, `up` fails
    until this is switched on.
    """
    return env.get("M2M_IT_MANAGE_API_GATEWAY_ACCOUNT") == "1"


def stack_config(
    domain_prefix: str, aws_region: str, *, manage_account: bool = False
) -> dict[str, object]:
    """Config of the ephemeral stack, keyed as in Pulumi.<stack>.yaml (structured values)."""
    ns = PROJECT
    return {
        "aws:region": aws_region,
        f"{ns}:domainPrefix": domain_prefix,
        f"{ns}:stageName": "it",
        f"{ns}:deletionProtection": False,
        f"{ns}:manageApiGatewayAccount": manage_account,
        f"{ns}:accessTokenValidityMinutes": 60,
        f"{ns}:scopes": dict(SCOPES),
        f"{ns}:operationScopes": {
            f"{method} {path}": [scope] for (method, path), scope in OPERATION_SCOPES.items()
        },
        f"{ns}:consumers": [
            {"name": name, "scopes": list(scopes)} for name, scopes in CONSUMERS.items()
        ],
    }


@dataclass(frozen=True)
class Case:
    """One row of the authorization matrix."""

    consumer: str
    method: str
    path: str
    token_scopes: tuple[str, ...] | None  # None: request no scope (all of the client's)

    @property
    def id(self) -> str:
        scopes = "all" if self.token_scopes is None else "+".join(self.token_scopes)
        return f"{self.consumer}[{scopes}]-{self.method} {self.path}"


def operations() -> list[tuple[str, str, str]]:
    """(method, concrete path, required scope) for every operation of the API."""
    return [
        (method, CONCRETE_PATHS.get(path, path), scope)
        for (method, path), scope in OPERATION_SCOPES.items()
    ]


def granting_cases() -> list[Case]:
    """Every operation each consumer may call, with the consumer's default (all-scope) token."""
    return [
        Case(consumer, method, path, None)
        for consumer, scopes in CONSUMERS.items()
        for method, path, scope in operations()
        if scope in scopes
    ]


def insufficient_scope_cases() -> list[Case]:
    """Each consumer x operation with a token holding only the consumer's *other* scopes."""
    cases = []
    for consumer, scopes in CONSUMERS.items():
        for method, path, scope in operations():
            others = tuple(s for s in scopes if s != scope)
            if not others:
                continue  # every token this consumer can get includes the scope
            # A consumer lacking the scope entirely is tested with its default token.
            token_scopes = None if scope not in scopes else others
            cases.append(Case(consumer, method, path, token_scopes))
    return cases
