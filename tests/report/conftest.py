"""Shared fixtures of the report tests: a scratch copy of the project whose stack files vary."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEV = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]

WriteStack = Callable[..., Path]


@pytest.fixture
def scratch_project(tmp_path: Path) -> WriteStack:
    """A copy of the project whose stack files the test writes (the code is linked, not copied).

    `write_stack(name, **overrides)` writes `Pulumi.<name>.yaml`: the dev stack's config with
    the given keys of the project's namespace replaced (None removes one).
    """
    for name in ("__main__.py", "components", "api", "policies"):
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path / "Pulumi.yaml")

    def write_stack(name: str, **overrides: Any) -> Path:
        config = dict(DEV)
        for key, value in overrides.items():
            full = f"secured-m2m-api:{key}"
            if value is None:
                config.pop(full, None)
            else:
                config[full] = value
        (tmp_path / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump({"config": config}))
        return tmp_path

    return write_stack
