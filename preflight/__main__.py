"""`python -m preflight --stack dev [--create]`: what `make preview|up|destroy` check first.

1. The stack file, if there is one, must read as the CLI reads it (no duplicate keys).
2. The stack must exist in the backend (`pulumi stack ls`), unless `--create` (make's
   `CREATE=1`): `make up STACK=stagign` must not quietly create an empty stack.
3. A passphrase (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE) is required only
   when the stack's secrets provider is the passphrase (`preflight.secrets`), not on Pulumi
   Cloud or with a key service.
4. Then `pulumi stack select <stack>`, or `pulumi stack init <stack>` with the secrets
   provider asked for (`--secrets-provider`) or named by the stack file.

Exit status: 0 once the stack is selected, 2 on a refusal (one line on stderr, nothing run
that changes anything), otherwise the CLI's own status.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from offline_engine import StackFileError, read_settings_file

from .cli import PulumiCli, PulumiCliError, names_stack
from .secrets import (
    PASSPHRASE_VARIABLES,
    SecretsProvider,
    existing_stack_provider,
    new_stack_provider,
    passphrase_given,
)

EXIT_REFUSED = 2


class Refused(Exception):
    """Something to fix before `pulumi` may run; the message says what and how."""


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    args = _parser().parse_args(argv)
    environ = os.environ if environ is None else environ
    try:
        command = prepare(args, environ)
    except (Refused, StackFileError, PulumiCliError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_REFUSED
    return PulumiCli(args.pulumi, args.project_dir).run(command)


def prepare(args: argparse.Namespace, environ: Mapping[str, str]) -> list[str]:
    """Every check, in order; the `pulumi` arguments that select (or create) the stack."""
    stack: str = args.stack
    cli = PulumiCli(args.pulumi, args.project_dir)
    cli.require()
    stack_path = args.project_dir / f"Pulumi.{stack.rsplit('/', 1)[-1]}.yaml"
    settings = read_settings_file(stack_path) if stack_path.is_file() else {}
    backend = cli.backend_url(environ)
    _make_file_backend_dir(backend)
    names = cli.stack_names()
    exists = any(names_stack(name, stack) for name in names)
    if not exists and not args.create:
        raise Refused(_missing_stack(stack, backend, names, stack_path, args.prog))
    provider = (
        existing_stack_provider(settings, stack_path.name, backend)
        if exists
        else new_stack_provider(settings, stack_path.name, backend, args.secrets_provider)
    )
    if provider.needs_passphrase and not passphrase_given(environ):
        raise Refused(_passphrase_needed(stack, provider, exists))
    if exists:
        return ["stack", "select", stack]
    flag = ["--secrets-provider", provider.init_flag] if provider.init_flag else []
    return ["stack", "init", stack, *flag]


def _missing_stack(stack: str, backend: str, names: list[str], path: Path, prog: str) -> str:
    create = (
        f"{prog} STACK={stack} CREATE=1"
        if prog
        else f"python -m preflight --stack {stack} --create"
    )
    message = (
        f"stack {stack!r} does not exist in the backend {backend} (its stacks: "
        f"{', '.join(names) or 'none'}); check the name, or create it with `{create}`"
    )
    if not path.is_file():
        message += (
            f" after writing {path.name} "
            "(copy Pulumi.dev.yaml; docs/operations.md: Deploying a stack)"
        )
    return message


def _passphrase_needed(stack: str, provider: SecretsProvider, exists: bool) -> str:
    what = "encrypts" if exists else "will encrypt"
    return (
        f"stack {stack!r} {what} its secrets with a passphrase ({provider.reason}); export "
        f"{' or '.join(PASSPHRASE_VARIABLES)} first"
    )


def _make_file_backend_dir(backend: str) -> None:
    """A `file://` backend's folder must exist before the CLI can log in to it."""
    if not backend.startswith("file://"):
        return
    folder = Path(urlsplit(backend).path if backend.startswith("file:///") else backend[7:])
    folder = Path(os.path.expanduser(str(folder).split("?", 1)[0]))
    if folder.is_absolute():
        folder.mkdir(parents=True, exist_ok=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m preflight",
        description="Check a stack before pulumi preview/up/destroy, then select or create it.",
    )
    parser.add_argument("--stack", required=True, help="stack name (Pulumi.<stack>.yaml)")
    parser.add_argument("--create", action="store_true", help="create the stack if missing")
    parser.add_argument(
        "--secrets-provider",
        default=None,
        help="for a new stack: passphrase, awskms://..., ... (default: the stack file's, "
        "else the backend's default)",
    )
    parser.add_argument("--pulumi", default="pulumi", help="the Pulumi CLI to run")
    parser.add_argument("--project-dir", type=Path, default=Path.cwd(), help="Pulumi project")
    parser.add_argument(
        "--prog", default="", help="the command the user ran, for hints (e.g. 'make up')"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
