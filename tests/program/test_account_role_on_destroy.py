"""`pulumi destroy` with manageApiGatewayAccount leaves the account's CloudWatch setting valid.

pulumi-aws 7.x is built on the Terraform AWS provider v6, whose `aws_api_gateway_account` no
longer has `reset_on_delete`: destroying the Account always resets the account-wide API
Gateway settings, clearing the CloudWatch role for every API in that account and region; and
destroying the role would leave a retained setting pointing at a deleted role. The program
retains the Account resource, the role and its policy attachment on delete instead.
"""

from __future__ import annotations

import pytest

from offline_engine import CapturedStack, run_program

ACCOUNT_TYPES = {
    "aws:iam/role:Role",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:apigateway/account:Account",
}


@pytest.fixture(scope="module")
def managed() -> CapturedStack:
    return run_program("dev", config_overrides={"manageApiGatewayAccount": True})


def test_the_role_its_policy_and_the_account_setting_are_retained_on_delete(
    managed: CapturedStack,
) -> None:
    registered = {r.type: r for r in managed.custom_resources if r.type in ACCOUNT_TYPES}
    assert set(registered) == ACCOUNT_TYPES
    for type_, record in registered.items():
        assert record.retain_on_delete, f"{record.urn} ({type_}) would be deleted by destroy"


def test_nothing_else_is_retained(managed: CapturedStack) -> None:
    # Retaining is for the shared account setting only: the stack's own API and identity go.
    others = [r for r in managed.custom_resources if r.type not in ACCOUNT_TYPES]
    assert others
    assert [r.urn for r in others if r.retain_on_delete] == []
