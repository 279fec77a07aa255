# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The pack, copied alone with a fresh venv from its own requirements, starts and blocks.

Run from a copy of the repository's tracked files, as a fresh clone has them (no `.venv`),
which is where 0.2's script stopped with exit 127.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.tracked_copy import copy_tracked_files


@pytest.mark.slow
def test_pack_copied_alone_blocks_an_open_method_from_a_fresh_clone(tmp_path):
    clone = copy_tracked_files(tmp_path / "clone")
    assert not (clone / ".venv").exists()
    env = {k: v for k, v in os.environ.items() if k not in ("CLIENT_PYTHON", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(clone / "policies" / "check_standalone.sh")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "blocked GET with authorization NONE before it exists" in result.stdout
