"""Fixtures for the offline client tests; the fakes themselves live in fakes.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .fakes import FakeClock, FakeCognito, SleepRecorder, start_server


@pytest.fixture
def cognito() -> Iterator[FakeCognito]:
    state = FakeCognito()
    server, thread = start_server(state)
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleep(clock: FakeClock) -> SleepRecorder:
    return SleepRecorder(clock)
