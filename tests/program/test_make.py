"""The Makefile as a user drives it: on/off flags, `make help`, a report stdout can be piped.

Runs the real `make` (dry runs with `-n` where a target would reach the cloud). The
environment drops MAKEFLAGS/MAKELEVEL so a `make test` around this run changes nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="`make` is not installed")


def _make(
    *args: str, env: dict[str, str] | None = None, drop: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k not in drop}
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


MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
# Rule targets (`name:` or `name: prerequisites`, not `name :=`), and `?=` variables.
TARGETS = sorted(set(re.findall(r"^([a-z][a-z0-9_-]*)\s*:(?!=)", MAKEFILE, re.MULTILINE)))
VARIABLES = sorted(set(re.findall(r"^(?:export\s+)?([A-Z][A-Z0-9_]*)\s*\?=", MAKEFILE, re.M)))


def test_help_lists_every_target_and_every_variable() -> None:
    text = _make("help").stdout
    assert {"report-diff", "stack-select", "up", "bench-report"} <= set(TARGETS)
    assert {"BASE", "CREATE", "STACK", "PULUMI_BACKEND_URL", "PYTHON"} <= set(VARIABLES)
    for target in TARGETS:
        assert f"\n  {target} " in text, f"make help does not list the target {target}"
    for variable in VARIABLES:
        assert re.search(rf"^  {variable}\b", text, re.M), f"make help does not list {variable}"
    assert ".venv/bin/python -m report" in text  # the command that keeps exit codes 1 and 2


def test_the_minimum_python_is_the_one_the_project_declares() -> None:
    minimum = re.search(r"^MIN_PYTHON := (\d+)\.(\d+)$", MAKEFILE, re.M)
    assert minimum, "MIN_PYTHON is not set in the Makefile"
    major, minor = minimum.groups()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["ruff"]["target-version"] == f"py{major}{minor}"
    assert pyproject["tool"]["mypy"]["python_version"] == f"{major}.{minor}"
    assert f"Python {major}.{minor}" in (ROOT / "README.md").read_text(encoding="utf-8")


# --- the commands make runs name make's own command ---------------------------------------


def test_a_bad_report_argument_names_the_make_command() -> None:
    result = _make("report", "FORMAT=xml")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "error: argument --format: invalid choice: 'xml' (choose from 'table', 'markdown', "
        "'json') (see `make help`)"
    )


def test_report_diff_names_the_make_command() -> None:
    result = _make("report-diff", "FORMAT=xml")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "error: argument --format: invalid choice: 'xml' (choose from 'table', 'markdown', "
        "'json') (see `make help`)"
    )


def test_report_and_report_diff_take_the_same_format_words() -> None:
    # One word, `table`, for the plain-text form of both; make passes FORMAT as it is.
    dry_run = _make("-n", "report-diff", "FORMAT=table")
    assert "diff --base-ref 'main' --stack dev --format table" in dry_run.stdout, dry_run.stdout


def test_call_passes_the_make_command() -> None:
    dry_run = _make("-n", "call")
    assert "-m m2m_client --prog 'make call' call --stack dev" in dry_run.stdout, dry_run.stdout


def test_help_names_the_command_as_typed_when_run_directly() -> None:
    for module in ("report", "m2m_client"):
        result = subprocess.run(
            [sys.executable, "-m", module, "--help"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        # argparse wraps the usage after a long program name: a space or a line break follows.
        assert re.match(rf"usage: {re.escape(sys.executable)} -m {module}\s", result.stdout), (
            result.stdout
        )
    diff_help = subprocess.run(
        [sys.executable, "-m", "report", "diff", "--help"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    usage = rf"usage: {re.escape(sys.executable)} -m report diff\s"
    assert re.match(usage, diff_help.stdout), diff_help


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


# --- the venv's Python: refused when too old, rebuilt when another one built it ----------


def _fake_python(path: Path, version: str, log: Path) -> Path:
    """A stand-in interpreter: answers the Makefile's identity question, logs the rest.

    `-m venv DIR` copies itself to DIR/bin/python; `-m pip ...` only logs. Nothing is
    downloaded or installed, so the Makefile's decisions are what is tested.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "-c" ]; then echo "{version} /opt/python{version}/bin/python{version}"; '
        "exit 0; fi\n"
        f'echo "$0 $*" >> "{log}"\n'
        'if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; fi\n',
        encoding="utf-8",
    )
    path.chmod(0o755)
    return path


