"""Which secrets provider a stack uses, and so whether `pulumi up` needs a passphrase.

The rules are the Pulumi CLI's (pulumi/pulumi `pkg/cmd/pulumi/stack/secrets.go`, v3.259.0):

- an existing stack: `secretsprovider` in its stack file, unless empty, `passphrase` or
  `default`, is a key service (`awskms://`, `azurekeyvault://`, `gcpkms://`,
  `hashivault://`; `SecretsManagerLoader.GetSecretsManager`); else an `encryptionsalt` means
  the passphrase; else the backend's default;
- a new stack (`stack init`, `createSecretsManagerForNewStack`): `--secrets-provider` if
  given, else the backend's default, which ignores the stack file. This module passes the
  stack file's own provider as `--secrets-provider` instead, so that a file copied from
  another stack keeps the provider it names;
- the backend's default (`DefaultSecretManager`): the passphrase on a self-managed (DIY)
  backend (`file://`, `s3://`, `gs://`, `azblob://`), Pulumi Cloud's own encryption on an
  `https://` (or `http://`) service backend.

The CLI takes the passphrase from PULUMI_CONFIG_PASSPHRASE (set, even empty) or a non-empty
PULUMI_CONFIG_PASSPHRASE_FILE (`readPassphrase` in `pkg/secrets/passphrase/manager.go`).
Secrets managers the CLI would recover from the stack's state (PULUMI_FALLBACK_TO_STATE_
SECRETS_MANAGER) are not considered: a stack file without secrets settings is judged by the
backend's default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

PASSPHRASE = "passphrase"
DEFAULT = "default"
SERVICE = "Pulumi Cloud"
PASSPHRASE_VARIABLES = ("PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE")


@dataclass(frozen=True)
class SecretsProvider:
    """A stack's secrets provider, why it is that one, and what `stack init` should be told.

    `name` is `passphrase`, `Pulumi Cloud` or a key-service URL; `init_flag` is the value of
    `--secrets-provider` for `pulumi stack init` (None: the backend's default).
    """

    name: str
    reason: str
    init_flag: str | None = None

    @property
    def needs_passphrase(self) -> bool:
        return self.name == PASSPHRASE


def is_service_backend(backend_url: str) -> bool:
    """Pulumi Cloud (or a self-hosted service) rather than a self-managed state store."""
    return urlsplit(backend_url).scheme.lower() in ("http", "https")


def backend_default(backend_url: str) -> SecretsProvider:
    if is_service_backend(backend_url):
        return SecretsProvider(SERVICE, f"the default of the service backend {backend_url}")
    return SecretsProvider(PASSPHRASE, f"the default of the self-managed backend {backend_url}")


def existing_stack_provider(
    settings: Mapping[str, Any], stack_file: str, backend_url: str
) -> SecretsProvider:
    """The provider the CLI uses for a stack that exists in the backend."""
    provider = str(settings.get("secretsprovider") or "")
    if provider not in ("", PASSPHRASE, DEFAULT):
        return SecretsProvider(provider, f"{stack_file}: secretsprovider")
    if settings.get("encryptionsalt"):
        return SecretsProvider(PASSPHRASE, f"{stack_file}: encryptionsalt")
    return backend_default(backend_url)


def new_stack_provider(
    settings: Mapping[str, Any], stack_file: str, backend_url: str, requested: str | None
) -> SecretsProvider:
    """What `stack init` will set up: the provider asked for, the stack file's, or the default."""
    if requested and requested != DEFAULT:
        return SecretsProvider(requested, "SECRETS_PROVIDER", requested)
    provider = str(settings.get("secretsprovider") or "")
    if provider not in ("", DEFAULT):
        return SecretsProvider(provider, f"{stack_file}: secretsprovider", provider)
    if settings.get("encryptionsalt"):
        return SecretsProvider(PASSPHRASE, f"{stack_file}: encryptionsalt", PASSPHRASE)
    return backend_default(backend_url)


def passphrase_given(environ: Mapping[str, str]) -> bool:
    """Whether the CLI will find a passphrase without prompting for one."""
    return PASSPHRASE_VARIABLES[0] in environ or bool(environ.get(PASSPHRASE_VARIABLES[1]))
