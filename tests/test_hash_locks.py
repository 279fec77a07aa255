"""The hash-locked requirement files the privileged jobs install (.github/requirements/).

Offline, these tests cannot re-resolve the locks (`make hash-lock` does, against PyPI); they
check what can go wrong between two runs of it: a requirement without a hash or a pin, a
version other than the one the tests ran with (constraints.txt), a dev tool on the deploy path,
a runtime dependency added to requirements.txt but not to the deploy lock's input.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / ".github" / "requirements"
NAMES = ("deploy", "publish", "integration")
REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+) \\$")
HASH = re.compile(r"^\s+--hash=sha256:[0-9a-f]{64}(?: \\)?$")
DEV_TOOLS = {"pytest", "hypothesis", "ruff", "mypy", "zizmor", "authlib", "requests"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock(name: str) -> dict[str, str]:
    """Package -> version of one lock file, checking that every requirement carries hashes."""
    pins: dict[str, str] = {}
    lines = (LOCKS / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if not line or line.lstrip().startswith("#") or line.startswith("    --hash"):
            continue
        match = REQUIREMENT.match(line)
        assert match, f"{name}.txt:{index + 1}: not `name==version \\`: {line!r}"
        hashes = 0
        for following in lines[index + 1 :]:
            if not HASH.match(following):
                break
            hashes += 1
        assert hashes, f"{name}.txt:{index + 1}: {match['name']} has no sha256 hash"
        pins[canonical(match["name"])] = match["version"]
    return pins


def pinned(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line):
            out[canonical(m[1])] = m[2]
    return out


def direct_names(path: Path) -> set[str]:
    """Requirement names a requirements file lists itself (no -r, -c or -e lines)."""
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            out.add(canonical(re.split(r"[=<>!~\[ ]", line, maxsplit=1)[0]))
    return out


BUILD_BACKEND = tomllib.loads((ROOT / "policies" / "pyproject.toml").read_text())["build-system"][
    "requires"
]


@pytest.mark.parametrize("name", NAMES)
def test_every_requirement_is_pinned_and_hashed(name: str) -> None:
    assert lock(name)


@pytest.mark.parametrize("name", NAMES)
def test_the_locks_install_what_the_tests_ran_with(name: str) -> None:
    tested = pinned(ROOT / "constraints.txt")
    for package, version in lock(name).items():
        if package == "setuptools":  # not in `pip freeze`; pinned to the pack's build backend
            assert [f"setuptools=={version}"] == BUILD_BACKEND
            continue
        assert tested.get(package) == version, f"{name}: {package}=={version}, tested {tested}"


def test_the_deploy_path_has_the_runtime_and_no_dev_tool() -> None:
    deploy = set(lock("deploy"))
    assert not deploy & DEV_TOOLS
    assert not [p for p in deploy if p.startswith("types-")]
    runtime = direct_names(ROOT / "requirements.txt") | direct_names(
        ROOT / "policies" / "requirements.txt"
    )
    assert runtime <= deploy


def test_the_deploy_input_lists_every_runtime_requirement() -> None:
    """A dependency added to requirements.txt must reach the deploy lock too."""
    assert direct_names(LOCKS / "deploy.in") == direct_names(ROOT / "requirements.txt") | {
        "setuptools"
    }


def test_the_publish_lock_is_the_packs_requirements_alone() -> None:
    publish = set(lock("publish"))
    assert direct_names(ROOT / "policies" / "requirements.txt") <= publish
    assert publish <= set(lock("deploy"))
    assert "pulumi-aws" not in publish


def test_the_integration_lock_has_the_whole_dev_toolchain() -> None:
    dev = direct_names(ROOT / "requirements-dev.txt") | direct_names(ROOT / "requirements.txt")
    assert direct_names(LOCKS / "integration.in") == dev | {"setuptools"}
    assert dev <= set(lock("integration"))


def test_the_install_script_checks_every_hash_and_builds_nothing() -> None:
    script = (ROOT / ".github" / "scripts" / "install_locked.sh").read_text()
    lines = [line for line in script.splitlines() if not line.startswith("#")]
    install = next(line for line in lines if "--require-hashes" in line)
    assert "--only-binary :all:" in install
    assert "--no-deps" in install
    assert ".venv/bin/python -m pip check" in script


def test_make_hash_lock_compiles_every_lock() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "for name in deploy publish integration; do" in makefile
    assert "--generate-hashes" in makefile
    assert sorted(p.stem for p in LOCKS.glob("*.in")) == sorted(NAMES)
    for name in NAMES:
        header = (LOCKS / f"{name}.txt").read_text().splitlines()[:6]
        assert "autogenerated by pip-compile with Python 3.11" in header[1]
        assert f"--output-file=.github/requirements/{name}.txt" in header[4]
