"""The GitHub workflows parse, everything they name exists, and they keep the rules a security
team signs: no pull-request job holds a secret or a role outside an approved environment,
secrets reach only the step that uses them, privileged jobs install only hash-locked files,
the pack ships only from main, and the access-diff comment is rendered by trusted code."""

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
CHECKOUT = "actions/checkout@"
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
CI_DOC = (REPO_ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
# The repository's two local distributions: the pack and the component package.
EDITABLE_LOCAL = (
    ".venv/bin/python -m pip install --disable-pip-version-check --no-deps "
    "--no-build-isolation --no-index -e ./policies -e ./provider"
)
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


def job_steps(job: dict[Any, Any]) -> list[dict[Any, Any]]:
    return list(job.get("steps", []))


def uses(step: dict[Any, Any], action: str) -> bool:
    return str(step.get("uses", "")).startswith(action)


def secrets_in(value: Any) -> set[str]:
    """Secret names an expression tree reads (`secrets.X`), GITHUB_TOKEN aside."""
    names = set(re.findall(r"secrets\.([A-Za-z_][A-Za-z0-9_]*)", json.dumps(value)))
    return names - {"GITHUB_TOKEN"}


def privileged(job: dict[Any, Any]) -> bool:
    """A job that holds a secret, an OIDC token or a token that can write."""
    perms = job.get("permissions") or {}
    writes = [k for k, v in perms.items() if v == "write"]
    return bool(job.get("environment") or writes or secrets_in(job))


def test_push_and_pull_request_run_make_test() -> None:
    wf = load(WORKFLOWS / "test.yml")
    assert triggers(wf)["push"] == {"branches": ["main"]}
    assert "pull_request" in triggers(wf)
    assert "workflow_call" in triggers(wf)
    runs = [s.get("run", "") for s in job_steps(wf["jobs"]["test"])]
    assert "make test" in runs
    assert not privileged(wf["jobs"]["test"])
    setup = [s for _, s in steps(wf) if uses(s, "actions/setup-python@")]
    assert setup
    assert all(s["with"]["python-version"] == "3.11" for s in setup)


def test_main_deploys_each_stack_in_its_own_environment_after_the_tests() -> None:
    wf = load(WORKFLOWS / "deploy.yml")
    assert triggers(wf) == {"push": {"branches": ["main"]}}
    assert wf["concurrency"]["cancel-in-progress"] is False
    up = wf["jobs"]["up"]
    assert "test" in up["needs"]
    assert up["strategy"]["max-parallel"] == 1
    assert up["environment"] == "${{ matrix.stack }}"
    # `up` through pulumi/actions skips the preview (Automation API): the preview runs first so
    # the pack's stack policies judge before anything changes.
    preview, update = pulumi_steps(wf)
    assert [preview["with"]["command"], update["with"]["command"]] == ["preview", "up"]
    for step in (preview, update):
        assert step["with"]["policyPacks"] == "policies"
        assert step["with"]["stack-name"] == "${{ matrix.stack }}"
    (aws,) = [s for s in job_steps(up) if uses(s, AWS_CREDENTIALS_ACTION)]
    assert aws["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"


def test_pull_request_previews_on_aws_only_after_approval_with_a_read_only_role() -> None:
    wf = load(WORKFLOWS / "preview.yml")
    assert set(triggers(wf)) == {"pull_request"}
    job = wf["jobs"]["preview"]
    assert job["environment"] == "preview-${{ matrix.stack }}"
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    assert job["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    (aws,) = [s for s in job_steps(job) if uses(s, AWS_CREDENTIALS_ACTION)]
    assert aws["with"]["role-to-assume"] == "${{ vars.AWS_PREVIEW_ROLE_ARN }}"
    (step,) = pulumi_steps(wf)
    inputs = step["with"]
    assert inputs["command"] == "preview"
    assert inputs["policyPacks"] == "policies"
    assert inputs["stack-name"] == "${{ matrix.stack }}"
    # The job runs the pull request's code: it gets no token that writes to the pull request.
    assert "comment-on-pr" not in inputs
    assert "github-token" not in inputs
    assert inputs["comment-on-summary"] is True
    assert "matrix.stack" not in str(wf["jobs"]["stacks"])


def test_the_pack_is_published_only_from_main_through_its_environment() -> None:
    wf = load(WORKFLOWS / "policy-publish.yml")
    assert triggers(wf) == {"push": {"tags": ["policy-v*"]}}
    jobs = wf["jobs"]
    publish = jobs["publish"]
    assert publish["environment"] == "policy-publish"
    assert set(publish["needs"]) == {"tag-on-main", "test", "standalone"}
    assert jobs["test"]["uses"] == "./.github/workflows/test.yml"
    assert jobs["test"]["with"] == {"no_pip_cache": True}
    assert "policies/check_standalone.sh" in [s.get("run") for s in job_steps(jobs["standalone"])]
    for name in ("tag-on-main", "test", "standalone"):
        assert not privileged(jobs[name]), name
    check = "python .github/scripts/check_policy_tag.py"
    for name in ("tag-on-main", "publish"):
        job_runs = [s.get("run") for s in job_steps(jobs[name])]
        assert check in job_runs, name
        (checkout,) = [s for s in job_steps(jobs[name]) if uses(s, CHECKOUT)]
        assert checkout["with"]["fetch-depth"] == 0, name  # origin/main is there
    runs = [s.get("run", "") for s in job_steps(publish)]
    assert runs.index(check) < runs.index(".github/scripts/install_locked.sh publish")
    (install,) = pulumi_steps(wf)
    assert "command" not in install["with"]  # install the CLI only
    (publish_step,) = [s for s in job_steps(publish) if "pulumi policy publish" in s.get("run", "")]
    assert publish_step["working-directory"] == "policies"
    assert secrets_in(publish_step) == {"PULUMI_ACCESS_TOKEN"}


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


# --- who holds what: secrets, roles and write tokens ------------------------------------------


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_workflow_runs_pull_request_code_with_the_base_repositorys_token(path: Path) -> None:
    assert "pull_request_target" not in triggers(load(path)), path.name


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_a_secret_or_a_role_only_in_a_job_with_an_environment(path: Path) -> None:
    wf = load(path)
    assert not secrets_in({k: v for k, v in wf.items() if k != "jobs"}), path.name
    for name, job in wf["jobs"].items():
        role = (job.get("permissions") or {}).get("id-token") == "write"
        if secrets_in(job) or role:
            assert job.get("environment"), f"{path.name}/{name}: secret or role, no environment"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_a_secret_reaches_only_the_step_that_uses_it(path: Path) -> None:
    for name, job in load(path)["jobs"].items():
        assert not secrets_in(job.get("env") or {}), f"{path.name}/{name}: job-level secret"
        assert not secrets_in(job.get("with") or {}), f"{path.name}/{name}: secret to a call"
        for step in job_steps(job):
            if secrets_in(step):
                assert secrets_in(step) == secrets_in(step.get("env") or {}), (
                    f"{path.name}/{name}: a secret outside the step's env"
                )


def test_pull_request_jobs_hold_nothing_before_an_approval() -> None:
    """A job a pull request triggers either holds nothing or waits in a preview environment."""
    for path in WORKFLOW_FILES:
        wf = load(path)
        if "pull_request" not in triggers(wf):
            continue
        for name, job in wf["jobs"].items():
            if not privileged(job) or "github.event_name == 'workflow_dispatch'" in job.get(
                "if", ""
            ):
                continue
            assert str(job.get("environment", "")).startswith("preview-"), f"{path.name}/{name}"
            assert set(job["permissions"]) == {"contents", "id-token"}, f"{path.name}/{name}"


ENVIRONMENTS = {
    ("deploy.yml", "up"): "${{ matrix.stack }}",
    ("preview.yml", "preview"): "preview-${{ matrix.stack }}",
    ("test.yml", "integration"): "integration",
    ("policy-publish.yml", "publish"): "policy-publish",
    ("access-diff-comment.yml", "approve-widening"): "access-widening",
}


def test_the_environments_are_exactly_these() -> None:
    found = {
        (path.name, name): job["environment"]
        for path in WORKFLOW_FILES
        for name, job in load(path)["jobs"].items()
        if "environment" in job
    }
    assert found == ENVIRONMENTS


def test_every_environment_secret_and_variable_is_in_the_readme() -> None:
    names: set[str] = set()
    for path in WORKFLOW_FILES:
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"(?:secrets|vars)\.([A-Z_][A-Z0-9_]*)", text))
    names.discard("GITHUB_TOKEN")
    assert names == {
        "AWS_DEPLOY_ROLE_ARN",
        "AWS_PREVIEW_ROLE_ARN",
        "AWS_INTEGRATION_ROLE_ARN",
        "AWS_REGION",
        "PULUMI_BACKEND_URL",
        "PULUMI_ACCESS_TOKEN",
        "PULUMI_CONFIG_PASSPHRASE",
        "PULUMI_ORG",
        "M2M_IT_MANAGE_API_GATEWAY_ACCOUNT",
    }
    for name in names:
        assert f"`{name}`" in CI_DOC, f"docs/ci.md does not name {name}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_credentials_come_after_every_install(path: Path) -> None:
    """Nothing installed or built runs while the AWS credentials are in the environment: the
    credentials step comes right before the one step that uses them."""
    for name, job in load(path)["jobs"].items():
        steps_ = job_steps(job)
        for index, step in enumerate(steps_):
            if not uses(step, AWS_CREDENTIALS_ACTION):
                continue
            after = steps_[index + 1 :]
            assert after, f"{path.name}/{name}: the role is used by no step"
            for step in after:
                assert is_pulumi_action(step) or step.get("run") == (
                    ".venv/bin/pytest -m integration -rs"
                ), f"{path.name}/{name}: {step}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_privileged_jobs_install_only_hash_locked_files(path: Path) -> None:
    """No `make venv` (the whole dev toolchain, unhashed) where a secret, role or write token
    is; the hash-locked script, then ./policies and ./provider alone, nothing else."""
    for name, job in load(path)["jobs"].items():
        if not privileged(job) or "uses" in job:
            continue
        for step in job_steps(job):
            run = step.get("run", "")
            assert not re.search(r"\bmake\b", run), f"{path.name}/{name}: {run}"
            if "pip install" in run:
                assert run == EDITABLE_LOCAL, f"{path.name}/{name}: {run}"
            assert not uses(step, "actions/cache"), f"{path.name}/{name}"
            assert "cache" not in (step.get("with") or {}), f"{path.name}/{name}"


LOCK_OF_JOB = {
    ("deploy.yml", "up"): "deploy",
    ("preview.yml", "preview"): "deploy",
    ("access-diff-comment.yml", "render"): "deploy",
    ("policy-publish.yml", "publish"): "publish",
    ("test.yml", "integration"): "integration",
}


def test_each_privileged_job_installs_its_lock() -> None:
    found = {}
    for path in WORKFLOW_FILES:
        for name, job in load(path)["jobs"].items():
            for step in job_steps(job):
                m = re.fullmatch(r"\.github/scripts/install_locked\.sh (\w+)", step.get("run", ""))
                if m:
                    found[(path.name, name)] = m.group(1)
                    runs = [s.get("run", "") for s in job_steps(job)]
                    local = EDITABLE_LOCAL in runs
                    assert local == (m.group(1) != "publish"), (path.name, name)
    assert found == LOCK_OF_JOB


# --- supply chain: what zizmor checks, stated as the rules we keep -------------------------


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit_with_the_version_in_a_comment(path: Path) -> None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(r"^\s*(- )?uses: ", line) and "uses: ./" not in line:
            assert PINNED_USES.match(line), (
                f"{path.name}:{number}: expected 'uses: owner/repo@<commit sha> # vX.Y.Z', "
                f"got {line.strip()!r}"
            )


def pinned_actions() -> dict[str, tuple[str, str]]:
    found: dict[str, set[tuple[str, str]]] = {}
    for path in WORKFLOW_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := PINNED_USES.match(line):
                action, sha, version = m.groups()
                found.setdefault(action, set()).add((version, sha))
    assert all(len(v) == 1 for v in found.values()), found  # one version per action
    return {action: next(iter(v)) for action, v in found.items()}


def test_one_version_per_action_and_the_readme_table_matches() -> None:
    """docs/ci.md's action table (action, tag, commit) is what the workflows pin."""
    table = dict(
        (m.group(1), (m.group(2), m.group(3)))
        for m in re.finditer(r"^\| `([\w./-]+)` \| (v[\d.]+) \| `([0-9a-f]{40})` \|", CI_DOC, re.M)
    )
    assert table == pinned_actions()


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkouts_do_not_persist_credentials(path: Path) -> None:
    for job_name, step in steps(load(path)):
        if uses(step, CHECKOUT):
            assert step.get("with", {}).get("persist-credentials") is False, (
                f"{path.name}/{job_name}: checkout without persist-credentials: false"
            )


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_level_permissions_are_read_only(path: Path) -> None:
    assert load(path)["permissions"] == {"contents": "read"}, path.name


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_id_token_write_only_in_jobs_that_assume_the_aws_role(path: Path) -> None:
    for job_name, job in load(path)["jobs"].items():
        assumes_role = any(uses(s, AWS_CREDENTIALS_ACTION) for s in job_steps(job))
        id_token = (job.get("permissions") or {}).get("id-token")
        assert (id_token == "write") == assumes_role, (
            f"{path.name}/{job_name}: id-token {id_token!r}, assumes the AWS role: {assumes_role}"
        )


@pytest.mark.parametrize(
    "name", ["deploy.yml", "policy-publish.yml", "access-diff-comment.yml", "preview.yml"]
)
def test_no_dependency_cache_on_the_deploy_publish_and_privileged_paths(name: str) -> None:
    wf = load(WORKFLOWS / name)
    for job_name, step in steps(wf):
        inputs = step.get("with", {})
        assert "cache" not in inputs, f"{name}/{job_name}: {step['uses']} restores a cache"
        assert not uses(step, "actions/cache"), f"{name}/{job_name}"
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


def zizmor_findings(*extra: str) -> list[dict[str, Any]]:
    exe = Path(sys.executable).parent / "zizmor"
    assert exe.is_file(), f"{exe} missing: run `make venv` (zizmor is pinned in requirements-dev)"
    proc = subprocess.run(
        [str(exe), "--offline", "--format", "json", *extra, str(WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    findings = json.loads(proc.stdout)
    assert isinstance(findings, list), proc.stderr
    return findings


def _describe(findings: list[dict[str, Any]]) -> list[str]:
    return [
        f"{f['ident']} ({f['determinations']['severity']}): "
        f"{f['locations'][0]['symbolic']['key']['Local']['verbatim_path']}"
        for f in findings
    ]


def test_zizmor_finds_nothing_above_informational() -> None:
    above = [
        f
        for f in zizmor_findings()
        if f["determinations"]["severity"] not in ("Informational", "Unknown")
    ]
    assert _describe(above) == []


def test_zizmor_auditor_persona_finds_nothing() -> None:
    """The auditor persona (false positives accepted) at every severity: nothing but the
    ignores, each with its reason."""
    assert _describe(zizmor_findings("--persona", "auditor")) == []


def test_every_zizmor_ignore_says_why_and_the_docs_explain_it() -> None:
    ignores = [
        (path.name, m.group(1), m.group(2).strip())
        for path in WORKFLOW_FILES
        for m in ZIZMOR_IGNORE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert sorted((n, a) for n, a, _ in ignores) == [
        ("access-diff-comment.yml", "dangerous-triggers"),
        ("deploy.yml", "self-repository"),
        ("policy-publish.yml", "self-repository"),
    ]
    for name, audit, reason in ignores:
        assert len(reason) > 20, f"{name}: zizmor: ignore[{audit}] without a reason after it"
        assert f"`{audit}`" in CI_DOC, f"docs/ci.md does not explain the {audit} exception"


# --- the access diff: built read-only, rendered and posted by trusted code ----------------------

ACCESS_DIFF = WORKFLOWS / "access-diff.yml"
ACCESS_DIFF_COMMENT = WORKFLOWS / "access-diff-comment.yml"


def test_access_diff_builds_every_stack_report_read_only_and_uploads_json() -> None:
    wf = load(ACCESS_DIFF)
    assert set(triggers(wf)) == {"pull_request"}
    (job,) = wf["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    assert not privileged(job)
    text = ACCESS_DIFF.read_text(encoding="utf-8")
    assert "secrets." not in text, "no secret reaches the pull request's code"
    assert "configure-aws-credentials" not in text
    assert PULUMI_ACTION not in text
    build = next(s for s in job_steps(job) if "python -m report" in s.get("run", ""))
    assert "for file in Pulumi.*.yaml" in build["run"]
    assert re.search(r'--format json \\\n\s*> "access-diff/reports/\$stack\.json"', build["run"])
    upload = next(s for s in job_steps(job) if uses(s, "actions/upload-artifact@"))
    assert upload["with"]["name"] == "access-diff"
    assert upload["with"]["path"] == "access-diff/"
    # The check fails after the upload, so the other side still reports what it can.
    assert job_steps(job).index(upload) == len(job_steps(job)) - 2
    assert "grep" in job_steps(job)[-1]["run"]


def comment_workflow() -> dict[Any, Any]:
    wf = load(ACCESS_DIFF_COMMENT)
    run = triggers(wf)["workflow_run"]
    assert run == {"workflows": [load(ACCESS_DIFF)["name"]], "types": ["completed"]}
    return wf


def test_the_render_job_runs_only_the_base_commits_code() -> None:
    render = comment_workflow()["jobs"]["render"]
    assert render["permissions"] == {
        "contents": "read",
        "actions": "read",
        "pull-requests": "read",
    }
    assert "github.event.workflow_run.event == 'pull_request'" in render["if"]
    steps_ = job_steps(render)
    (checkout,) = [s for s in steps_ if uses(s, CHECKOUT)]
    # The base commit the API gives for the verified pull request; never the head.
    assert checkout["with"] == {
        "ref": "${{ steps.pr.outputs.base-sha }}",
        "persist-credentials": False,
    }
    download = steps_[0]
    assert uses(download, "actions/download-artifact@")
    assert download["with"]["path"] == "${{ runner.temp }}/head"
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    verify = next(s for s in steps_ if s.get("id") == "pr")
    script = verify["run"]
    assert "*[!0-9]*" in script  # the artifact's number must be digits
    assert '[ "$actual" != "$HEAD_SHA" ] || [ "$from" != "$HEAD_REPO" ]' in script
    assert "jq -r '.base.sha'" in script
    assert "pulls/$pr/files" in script
    assert steps_.index(verify) < steps_.index(checkout)
    render_step = next(s for s in steps_ if s.get("id") == "render")
    assert ".venv/bin/python .github/scripts/access_diff_comment.py" in render_step["run"]
    assert 'echo "::stop-commands::$stop"' in render_step["run"]
    # Nothing of the artifact is executed: it is only ever passed to the script as data.
    text = "\n".join(s.get("run", "") for s in steps_)
    assert not re.search(r"(bash|sh|source|python\S*)\s+\"?\$RUNNER_TEMP/head", text)


def test_the_jobs_that_write_check_nothing_out_and_run_nothing_of_the_pull_request() -> None:
    jobs = comment_workflow()["jobs"]
    assert jobs["post"]["permissions"] == {"pull-requests": "write", "statuses": "write"}
    assert jobs["approve-widening"]["permissions"] == {"statuses": "write"}
    assert jobs["approve-widening"]["environment"] == "access-widening"
    assert jobs["approve-widening"]["if"] == "needs.render.outputs.result == 'widening'"
    for name in ("post", "approve-widening"):
        for step in job_steps(jobs[name]):
            assert not uses(step, CHECKOUT), name
            assert not uses(step, "actions/setup-python"), name
            assert "python" not in step.get("run", ""), name
    post = job_steps(jobs["post"])
    assert post[0]["with"] == {"name": "access-diff-comment", "path": "${{ runner.temp }}/comment"}
    script = "\n".join(s.get("run", "") for s in post)
    assert '-F "body=@$body"' in script
    assert "-f context=access-diff" in script
    from report.diff_markdown import COMMENT_MARKER

    assert f'startswith("{COMMENT_MARKER}")' in script
    states = re.findall(r"state=(\w+)", script)
    assert states == ["success", "pending", "failure", "error"]
