"""Ephemeral stack for the integration tests, and the skip that stands in when it cannot exist.

Every test marked ``integration`` is skipped before it runs, with a reason naming what is
missing (Pulumi CLI, AWS credentials or both), printed once in the summary, so a machine
without them reports SKIPPED, never a pass. When both exist, one stack per module is
created on a throw-away local file backend, deployed, and always destroyed and removed
afterwards.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from m2m_client.stack import StackOutputs, parse_outputs
from m2m_client.token import TokenClient, wait_for_token_endpoint

from .support import (
    manage_api_gateway_account,
    region,
    skip_reason,
    stack_config,
    unique_domain_prefix,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

# A new Cognito domain needs DNS to propagate; minutes, not seconds.
TOKEN_ENDPOINT_TIMEOUT = 600.0
API_READY_TIMEOUT = 120.0
HTTP_TIMEOUT = 30.0


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip every integration test under this folder when a prerequisite is missing.

    The skip is raised here rather than added as a marker: pytest's summary groups skips by
    the line that raised them, so the reason (which names every missing prerequisite and can
    be long) is printed once for the whole folder instead of once per test function.
    """
    if HERE not in item.path.resolve().parents or not item.get_closest_marker("integration"):
        return
    reason = _skip_reason_once()
    if reason is not None:
        pytest.skip(reason)


_SKIP_REASON: list[str | None] = []


def _skip_reason_once() -> str | None:
    """`skip_reason()`, computed once per session (it looks at PATH and the home folder)."""
    if not _SKIP_REASON:
        _SKIP_REASON.append(skip_reason())
    return _SKIP_REASON[0]


@dataclass
class DeployedStack:
    """The deployed stack's outputs plus cached token clients per (consumer, scopes)."""

    outputs: StackOutputs
    http: requests.Session = field(default_factory=requests.Session)
    _clients: dict[tuple[str, tuple[str, ...] | None], TokenClient] = field(default_factory=dict)

    def token(self, consumer: str, scopes: tuple[str, ...] | None = None) -> str:
        """Access token for ``consumer``; ``scopes`` are scope names, None for all."""
        key = (consumer, scopes)
        if key not in self._clients:
            creds = self.outputs.consumer(consumer)
            self._clients[key] = TokenClient(
                self.outputs.token_endpoint_url,
                creds.client_id,
                creds.client_secret,
                scopes=[self.outputs.scope(s) for s in scopes or ()],
                session=self.http,
            )
        return self._clients[key].get_token()

    def call(
        self, method: str, path: str, authorization: str | None, body: object | None = None
    ) -> requests.Response:
        headers = {} if authorization is None else {"Authorization": authorization}
        return self.http.request(
            method, self.outputs.url(path), headers=headers, json=body, timeout=HTTP_TIMEOUT
        )


def _wait_for_api(stack: DeployedStack) -> None:
    """Bounded wait until GET /pets with a valid token is no longer 403/5xx (stage just made)."""
    deadline = time.monotonic() + API_READY_TIMEOUT
    while True:
        status = stack.call("GET", "/pets", f"Bearer {stack.token('orders')}").status_code
        if status < 500 and status != 403:
            return
        if time.monotonic() > deadline:
            return  # let the tests fail with the real status
        time.sleep(5)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeployedStack]:
    """Create, deploy, yield, then always destroy and remove an ephemeral stack."""
    reason = skip_reason()
    if reason is not None:  # also guards tests that were not marked
        pytest.skip(reason)
    # Imported here: the Automation API is only needed when the tests really run.
    from pulumi import automation as auto

    backend = tmp_path_factory.mktemp("pulumi-backend")
    stack_name = f"it-{secrets.token_hex(4)}"
    settings_file = REPO_ROOT / f"Pulumi.{stack_name}.yaml"
    config = stack_config(
        unique_domain_prefix(),
        region(os.environ),
        manage_account=manage_api_gateway_account(os.environ),
    )
    env = {
        "PULUMI_BACKEND_URL": f"file://{backend}",
        "PULUMI_CONFIG_PASSPHRASE": secrets.token_urlsafe(24),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
    }
    opts = auto.LocalWorkspaceOptions(
        env_vars=env,
        secrets_provider="passphrase",
        # Structured values (consumers, scopes, operationScopes) are written as YAML, exactly
        # as in Pulumi.dev.yaml, which `pulumi config set` could only do key path by key path.
        stack_settings={stack_name: auto.StackSettings(config=config)},
    )
    stack: auto.Stack | None = None
    try:
        stack = auto.create_stack(stack_name, work_dir=str(REPO_ROOT), opts=opts)
        result = stack.up(on_output=print, color="never")
        outputs = parse_outputs({k: v.value for k, v in result.outputs.items()})
        deployed = DeployedStack(outputs)
        creds = outputs.consumer("orders")
        wait_for_token_endpoint(
            TokenClient(outputs.token_endpoint_url, creds.client_id, creds.client_secret),
            timeout=TOKEN_ENDPOINT_TIMEOUT,
            interval=10,
        )
        _wait_for_api(deployed)
        yield deployed
    finally:
        problems: list[str] = []
        if stack is not None:
            try:
                stack.destroy(on_output=print, color="never")
            except Exception as exc:
                # Keep what a manual destroy needs: the backend, the settings file (it holds
                # the passphrase salt) and the passphrase itself, which guards only this
                # throw-away stack.
                kept = backend / settings_file.name
                if settings_file.exists():
                    shutil.copy2(settings_file, kept)
                problems.append(
                    f"destroy of stack {stack_name} failed ({exc}); to clean up, copy {kept} "
                    f"to {REPO_ROOT} and run PULUMI_BACKEND_URL=file://{backend} "
                    f"PULUMI_CONFIG_PASSPHRASE={env['PULUMI_CONFIG_PASSPHRASE']} "
                    f"pulumi destroy --stack {stack_name}"
                )
            else:
                try:
                    stack.workspace.remove_stack(stack_name)
                except Exception as exc:
                    problems.append(f"remove_stack {stack_name} failed: {exc}")
        settings_file.unlink(missing_ok=True)
        if problems:
            pytest.fail("; ".join(problems))
