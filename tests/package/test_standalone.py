# mypy: allow-untyped-defs
"""The provider folder alone, with a fresh venv from its own declarations, serves and builds.

`provider/check_standalone.sh` does what `pulumi package add <git URL>/provider@<tag>` does with
the folder, from a copy of the repository's tracked files as a fresh clone has them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_provider_folder_alone_serves_the_schema_and_builds_the_pattern(tmp_path):
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
    # This checkout's venv plays the engine (it has offline_engine's dependencies).
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["CLIENT_PYTHON"] = sys.executable
    result = subprocess.run(
        [str(clone / "provider" / "check_standalone.sh")],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert "served the golden schema and built a SecuredM2MApi of 13 resources" in result.stdout
