# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Scale: the stack policies' own work grows linearly with a stack without property dependencies.

Imported stacks, `pulumi import` and older states link no property dependencies, so each
Method's authorizerId and resourceId resolve by id; a scan per Method once made 4,000 resources
take 3.7 s (issue 9, item 12). Wall time is `make bench`'s to report; this test counts work
instead, deterministically: the lines of the pack's own code executed while each stack policy
validates the stack (run in process, the stack built as the SDK builds it), for 1,000 and 4,000
resources. Linear work grows about x4; a lookup that scans the stack per resource grows x16.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from pulumi_policy import StackValidationArgs, StackValidationPolicy

import apigw_guard
from apigw_guard.pack import POLICIES
from bench.policy_pack import stack_without_dependencies
from tests.policies.rules.harness import policy_resources

PACK_CODE = str(Path(apigw_guard.__file__).resolve().parent)
STACK_POLICIES = [p for p in POLICIES if isinstance(p, StackValidationPolicy)]


def _ignore(message: str, urn: str | None = None) -> None:
    return None


def pack_lines(policy: StackValidationPolicy, resources: int) -> int:
    """Lines of the pack's code executed by `policy.validate` on the benchmark's stack, once
    the pack's per-process caches (user pool ARNs read once) are warm."""
    args = StackValidationArgs(policy_resources(stack_without_dependencies(resources)), None)
    policy.validate(args, _ignore)
    executed = 0

    def in_pack(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal executed
        if event == "line":
            executed += 1
        return in_pack

    def on_call(frame: FrameType, event: str, arg: Any) -> Any:
        # Only frames of the pack's own files are traced line by line.
        return in_pack if frame.f_code.co_filename.startswith(PACK_CODE) else None

    reported: list[str] = []

    def report(message: str, urn: str | None = None) -> None:
        reported.append(message)

    sys.settrace(on_call)
    try:
        policy.validate(args, report)
    finally:
        sys.settrace(None)
    # The stack trusts a pool it creates and has no clients: nothing to report.
    assert reported == [], reported[:1]
    return executed


@pytest.mark.parametrize("policy", STACK_POLICIES, ids=lambda p: p.name)
def test_each_stack_policys_own_work_grows_linearly(policy):
    small, large = pack_lines(policy, 1000), pack_lines(policy, 4000)
    assert pack_lines(policy, 1000) == small  # a count, not a timing: the same every run
    # x4 resources: linear work about x4 (constant parts make it a little less); a scan per
    # resource would be x16.
    assert large <= 4.2 * small, (small, large)


def test_the_guarantee_reads_every_method_of_the_stack():
    # The count measures real work: the references policy follows each of the 1,332 Methods.
    (references,) = [p for p in STACK_POLICIES if p.name == "apigateway-references-resolve"]
    assert pack_lines(references, 4000) > 20 * 1332
