"""Every workflow that runs the policy pack gives it the venv's Python first.

The CLI starts a Python pack with the first `python` on PATH; `actions/setup-python`'s one has
no pulumi-policy, so a job that runs the pack (`policyPacks:` or `pulumi policy publish`) must
put `.venv/bin` on `GITHUB_PATH` after the venv is made (`make venv`, or the hash-locked
`.github/scripts/install_locked.sh`) and before that step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_workflows import WORKFLOW_FILES, is_pulumi_action, load

ADD_VENV_TO_PATH = 'echo "$PWD/.venv/bin" >> "$GITHUB_PATH"'
MAKES_THE_VENV = ("make venv", ".github/scripts/install_locked.sh ")


def _runs_the_pack(step: dict[str, Any]) -> bool:
    return (
        is_pulumi_action(step) and "policyPacks" in step.get("with", {})
    ) or "pulumi policy publish" in step.get("run", "")


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_policy_pack_runs_with_the_venv_python(path: Path) -> None:
    for job_name, job in load(path)["jobs"].items():
        steps = job.get("steps", [])
        for index, step in enumerate(steps):
            if not _runs_the_pack(step):
                continue
            before = [s.get("run", "") for s in steps[:index]]
            assert ADD_VENV_TO_PATH in before, f"{path.name}/{job_name}: pack without the venv"
            made = [i for i, run in enumerate(before) if run.startswith(MAKES_THE_VENV)]
            assert made, f"{path.name}/{job_name}: no step makes the venv"
            assert before.index(ADD_VENV_TO_PATH) > made[0], job_name


def test_three_workflows_run_the_pack() -> None:
    running = {
        p.name
        for p in WORKFLOW_FILES
        for job in load(p)["jobs"].values()
        for s in job.get("steps", [])
        if _runs_the_pack(s)
    }
    assert running == {"preview.yml", "deploy.yml", "policy-publish.yml"}
