# mypy: allow-untyped-defs
"""The provider folder alone, with a fresh venv from its own declarations, serves and builds.

`provider/check_standalone.sh` does what `pulumi package add <git URL>/provider@<tag>` does with
the folder, from a copy of the repository's tracked files as a fresh clone has them.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.tracked_copy import copy_tracked_files


@pytest.mark.slow
def test_the_provider_folder_alone_serves_the_schema_and_builds_the_pattern(tmp_path):
    clone = copy_tracked_files(tmp_path / "clone")
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
