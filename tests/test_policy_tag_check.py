""".github/scripts/check_policy_tag.py, run as policy-publish.yml runs it, in real git repos.

Each test builds an `origin` repository and a clone of it (what actions/checkout with
`fetch-depth: 0` leaves: every branch as `origin/<branch>`, every tag), checks out the tag and
runs the script with the environment GitHub sets for a tag push.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / ".github" / "scripts" / "check_policy_tag.py"
PACK = "runtime: python\nversion: {version}\ndescription: test pack\n"
PROJECT = '[project]\nname = "apigw-cognito-guard"\nversion = "{version}"\n'
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def commit(repo: Path, message: str, pack: str | None, project_version: str = "") -> str:
    policies = repo / "policies"
    policies.mkdir(exist_ok=True)
    if pack is not None:
        (policies / "PulumiPolicy.yaml").write_text(pack)
    if project_version:
        (policies / "pyproject.toml").write_text(PROJECT.format(version=project_version))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A repository whose main holds pack 1.0.0, pushed to a bare `origin`."""
    bare, work = tmp_path / "origin.git", tmp_path / "work"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    git(work, "remote", "add", "origin", str(bare))
    commit(work, "pack 1.0.0", PACK.format(version="1.0.0"), "1.0.0")
    git(work, "push", "-q", "origin", "main")
    return work


