"""The Makefile as a user drives it: on/off flags, `make help`, a report stdout can be piped.

Runs the real `make` (dry runs with `-n` where a target would reach the cloud). The
environment drops MAKEFLAGS/MAKELEVEL so a `make test` around this run changes nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="`make` is not installed")


def _make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    clean.update(env or {})
    return subprocess.run(
        ["make", *args], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("value", ["", "0", "no", "NO", "false", "False", "off"])
@pytest.mark.parametrize("target", ["destroy", "up"])
def test_yes_is_off_for_the_usual_spellings_of_no(target: str, value: str) -> None:
    dry_run = _make("-n", target, f"YES={value}", "PULUMI=pulumi-stand-in")
    line = [ln for ln in dry_run.stdout.splitlines() if f"pulumi-stand-in {target}" in ln]
    assert line, dry_run.stdout + dry_run.stderr
    assert "--yes" not in line[0], f"YES={value!r} skips the prompt: {line[0]}"


@pytest.mark.parametrize("value", ["1", "yes", "true", "y"])
def test_yes_is_on_for_anything_else(value: str) -> None:
    dry_run = _make("-n", "destroy", f"YES={value}", "PULUMI=pulumi-stand-in")
    assert "pulumi-stand-in destroy --stack dev --yes" in dry_run.stdout, dry_run.stdout


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("no", False), ("1", True)])
def test_preview_flag_follows_the_same_rule(value: str, expected: bool) -> None:
    dry_run = _make("-n", "report", f"PREVIEW={value}")
    command = [ln for ln in dry_run.stdout.splitlines() if "-m report" in ln]
    assert command, dry_run.stdout
    assert ("--preview" in command[0]) is expected, command[0]


def test_help_lists_the_targets_and_variables() -> None:
    text = _make("help").stdout
    for target in ("report", "test", "up", "destroy", "call", "bench-report", "integration"):
        assert f"  {target} " in text, f"make help does not list {target}"
    for variable in ("STACK=", "FORMAT=", "PREVIEW=", "YES=", "CONSUMER=", "PULUMI_BACKEND_URL"):
        assert variable in text, f"make help does not list {variable}"
    assert ".venv/bin/python -m report" in text  # the command that keeps exit codes 1 and 2


def test_report_as_json_writes_only_json_to_stdout() -> None:
    result = _make("report", "FORMAT=json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # the first line used to be make's echo
    assert report["stack"] == "dev"


def test_report_as_markdown_starts_with_the_report_not_a_command() -> None:
    result = _make("report", "FORMAT=markdown")
    assert result.returncode == 0, result.stderr
    assert "-m report" not in result.stdout
    assert result.stdout.lstrip().startswith("#"), result.stdout[:200]


def test_integration_skip_reason_is_printed_once(tmp_path: Path) -> None:
    # No credentials can be found (empty HOME, no AWS_* variables), so every integration test
    # is skipped whatever the machine has: nothing is deployed.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "M2M_IT_"))}
    env["HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-m", "integration",
         "tests/integration"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert "AWS credentials not found" in result.stdout, result.stdout
    assert result.stdout.count("AWS credentials not found") == 1, result.stdout
    assert " passed" not in result.stdout.splitlines()[-1], result.stdout
