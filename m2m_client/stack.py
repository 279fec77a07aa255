"""Where the client finds the deployed stack: Pulumi stack outputs, a JSON file, or env vars.

The program's contract (see the README) exports ``invoke_url``,
``token_endpoint_url``, ``scope_identifiers``, ``client_ids`` and ``client_secrets``; this
module turns them into plain values and names the missing or wrong one when they do not fit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Environment variables that describe one consumer without the Pulumi CLI (e.g. in a job
# that only has the values, not the state backend).
ENV_INVOKE_URL = "M2M_INVOKE_URL"
ENV_TOKEN_URL = "M2M_TOKEN_URL"
ENV_CLIENT_ID = "M2M_CLIENT_ID"
ENV_CLIENT_SECRET = "M2M_CLIENT_SECRET"
ENV_CONSUMER = "M2M_CONSUMER"
ENV_RESOURCE_SERVER = "M2M_RESOURCE_SERVER_IDENTIFIER"
ENV_VARS = (ENV_INVOKE_URL, ENV_TOKEN_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET)


def compose_scope(identifier: str, scope_name: str) -> str:
    """Full scope string ``<identifier>/<scope_name>``, as Cognito's resource server forms it.

    Only for the env-var path, where the stack's ``scope_identifiers`` output is not at hand.
    A trailing '/' on the identifier is dropped, as the program drops it, so an identifier
    like ``https://api/v1/`` never gives ``...//read``. Kept here rather than imported so the
    client stands alone: it ships to consumers without the program or the policy pack.
    """
    return f"{identifier.rstrip('/')}/{scope_name}"


class StackConfigError(Exception):
    """The stack's outputs (or the variables standing in for them) cannot be used."""


class UnknownConsumerError(StackConfigError):
    """The named consumer has no app client in the stack."""


class UnknownScopeError(StackConfigError):
    """The named scope is not one of the resource server's scopes."""


@dataclass(frozen=True)
class Consumer:
    """One app client: the consumer's name and its client-credentials pair."""

    name: str
    client_id: str
    client_secret: str = field(repr=False)


