"""Tiny throw-away Pulumi projects that build one component alone, run with the harness."""

from __future__ import annotations

import textwrap
from pathlib import Path

from offline_engine import CapturedStack, RecordingMonitor, run_program


def run_component_program(
    tmp_path: Path,
    program: str,
    region: str = "eu-west-1",
    monitor: RecordingMonitor | None = None,
) -> CapturedStack:
    """Write `program` as `__main__.py` of a fresh project in `tmp_path` and run it under mocks."""
    (tmp_path / "Pulumi.yaml").write_text(
        "name: component-test\nruntime: python\n", encoding="utf-8"
    )
    (tmp_path / "__main__.py").write_text(textwrap.dedent(program), encoding="utf-8")
    return run_program(
        "test", project_dir=tmp_path, config_overrides={"aws:region": region}, monitor=monitor
    )
