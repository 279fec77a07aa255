"""`make preview`, `up`, `destroy` and `report` against a project of stacks of its own: the stack
must exist, a passphrase only where it is needed, make's own variable in the hint.

Runs the real `make` with a stand-in `pulumi` that records its arguments. The environment drops
MAKEFLAGS/MAKELEVEL so a `make test` around this run changes nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="`make` is not installed")


# --- preview, up, destroy: the stack must exist, a passphrase only where it is needed ----
# Run with a stand-in `pulumi` that records its arguments, in a project of its own (the
# repository's stack files stay out of it).

SALT = "v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
KMS = "awskms://alias/pulumi-secrets?region=eu-west-1"
NO_PASSPHRASE = ("PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE", "PYTHON")


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k not in
            NO_PASSPHRASE}  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """This project (code linked) without its stack files, and a fake `pulumi` beside it."""
    folder = tmp_path / "project"
    folder.mkdir()
    for entry in ROOT.iterdir():
        if not re.fullmatch(r"Pulumi\..+\.yaml|\.venv|\.git|\.pulumi-state|\..*_cache", entry.name):
            (folder / entry.name).symlink_to(entry)
    fake = tmp_path / "bin" / "pulumi"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        'echo "$*" >> "$FAKE_PULUMI_LOG"\n'
        'case "$*" in\n'
        '  "stack ls --json") cat "$FAKE_PULUMI_STACKS" ;;\n'
        '  "whoami --json") echo "{\\"user\\": \\"me\\", \\"url\\": \\"$FAKE_PULUMI_URL\\"}" ;;\n'
        "esac\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    return folder


def _stack_file(project: Path, stack: str, **settings: str) -> None:
    text = "".join(f"{key}: {value}\n" for key, value in settings.items())
    (project / f"Pulumi.{stack}.yaml").write_text(
        text + "config:\n  aws:region: eu-west-1\n", encoding="utf-8"
    )


def _deploy(
    project: Path, target: str, *args: str, stacks: tuple[str, ...] = ("dev",),
    backend: str | None = None, env: dict[str, str] | None = None,
) -> tuple[subprocess.CompletedProcess[str], list[str]]:  # fmt: skip
    """`make <target>` in `project` with the fake CLI; its result and the CLI calls made."""
    log = project.parent / "pulumi.log"
    log.unlink(missing_ok=True)
    listing = project.parent / "stacks.json"
    listing.write_text(json.dumps([{"name": s, "current": False} for s in stacks]))
    state = f"file://{project.parent / 'state'}" if backend is None else backend
    clean = _clean_env()
    clean.update(
        FAKE_PULUMI_LOG=str(log), FAKE_PULUMI_STACKS=str(listing),
        FAKE_PULUMI_URL="https://api.pulumi.com", PULUMI_BACKEND_URL=state, **(env or {}),
    )  # fmt: skip
    result = subprocess.run(
        ["make", target, f"VENV={ROOT / '.venv'}", f"PULUMI={project.parent / 'bin' / 'pulumi'}",
         *args],
        cwd=project, env=clean, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return result, log.read_text().splitlines() if log.exists() else []


def test_a_passphrase_stack_needs_the_passphrase(project: Path) -> None:
    _stack_file(project, "dev", encryptionsalt=SALT)
    result, calls = _deploy(project, "preview")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "error: stack 'dev' encrypts its secrets with a passphrase (Pulumi.dev.yaml: "
        "encryptionsalt); export PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE first"
    )
    assert calls == ["stack ls --json"]  # nothing selected, nothing previewed
    result, calls = _deploy(project, "preview", env={"PULUMI_CONFIG_PASSPHRASE": "s3cret"})
    assert result.returncode == 0, result.stderr
    assert calls == [
        "stack ls --json",
        "stack select dev",
        "preview --stack dev --diff --policy-pack policies",
    ]


def test_an_empty_passphrase_is_a_passphrase(project: Path) -> None:
    # The CLI takes PULUMI_CONFIG_PASSPHRASE when it is set, even to "".
    _stack_file(project, "dev", encryptionsalt=SALT)
    result, _ = _deploy(project, "preview", env={"PULUMI_CONFIG_PASSPHRASE": ""})
    assert result.returncode == 0, result.stderr


def test_a_kms_stack_needs_no_passphrase(project: Path) -> None:
    _stack_file(project, "dev", secretsprovider=KMS, encryptedkey="AQICAHh4")
    result, calls = _deploy(project, "up", "YES=1")
    assert result.returncode == 0, result.stderr
    assert calls == [
        "stack ls --json",
        "stack select dev",
        "up --stack dev --policy-pack policies --yes",
    ]


@pytest.mark.parametrize("backend", ["https://api.pulumi.com", ""])
def test_a_pulumi_cloud_stack_needs_no_passphrase(project: Path, backend: str) -> None:
    # An empty PULUMI_BACKEND_URL means the backend `pulumi login` chose (`pulumi whoami`).
    _stack_file(project, "dev")
    result, calls = _deploy(project, "preview", backend=backend)
    assert result.returncode == 0, result.stderr
    assert calls[-2:] == ["stack select dev", "preview --stack dev --diff --policy-pack policies"]
    assert ("whoami --json" in calls) is (backend == "")


def test_a_self_managed_stack_without_settings_needs_the_passphrase(project: Path) -> None:
    _stack_file(project, "dev")
    result, _ = _deploy(project, "up", backend="s3://bucket/state")
    assert result.returncode == 2
    assert "(the default of the self-managed backend s3://bucket/state)" in result.stderr


def test_a_stack_that_does_not_exist_is_refused(project: Path) -> None:
    _stack_file(project, "dev", encryptionsalt=SALT)
    result, calls = _deploy(project, "up", "STACK=stagign", stacks=("dev", "staging"))
    assert result.returncode == 2
    state = project.parent / "state"
    assert result.stderr.splitlines()[0] == (
        f"error: stack 'stagign' does not exist in the backend file://{state} (its stacks: dev, "
        "staging); check the name, or create it with `make up STACK=stagign CREATE=1` after "
        "writing Pulumi.stagign.yaml (copy Pulumi.dev.yaml; docs/operations.md: Deploying a stack)"
    )
    assert calls == ["stack ls --json"]


@pytest.mark.parametrize(
    ("settings", "args", "env", "init"),
    [
        ({"encryptionsalt": SALT}, (), {"PULUMI_CONFIG_PASSPHRASE": "x"},
         "stack init staging --secrets-provider passphrase"),
        ({}, (), {"PULUMI_CONFIG_PASSPHRASE": "x"}, "stack init staging"),
        ({}, (f"SECRETS_PROVIDER={KMS}",), {}, f"stack init staging --secrets-provider {KMS}"),
        ({"secretsprovider": KMS, "encryptedkey": "AQICAHh4"}, (), {},
         f"stack init staging --secrets-provider {KMS}"),
    ],
)  # fmt: skip
def test_create_makes_the_stack_with_the_right_secrets_provider(
    project: Path, settings: dict[str, str], args: tuple[str, ...], env: dict[str, str], init: str
) -> None:
    _stack_file(project, "staging", **settings)
    result, calls = _deploy(project, "up", "STACK=staging", "CREATE=1", *args, env=env)
    assert result.returncode == 0, result.stderr
    assert calls == ["stack ls --json", init, "up --stack staging --policy-pack policies"]


def test_create_on_a_passphrase_backend_still_needs_the_passphrase(project: Path) -> None:
    _stack_file(project, "staging")
    result, calls = _deploy(project, "preview", "STACK=staging", "CREATE=1")
    assert result.returncode == 2
    assert "stack 'staging' will encrypt its secrets with a passphrase" in result.stderr
    assert calls == ["stack ls --json"]


def test_destroy_never_creates(project: Path) -> None:
    result, calls = _deploy(project, "destroy", "STACK=gone", "CREATE=1")
    assert result.returncode == 2
    assert "stack 'gone' does not exist in the backend" in result.stderr
    assert calls == ["stack ls --json"]


def test_duplicate_keys_in_the_stack_file_stop_before_the_cli(project: Path) -> None:
    (project / "Pulumi.dev.yaml").write_text("config:\n  aws:region: a\n  aws:region: b\n")
    result, calls = _deploy(project, "preview", env={"PULUMI_CONFIG_PASSPHRASE": "x"})
    assert result.returncode == 2
    assert 'mapping key "aws:region" already defined at line 2' in result.stderr
    assert calls == []


def test_a_missing_cli_is_named(project: Path) -> None:
    _stack_file(project, "dev")
    result, _ = _deploy(project, "preview", "PULUMI=no-such-pulumi")
    assert result.returncode == 2
    assert "the Pulumi CLI ('no-such-pulumi') is not installed or not on PATH" in result.stderr


def test_a_missing_stack_names_make_s_variable(project: Path) -> None:
    # The report reads the stacks of the folder its code is in: a copy, not a link.
    (project / "report").unlink()
    shutil.copytree(
        ROOT / "report", project / "report", ignore=shutil.ignore_patterns("__pycache__")
    )
    _stack_file(project, "dev")
    _stack_file(project, "prod")
    result = subprocess.run(
        ["make", "report", "STACK=stagign", f"VENV={ROOT / '.venv'}"],
        cwd=project, env=_clean_env(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"error: stack 'stagign': Pulumi.stagign.yaml not found in {project}; "
        "known stacks: dev, prod (STACK=<name>)"
    )