@dataclass(frozen=True)
class StackOutputs:
    """The subset of stack outputs a caller of the API needs."""

    invoke_url: str
    token_endpoint_url: str
    client_ids: Mapping[str, str]
    client_secrets: Mapping[str, str] = field(repr=False)
    scope_identifiers: Mapping[str, str] = field(default_factory=dict)
    resource_server_identifier: str | None = None

    def consumer(self, name: str) -> Consumer:
        """Credentials of consumer ``name``; the error lists the consumers that exist."""
        if name not in self.client_ids:
            known = ", ".join(sorted(self.client_ids)) or "none"
            raise UnknownConsumerError(f"consumer {name!r} is not in the stack (known: {known})")
        if name not in self.client_secrets:
            raise StackConfigError(
                f"client_secrets: no secret for consumer {name!r} (has secrets for: "
                f"{', '.join(sorted(self.client_secrets)) or 'none'})"
            )
        return Consumer(name, self.client_ids[name], self.client_secrets[name])

    def scope(self, name_or_full: str) -> str:
        """Full scope string for a scope name like ``read``; full strings pass unchanged."""
        if name_or_full in self.scope_identifiers:
            return self.scope_identifiers[name_or_full]
        if "/" in name_or_full:
            # Scope names cannot contain '/', so this is already '<identifier>/<scope_name>'.
            return name_or_full
        if not self.scope_identifiers and self.resource_server_identifier:
            # No authoritative list (env-var mode): compose it here and let Cognito judge it.
            return compose_scope(self.resource_server_identifier, name_or_full)
        known = ", ".join(sorted(self.scope_identifiers)) or "none"
        raise UnknownScopeError(
            f"scope {name_or_full!r} is not a scope of the resource server (defined: {known}); "
            "pass a scope name or a full '<identifier>/<scope_name>' string"
        )

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` (which must start with '/') under the stage."""
        if not path.startswith("/"):
            raise StackConfigError(f"path: must start with '/', got {path!r}")
        return self.invoke_url.rstrip("/") + path


def _require_str(outputs: Mapping[str, object], key: str) -> str:
    value = outputs.get(key)
    if not isinstance(value, str) or not value:
        raise StackConfigError(
            f"stack output {key!r}: expected a non-empty string, got {value!r} "
            f"(outputs present: {', '.join(sorted(outputs)) or 'none'})"
        )
    return value


def _require_str_map(
    outputs: Mapping[str, object], key: str, *, secret: bool = False
) -> dict[str, str]:
    value = outputs.get(key)
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        shown = "[secret]" if secret and value is not None else repr(value)
        hint = " (read the outputs with --show-secrets)" if value == "[secret]" else ""
        raise StackConfigError(
            f"stack output {key!r}: expected a map of name to string, got {shown}{hint} "
            f"(outputs present: {', '.join(sorted(outputs)) or 'none'})"
        )
    return dict(value)


def parse_outputs(outputs: Mapping[str, object]) -> StackOutputs:
    """Validate the JSON printed by ``pulumi stack output --json --show-secrets``."""
    scope_identifiers = outputs.get("scope_identifiers")
    identifier = outputs.get("resource_server_identifier")
    return StackOutputs(
        invoke_url=_require_str(outputs, "invoke_url"),
        token_endpoint_url=_require_str(outputs, "token_endpoint_url"),
        client_ids=_require_str_map(outputs, "client_ids"),
        client_secrets=_require_str_map(outputs, "client_secrets", secret=True),
        scope_identifiers=(
            _require_str_map(outputs, "scope_identifiers") if scope_identifiers is not None else {}
        ),
        resource_server_identifier=identifier if isinstance(identifier, str) else None,
    )


def load_outputs_file(path: Path) -> StackOutputs:
    """Read outputs saved with ``pulumi stack output --json --show-secrets > FILE``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StackConfigError(
            f"outputs file {str(path)!r}: cannot read it ({exc.strerror})"
        ) from exc
    return parse_outputs(_json_object(text, f"outputs file {str(path)!r}"))


def load_from_env(env: Mapping[str, str]) -> StackOutputs:
    """One consumer described by ``M2M_*`` variables; the consumer is named by ``M2M_CONSUMER``.

    Scope names resolve when ``M2M_RESOURCE_SERVER_IDENTIFIER`` is set; otherwise pass full
    scope strings.
    """
    missing = [name for name in ENV_VARS if not env.get(name)]
    if missing:
        raise StackConfigError(
            f"environment: {', '.join(missing)} not set (all of {', '.join(ENV_VARS)} are "
            "needed when the outputs do not come from Pulumi)"
        )
    consumer = env.get(ENV_CONSUMER) or "default"
    return StackOutputs(
        invoke_url=env[ENV_INVOKE_URL],
        token_endpoint_url=env[ENV_TOKEN_URL],
        client_ids={consumer: env[ENV_CLIENT_ID]},
        client_secrets={consumer: env[ENV_CLIENT_SECRET]},
        resource_server_identifier=env.get(ENV_RESOURCE_SERVER) or None,
    )


Runner = Callable[[Sequence[str], Path], "subprocess.CompletedProcess[str]"]


def _run(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # fixed argv, no shell
        list(args), cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


def load_from_pulumi(
    stack: str,
    *,
    cwd: Path,
    which: Callable[[str], str | None] = shutil.which,
    run: Runner = _run,
) -> StackOutputs:
    """Run ``pulumi stack output --json --show-secrets`` for ``stack`` in project dir ``cwd``.

    ``--show-secrets`` is needed because ``client_secrets`` is a Pulumi secret; without it
    the CLI prints ``"[secret]"``.
    """
    exe = which("pulumi")
    if exe is None:
        raise StackConfigError(
            "pulumi CLI not found on PATH; install it, or pass --outputs-file, or set "
            + ", ".join(ENV_VARS)
        )
    args = [exe, "stack", "output", "--json", "--show-secrets", "--stack", stack]
    failure = ""
    try:
        proc = run(args, cwd)
    except OSError as exc:
        failure = exc.strerror or type(exc).__name__
    except subprocess.TimeoutExpired as exc:
        failure = f"no answer within {exc.timeout:g}s"
    except subprocess.SubprocessError as exc:
        failure = type(exc).__name__
    if failure:
        # Raised outside the handler and without the exception's text: a TimeoutExpired holds
        # whatever the CLI printed so far, which with --show-secrets is the client secrets.
        raise StackConfigError(f"could not run {' '.join(args[1:])!r}: {failure}")
    if proc.returncode != 0:
        # stderr only: stdout of --show-secrets may hold the secrets, even on failure.
        last = proc.stderr.strip().splitlines()
        reason = last[-1] if last else f"exit status {proc.returncode}"
        raise StackConfigError(f"pulumi stack output for stack {stack!r} failed: {reason}")
    return parse_outputs(_json_object(proc.stdout, f"pulumi stack output for stack {stack!r}"))


def _json_object(text: str, source: str) -> dict[str, object]:
    problem = ""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = f"{exc.msg} at line {exc.lineno}"
    if problem:
        # Raised outside the handler: the JSONDecodeError keeps the whole text (client secrets
        # included) in its `doc` attribute and would otherwise travel along as __context__.
        raise StackConfigError(f"{source}: not valid JSON ({problem})")
    if not isinstance(data, dict):
        raise StackConfigError(f"{source}: expected a JSON object, got {type(data).__name__}")
    return data


def load_outputs(
    *,
    stack: str,
    cwd: Path,
    outputs_file: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> StackOutputs:
    """Pick the source: ``outputs_file`` if given, else ``M2M_*`` env vars if
    ``M2M_TOKEN_URL`` is set, else the Pulumi CLI for ``stack``.
    """
    environ = os.environ if env is None else env
    if outputs_file is not None:
        return load_outputs_file(outputs_file)
    if environ.get(ENV_TOKEN_URL):
        return load_from_env(environ)
    return load_from_pulumi(stack, cwd=cwd)
