"""SecuredRestApi on its own: resource server, REST API, guarded body, deployment, stage."""

from __future__ import annotations

import json

import pytest

from apigw_guard.model.body_summary import summarize_body
from apigw_guard.model.document import iter_operations
from offline_engine import CapturedStack, inputs_of
from secured_m2m_api.secured_api import TYPE_TOKEN, scope_identifier_map
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
import pulumi
from secured_m2m_api.secured_api import SecuredRestApi

api = SecuredRestApi(
    "orders",
    {{
        "user_pool_id": "eu-west-1_unit",
        "user_pool_arn": {arn!r},
        "spec": {spec!r},
        "scopes": {{"read": "r", "write": "w", "admin": "a"}},
        "operation_scopes": {{"DELETE /orders": ["admin"]}},
        "resource_server_identifier": {identifier!r},
        "stage_name": "live",
        "log_retention_days": 7,
        "throttling_rate_limit": 2.5,
        "throttling_burst_limit": 5,
        "tags": {{"team": "orders"}},
    }},
)
pulumi.export("api_url", api.api_url)
pulumi.export("rest_api_id", api.rest_api_id)
pulumi.export("scope_identifiers", api.scope_identifiers)
pulumi.export("api_plan", api.api_plan)
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
        "orders-resource-server",
        "orders-rest-api",
        "orders-stage",
    ]
    assert all(r.parent == component.urn for r in api.custom_resources)


def test_the_resource_server_is_the_apis_own_on_the_given_pool(api: CapturedStack) -> None:
    server = inputs_of(api.one("aws:cognito/resourceServer:ResourceServer"))
    assert server["userPoolId"] == "eu-west-1_unit"
    assert server["identifier"] == IDENTIFIER
    assert [s["scopeName"] for s in server["scopes"]] == ["read", "write", "admin"]
    assert api.outputs["scope_identifiers"].value == {
        name: f"{IDENTIFIER}/{name}" for name in ("read", "write", "admin")
    }


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


def test_api_url_is_the_stage_url_of_the_rest_api(api: CapturedStack) -> None:
    api_id = api.outputs["rest_api_id"].value
    assert api.outputs["api_url"].value == (
        f"https://{api_id}.execute-api.eu-west-1.amazonaws.com/live"
    )


def test_stage_log_group_and_throttling_follow_args(api: CapturedStack) -> None:
    assert inputs_of(api.one("aws:apigateway/stage:Stage"))["stageName"] == "live"
    assert inputs_of(api.by_name("orders-access-logs"))["retentionInDays"] == 7
    assert inputs_of(api.one("aws:apigateway/restApi:RestApi"))["name"] == "Orders"
    settings = inputs_of(api.one("aws:apigateway/methodSettings:MethodSettings"))["settings"]
    assert settings["throttlingRateLimit"] == 2.5
    assert settings["throttlingBurstLimit"] == 5


def test_tags_reach_every_child_that_takes_tags(api: CapturedStack) -> None:
    tagged = sorted(r.name for r in api.custom_resources if "tags" in inputs_of(r))
    assert tagged == [
        "orders-access-logs",
        "orders-execution-logs",
        "orders-rest-api",
        "orders-stage",
    ]
    assert {inputs_of(api.by_name(n))["tags"]["team"] for n in tagged} == {"orders"}


def test_the_plan_output_names_the_dropped_preflight_and_each_operations_scopes(
    api: CapturedStack,
) -> None:
    plan = api.outputs["api_plan"].value
    assert plan["droppedPreflights"] == ["OPTIONS /orders"]
    assert [(op["method"], op["scopes"]) for op in plan["operations"]] == [
        ("GET", ["read"]),
        ("DELETE", ["admin"]),
    ]


def test_scope_map_refuses_scopes_the_server_does_not_report() -> None:
    assert scope_identifier_map("https://a", ["read"], ["https://a/read"]) == {
        "read": "https://a/read"
    }
    with pytest.raises(RuntimeError, match=r"missing \['https://a/write'\]"):
        scope_identifier_map("https://a", ["read", "write"], ["https://a/read"])
    with pytest.raises(RuntimeError, match=r"reports scopes \[\], missing \['https://a/read'\]"):
        scope_identifier_map("https://a", ["read"], None)
