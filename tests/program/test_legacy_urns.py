"""`pulumi up` on a stack main deployed before the component package replaces nothing.

The package's `index` tokens change every URN. The program's aliases
(`program_support/legacy_urns.py`) must lead the engine from each new resource to exactly one
of the URNs main `981a2a5` deployed (`tests/fixtures/urns/main-981a2a5.json`), and each AWS
resource must keep exactly its inputs: then the engine finds no diff, so nothing is updated,
replaced, created or deleted. The run plays the engine with that previous state
(`RecordingMonitor(previous=...)`, the engine's URN and alias rules in `offline_engine.urns`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from offline_engine import CapturedStack, inputs_of, new_monitor, run_program
from offline_engine.stack_files import load_stack_config
from offline_engine.urns import AliasConflictError, AliasResolver, AliasSpec, Registration, new_urn
from program_support.legacy_urns import LegacyAliases

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = json.loads((ROOT / "tests" / "fixtures" / "urns" / "main-981a2a5.json").read_text())
STACKS = sorted(FIXTURE["stacks"])


def _deployed(label: str) -> dict[str, Any]:
    resources: dict[str, Any] = FIXTURE["stacks"][label]["resources"]
    return resources


def _up_over(label: str) -> CapturedStack:
    """`pulumi up` of today's program over the stack as main deployed it."""
    overrides = FIXTURE["stacks"][label]["config_overrides"]
    _, config, _ = load_stack_config("dev", project_dir=ROOT, config_overrides=overrides)
    monitor = new_monitor(config, previous=frozenset(_deployed(label)))
    return run_program("dev", config_overrides=overrides, monitor=monitor)


@pytest.fixture(scope="module", params=STACKS)
def upgraded(request: pytest.FixtureRequest) -> tuple[str, CapturedStack]:
    return request.param, _up_over(request.param)


def test_every_resource_takes_over_one_deployed_resource_one_for_one(
    upgraded: tuple[str, CapturedStack],
) -> None:
    label, stack = upgraded
    deployed = _deployed(label)
    taken = [r.previous_urn for r in stack.resources]
    # No resource is new (a create), none takes over a URN another took (the engine refuses
    # that), and no deployed URN is left without a successor (a delete).
    assert None not in taken, [r.urn for r in stack.resources if r.previous_urn is None]
    assert len(set(taken)) == len(taken)
    assert sorted(taken) == sorted(deployed)  # type: ignore[type-var]
    # Every URN really changed: the aliases, not an unchanged URN, did the matching.
    assert not set(deployed) & {r.urn for r in stack.resources}


def test_every_aws_resource_keeps_exactly_its_inputs(upgraded: tuple[str, CapturedStack]) -> None:
    label, stack = upgraded
    deployed = _deployed(label)
    for record in stack.custom_resources:
        assert record.previous_urn is not None
        was = deployed[record.previous_urn]
        assert was["custom"], record.urn
        assert inputs_of(record, unknown="<unknown>") == was["inputs"], record.urn


def test_the_components_alias_only_their_old_selves(upgraded: tuple[str, CapturedStack]) -> None:
    _, stack = upgraded
    aliased = {r.type: [a.describe() for a in r.aliases] for r in stack.resources if r.aliases}
    parent = stack.one("secured-m2m-api:index:SecuredM2MApi").urn
    expected = {
        "secured-m2m-api:index:SecuredM2MApi": ["{type=secured-m2m-api:identity:M2MIdentity}"],
        "secured-m2m-api:index:SecuredRestApi": [
            "{type=secured-m2m-api:api:SecuredRestApi, name=api, noParent}"
        ],
        "aws:cognito/resourceServer:ResourceServer": [f"{{parent={parent}}}"],
    }
    if stack.of_type("secured-m2m-api:index:ApiGatewayCloudWatchRole"):
        expected["secured-m2m-api:index:ApiGatewayCloudWatchRole"] = [
            "{type=secured-m2m-api:account:ApiGatewayCloudWatchRole}"
        ]
    assert aliased == expected


def test_without_the_aliases_every_resource_would_be_created_anew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The control: the same run with no alias finds no deployed resource at all.
    monkeypatch.setattr(LegacyAliases, "aliases", lambda self, type_, resource: [])
    stack = _up_over("dev")
    assert [r.previous_urn for r in stack.resources] == [None] * len(stack.resources)


def test_two_resources_claiming_one_deployed_urn_are_refused_as_the_engine_refuses() -> None:
    old = new_urn("dev", "p", "", "t:index:A", "a")
    resolver = AliasResolver("dev", "p", frozenset({old}))

    resolver.register(Registration("t:index:B", "b", "", (AliasSpec(urn=old),)))
    with pytest.raises(AliasConflictError, match="both alias"):
        resolver.register(Registration("t:index:C", "c", "", (AliasSpec(urn=old),)))
