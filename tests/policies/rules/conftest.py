"""Per-policy tests run each policy in process (`harness`); the gRPC tests one level up stay
the contract layer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.policies.rules.harness import forget_hand_offs


@pytest.fixture(autouse=True)
def _one_run_of_the_pack() -> Iterator[None]:
    """Each test is one run of the pack: nothing a resource policy handed over leaks out."""
    forget_hand_offs()
    yield
    forget_hand_offs()
