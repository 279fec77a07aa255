"""Pulumi.yaml and program_support/stack_config.py describe the same config, as the CLI applies it.

The CLI, not the program, applies Pulumi.yaml: it refuses a stack that lacks a key declared
without a default, and fills in declared defaults. These tests hold the two sides together so a
stack that passes under mocks also starts under `pulumi up`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from offline_engine import (
    MissingStackConfigError,
    StackConfigTypeError,
    inputs_of,
    new_monitor,
    run_program,
)
from program_support.config_keys import KNOWN_KEYS, PROJECT
from program_support.stack_config import StackConfig, parse_config

ROOT = Path(__file__).resolve().parents[2]
DECLARED: dict[str, dict[str, Any]] = yaml.safe_load(
    (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
)["config"]
REQUIRED = {"domainPrefix"}


def test_pulumi_yaml_declares_exactly_the_keys_the_program_reads() -> None:
    assert set(DECLARED) == set(KNOWN_KEYS)
    for key, decl in DECLARED.items():
        assert decl.get("description"), f"{key}: no description"


def test_only_the_domain_prefix_is_required() -> None:
    # A key declared without `default` is one the CLI insists every stack sets.
    assert {key for key, decl in DECLARED.items() if "default" not in decl} == REQUIRED


@pytest.mark.parametrize("key", sorted(set(KNOWN_KEYS) - REQUIRED))
def test_declared_default_is_the_programs_default(key: str) -> None:
    declared = parse_config({"domainPrefix": "contract-test", key: DECLARED[key]["default"]})
    assert declared == StackConfig(domain_prefix="contract-test"), key


def _minimal_stack(tmp_path: Path, config: dict[str, Any]) -> Path:
    """A copy of the project whose only stack file holds `config` (code linked, not copied)."""
    for name in ("__main__.py", "components", "api", "policies"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "Pulumi.yaml").write_text(
        (ROOT / "Pulumi.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "Pulumi.minimal.yaml").write_text(
        yaml.safe_dump({"config": config}), encoding="utf-8"
    )
    return tmp_path


def test_a_stack_with_only_region_and_prefix_runs_on_the_declared_defaults(
    tmp_path: Path,
) -> None:
    project = _minimal_stack(
        tmp_path, {"aws:region": "eu-west-1", f"{PROJECT}:domainPrefix": "minimal-m2m"}
    )
    stack = run_program("minimal", project_dir=project)
    server = stack.one("aws:cognito/resourceServer:ResourceServer")
    assert [s["scopeName"] for s in inputs_of(server)["scopes"]] == ["read", "write"]
    assert not stack.of_type("aws:cognito/userPoolClient:UserPoolClient")
    assert stack.outputs["client_secrets"].secret
    assert stack.outputs["client_secrets"].value == {}


def test_a_stack_without_the_prefix_is_refused_like_the_cli_does(tmp_path: Path) -> None:
    project = _minimal_stack(tmp_path, {"aws:region": "eu-west-1"})
    monitor = new_monitor({})
    with pytest.raises(
        MissingStackConfigError,
        match=r"^Stack 'minimal' is missing configuration value 'domainPrefix'$",
    ):
        run_program("minimal", project_dir=project, monitor=monitor)
    assert monitor.records == []


@pytest.mark.parametrize(
    ("key", "value", "type_name"),
    [
        ("deletionProtection", "yes", "boolean"),
        ("stageName", {"name": "v1"}, "string"),
        ("logRetentionDays", 30.5, "integer"),
    ],
)
def test_values_that_do_not_fit_the_declared_type_are_refused_like_the_cli_does(
    key: str, value: object, type_name: str
) -> None:
    monitor = new_monitor({})
    with pytest.raises(
        StackConfigTypeError,
        match=rf"^Stack 'dev' with configuration key '{key}' must be of type '{type_name}'; got ",
    ):
        run_program("dev", config_overrides={key: value}, monitor=monitor)
    assert monitor.records == []


def test_integer_keys_accept_the_text_form_the_cli_passes() -> None:
    stack = run_program("dev", config_overrides={"accessTokenValidityMinutes": "15"})
    for client in stack.of_type("aws:cognito/userPoolClient:UserPoolClient"):
        assert inputs_of(client)["accessTokenValidity"] == 15
