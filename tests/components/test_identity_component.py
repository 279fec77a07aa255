"""M2MIdentity on its own: a new pool with its domain, or an existing pool read by id."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_engine import CapturedStack, inputs_of, new_monitor
from offline_engine.mocks import EXISTING_POOL_DOMAIN
from secured_m2m_api.config_values import ConfigError
from secured_m2m_api.identity import TYPE_TOKEN
from tests.components.component_projects import run_component_program

PROGRAM = """
import pulumi
from secured_m2m_api.identity import M2MIdentity

identity = M2MIdentity("idp", {args})
pulumi.export("token_endpoint", identity.token_endpoint)
pulumi.export("user_pool_id", identity.user_pool_id)
pulumi.export("user_pool_arn", identity.user_pool_arn)
"""
NEW = {"domain_prefix": "unit-test-idp", "deletion_protection": True, "tags": {"team": "idp"}}
EXISTING = "eu-west-1_Shared0001"


def _run(tmp_path: Path, args: dict[str, object]) -> CapturedStack:
    return run_component_program(tmp_path, PROGRAM.format(args=repr(args)))


@pytest.fixture(scope="module")
def new_pool(tmp_path_factory: pytest.TempPathFactory) -> CapturedStack:
    return _run(tmp_path_factory.mktemp("identity"), NEW)


def test_a_new_pool_and_its_domain_are_the_components_children(new_pool: CapturedStack) -> None:
    component = new_pool.one(TYPE_TOKEN)
    assert sorted((r.type, r.name) for r in new_pool.custom_resources) == [
        ("aws:cognito/userPool:UserPool", "idp-pool"),
        ("aws:cognito/userPoolDomain:UserPoolDomain", "idp-domain"),
    ]
    assert all(r.parent == component.urn for r in new_pool.custom_resources)


def test_the_new_pool_is_admin_only_protected_and_tagged(new_pool: CapturedStack) -> None:
    pool = inputs_of(new_pool.one("aws:cognito/userPool:UserPool"))
    assert pool["adminCreateUserConfig"] == {"allowAdminCreateUserOnly": True}
    assert pool["deletionProtection"] == "ACTIVE"
    assert pool["tags"] == {"team": "idp"}
    assert new_pool.outputs["token_endpoint"].value == (
        "https://unit-test-idp.auth.eu-west-1.amazoncognito.com/oauth2/token"
    )
    assert new_pool.outputs["user_pool_arn"].value.endswith(
        f"userpool/{new_pool.outputs['user_pool_id'].value}"
    )


def test_an_existing_pool_is_read_not_created_and_serves_its_own_domain(tmp_path: Path) -> None:
    stack = _run(tmp_path, {"existing_user_pool_id": EXISTING})
    (pool,) = stack.custom_resources
    assert (pool.type, pool.external, pool.id) == (
        "aws:cognito/userPool:UserPool",
        True,
        EXISTING,
    )
    assert stack.outputs["user_pool_id"].value == EXISTING
    assert stack.outputs["token_endpoint"].value == (
        f"https://{EXISTING_POOL_DOMAIN}.auth.eu-west-1.amazoncognito.com/oauth2/token"
    )


def test_a_domain_prefix_with_an_existing_pool_creates_that_domain_on_it(tmp_path: Path) -> None:
    stack = _run(tmp_path, {"existing_user_pool_id": EXISTING, "domain_prefix": "team-b"})
    domain = inputs_of(stack.one("aws:cognito/userPoolDomain:UserPoolDomain"))
    assert domain == {"domain": "team-b", "userPoolId": EXISTING}
    assert stack.outputs["token_endpoint"].value.startswith("https://team-b.auth.")


def test_an_existing_pool_without_a_domain_fails_naming_the_fix(tmp_path: Path) -> None:
    with pytest.raises(Exception, match=r"has no Cognito domain.*set domainPrefix"):
        _run(tmp_path, {"existing_user_pool_id": "eu-west-1_NoDomain01"})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({}, r"^domainPrefix: required"),
        ({"domain_prefix": "Bad_Prefix"}, r"^domainPrefix: 'Bad_Prefix' is not a valid"),
        (
            {"existing_user_pool_id": "arn:aws:cognito-idp:eu-west-1:1:userpool/x"},
            r"^existingUserPoolId: 'arn:aws.*' is not a Cognito user pool id",
        ),
        (
            {"existing_user_pool_id": EXISTING, "deletion_protection": True},
            r"^deletionProtection: set on the existing pool",
        ),
        ({"domain_prefix": "ok-prefix", "deletion_protection": "yes"}, r"^deletionProtection:"),
    ],
)
def test_bad_input_is_refused_before_any_child(
    tmp_path: Path, args: dict[str, object], message: str
) -> None:
    monitor = new_monitor({"aws:region": "eu-west-1"})
    with pytest.raises(ConfigError, match=message):
        run_component_program(tmp_path, PROGRAM.format(args=repr(args)), monitor=monitor)
    assert monitor.records == []
