""".github/scripts/access_diff_comment.py: the trusted side's comment from a pull request's
reports, run as the workflow runs it (a base checkout, a downloaded artifact, GitHub's file list).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from report.render import report_to_dict
from report.run import build_report

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".github" / "scripts" / "access_diff_comment.py"
BASE_SHA = "a" * 40
HEAD_SHA = "b" * 40
RUN_URL = "https://github.com/o/r/actions/runs/1"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("access_diff_comment", SCRIPT)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


script = load_script()


@pytest.fixture(scope="module")
def dev() -> dict[str, Any]:
    return report_to_dict(build_report("dev"))


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A base checkout: the program with the dev stack (code linked, not copied)."""
    root = tmp_path / "base"
    root.mkdir()
    for name in ("__main__.py", "components", "api", "policies"):
        (root / name).symlink_to(ROOT / name)
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        shutil.copy(ROOT / name, root / name)
    return root


def run(
    base: Path, tmp_path: Path, reports: dict[str, Any], files: list[dict[str, Any]] | None = None
) -> tuple[str, str, str]:
    """Write the artifact and the file list, run the script; (comment, result, log)."""
    head = tmp_path / "head"
    (head / "reports").mkdir(parents=True, exist_ok=True)
    for stack, data in reports.items():
        path = head / "reports" / f"{stack}.json"
        path.write_text(data if isinstance(data, str) else json.dumps(data))
    listing = tmp_path / "files.json"
    listing.write_text(json.dumps(files or []))
    out = tmp_path / "out"
    argv = [
        "--head-dir",
        str(head),
        "--pr-files",
        str(listing),
        "--pr",
        "7",
        "--base-sha",
        BASE_SHA,
        "--head-sha",
        HEAD_SHA,
        "--run-url",
        RUN_URL,
        "--out",
        str(out),
        "--root",
        str(base),
    ]
    assert script.main(argv) == 0
    return (
        (out / "comment.md").read_text(),
        (out / "result").read_text().strip(),
        "",
    )


def test_an_unchanged_stack_passes(base, tmp_path, dev) -> None:
    comment, result, _ = run(base, tmp_path, {"dev": dev})
    assert result == "passed"
    assert comment.startswith(
        "<!-- access-diff -->\n## Access changes\n\n**PASSED: no new mandatory violation, and "
        "no access the base did not grant.**\n\nWhat the pull request's program would create"
    )
    assert "Rendered by the base branch's code" in comment
    assert "### Stack `dev`\n\nNo change in access for stack `dev`." in comment


def test_widening_asks_for_the_environment_approval(base, tmp_path, dev) -> None:
    head = json.loads(json.dumps(dev))
    head["consumers"][0]["scopes"].append("write")  # analytics now holds write
    comment, result, _ = run(base, tmp_path, {"dev": head})
    assert result == "widening"
    assert "**WIDENS ACCESS: a reviewer must approve before this pull request merges.**" in comment
    assert f"`access-widening` environment of [this run]({RUN_URL})" in comment
    assert "| consumer scope added | `analytics` | its tokens now carry: `write` |" in comment


def test_a_new_mandatory_violation_fails_before_widening(base, tmp_path, dev) -> None:
    head = json.loads(json.dumps(dev))
    head["consumers"][0]["scopes"].append("write")
    head["verdicts"].append(
        {"policy": "p", "enforcement_level": "mandatory", "urn": "u", "message": "open"}
    )
    head["mandatory_violations"], head["passed"] = 1, False
    comment, result, _ = run(base, tmp_path, {"dev": head})
    assert result == "failed"
    assert "**FAILED: a new mandatory violation; `pulumi up` would be blocked.**" in comment


def test_a_report_off_the_schema_is_an_error_that_names_the_fault(base, tmp_path, dev) -> None:
    head = {**dev, "extra": "[x](https://evil.example)"}
    comment, result, _ = run(base, tmp_path, {"dev": head})
    assert result == "error"
    assert "**ERROR:** the head report cannot be used: `" in comment
    assert "(schemaVersion 1): $: property 'extra' is not in the schema" in comment
    assert "](https://evil" not in comment.replace("`", "").split("cannot be used")[0]


def test_a_head_report_of_a_newer_version_asks_a_reviewer(base, tmp_path, dev) -> None:
    # The pull request changes the report's format: the base's code cannot read it, and does
    # not guess; a reviewer approves what the pull request's own report shows.
    head = {**dev, "schemaVersion": 2, "extra": "[x](https://evil.example)"}
    comment, result, _ = run(base, tmp_path, {"dev": head})
    assert result == "widening"
    assert (
        "### Stack `dev`\n\n#### Not comparable\n\n`the pull request's report: its "
        "schemaVersion is 2; this code reads 1`: this pull request changes the report's format"
    ) in comment
    assert "approves it as a widening" in comment
    assert "evil" not in comment


@pytest.mark.parametrize("version", [0, None, "1"])
def test_a_head_report_of_an_older_version_is_an_error_with_the_fix(
    base, tmp_path, dev, version
) -> None:
    head = {k: v for k, v in dev.items() if k != "schemaVersion"}
    if version is not None:
        head["schemaVersion"] = version
    comment, result, _ = run(base, tmp_path, {"dev": head})
    assert result == "error"
    shown = "none" if version is None else repr(version)
    assert f"`the pull request's report: its schemaVersion is {shown}; this code reads 1`" in (
        comment
    )
    assert "Update the pull request from its base branch (merge or rebase)" in comment


