"""The deployment is replaced exactly when what is live would change."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from harness.program_run import CapturedStack, run_program

from .conftest import trigger_of

PETSTORE = Path(__file__).resolve().parents[2] / "api" / "petstore.yaml"


def test_trigger_stays_put_when_nothing_changes(dev: CapturedStack) -> None:
    assert trigger_of(run_program("dev")) == trigger_of(dev)


def test_trigger_changes_when_the_spec_changes(dev: CapturedStack, tmp_path: Path) -> None:
    spec = yaml.safe_load(PETSTORE.read_text(encoding="utf-8"))
    spec["paths"]["/pets"]["get"]["summary"] = "List pets (changed)"
    changed = tmp_path / "petstore.yaml"
    changed.write_text(yaml.safe_dump(spec), encoding="utf-8")
    assert trigger_of(run_program("dev", config_overrides={"specPath": str(changed)})) != (
        trigger_of(dev)
    )


def test_trigger_changes_when_the_scope_mapping_changes(dev: CapturedStack) -> None:
    mapping = {"POST /pets": ["write"], "GET /pets": ["write"]}
    changed = run_program("dev", config_overrides={"operationScopes": mapping})
    assert trigger_of(changed) != trigger_of(dev)


def test_reformatting_the_spec_file_does_not_redeploy(dev: CapturedStack, tmp_path: Path) -> None:
    # Same content, different key order and format (JSON): the canonical body is identical.
    spec = yaml.safe_load(PETSTORE.read_text(encoding="utf-8"))
    reordered = dict(reversed(list(spec.items())))
    as_json = tmp_path / "petstore.json"
    as_json.write_text(json.dumps(reordered, indent=1), encoding="utf-8")
    assert trigger_of(run_program("dev", config_overrides={"specPath": str(as_json)})) == (
        trigger_of(dev)
    )
