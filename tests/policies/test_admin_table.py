"""policies/README's admin table names every property of every policy's config schema."""

from __future__ import annotations

import re
from pathlib import Path

from apigw_guard.pack import POLICIES

README = Path(__file__).resolve().parents[2] / "policies" / "README.md"


def _table() -> set[tuple[str, str]]:
    section = README.read_text(encoding="utf-8").split("### Configuration", 1)[1]
    section = section.split("\n### ", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| `([A-Za-z]+)` \|", section, flags=re.MULTILINE)
    return set(rows)


def _schemas() -> set[tuple[str, str]]:
    return {
        (policy.name, prop)
        for policy in POLICIES
        if policy.config_schema is not None
        for prop in policy.config_schema.properties
    }


def test_every_property_of_every_policy_is_in_the_admin_table():
    assert _table() == _schemas()


def test_the_admin_section_gives_the_exact_commands():
    text = README.read_text(encoding="utf-8")
    for command in (
        "cd policies && pulumi policy publish <org>",
        "pulumi policy enable <org>/apigw-cognito-guard latest --config policy-config.json",
        "pulumi preview --policy-pack policies --policy-pack-config policy-config.json",
        "pulumi policy analyze --file prod.json --policy-pack policies",
    ):
        assert command in text, command
    assert "pulumi policy publish policies" not in text  # `policies` would be the organisation
