# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The pack, copied alone with a fresh venv from its own requirements, starts and blocks.

Run from a copy of the repository's tracked files, as a fresh clone has them (no `.venv`),
which is where 0.2's script stopped with exit 127.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_pack_copied_alone_blocks_an_open_method_from_a_fresh_clone(tmp_path):
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    clone = tmp_path / "clone"
    for name in filter(None, tracked):
        source = REPO / os.fsdecode(name)
        if source.is_file():
            target = clone / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
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
