# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The pack, copied alone with a fresh venv from its own requirements, starts and blocks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "policies" / "check_standalone.sh"


@pytest.mark.slow
def test_pack_copied_alone_with_its_own_requirements_blocks_an_open_method():
    result = subprocess.run([str(SCRIPT)], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: standalone pack" in result.stdout
