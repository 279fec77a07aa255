"""The client stands apart from the program and the report: it imports `requests`, the standard
library and the one neutral command-line helper (`cli_support`), and nothing imports it but its
own command and the tests."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"m2m_client", "cli_support", "requests"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def test_the_client_imports_only_requests_the_standard_library_and_cli_support() -> None:
    for module in sorted((ROOT / "m2m_client").glob("*.py")):
        outside = _imports(module) - ALLOWED - set(sys.stdlib_module_names)
        assert not outside, f"{module.name} imports {sorted(outside)}"


def test_no_other_part_of_the_repository_imports_the_client() -> None:
    for folder in ("report", "components", "offline_engine", "preflight", "cli_support"):
        for module in sorted((ROOT / folder).rglob("*.py")):
            assert "m2m_client" not in _imports(module), module.relative_to(ROOT)
    assert "m2m_client" not in _imports(ROOT / "__main__.py")
