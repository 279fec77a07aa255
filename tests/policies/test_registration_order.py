# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Prevention in the order an update runs: what an open shape gets created before the pack says.

Each shape (open_shapes.py) is a small stack in registration order. The harness plays an update
as the engine runs it under `pulumi up --skip-preview` or the Automation API's `Stack.up`:
Analyze before each resource is created (a mandatory violation stops that resource, and so
every resource that depends on it), AnalyzeStack once at the end. The open resources it lets
through (created, then reported at the end) must be exactly the detect-only list
policies/README.md documents.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from offline_engine import PolicyPackProcess, RecordedResource
from tests.policies.open_shapes import Shape, shapes
from tests.policies.stack_shapes import POOL_ALLOWLISTED

README = Path(__file__).resolve().parents[2] / "policies" / "README.md"
SHAPES = shapes()


def play(pack: PolicyPackProcess, shape: Shape) -> tuple[bool, list[str]]:
    """(whether the open resource was created, the mandatory policies of AnalyzeStack)."""
    pack.configure(default_level=None, config={**POOL_ALLOWLISTED, **shape.config})
    created: list[RecordedResource] = []
    stopped: set[str] = set()
    for record in shape.resources:
        blocked = any(d.mandatory for d in pack.analyze(record))
        # The engine's dependencies: explicit ones and every property's.
        needs = {
            *record.dependencies,
            *(u for us in record.property_dependencies.values() for u in us),
        }
        if blocked or stopped & needs:
            stopped.add(record.urn)
        else:
            created.append(record)
    let_through = any(r.name == shape.open for r in created)
    at_end = [d.policy_name for d in pack.analyze_stack(created) if d.mandatory]
    return let_through, at_end


def documented_detect_only() -> set[str]:
    """The ids in the first column of policies/README's detect-only table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Detected only at the end", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.MULTILINE))


def test_the_only_open_resources_let_through_are_the_documented_detect_only_list(
    pack: PolicyPackProcess,
):
    let_through = {shape.id for shape in SHAPES if play(pack, shape)[0]}
    assert let_through == documented_detect_only()


@pytest.mark.parametrize("shape", SHAPES, ids=[s.id for s in SHAPES])
def test_every_open_shape_is_stopped_before_creation_or_reported_at_the_end(
    pack: PolicyPackProcess, shape: Shape
):
    let_through, at_end = play(pack, shape)
    if let_through:
        assert at_end, f"{shape.id}: created and never reported"
    else:
        assert at_end == [], f"{shape.id}: reported twice ({at_end})"
