"""policies/README's layout table names every module of the pack, and only those."""

from __future__ import annotations

import re
from pathlib import Path

PACK = Path(__file__).resolve().parents[2] / "policies"
CODE = PACK / "apigw_guard"


def test_the_layout_table_names_every_module_and_no_other():
    text = (PACK / "README.md").read_text(encoding="utf-8")
    layout = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([a-z_/<>]+\.py)` \| \S", layout, flags=re.MULTILINE))
    modules = {
        p.relative_to(CODE).as_posix()
        for p in CODE.rglob("*.py")
        if p.name != "__init__.py" and p.parent.name != "rules"
    }
    assert listed - {"rules/<policy>.py"} == modules
