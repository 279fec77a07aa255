"""`report.diff_sides`: a base of another `schemaVersion`, a git ref's report built in a worktree,
a new, removed or unbuildable stack."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from report.__main__ import main
from tests.report.diff_reports import (
    CODE,
    DEV,
    PLAIN,
    ROOT,
    consumer,
    git,
    op,
    report,
    write_report,
)


def test_an_older_base_report_is_not_comparable_and_says_so(tmp_path: Path, capsys) -> None:
    """A base from before `schemaVersion` (full scope strings, no scope source) is not read by
    guess: the diff says the base is not comparable and shows the head as added."""
    full = "https://abc.execute-api.eu-west-1.amazonaws.com/v1"
    old = {
        "stack": "dev",
        "resource_servers": [full],
        "operations": [{**op("GET", "/pets", [f"{full}/read"], ["a"]), "scope_source": None}],
        "consumers": [consumer("a", [f"{full}/read"], ["GET /pets"])],
        "verdicts": [],
    }
    new = report(
        [op("GET", "/pets", ["read"], ["a"])], [consumer("a", ["read"], ["GET /pets"])], []
    )
    base, head = write_report(tmp_path, "old.json", old), write_report(tmp_path, "new.json", new)
    assert main(["diff", base, head, "--fail-on-widening"]) == 3
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        "Access changes for stack 'dev' (old.json -> new.json)",
        "",
        "Base not comparable",
        "  The base report is not comparable (old.json: its schemaVersion is none; this code "
        "reads 1): what its fields mean is not guessed, so it is compared as an empty base and "
        "every operation and consumer reads as added. Review access in the head report itself.",
    ]
    assert "  + GET /pets: scopes read (operationScopes); callers: a" in out
    assert main(["diff", base, head, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "\n#### Base not comparable\n\nThe base report is not comparable (`old.json: its " in (
        markdown
    )
    assert main(["diff", base, head, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stack_change"] == "base not comparable"
    assert [w["kind"] for w in data["widening"]] == ["new operation", "new consumer"]


@pytest.mark.parametrize("version", [0, 2, "1", 1.0, None])
def test_a_base_of_any_other_version_is_not_comparable(
    tmp_path: Path, capsys, version: object
) -> None:
    other = {**PLAIN, "schemaVersion": version}
    base = write_report(tmp_path, "base.json", other)
    head = write_report(tmp_path, "head.json", PLAIN)
    assert main(["diff", base, head, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stack_change"] == "base not comparable"
    assert data["stack_change_reason"] == (
        f"base.json: its schemaVersion is {'none' if version is None else repr(version)}; "
        "this code reads 1"
    )
    # The head is this code's to read: another version there is bad input.
    assert main(["diff", head, base]) == 2
    assert "does not match the report schema (schemaVersion" in capsys.readouterr().err


def test_a_base_of_this_version_that_is_off_schema_stays_bad_input(tmp_path: Path, capsys) -> None:
    base = write_report(tmp_path, "base.json", {**PLAIN, "operations": [{"method": "GET"}]})
    head = write_report(tmp_path, "head.json", PLAIN)
    assert main(["diff", base, head]) == 2
    assert capsys.readouterr().err.startswith(f"error: {base}: not a report: does not match")


def _worktrees() -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "list"], capture_output=True, text=True, check=True
    ).stdout


def test_base_ref_builds_in_a_worktree_it_removes(capsys) -> None:
    before = _worktrees()
    assert main(["diff", "--base-ref", "HEAD", "--stack", "dev"]) == 0
    assert capsys.readouterr().out.strip() == "No change in access for stack 'dev'."
    assert _worktrees() == before
    assert main(["diff", "--base-ref", "no-such-ref-xyz"]) == 2
    assert capsys.readouterr().err.startswith("error: --base-ref 'no-such-ref-xyz':")
    assert _worktrees() == before


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository of the project (code linked): commit 1 has no program, only a stack
    file; commit 2 (HEAD) the program, a broken `dev` stack file and a `gone` stack file. The
    working tree then fixes `dev`, deletes `gone` and adds `new`. `report diff --base-ref`
    runs against it."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    shutil.copy(ROOT / "Pulumi.yaml", root / "Pulumi.yaml")
    good = yaml.safe_dump({"config": DEV})
    (root / "Pulumi.dev.yaml").write_text(good)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "no program yet")
    for name in CODE:
        (root / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "report", root / "report", ignore=shutil.ignore_patterns("__pycache__"))
    broken = {**DEV, "secured-m2m-api:deletionProtecton": True}
    (root / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": broken}))
    (root / "Pulumi.gone.yaml").write_text(good)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "program")
    (root / "Pulumi.dev.yaml").write_text(good)
    (root / "Pulumi.gone.yaml").unlink()
    (root / "Pulumi.new.yaml").write_text(good)
    monkeypatch.setattr("report.diff_cli.PROJECT_DIR", root)
    return root


def test_base_ref_new_stack_removed_stack_and_a_base_that_cannot_be_built(
    repo: Path, capsys
) -> None:
    assert main(["diff", "--base-ref", "HEAD", "--stack", "new"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "Access changes for stack 'new' (HEAD -> this checkout)",
        "New stack: the base has no Pulumi.new.yaml, so every operation and consumer reads as "
        "added.",
    ]
    assert "  + GET /pets: scopes read (operationScopes); callers: analytics, orders" in out

    assert main(["diff", "--base-ref", "HEAD", "--stack", "gone"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        "Stack removed: the head has no Pulumi.gone.yaml. Nothing in AWS changes until someone "
        "destroys the stack (pulumi destroy --stack gone); until then it keeps serving what "
        "reads as removed here."
    )
    assert "  - GET /pets: scopes read (operationScopes); callers were: analytics, orders" in out
    assert "Widens access" not in out

    # The base's stack file is broken: the pull request that fixes it must be able to pass.
    assert main(["diff", "--base-ref", "HEAD", "--stack", "dev", "--fail-on-widening"]) == 3
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(
        "The base could not be built ('HEAD': error: secured-m2m-api:deletionProtecton: unknown "
        "config key; did you mean 'deletionProtection'?"
    )
    assert out[1].endswith(
        "compared against an empty base, so every operation and consumer reads as added."
    )
    assert "PASSED: no new mandatory violation." in out

    # A base commit without the program.
    assert main(["diff", "--base-ref", "HEAD~1", "--stack", "dev"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        "The base could not be built ('HEAD~1' has no program or no report): compared against "
        "an empty base, so every operation and consumer reads as added."
    )

    assert main(["diff", "--base-ref", "HEAD", "--stack", "nowhere"]) == 2
    assert capsys.readouterr().err.startswith(
        "error: stack 'nowhere': Pulumi.nowhere.yaml not found"
    )


def test_a_base_ref_whose_code_writes_an_older_report_is_not_comparable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The ref's own code built its report (trusted, but of its time): an older format is said,
    not guessed at."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    shutil.copy(ROOT / "Pulumi.yaml", root / "Pulumi.yaml")
    (root / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": DEV}))
    (root / "__main__.py").write_text("# the base's program\n")
    (root / "report").mkdir()
    old = {"stack": "dev", "operations": [], "consumers": [], "verdicts": []}
    (root / "report" / "__main__.py").write_text(f"print({json.dumps(json.dumps(old))})\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "an old report")
    (root / "__main__.py").unlink()
    for name in CODE:
        if not (root / name).exists():
            (root / name).symlink_to(ROOT / name)
    monkeypatch.setattr("report.diff_cli.PROJECT_DIR", root)
    assert main(["diff", "--base-ref", "HEAD", "--stack", "dev", "--fail-on-widening"]) == 3
    out = capsys.readouterr().out.splitlines()
    assert out[2:4] == [
        "Base not comparable",
        "  The base report is not comparable (the report of 'HEAD': its schemaVersion is none; "
        "this code reads 1): what its fields mean is not guessed, so it is compared as an empty "
        "base and every operation and consumer reads as added. Review access in the head report "
        "itself.",
    ]