def test_a_stack_the_run_did_not_report_is_an_error(base, tmp_path) -> None:
    comment, result, _ = run(base, tmp_path, {})
    assert result == "error"
    assert "the pull request's run built no report for this stack" in comment


def test_a_report_for_another_stack_is_an_error(base, tmp_path, dev) -> None:
    comment, result, _ = run(base, tmp_path, {"dev": {**dev, "stack": "prod"}})
    assert result == "error"
    assert "the head report is of stack 'prod', not 'dev'" in comment


def test_a_symlinked_report_is_refused(base, tmp_path, dev) -> None:
    head = tmp_path / "head" / "reports"
    head.mkdir(parents=True)
    secret = tmp_path / "elsewhere.json"
    secret.write_text(json.dumps(dev))
    os.symlink(secret, head / "dev.json")
    comment, result, _ = run(base, tmp_path, {})
    assert result == "error"
    assert "the head report is not a regular file" in comment


def test_a_removed_stack_file_passes_and_says_so(base, tmp_path) -> None:
    files = [{"filename": "Pulumi.dev.yaml", "status": "removed"}]
    comment, result, _ = run(base, tmp_path, {}, files)
    assert result == "passed"
    assert "Stack file removed by this pull request" in comment


def test_a_new_stack_reads_as_all_added_and_widens(base, tmp_path, dev) -> None:
    files = [{"filename": "Pulumi.prod.yaml", "status": "added"}]
    comment, result, _ = run(base, tmp_path, {"dev": dev, "prod": {**dev, "stack": "prod"}}, files)
    assert result == "widening"
    assert "### Access changes: stack `prod`\n\nNew stack: the base has no such stack" in comment
    assert "| new operation | `GET /pets` | callers: `analytics`, `orders` |" in comment


def test_a_renamed_stack_file_is_removed_plus_new(base, tmp_path, dev) -> None:
    rename = {"status": "renamed", "previous_filename": "Pulumi.dev.yaml"}
    files = [{"filename": "Pulumi.staging.yaml", **rename}]
    comment, result, _ = run(base, tmp_path, {"staging": {**dev, "stack": "staging"}}, files)
    assert result == "widening"
    assert "### Stack `dev`\n\nStack file removed" in comment
    assert "### Access changes: stack `staging`\n\nNew stack" in comment


def test_a_report_the_run_adds_for_a_stack_the_head_lacks_is_ignored(base, tmp_path, dev) -> None:
    comment, result, _ = run(base, tmp_path, {"dev": dev, "ghost": {**dev, "stack": "ghost"}})
    assert result == "passed"
    assert "ghost" not in comment


def test_a_base_that_cannot_be_built_compares_with_an_empty_base(base, tmp_path, dev) -> None:
    (base / "Pulumi.dev.yaml").write_text("config: [not, a, mapping]\n")
    comment, result, _ = run(base, tmp_path, {"dev": dev})
    assert result == "widening"
    assert "The base's stack could not be built (`" in comment
    assert "compared with an empty base, so everything reads as added." in comment


def test_an_oversized_comment_keeps_a_summary_of_each_stack_left_out(
    base, tmp_path, dev, monkeypatch
) -> None:
    monkeypatch.setattr(script, "MAX_COMMENT", 1500)
    files = [{"filename": f"Pulumi.s{i}.yaml", "status": "added"} for i in range(3)]
    reports = {"dev": dev} | {f"s{i}": {**dev, "stack": f"s{i}"} for i in range(3)}
    comment, result, _ = run(base, tmp_path, reports, files)
    assert result == "widening"
    assert len(comment) < 2500
    assert "Left out (the comment's size limit; the run's log has each diff):" in comment
    assert "- Stack `s2`: 6 widening change(s), 0 new mandatory violation(s)." in comment
    assert comment.count("```") % 2 == 0  # no fence left open


@pytest.mark.parametrize(
    ("files", "stacks"),
    [
        ([], {"dev"}),
        ([{"filename": "Pulumi.dev.yaml", "status": "modified"}], {"dev"}),
        ([{"filename": "sub/Pulumi.x.yaml", "status": "added"}], {"dev"}),
        ([{"filename": "Pulumi.x.yaml", "status": "copied"}], {"dev", "x"}),
        ([{"filename": "Pulumi.yaml", "status": "modified"}], {"dev"}),
    ],
)
def test_head_stacks_follow_the_pull_requests_files(files, stacks) -> None:
    assert script.head_stacks({"dev"}, files) == stacks


def test_shas_must_be_commits(base, tmp_path) -> None:
    with pytest.raises(SystemExit):
        script.main(
            [
                "--head-dir",
                str(tmp_path),
                "--pr-files",
                str(tmp_path / "f.json"),
                "--pr",
                "1",
                "--base-sha",
                "main; rm -rf /",
                "--head-sha",
                HEAD_SHA,
                "--run-url",
                RUN_URL,
                "--out",
                str(tmp_path / "o"),
            ]
        )
