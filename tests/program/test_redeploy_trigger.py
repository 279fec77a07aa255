"""The deployment is replaced exactly when what is live would change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from offline_engine import CapturedStack, inputs_of, run_program
from secured_m2m_api.deployment_trigger import deployment_trigger

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


def test_trigger_changes_when_the_resource_server_identifier_changes(
    dev: CapturedStack, dev_with_identifier: CapturedStack
) -> None:
    # Every scope string in the body carries the identifier: a new one must go live.
    assert trigger_of(dev_with_identifier) != trigger_of(dev)


def test_every_live_rest_api_setting_is_in_the_trigger(dev: CapturedStack) -> None:
    # A tripwire: a new RestApi input (binaryMediaTypes, policy, ...) changes what a deployment
    # serves, so it must join RestApiSettings (body and trigger) in components/.
    api = inputs_of(dev.one("aws:apigateway/restApi:RestApi"))
    assert set(api) - {"name", "description"} <= {
        "endpointConfiguration",
        "securityPolicy",
        "endpointAccessMode",
    }


LIVE = {
    "endpointType": "REGIONAL",
    "securityPolicy": "TLS_1_2",
    "endpointAccessMode": "",
    "putMode": "overwrite",
}


@pytest.mark.parametrize("key", sorted(LIVE))
def test_trigger_changes_with_each_live_setting(key: str) -> None:
    assert deployment_trigger("{}", {**LIVE, key: "other"}) != deployment_trigger("{}", LIVE)


def test_trigger_ignores_the_order_of_live_settings() -> None:
    assert deployment_trigger("{}", dict(reversed(LIVE.items()))) == deployment_trigger("{}", LIVE)
