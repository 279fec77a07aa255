"""The report's policy pack: started while the program runs, never left running afterwards."""

from __future__ import annotations

import os
from typing import Any

import pytest

import offline_engine
import report.run
from offline_engine import PolicyPackProcess
from secured_m2m_api.config_values import ConfigError


class _RecordingPack(PolicyPackProcess):
    """A real pack that remembers its process id and the order of lifecycle events."""

    instances: list[_RecordingPack] = []  # noqa: RUF012 - test bookkeeping

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.events: list[str] = []
        self.spawned_pid: int | None = None
        _RecordingPack.instances.append(self)

    def spawn(self) -> PolicyPackProcess:
        result = super().spawn()
        self.spawned_pid = self.pid
        self.events.append("spawn")
        return result

    def connect(self) -> PolicyPackProcess:
        self.events.append("connect")
        return super().connect()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def recording_pack(monkeypatch: pytest.MonkeyPatch) -> list[_RecordingPack]:
    _RecordingPack.instances = []
    monkeypatch.setattr(report.run, "PolicyPackProcess", _RecordingPack)
    return _RecordingPack.instances


def test_the_pack_is_spawned_before_the_program_runs(
    recording_pack: list[_RecordingPack], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run_program = offline_engine.run_program

    def run_program(*args: Any, **kwargs: Any) -> Any:
        recording_pack[0].events.append("program")
        return real_run_program(*args, **kwargs)

    monkeypatch.setattr(report.run, "run_program", run_program)
    built = report.run.build_report("dev")
    assert built.matrix.rows
    (pack,) = recording_pack
    assert pack.events == ["spawn", "program", "connect"]
    assert pack.spawned_pid is not None
    assert not _process_exists(pack.spawned_pid), "the pack outlived a successful report"


def test_no_pack_outlives_a_run_the_program_refuses(
    recording_pack: list[_RecordingPack],
) -> None:
    with pytest.raises(ConfigError, match=r"^stageName: "):
        report.run.build_report("dev", config_overrides={"stageName": "v1/beta"})
    (pack,) = recording_pack
    assert pack.events == ["spawn"]
    assert pack.spawned_pid is not None
    assert pack.pid is None
    assert not _process_exists(pack.spawned_pid), "the pack outlived a failed report"


def test_stop_terminates_the_pack_before_closing_its_channel() -> None:
    pack = PolicyPackProcess().start()
    process_alive_at_close: list[bool] = []
    channel: Any = pack._channel
    pid: int = pack.pid or 0
    assert channel is not None
    assert pid

    class _Channel:
        def close(self) -> None:
            process_alive_at_close.append(_process_exists(pid))
            channel.close()

    pack._channel = _Channel()
    pack.stop()
    assert process_alive_at_close == [False]
    assert not pack.running
    pack.stop()  # a second stop is harmless
