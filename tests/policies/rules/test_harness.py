# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The in-process harness builds a policy's arguments as pulumi-policy does: checked here against
the SDK's rules directly, and against the pack process over gRPC on every open shape."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy import ResourceValidationPolicy, StackValidationPolicy
from pulumi_policy.proxy import UnknownValueError

from apigw_guard.pack import POLICIES
from offline_engine import COMPUTED, PolicyPackProcess, Secret, resource
from offline_engine.analyzer_requests import provider_of, providers_by_urn
from tests.policies.open_shapes import Shape, shapes
from tests.policies.rules import harness
from tests.policies.stack_shapes import POOL_ALLOWLISTED

SHAPES = shapes()


def test_an_unknown_value_trips_the_proxy_on_every_kind_of_access():
    record = resource("t:m:T", "r", {"a": COMPUTED, "b": [COMPUTED], "c": 1, "d": Secret("s")})
    props = harness.sdk_props(record.inputs)
    for access in (
        lambda: props["a"],
        lambda: props.get("a"),
        lambda: props["b"][0],
        lambda: "x" in props["a"],
    ):
        with pytest.raises(UnknownValueError):
            access()
    assert props["c"] == 1.0
    assert isinstance(props["c"], float)
    assert props["d"] == "s"  # a secret unwrapped


def test_an_unknown_read_by_a_policy_becomes_the_sdks_deferral():
    def validate(args: Any, report: Any) -> None:
        report(f"sees {args.props['a']}")

    policy = ResourceValidationPolicy(name="reads-a", description="Reads a.", validate=validate)
    outcome = harness.analyze(policy, resource("t:m:T", "r", {"a": COMPUTED}))
    assert outcome.violations == []
    assert outcome.deferred is not None


def test_config_left_out_reaches_the_policy_as_nothing():
    seen: list[Any] = []

    def validate(args: Any, report: Any) -> None:
        seen.append(dict(args.get_config()))

    policy = ResourceValidationPolicy(name="config", description="Config.", validate=validate)
    harness.analyze(policy, resource("t:m:T", "r", {}))
    harness.analyze(policy, resource("t:m:T", "r", {}), {"n": 2, "on": True})
    assert seen == [{}, {"n": 2.0, "on": True}]


def test_a_stack_is_linked_as_the_sdk_links_it():
    parent = resource("t:m:P", "p", {"x": 1})
    child = resource(
        "t:m:C",
        "c",
        {"y": COMPUTED},
        parent=parent.urn,
        dependencies=[parent.urn],
        property_dependencies={"y": [parent.urn]},
    )
    built_parent, built_child = harness.policy_resources([parent, child])
    assert built_child.parent is built_parent
    assert built_child.dependencies == [built_parent]
    assert built_child.property_dependencies == {"y": [built_parent]}


def _sdk_messages(policy: Any, outcome: harness.Outcome) -> list[tuple[str, str]]:
    """An outcome as the SDK reports it: (policy, message) with its description or preview
    prefix."""
    found = [(policy.name, f"{policy.description}\n{m}") for m in outcome.messages]
    if outcome.deferred is not None:
        found.append((policy.name, f"during preview: {outcome.deferred}"))
    return found


def _in_process(shape: Shape) -> list[tuple[str, str]]:
    config = {**POOL_ALLOWLISTED, **shape.config}
    providers = providers_by_urn(shape.resources)
    found: list[tuple[str, str]] = []
    for record in shape.resources:
        for policy in POLICIES:
            if isinstance(policy, ResourceValidationPolicy):
                provider = provider_of(record, providers)
                outcome = harness.analyze(policy, record, config.get(policy.name), provider)
                found += _sdk_messages(policy, outcome)
    for policy in POLICIES:
        if isinstance(policy, StackValidationPolicy):
            outcome = harness.analyze_stack(policy, shape.resources, config.get(policy.name))
            found += _sdk_messages(policy, outcome)
    return found


def _over_grpc(pack: PolicyPackProcess, shape: Shape) -> list[tuple[str, str]]:
    # The engine's defaults, as in `configure`: declared levels, schema defaults filled in.
    pack.configure(default_level=None, config={**POOL_ALLOWLISTED, **shape.config})
    found = []
    for diag in pack.analyze_all(shape.resources):
        # "can't run policy '<name>' from policy pack '<pack>@v<version>' during preview: ..."
        _, preview, deferral = diag.message.partition("during preview: ")
        found.append((diag.policy_name, preview + deferral if preview else diag.message))
    return found


@pytest.mark.parametrize("shape", SHAPES, ids=[s.id for s in SHAPES])
def test_in_process_equals_the_pack_process(pack: PolicyPackProcess, shape: Shape):
    assert sorted(_in_process(shape)) == sorted(_over_grpc(pack, shape))
