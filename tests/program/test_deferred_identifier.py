"""A failure anywhere between the deferred identifier's creation and its resolution fails the run.

The resource server waits on a deferred identifier that the program resolves once the API
exists. An exception that skips the resolution would leave it waiting for ever and hide the
error, so each case injects one and expects that very error, quickly.
https://github.com/pulumi/pulumi/issues/18559
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
    # Raised after the resource server (which awaits the identifier) is registered.
    pytest.param(
        "import pulumi_aws as aws", "aws.cognito.UserPoolClient", {}, id="identity-client"
    ),
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


_FORGETFUL_PROGRAM = """
import pulumi_aws as aws
from program_support.deferred import deferred_output_block

with deferred_output_block(str) as (identifier, resolve):
    aws.cognito.ResourceServer("server", identifier=identifier, name="s", user_pool_id="pool")
"""

_CHILD_FORGETFUL = f"""
import sys
from pathlib import Path
from program_support.deferred import UnresolvedDeferredOutputError
from tests.components.component_projects import run_component_program

try:
    run_component_program(Path(sys.argv[1]), {_FORGETFUL_PROGRAM!r})
except UnresolvedDeferredOutputError as err:
    print(err)
    sys.exit(0)
sys.exit("the program did not fail")
"""


def test_a_block_that_never_resolves_fails_the_run_instead_of_hanging(tmp_path: Path) -> None:
    assert _run_child(_CHILD_FORGETFUL, str(tmp_path)) == (
        "the deferred output was never resolved\n"
    )
