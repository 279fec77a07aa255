# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The fixture corpus over the protocol: every bypass blocked, every compliant setup silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_engine import PolicyPackProcess
from tests.policies.corpus import Fixture, load_corpus
from tests.policies.stack_shapes import POOL_ADVISORY

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BYPASSES = load_corpus(FIXTURES / "bypasses.yaml")
COMPLIANT = load_corpus(FIXTURES / "compliant.yaml")


def run(pack: PolicyPackProcess, fixture: Fixture):
    # Declared levels, as the CLI sends them for a pack without stack config. An allowlist set
    # on a guarantee policy is set on the pool advisory too, as its README section advises (a
    # policy reads only its own config).
    config = dict(fixture.config)
    for settings in fixture.config.values():
        if "allowedUserPoolArns" in settings:
            config[POOL_ADVISORY] = {"allowedUserPoolArns": settings["allowedUserPoolArns"]}
    pack.configure(config=config, default_level=None)
    return pack.analyze_all(list(fixture.resources))


@pytest.mark.parametrize("fixture", BYPASSES, ids=[f.name for f in BYPASSES])
def test_bypass_is_blocked_by_one_mandatory_policy(pack: PolicyPackProcess, fixture: Fixture):
    diags = run(pack, fixture)
    mandatory = [d for d in diags if d.mandatory]
    assert mandatory, f"{fixture.name}: not blocked; diagnostics: {diags}"
    assert {d.policy_name for d in mandatory} == {fixture.expect}, (
        f"{fixture.name}: expected only {fixture.expect} to block, got {mandatory}"
    )
    text = "\n".join(d.message for d in mandatory)
    for fragment in fixture.message:
        assert fragment in text, f"{fixture.name}: {fragment!r} not in {text!r}"
    assert "Fix:" in text


@pytest.mark.parametrize("fixture", COMPLIANT, ids=[f.name for f in COMPLIANT])
def test_compliant_fixture_passes_silently(pack: PolicyPackProcess, fixture: Fixture):
    diags = run(pack, fixture)
    # A fixture is one API trusting a pool created elsewhere; without an allowlist that earns
    # item 9's advisory (tested in test_user_pool_advisories.py), and nothing else may be said.
    assert [d for d in diags if d.policy_name != POOL_ADVISORY] == []
    for diag in diags:
        assert diag.enforcement_level == "advisory", diag
        assert "which no user pool of this stack is" in diag.message, diag
