"""A constructor failing anywhere in the components fails the run with its error, quickly.

Before the component package, the resource server waited on a deferred identifier the program
resolved once the API existed, and an exception that skipped the resolution hung the run
(https://github.com/pulumi/pulumi/issues/18559). The API component now owns its resource
server, so no deferred output is left; these cases keep proving that a failure after some
resources are registered (an app client, the account role, the nested API) ends the run with
that very error instead of leaving anything waiting.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A run takes well under a second; a hang is what the timeout catches.
TIMEOUT_SECONDS = 30


# Run in a child process: if the program regressed to hanging, only the child is stuck (and
# killed by the timeout), not the offline runner's lock every later test needs.
def _run_child(code: str, *args: str) -> str:
    """Run `code` in a fresh interpreter; its stdout if it exits 0, a test failure otherwise."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the run hung for {TIMEOUT_SECONDS} s instead of failing")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


_CHILD = """
import sys
{patch}
from offline_engine import run_program

def fail(*args, **kwargs):
    raise RuntimeError("failed on purpose")

{target}.__init__ = fail
try:
    run_program("dev", config_overrides={overrides}, preview={preview})
except RuntimeError as err:
    print(err)
    sys.exit(0)
sys.exit("the program did not fail")
"""

CASES = [
    # Raised after the pool, the API and its resource server are registered.
    pytest.param("import pulumi_aws as aws", "aws.cognito.UserPoolClient", {}, id="client"),
    pytest.param(
        "from secured_m2m_api import account_logging",
        "account_logging.ApiGatewayCloudWatchRole",
        {"manageApiGatewayAccount": True},
        id="account-role",
    ),
    pytest.param(
        "from secured_m2m_api import secured_api", "secured_api.SecuredRestApi", {}, id="api"
    ),
]


@pytest.mark.parametrize("preview", [False, True], ids=["up", "preview"])
@pytest.mark.parametrize(("patch", "target", "overrides"), CASES)
def test_a_failing_constructor_fails_the_run_with_its_error_instead_of_hanging(
    patch: str, target: str, overrides: dict[str, object], preview: bool
) -> None:
    child = _CHILD.format(patch=patch, target=target, overrides=overrides, preview=preview)
    assert _run_child(child) == "failed on purpose\n"
