"""`make report` parses the spec once, though it runs the program twice in preview: a 4 MB YAML
spec costs seconds per parse (`make bench-program`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from apigw_guard.model.body_text import parse_body_text
from report.run import build_report
from secured_m2m_api import spec_reader

ROOT = Path(__file__).resolve().parents[2]


def test_a_preview_report_parses_the_spec_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("__main__.py", "components", "api", "policies"):
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    spec = tmp_path / "spec.yaml"
    spec.write_text((ROOT / "api/petstore.yaml").read_text() + "\n# read once\n")
    config = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]
    config["secured-m2m-api:specPath"] = str(spec)
    (tmp_path / "Pulumi.once.yaml").write_text(yaml.safe_dump({"config": config}))
    parsed: list[str] = []

    def counting(text: str, source: str, **kw: bool) -> object:
        parsed.append(source)
        return parse_body_text(text, source, **kw)

    monkeypatch.setattr(spec_reader, "parse_body_text", counting)
    report = build_report("once", project_dir=tmp_path, preview=True)
    assert [r.key for r in report.matrix.rows] == [
        "GET /",
        "GET /pets",
        "POST /pets",
        "GET /pets/{petId}",
    ]
    assert parsed == [str(spec)]
