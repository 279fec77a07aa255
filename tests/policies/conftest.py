# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Shared pack process for the protocol tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from offline_engine import PolicyPackProcess


@pytest.fixture(scope="session")
def pack() -> Iterator[PolicyPackProcess]:
    """One pack process for the whole session; each test configures it explicitly."""
    with PolicyPackProcess() as process:
        yield process
