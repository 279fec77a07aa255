# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Scale: a stack without property dependencies analyzes in linear time (issue 9, item 12).

Imported stacks, `pulumi import` and older states link no property dependencies, so each
Method's authorizerId and resourceId resolve by id; a scan per Method made 4,000 resources take
3.7 s. `make bench` reports the wall time; this test guards the growth, which holds on a slow
machine as well.
"""

from __future__ import annotations

import time

from bench.policy_pack import stack_without_dependencies
from offline_engine import PolicyPackProcess
from tests.policies.stack_shapes import POOL_ADVISORY


def _best_of(pack: PolicyPackProcess, resources: int, runs: int = 3) -> float:
    best = float("inf")
    for variant in range(runs):
        records = stack_without_dependencies(resources, variant)
        start = time.perf_counter()
        diags = pack.analyze_stack(records)
        best = min(best, time.perf_counter() - start)
        # The stack trusts a pool it does not create: item 9's advisory, and nothing else.
        assert [d for d in diags if d.policy_name != POOL_ADVISORY] == [], diags[:1]
    return best


def test_stack_without_dependencies_analyzes_in_linear_time(pack: PolicyPackProcess):
    pack.configure(default_level=None)
    _best_of(pack, 400, runs=1)  # warm-up
    small, large = _best_of(pack, 1000), _best_of(pack, 4000)
    # Linear: x4 resources cost about x4 (quadratic would be x16). Bounds leave room for noise.
    assert large / small < 7, (small, large)
    assert large < 2.0, large
