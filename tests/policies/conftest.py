# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Shared pack process for the protocol tests, and the `slow` marker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from offline_engine import PolicyPackProcess


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: builds a fresh virtualenv for the pack (about a minute); "
        "deselect with -m 'not slow'",
    )


@pytest.fixture(scope="session")
def pack() -> Iterator[PolicyPackProcess]:
    """One pack process for the whole session; each test configures it explicitly."""
    with PolicyPackProcess() as process:
        yield process
