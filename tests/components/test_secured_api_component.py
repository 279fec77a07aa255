"""SecuredRestApi on its own: REST API, guarded body, deployment, hardened stage."""

from __future__ import annotations

import json

import pytest

from apigw_guard.model.body_summary import summarize_body
from apigw_guard.model.document import iter_operations
from offline_engine import CapturedStack, inputs_of
from secured_m2m_api.secured_api import TYPE_TOKEN
from tests.components.component_projects import run_component_program

ARN = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_unit"
IDENTIFIER = "https://orders.example.com"
SPEC = {
    "swagger": "2.0",
    "info": {"title": "Orders", "version": "1"},
    "security": [{"ignored": []}],
    "paths": {
        "/orders": {
            "get": {"responses": {}},
            "delete": {"responses": {}},
            "options": {"x-amazon-apigateway-integration": {"type": "mock"}},
        }
    },
}

PROGRAM = """
import json
import pulumi
from secured_m2m_api.openapi_body import plan_api
from secured_m2m_api.secured_api import SecuredRestApi, SecuredRestApiArgs

plan = plan_api(json.loads({spec!r}), {{"DELETE /orders": ["admin"]}}, ["read", "write", "admin"])
api = SecuredRestApi(
    "orders",
    SecuredRestApiArgs(
        plan=plan,
        user_pool_arn={arn!r},
        resource_server_identifier={identifier!r},
        stage_name="live",
        log_retention_days=7,
        throttling_rate_limit=2.5,
        throttling_burst_limit=5,
        security_policy="TLS_1_2",
        endpoint_access_mode=None,
    ),
)
pulumi.export("invoke_url", api.invoke_url)
pulumi.export("rest_api_id", api.rest_api_id)
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> CapturedStack:
    program = PROGRAM.format(spec=json.dumps(SPEC), arn=ARN, identifier=IDENTIFIER)
    return run_component_program(tmp_path_factory.mktemp("api"), program)


def test_children_are_parented_and_named_after_the_component(api: CapturedStack) -> None:
    component = api.one(TYPE_TOKEN)
    assert sorted(r.name for r in api.custom_resources) == [
        "orders-access-logs",
        "orders-body",
        "orders-deployment",
        "orders-execution-logs",
        "orders-method-settings",
        "orders-rest-api",
        "orders-stage",
    ]
    assert all(r.parent == component.urn for r in api.custom_resources)


def test_body_guards_every_operation_with_the_given_pool_and_identifier(
    api: CapturedStack,
) -> None:
    body = json.loads(inputs_of(api.one("aws:apigateway/restApiPut:RestApiPut"))["body"])
    assert body["securityDefinitions"]["cognito-m2m"]["x-amazon-apigateway-authorizer"] == {
        "type": "cognito_user_pools",
        "providerARNs": [ARN],
    }
    assert "security" not in body
    scopes = {op.key: op.definition["security"][0]["cognito-m2m"] for op in iter_operations(body)}
    assert scopes == {
        "GET /orders": [f"{IDENTIFIER}/read"],
        "DELETE /orders": [f"{IDENTIFIER}/admin"],
    }
    assert all(v.protected for v in summarize_body(body).operations)


def test_invoke_url_is_the_stage_url_of_the_rest_api(api: CapturedStack) -> None:
    api_id = api.outputs["rest_api_id"].value
    assert api.outputs["invoke_url"].value == (
        f"https://{api_id}.execute-api.eu-west-1.amazonaws.com/live"
    )


def test_stage_log_group_and_throttling_follow_args(api: CapturedStack) -> None:
    assert inputs_of(api.one("aws:apigateway/stage:Stage"))["stageName"] == "live"
    assert inputs_of(api.by_name("orders-access-logs"))["retentionInDays"] == 7
    assert inputs_of(api.one("aws:apigateway/restApi:RestApi"))["name"] == "Orders"
    settings = inputs_of(api.one("aws:apigateway/methodSettings:MethodSettings"))["settings"]
    assert settings["throttlingRateLimit"] == 2.5
    assert settings["throttlingBurstLimit"] == 5
