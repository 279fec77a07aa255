"""The plugin folder declares everything it needs and imports nothing else.

`pulumi package add` fetches `provider/` and builds its venv from `pyproject.toml` and
`requirements.txt` alone; the pack's model comes from the pack's own distribution at the pack's
release tag, never from a file beside the folder.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

import yaml

from tests.package.conftest import PLUGIN_DIR, ROOT

REQUIREMENTS = (PLUGIN_DIR / "requirements.txt").read_text(encoding="utf-8").splitlines()
PACK_LINE = re.compile(
    r"^apigw-cognito-guard @ git\+https://github\.com/(?P<org>[\w.-]+)/secured-m2m-api\.git"
    r"@policy-v(?P<version>\d+\.\d+\.\d+)#subdirectory=policies$"
)
# What the package may import: the standard library, its declared requirements, itself, and of
# the pack only the model (the pack's rules need pulumi-policy, which the plugin does not have).
ALLOWED = {"pulumi", "pulumi_aws", "yaml", "secured_m2m_api"}


def _pins(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", line)
        if match:
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def test_the_folder_is_a_python_component_provider() -> None:
    assert yaml.safe_load((PLUGIN_DIR / "PulumiPlugin.yaml").read_text()) == {"runtime": "python"}
    main = (PLUGIN_DIR / "__main__.py").read_text(encoding="utf-8")
    assert "from secured_m2m_api.provider import serve" in main
    project = tomllib.loads((PLUGIN_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["build-system"]["build-backend"]  # the language host `pip install`s it


def test_its_requirements_pin_what_the_tests_run_with() -> None:
    tested = _pins((ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines())
    pins = _pins(REQUIREMENTS)
    assert set(pins) == {"pulumi", "pulumi-aws", "pyyaml", "grpcio"}
    assert all(tested[name] == version for name, version in pins.items()), pins


def test_the_pack_comes_from_this_repository_at_the_packs_release_tag() -> None:
    (line,) = [line for line in REQUIREMENTS if line.startswith("apigw-cognito-guard")]
    match = PACK_LINE.match(line)
    assert match, line
    pack = tomllib.loads((ROOT / "policies" / "pyproject.toml").read_text(encoding="utf-8"))
    assert match["version"] == pack["project"]["version"]
    assert (
        yaml.safe_load((ROOT / "policies" / "PulumiPolicy.yaml").read_text())["version"]
        == (match["version"])
    )


def test_the_package_imports_only_what_the_folder_declares() -> None:
    stdlib = sys.stdlib_module_names
    for path in sorted(PLUGIN_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "apigw_guard":
                    assert name.startswith("apigw_guard.model"), f"{path.name}: {name}"
                else:
                    assert top in stdlib or top in ALLOWED or top == "__future__", (
                        f"{path.relative_to(ROOT)} imports {name}"
                    )


def test_no_component_module_postpones_its_annotations() -> None:
    # The SDK infers the schema from annotations it reads as types; `from __future__ import
    # annotations` makes them strings, and the provider dies at start with "'str' object has
    # no attribute '__mro__'" (pulumi 3.272 `provider/experimental/analyzer.py`).
    from secured_m2m_api.provider import COMPONENTS

    modules = {sys.modules[c.__module__] for c in COMPONENTS} | {
        sys.modules["secured_m2m_api.plan_output"]
    }
    for module in modules:
        tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
        future = [
            alias.name
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module == "__future__"
            for alias in node.names
        ]
        assert "annotations" not in future, module.__name__
