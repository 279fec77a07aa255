"""The GitHub workflows parse, and everything they name exists: make targets, paths, stacks."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO_ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
PULUMI_ACTION = "pulumi/actions@"
AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials@"
# `uses: owner/repo[/path]@<40-hex commit> # vX.Y.Z`: a tag can be moved, a commit cannot.
PINNED_USES = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")
ZIZMOR_IGNORE = re.compile(r"# zizmor: ignore\[([a-z-]+)\](.*)$", re.MULTILINE)


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def triggers(workflow: dict[Any, Any]) -> dict[Any, Any]:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), f"no `on:` triggers: {on!r}"
    return on


def steps(workflow: dict[Any, Any]) -> Iterator[tuple[str, dict[Any, Any]]]:
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def is_pulumi_action(step: dict[Any, Any]) -> bool:
    return str(step.get("uses", "")).startswith(PULUMI_ACTION)


def pulumi_steps(workflow: dict[Any, Any]) -> list[dict[Any, Any]]:
    return [s for _, s in steps(workflow) if is_pulumi_action(s)]


def makefile_targets() -> set[str]:
    text = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    # `name: deps` at the start of a line, but not `VAR := value` or `.PHONY:`.
    return {
        m.group(1) for m in re.finditer(r"^([A-Za-z0-9_-]+)\s*:(?!=)", text, flags=re.MULTILINE)
    }


def make_targets_in(script: str) -> list[str]:
    found: list[str] = []
    for line in script.splitlines():
        for part in re.split(r"&&|\|\||;", line):
            if not re.match(r"\s*make\b", part):
                continue  # only make commands matter; other shell may not split cleanly
            words = shlex.split(part, comments=True)
            if words[:1] == ["make"]:
                found.extend(w for w in words[1:] if not w.startswith("-") and "=" not in w)
    return found


def test_there_are_the_four_workflows() -> None:
    assert {p.name for p in WORKFLOW_FILES} >= {
        "test.yml",
        "preview.yml",
        "deploy.yml",
        "policy-publish.yml",
    }


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_is_well_formed(path: Path) -> None:
    wf = load(path)
    assert wf.get("name"), f"{path.name}: no name"
    assert triggers(wf), f"{path.name}: no triggers"
    assert wf.get("jobs"), f"{path.name}: no jobs"
    for job_name, job in wf["jobs"].items():
        assert "runs-on" in job or "uses" in job, f"{path.name}: job {job_name} has no runs-on"
        for step in job.get("steps", []):
            assert ("run" in step) != ("uses" in step), f"{path.name}/{job_name}: {step}"
            if "uses" in step and not step["uses"].startswith("./"):
                assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", step["uses"]), (
                    f"{path.name}/{job_name}: {step['uses']} is not pinned to a commit"
                )


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_make_targets_exist(path: Path) -> None:
    targets = makefile_targets()
    for job_name, step in steps(load(path)):
        for target in make_targets_in(step.get("run", "")):
            assert target in targets, (
                f"{path.name}/{job_name}: `make {target}` is not in the Makefile"
            )


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_referenced_paths_exist(path: Path) -> None:
    wf = load(path)
    for job_name, job in wf["jobs"].items():
        if "uses" in job:  # reusable workflow
            called = REPO_ROOT / job["uses"]
            assert called.is_file(), f"{path.name}/{job_name}: {job['uses']} does not exist"
            assert "workflow_call" in triggers(load(called)), f"{called.name}: not callable"
            declared = triggers(load(called))["workflow_call"] or {}
            for name in job.get("with", {}):
                assert name in (declared.get("inputs") or {}), (
                    f"{path.name}/{job_name}: {called.name} has no input {name!r}"
                )
    for job_name, step in steps(wf):
        where = f"{path.name}/{job_name}"
        if "working-directory" in step:
            assert (REPO_ROOT / step["working-directory"]).is_dir(), where
        inputs = step.get("with", {})
        for dep in str(inputs.get("cache-dependency-path", "")).split():
            assert (REPO_ROOT / dep).is_file(), f"{where}: cache-dependency-path {dep} missing"
        if "policyPacks" in inputs:
            pack = REPO_ROOT / inputs["policyPacks"]
            assert (pack / "PulumiPolicy.yaml").is_file(), f"{where}: {pack} is not a pack"


def test_push_runs_make_test() -> None:
    wf = load(WORKFLOWS / "test.yml")
    assert "push" in triggers(wf)
    assert "workflow_call" in triggers(wf)
    runs = [s.get("run", "") for _, s in steps(wf)]
    assert "make test" in runs
    setup = [s for _, s in steps(wf) if s.get("uses", "").startswith("actions/setup-python@")]
    assert setup
    assert all(s["with"]["python-version"] == "3.11" for s in setup)


def test_pull_request_previews_every_stack_with_the_policy_pack_and_comments() -> None:
    wf = load(WORKFLOWS / "preview.yml")
    assert "pull_request" in triggers(wf)
    assert wf["jobs"]["preview"]["permissions"]["pull-requests"] == "write"
    (step,) = pulumi_steps(wf)
    inputs = step["with"]
    assert inputs["command"] == "preview"
    assert inputs["policyPacks"] == "policies"
    assert inputs["comment-on-pr"] is True
    assert inputs["stack-name"] == "${{ matrix.stack }}"
    assert "matrix.stack" not in str(wf["jobs"]["stacks"])


def test_main_deploys_with_up_after_the_tests() -> None:
    wf = load(WORKFLOWS / "deploy.yml")
    assert triggers(wf)["push"]["branches"] == ["main"]
    assert wf["concurrency"]["cancel-in-progress"] is False
    up = wf["jobs"]["up"]
    assert "test" in up["needs"]
    assert up["strategy"]["max-parallel"] == 1
    (step,) = pulumi_steps(wf)
    assert step["with"]["command"] == "up"
    assert step["with"]["policyPacks"] == "policies"


def test_policy_tag_publishes_the_pack() -> None:
    wf = load(WORKFLOWS / "policy-publish.yml")
    assert triggers(wf)["push"]["tags"] == ["policy-v*"]
    (install,) = pulumi_steps(wf)
    assert "command" not in install["with"]  # install the CLI only
    publish = [s for _, s in steps(wf) if "pulumi policy publish" in s.get("run", "")]
    assert len(publish) == 1
    assert publish[0]["working-directory"] == "policies"


@pytest.mark.parametrize("name", ["preview.yml", "deploy.yml"])
def test_stack_list_is_derived_from_committed_stack_files(name: str) -> None:
    script = load(WORKFLOWS / name)["jobs"]["stacks"]["steps"][-1]["run"]
    assert "Pulumi.*.yaml" in script
    stacks = sorted(p.name for p in REPO_ROOT.glob("Pulumi.*.yaml"))
    # The integration tests create Pulumi.it-*.yaml and remove it; never commit one.
    assert not [s for s in stacks if s.startswith("Pulumi.it-")], stacks


def test_make_target_parser_reads_commands() -> None:
    assert make_targets_in("make venv && make test -j2 STACK=dev") == ["venv", "test"]
    assert make_targets_in("echo make # not a command\nmake lint") == ["lint"]


# --- supply chain: what zizmor checks, stated as the rules we keep -------------------------


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit_with_the_version_in_a_comment(path: Path) -> None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(r"^\s*(- )?uses: ", line) and "uses: ./" not in line:
            assert PINNED_USES.match(line), (
                f"{path.name}:{number}: expected 'uses: owner/repo@<commit sha> # vX.Y.Z', "
                f"got {line.strip()!r}"
            )


def test_one_version_per_pinned_commit() -> None:
    versions: dict[tuple[str, str], set[str]] = {}
    commits: dict[tuple[str, str], set[str]] = {}
    for path in WORKFLOW_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := PINNED_USES.match(line):
                action, sha, version = m.groups()
                versions.setdefault((action, sha), set()).add(version)
                commits.setdefault((action, version), set()).add(sha)
    assert versions
    assert all(len(v) == 1 for v in versions.values()), versions
    assert all(len(c) == 1 for c in commits.values()), commits


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkouts_do_not_persist_credentials(path: Path) -> None:
    for job_name, step in steps(load(path)):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, (
                f"{path.name}/{job_name}: checkout without persist-credentials: false"
            )


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_level_permissions_are_read_only(path: Path) -> None:
    assert load(path)["permissions"] == {"contents": "read"}, path.name


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_id_token_write_only_in_jobs_that_assume_the_aws_role(path: Path) -> None:
    for job_name, job in load(path)["jobs"].items():
        assumes_role = any(
            str(s.get("uses", "")).startswith(AWS_CREDENTIALS_ACTION) for s in job.get("steps", [])
        )
        id_token = (job.get("permissions") or {}).get("id-token")
        assert (id_token == "write") == assumes_role, (
            f"{path.name}/{job_name}: id-token {id_token!r}, assumes the AWS role: {assumes_role}"
        )


@pytest.mark.parametrize("name", ["deploy.yml", "policy-publish.yml"])
def test_no_dependency_cache_on_the_deploy_and_publish_paths(name: str) -> None:
    wf = load(WORKFLOWS / name)
    for job_name, step in steps(wf):
        inputs = step.get("with", {})
        assert "cache" not in inputs, f"{name}/{job_name}: {step['uses']} restores a cache"
        assert not str(step.get("uses", "")).startswith("actions/cache"), f"{name}/{job_name}"
    for job_name, job in wf["jobs"].items():
        if job.get("uses") == "./.github/workflows/test.yml":
            assert job.get("with", {}).get("no_pip_cache") is True, f"{name}/{job_name}"


def test_test_workflow_skips_its_cache_when_asked() -> None:
    wf = load(WORKFLOWS / "test.yml")
    no_cache = triggers(wf)["workflow_call"]["inputs"]["no_pip_cache"]
    assert no_cache == {
        "description": no_cache["description"],
        "type": "boolean",
        "default": False,
    }
    caches = [s["with"]["cache"] for _, s in steps(wf) if "cache" in s.get("with", {})]
    # `cond && '' || 'pip'` would always give 'pip' (zizmor: unsound-ternary).
    assert caches == ["${{ !inputs.no_pip_cache && 'pip' || '' }}"]


def zizmor_findings() -> list[dict[str, Any]]:
    exe = Path(sys.executable).parent / "zizmor"
    assert exe.is_file(), f"{exe} missing: run `make venv` (zizmor is pinned in requirements-dev)"
    proc = subprocess.run(
        [str(exe), "--offline", "--format", "json", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    findings = json.loads(proc.stdout)
    assert isinstance(findings, list), proc.stderr
    return findings


def test_zizmor_finds_nothing_above_informational() -> None:
    above = [
        f"{f['ident']} ({f['determinations']['severity']}): "
        f"{f['locations'][0]['symbolic']['key']['Local']['verbatim_path']}"
        for f in zizmor_findings()
        if f["determinations"]["severity"] not in ("Informational", "Unknown")
    ]
    assert above == []


def test_every_zizmor_ignore_says_why_and_the_readme_explains_it() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    ignores = [
        (path.name, m.group(1), m.group(2).strip())
        for path in WORKFLOW_FILES
        for m in ZIZMOR_IGNORE.finditer(path.read_text(encoding="utf-8"))
    ]
    for name, audit, reason in ignores:
        assert reason, f"{name}: zizmor: ignore[{audit}] without a reason after it"
        assert f"`{audit}`" in readme, f"README does not explain the {audit} exception ({name})"


# --- the access diff on pull requests: built read-only, posted by a job that runs no PR code ---

ACCESS_DIFF = WORKFLOWS / "access-diff.yml"
ACCESS_DIFF_COMMENT = WORKFLOWS / "access-diff-comment.yml"


def test_access_diff_builds_every_stack_read_only_and_uploads_the_comment() -> None:
    wf = load(ACCESS_DIFF)
    assert set(triggers(wf)) == {"pull_request"}  # never pull_request_target
    (job,) = wf["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    text = ACCESS_DIFF.read_text(encoding="utf-8")
    assert "secrets." not in text, "no secret reaches the pull request's code"
    assert "configure-aws-credentials" not in text
    assert PULUMI_ACTION not in text
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base commit for the worktree
    diff_step = next(s for s in job["steps"] if "report diff" in s.get("run", ""))
    assert "for file in Pulumi.*.yaml" in diff_step["run"]
    assert '--base-ref "$BASE_SHA"' in diff_step["run"]
    assert diff_step["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-"))
    assert upload["with"]["name"] == "access-diff"
    assert "access-diff/comment.md" in upload["with"]["path"]
    # The check fails after the upload, so a failing diff is still posted.
    assert job["steps"].index(upload) < len(job["steps"]) - 1
    assert "grep" in job["steps"][-1]["run"]


def test_access_diff_comment_runs_nothing_from_the_pull_request() -> None:
    wf = load(ACCESS_DIFF_COMMENT)
    run = triggers(wf)["workflow_run"]
    assert run["workflows"] == [load(ACCESS_DIFF)["name"]]
    assert run["types"] == ["completed"]
    (job,) = wf["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert "github.event.workflow_run.event == 'pull_request'" in job["if"]
    assert all("uses" not in s for s in job["steps"]), "no action, no checkout"
    script = "\n".join(s["run"] for s in job["steps"])
    # The artifact is data: its number is checked, its text only ever a comment body.
    assert "*[!0-9]*" in script
    assert '"$HEAD_SHA"' in script
    assert not re.search(r"(bash|sh|source|\.)\s+\"?\$dir", script)
    assert '-F "body=@$dir/body.md"' in script
    from report.diff import COMMENT_MARKER

    assert f'startswith("{COMMENT_MARKER}")' in script
