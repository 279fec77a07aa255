"""Broken stack files and unknown keys: one clear line, exit 2 from the report, no traceback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from offline_engine import StackFileError, new_monitor, run_program
from report.__main__ import main as report_main

ROOT = Path(__file__).resolve().parents[2]
DEV_CONFIG = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text(encoding="utf-8"))["config"]


def _project(tmp_path: Path, stack_text: str) -> Path:
    """A copy of the project (code linked) whose `broken` stack file holds `stack_text`."""
    for name in ("__main__.py", "components", "api", "policies", "Pulumi.yaml"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "Pulumi.broken.yaml").write_text(stack_text, encoding="utf-8")
    return tmp_path


BROKEN: list[tuple[str, str, str]] = [
    (
        "not-yaml",
        "config:\n  aws:region: eu-west-1\n  secured-m2m-api:scopes: {read: [unclosed\n",
        r"^Pulumi\.broken\.yaml:4:1: not valid YAML: ",
    ),
    (
        "bad-indentation",
        "config:\n  aws:region: eu-west-1\n    secured-m2m-api:stageName: v1\n",
        r"^Pulumi\.broken\.yaml:3:30: not valid YAML: mapping values are not allowed here$",
    ),
    (
        "not-a-mapping",
        "- config\n- aws:region\n",
        r"^Pulumi\.broken\.yaml:1:1: expected a mapping \(e\.g\. `config:` with one key per "
        r"line\), got a list$",
    ),
    (
        "config-not-a-mapping",
        "# dev\nconfig:\n  - aws:region: eu-west-1\n",
        r"^Pulumi\.broken\.yaml:3:3: `config` must be a mapping of key to value, got a list",
    ),
]


@pytest.mark.parametrize(("text", "message"), [pytest.param(t, m, id=i) for i, t, m in BROKEN])
def test_a_broken_stack_file_is_one_line_naming_file_line_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    project = _project(tmp_path, text)
    monkeypatch.chdir(project)  # the file is then named relative to the working directory
    monitor = new_monitor({})
    with pytest.raises(StackFileError, match=message):
        run_program("broken", project_dir=project, monitor=monitor)
    assert monitor.records == []


@pytest.mark.parametrize(("text", "message"), [pytest.param(t, m, id=i) for i, t, m in BROKEN])
def test_the_report_exits_2_with_that_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    message: str,
) -> None:
    project = _project(tmp_path, text)
    monkeypatch.chdir(project)
    assert report_main(["--stack", "broken", "--project-dir", str(project)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error: Pulumi.broken.yaml:"), err
    assert "Traceback" not in err


def test_the_report_exits_2_on_a_misspelled_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = {**DEV_CONFIG, "secured-m2m-api:deletionProtecton": True}
    project = _project(tmp_path, yaml.safe_dump({"config": config}))
    assert report_main(["--stack", "broken", "--project-dir", str(project)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "error: secured-m2m-api:deletionProtecton: unknown config key; did you mean "
        "'deletionProtection'? Known keys: domainPrefix, specPath, stageName, scopes, "
        "operationScopes, consumers, accessTokenValidityMinutes, resourceServerIdentifier, "
        "deletionProtection, manageApiGatewayAccount, logRetentionDays, throttlingRateLimit, "
        "throttlingBurstLimit, securityPolicy, endpointAccessMode, withholdTokenFromHosts, "
        "executionLogGroupImport (declared in Pulumi.yaml)\n"
    )


def test_a_wrong_typed_value_names_the_value_and_the_accepted_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = {**DEV_CONFIG, "secured-m2m-api:accessTokenValidityMinutes": "sixty"}
    project = _project(tmp_path, yaml.safe_dump({"config": config}))
    assert report_main(["--stack", "broken", "--project-dir", str(project)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "error: Stack 'broken' with configuration key 'accessTokenValidityMinutes' must be of "
        "type 'integer'; got 'sixty' (Access-token lifetime in minutes, 5 to 1440 (1 day).)\n"
    )


# --- what the Pulumi CLI refuses, and what it would pass on without a word -------------------

DUPLICATES = (
    "config:\n"
    "  aws:region: eu-west-1\n"
    "  secured-m2m-api:domainPrefix: m2m-dup\n"
    "  secured-m2m-api:deletionProtection: true\n"
    "  secured-m2m-api:scopes:\n"
    "    read: Read pets\n"
    "    read: Read everything\n"
    "  secured-m2m-api:deletionProtection: false\n"
)


def test_duplicate_keys_get_the_pulumi_clis_message(tmp_path: Path) -> None:
    # The CLI reads stack files with gopkg.in/yaml.v3, which refuses a key written twice;
    # PyYAML would silently keep the last value (here: deletion protection off). yaml.v3
    # stops at the mapping it refuses, so the duplicate scope below it is not named yet.
    project = _project(tmp_path, DUPLICATES)
    monitor = new_monitor({})
    with pytest.raises(StackFileError) as raised:
        run_program("broken", project_dir=project, monitor=monitor)
    assert str(raised.value) == (
        f"{project / 'Pulumi.broken.yaml'}:8:3: yaml: unmarshal errors: line 8: mapping key "
        '"secured-m2m-api:deletionProtection" already defined at line 4'
    )
    assert monitor.records == []
    # With that fixed, the next run names the one below.
    fixed = DUPLICATES.replace("  secured-m2m-api:deletionProtection: false\n", "")
    (project / "Pulumi.broken.yaml").write_text(fixed, encoding="utf-8")
    with pytest.raises(StackFileError, match=r':7:5: yaml: unmarshal errors: line 7: mapping '
                       r'key "read" already defined at line 6$'):  # fmt: skip
        run_program("broken", project_dir=project)


def test_a_key_written_three_times_is_reported_as_the_cli_pairs_them(tmp_path: Path) -> None:
    text = "config:\n  aws:region: a\n  aws:region: b\n  aws:region: c\n  x:y: 1\n  x:y: 2\n"
    project = _project(tmp_path, text)
    with pytest.raises(StackFileError) as raised:
        run_program("broken", project_dir=project)
    assert str(raised.value).endswith(
        ':3:3: yaml: unmarshal errors: line 3: mapping key "aws:region" already defined at '
        'line 2; line 4: mapping key "aws:region" already defined at line 2; line 4: mapping '
        'key "aws:region" already defined at line 3; and 1 more'
    )


def test_the_report_exits_2_on_duplicate_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, DUPLICATES)
    monkeypatch.chdir(project)
    assert report_main(["--stack", "broken", "--project-dir", str(project)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error: Pulumi.broken.yaml:8:3: yaml: unmarshal errors: line 8: ")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            {"secured-m2m-apii:deletionProtection": True},
            "error: secured-m2m-apii:deletionProtection: unknown namespace 'secured-m2m-apii'; "
            "did you mean 'secured-m2m-api:deletionProtection'? ",
            id="namespace-one-letter-off",
        ),
        pytest.param(
            {"aws:region": None, "aws:regoin": "eu-west-1"},
            "error: aws:regoin: not a config key of the aws provider (pulumi-aws ",
            id="misspelt-aws-key",
        ),
        pytest.param(
            {"aws:region": "eu-west-9"},
            "error: aws:region: 'eu-west-9' is not an AWS region (pulumi-aws ",
            id="unknown-region",
        ),
        pytest.param(
            {"aws:region": None},
            "error: aws:region: not set; set the stack's region",
            id="no-region",
        ),
    ],
)
def test_a_key_the_cli_would_pass_on_silently_is_refused_before_any_resource(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, object],
    message: str,
) -> None:
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(variable, raising=False)
    config = {**DEV_CONFIG, **change}
    config = {k: v for k, v in config.items() if v is not None}
    project = _project(tmp_path, yaml.safe_dump({"config": config}))
    assert report_main(["--stack", "broken", "--project-dir", str(project)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith(message), err
    monitor = new_monitor({})
    with pytest.raises(ValueError, match=re.escape(message.removeprefix("error: "))):
        run_program("broken", project_dir=project, monitor=monitor)
    assert monitor.records == []


def test_the_region_may_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    config = {k: v for k, v in DEV_CONFIG.items() if k != "aws:region"}
    project = _project(tmp_path, yaml.safe_dump({"config": config}))
    stack = run_program("broken", project_dir=project)
    assert ":eu-central-1:" in stack.one("aws:cognito/userPool:UserPool").outputs["arn"]


# Stacks a team adds next to dev, the names that sort before and after it.
TEAM_STACKS = ("staging", "ci", "beta", "demo", "prod")
# Tests that look at the project's stack files (the report's stack listing and lookup).
STACK_FILE_TESTS = ("tests/report/test_report_cli.py", "tests/program/test_stack_files.py")


def test_the_stack_file_tests_pass_with_a_teams_stack_files_in_the_repository(
    tmp_path: Path,
) -> None:
    # A copy of the repository with the team's stack files added (the way the README adds
    # staging), so that the real checkout is never changed while other tests run.
    copy = tmp_path / "repo"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", ".pulumi-state", "__pycache__", ".*_cache", ".hypothesis"
        ),
    )
    for stack in TEAM_STACKS:
        shutil.copy(ROOT / "Pulumi.dev.yaml", copy / f"Pulumi.{stack}.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *STACK_FILE_TESTS,
         "-k", "not with_a_teams_stack_files"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
