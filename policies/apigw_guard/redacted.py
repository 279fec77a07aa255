"""Values `pulumi policy analyze --file` could not decrypt, and what to say about them.

Analysing a `pulumi stack export` whose secrets it cannot decrypt (no passphrase, no access to
the KMS key or to Pulumi Cloud), the CLI redacts every secret to the string `[secret]`, whatever
its type (pulumi/pulumi `pkg/cmd/pulumi/policy/policy_analyze.go`, `BlindingProvider`); the SDK
unwraps the secret envelope, so a policy sees that bare string. It is not the program's value:
nothing can be judged from it, and a guarantee fails closed at its own level.
"""

from __future__ import annotations

from typing import Any

REDACTED = "[secret]"

HOW_TO_DECRYPT = (
    "analyse an export the CLI can decrypt: run `pulumi policy analyze --file` where the stack's "
    "secrets provider is available (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE "
    "for passphrase stacks, credentials for the awskms/azurekeyvault/gcpkms key, a Pulumi Cloud "
    "login for service-managed secrets), or `pulumi policy analyze --stack <stack>` against its "
    "backend"
)


def is_redacted(value: Any) -> bool:
    """Whether `value` is the string the CLI puts in place of a secret it could not decrypt."""
    return isinstance(value, str) and value == REDACTED


def redacted_message(who: str, field: str, consequence: str) -> str:
    """The violation for a `field` that arrived redacted."""
    return (
        f"{who}: {field} is {REDACTED!r}, a secret `pulumi policy analyze` could not decrypt, "
        f"so {consequence} (failing closed). Fix: {HOW_TO_DECRYPT}."
    )