def _venv_make(tmp_path: Path, *args: str, path_first: Path | None = None):
    env = {k: v for k, v in os.environ.items() if k != "PYTHON"}
    if path_first is not None:
        env["PATH"] = f"{path_first}:{env['PATH']}"
    return _make("venv", f"VENV={tmp_path / 'venv'}", *args, env=env, drop=("PYTHON",))


def _built_venv(tmp_path: Path, version: str, log: Path) -> Path:
    """A venv as an earlier `make venv` left it, built by Python `version`."""
    venv = tmp_path / "venv"
    _fake_python(venv / "bin" / "python", version, log)
    (venv / ".installed").touch()
    return venv


def test_a_python_older_than_the_minimum_is_refused_before_a_venv_is_made(tmp_path: Path):
    log = tmp_path / "log"
    old = _fake_python(tmp_path / "bin" / "python3.10", "3.10", log)
    result = _venv_make(tmp_path, f"PYTHON={old}")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"error: PYTHON={old} is Python 3.10 /opt/python3.10/bin/python3.10; this project "
        "needs 3.11 or newer: install it and name it, e.g. make venv PYTHON=python3.11"
    )
    assert not (tmp_path / "venv").exists()
    assert not log.exists()  # no `-m venv`, no pip


def test_a_python_that_does_not_run_is_refused(tmp_path: Path):
    result = _venv_make(tmp_path, f"PYTHON={tmp_path / 'no-such-python'}")
    assert result.returncode == 2
    assert "does not run; install Python 3.11 or newer" in result.stderr
    assert not (tmp_path / "venv").exists()


def test_a_venv_built_by_another_python_than_the_one_given_is_rebuilt(tmp_path: Path):
    log = tmp_path / "log"
    venv = _built_venv(tmp_path, "3.12", log)
    python = _fake_python(tmp_path / "bin" / "python3.11", "3.11", log)
    result = _venv_make(tmp_path, f"PYTHON={python}")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"rebuilding {venv}: it was built by Python 3.12 /opt/python3.12/bin/python3.12, "
        f"PYTHON={python} is 3.11 /opt/python3.11/bin/python3.11"
    )
    assert log.read_text().splitlines() == [
        f"{python} -m venv {venv}",
        f"{venv}/bin/python -m pip install --quiet --disable-pip-version-check -c "
        "constraints.txt -r requirements-dev.txt",
    ]
    assert (venv / ".python").read_text() == "3.11 /opt/python3.11/bin/python3.11\n"
    # Built: the next run keeps it.
    log.unlink()
    again = _venv_make(tmp_path, f"PYTHON={python}")
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""
    assert not log.exists()


def test_a_venv_older_than_the_minimum_is_rebuilt_with_the_default_python(tmp_path: Path):
    # The 3.10 venv a failed run left behind is replaced by `python3` (here a stand-in 3.11).
    log = tmp_path / "log"
    venv = _built_venv(tmp_path, "3.10", log)
    _fake_python(tmp_path / "bin" / "python3", "3.11", log)
    result = _venv_make(tmp_path, path_first=tmp_path / "bin")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(
        f"rebuilding {venv}: it was built by Python 3.10 /opt/python3.10/bin/python3.10, older "
        "than 3.11\n"
    )
    assert log.read_text().splitlines()[0] == f"{tmp_path / 'bin' / 'python3'} -m venv {venv}"


def test_a_working_venv_is_kept_when_no_python_is_given(tmp_path: Path):
    # Built with PYTHON=python3.12 once; a later plain `make report` must not rebuild it with
    # whatever `python3` is.
    log = tmp_path / "log"
    venv = _built_venv(tmp_path, "3.12", log)
    _fake_python(tmp_path / "bin" / "python3", "3.11", log)
    result = _venv_make(tmp_path, path_first=tmp_path / "bin")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert not log.exists()
    assert (venv / ".python").read_text() == "3.12 /opt/python3.12/bin/python3.12\n"
