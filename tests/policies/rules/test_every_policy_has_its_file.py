"""Each policy module of the pack has its test file here, named after it, and the pack serves
exactly the policies of those modules."""

from __future__ import annotations

import importlib
from pathlib import Path

import apigw_guard.rules
from apigw_guard.pack import POLICIES

RULES = Path(apigw_guard.rules.__file__).resolve().parent
HERE = Path(__file__).resolve().parent


def rule_modules() -> set[str]:
    return {p.stem for p in RULES.glob("*.py") if p.stem != "__init__"}


def test_every_policy_module_has_its_test_file():
    tested = {p.stem.removeprefix("test_") for p in HERE.glob("test_*.py")}
    assert rule_modules() - tested == set()


def test_the_pack_serves_one_policy_per_module():
    served = {importlib.import_module(f"apigw_guard.rules.{m}").policy.name for m in rule_modules()}
    assert served == {p.name for p in POLICIES}
    assert len(POLICIES) == len(rule_modules())
