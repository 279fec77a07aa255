"""Preview with unknown values, an explicit identifier, and the account-wide CloudWatch switch."""

from __future__ import annotations

from apigw_guard.model.document import iter_operations
from offline_engine import COMPUTED, CapturedStack, inputs_of, run_program

from .conftest import EXPLICIT_IDENTIFIER, body_of


def test_preview_completes_with_the_pool_arn_and_body_unknown(dev_preview: CapturedStack) -> None:
    assert dev_preview.preview
    assert dev_preview.outputs["user_pool_arn"].value is COMPUTED
    assert inputs_of(dev_preview.one("aws:apigateway/restApiPut:RestApiPut"))["body"] is COMPUTED
    assert [r.type for r in dev_preview.custom_resources].count(
        "aws:cognito/userPoolClient:UserPoolClient"
    ) == 2
    assert dev_preview.outputs["client_secrets"].secret


def test_the_plan_is_known_at_preview_and_the_same_as_at_up(
    dev: CapturedStack, dev_preview: CapturedStack
) -> None:
    # What the program decided depends on the spec and the config alone, never on AWS's ids.
    assert dev_preview.outputs["api_plan"] == dev.outputs["api_plan"]


def test_preview_registers_the_same_resources_as_up(
    dev: CapturedStack, dev_preview: CapturedStack
) -> None:
    assert sorted(r.urn for r in dev_preview.resources) == sorted(r.urn for r in dev.resources)


def test_explicit_identifier_is_used_for_server_clients_and_body(
    dev_with_identifier: CapturedStack,
) -> None:
    stack = dev_with_identifier
    server = stack.one("aws:cognito/resourceServer:ResourceServer")
    assert inputs_of(server)["identifier"] == EXPLICIT_IDENTIFIER
    # A configured identifier does not wait for the API: the server depends on no API resource.
    assert not [urn for urn in server.dependencies if ":apigateway/" in urn]
    for op in iter_operations(body_of(stack)):
        for scope in op.definition["security"][0]["cognito-m2m"]:
            assert scope.startswith(f"{EXPLICIT_IDENTIFIER}/"), op.key
    for client in stack.of_type("aws:cognito/userPoolClient:UserPoolClient"):
        for scope in inputs_of(client)["allowedOauthScopes"]:
            assert scope.startswith(f"{EXPLICIT_IDENTIFIER}/"), client.urn
    assert stack.outputs["scope_identifiers"].value["read"] == f"{EXPLICIT_IDENTIFIER}/read"


def test_account_cloudwatch_role_is_managed_only_when_switched_on() -> None:
    stack = run_program("dev", config_overrides={"manageApiGatewayAccount": True})
    account = inputs_of(stack.one("aws:apigateway/account:Account"))
    role = stack.one("aws:iam/role:Role")
    assert account["cloudwatchRoleArn"].endswith(f":role/{role.id}")
    # depends_on a component means on its children: the stage waits for the account setting.
    stage = stack.one("aws:apigateway/stage:Stage")
    assert stack.one("aws:apigateway/account:Account").urn in stage.dependencies


def test_deletion_protection_follows_config() -> None:
    stack = run_program("dev", config_overrides={"deletionProtection": True})
    assert inputs_of(stack.one("aws:cognito/userPool:UserPool"))["deletionProtection"] == "ACTIVE"


def test_repeated_runs_in_one_process_are_isolated(dev: CapturedStack) -> None:
    first = run_program("dev", config_overrides={"stageName": "prod"})
    second = run_program("dev")
    assert inputs_of(first.one("aws:apigateway/stage:Stage"))["stageName"] == "prod"
    assert inputs_of(second.one("aws:apigateway/stage:Stage"))["stageName"] == "v1"
    assert len(second.resources) == len(dev.resources)
    assert second.outputs["invoke_url"] == dev.outputs["invoke_url"]