def clone_and_check(
    tmp_path: Path, tag: str, checkout: str | None, sha: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """Clone `origin` as actions/checkout does with `fetch-depth: 0`, check out `checkout` (the
    default branch when None) and run the script with GitHub's variables for a push of `tag`."""
    clone = tmp_path / "checkout"
    subprocess.run(
        ["git", "clone", "-q", str(tmp_path / "origin.git"), str(clone)],
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    if checkout:
        git(clone, "checkout", "-q", "--detach", checkout)
    if local := env.pop("LOCAL_CHANGE", ""):
        (clone / "policies" / "extra.py").write_text(local)
    variables = {**os.environ, **GIT_ENV, "GITHUB_REF_NAME": tag, "GITHUB_SHA": sha, **env}
    if "GITHUB_ACTIONS" not in env:
        variables.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=clone, env=variables, capture_output=True, text=True
    )


def publish_check(origin: Path, tmp_path: Path, tag: str) -> subprocess.CompletedProcess[str]:
    """Push `tag`, clone as actions/checkout does on that tag push, run the script."""
    git(origin, "push", "-q", "origin", "--all")
    git(origin, "push", "-q", "origin", tag)
    sha = git(origin, "rev-parse", f"{tag}^{{commit}}")
    return clone_and_check(tmp_path, tag, sha, sha)


def test_a_tag_on_main_with_the_matching_version_is_accepted(origin, tmp_path) -> None:
    git(origin, "tag", "policy-v1.0.0")
    result = publish_check(origin, tmp_path, "policy-v1.0.0")
    assert result.returncode == 0, result.stderr
    sha = git(origin, "rev-parse", "HEAD")[:12]
    assert result.stdout == (
        f"ok: policy-v1.0.0 is {sha} on origin/main, and the pack declares version 1.0.0\n"
    )


def test_an_annotated_tag_on_an_older_commit_of_main_is_accepted(origin, tmp_path) -> None:
    git(origin, "tag", "-a", "-m", "release", "policy-v1.0.0")
    commit(origin, "later work", PACK.format(version="1.1.0"), "1.1.0")
    assert publish_check(origin, tmp_path, "policy-v1.0.0").returncode == 0


def test_a_tag_on_a_side_branch_is_refused(origin, tmp_path) -> None:
    git(origin, "checkout", "-q", "-b", "side")
    commit(origin, "unreviewed", PACK.format(version="1.1.0"), "1.1.0")
    git(origin, "tag", "policy-v1.1.0")
    result = publish_check(origin, tmp_path, "policy-v1.1.0")
    assert result.returncode == 1
    sha = git(origin, "rev-parse", "HEAD")[:12]
    assert result.stderr == (
        f"error: tag policy-v1.1.0 is on {sha}, which is not on origin/main: merge the release "
        "to main first, then tag the merged commit\n"
    )


def test_a_pack_without_a_version_is_refused(origin, tmp_path) -> None:
    commit(origin, "no version", "runtime: python\ndescription: test pack\n")
    git(origin, "tag", "policy-v1.0.0")
    result = publish_check(origin, tmp_path, "policy-v1.0.0")
    assert result.returncode == 1
    assert result.stderr.startswith("error: policies/PulumiPolicy.yaml declares no version")


def test_a_tag_that_disagrees_with_the_pack_is_refused(origin, tmp_path) -> None:
    git(origin, "tag", "policy-v1.0.1")
    result = publish_check(origin, tmp_path, "policy-v1.0.1")
    assert result.returncode == 1
    assert result.stderr == (
        "error: tag policy-v1.0.1 says 1.0.1, policies/PulumiPolicy.yaml says 1.0.0: tag "
        "policy-v1.0.0, or bump the file and tag again\n"
    )


@pytest.mark.parametrize(
    ("pack", "project", "fault"),
    [
        ('version: "1.0.0"  # quoted, commented\n', "1.0.0", None),
        ("version: 1.0.0\nversion: 1.0.0\n", "1.0.0", "declares version 2 times"),
        ("version: 1.0.0 extra\n", "1.0.0", "cannot read the version line"),
        ("  version: 1.0.0\n", "1.0.0", "declares no version"),  # not top-level
        ("version: 1.0.0\n", "0.9.0", "pyproject.toml says version '0.9.0', the tag 1.0.0"),
    ],
)
def test_the_version_is_read_strictly(origin, tmp_path, pack, project, fault) -> None:
    commit(origin, "pack", "runtime: python\n" + pack, project)
    git(origin, "tag", "policy-v1.0.0")
    result = publish_check(origin, tmp_path, "policy-v1.0.0")
    if fault is None:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1
        assert fault in result.stderr


@pytest.mark.parametrize("tag", ["policy-v1.0", "policy-1.0.0", "policy-v1.0.0;rm", "v1.0.0"])
def test_a_malformed_tag_is_refused(origin, tmp_path, tag) -> None:
    git(origin, "tag", tag)
    result = publish_check(origin, tmp_path, tag)
    assert result.returncode == 1
    assert result.stderr == (f"error: tag {tag!r} is not policy-v<major>.<minor>.<patch>[-<pre>]\n")


def test_a_checkout_that_is_not_the_tag_is_refused(origin, tmp_path) -> None:
    git(origin, "tag", "policy-v1.0.0")
    commit(origin, "moved on", PACK.format(version="1.0.0"), "1.0.0")
    git(origin, "push", "-q", "origin", "main", "policy-v1.0.0")
    result = clone_and_check(tmp_path, "policy-v1.0.0", None)  # main, one commit past the tag
    assert result.returncode == 1
    assert "the checkout is" in result.stderr
    assert ", tag policy-v1.0.0 is " in result.stderr


def test_a_local_change_to_the_pack_is_refused(origin, tmp_path) -> None:
    git(origin, "tag", "policy-v1.0.0")
    git(origin, "push", "-q", "origin", "main", "policy-v1.0.0")
    result = clone_and_check(
        tmp_path, "policy-v1.0.0", "policy-v1.0.0", LOCAL_CHANGE="print('not tagged')\n"
    )
    assert result.returncode == 1
    assert result.stderr == "error: policies/ has local changes: publish only what the tag holds\n"


def test_in_github_actions_the_refusal_is_also_an_annotation(origin, tmp_path) -> None:
    git(origin, "tag", "policy-v2.0.0")
    git(origin, "push", "-q", "origin", "main", "policy-v2.0.0")
    result = clone_and_check(tmp_path, "policy-v2.0.0", "policy-v2.0.0", GITHUB_ACTIONS="true")
    assert result.returncode == 1
    assert result.stdout.startswith("::error title=policy-publish refused::tag policy-v2.0.0 says")
