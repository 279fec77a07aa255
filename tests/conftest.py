"""The dev stack, run under mocks once per session and shared by every test folder."""

from __future__ import annotations

import pytest

from offline_engine import CapturedStack, run_program


@pytest.fixture(scope="session")
def dev() -> CapturedStack:
    """`pulumi up` of the dev stack, as the CLI would run it."""
    return run_program("dev")


@pytest.fixture(scope="session")
def dev_preview() -> CapturedStack:
    """`pulumi preview` of the dev stack: computed attributes unknown."""
    return run_program("dev", preview=True)
