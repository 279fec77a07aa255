"""`Construct` of `SecuredM2MApi` over gRPC, as the engine calls it for another project.

The provider runs as the engine starts it (`<python> provider/ <engine address>`, in a
temporary folder); a fake resource monitor records what it registers and answers as the engine
and the AWS provider would. The consuming project here is `shop`, stack `dev`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from apigw_guard.model.body_summary import summarize_body
from apigw_guard.model.document import iter_operations
from offline_engine import COMPUTED, Secret
from offline_engine.component_provider import (
    ConstructResult,
    ProviderCallError,
    ProviderProcess,
    engine_diagnostic,
)
from offline_engine.mocks import EXISTING_POOL_DOMAIN
from offline_engine.resource_monitor import ResourceMonitor
from offline_engine.wire import OutputValue, unmarked
from tests.package.conftest import CONFIG, PETSTORE, REGION, token

WHOLE = token("SecuredM2MApi")
INPUTS: dict[str, Any] = {
    "domainPrefix": "shop-auth",
    "spec": PETSTORE,
    "specName": "petstore.yaml",
    "scopes": {"read": "Read pets", "write": "Create pets"},
    "operationScopes": {"POST /pets": ["write"]},
    "consumers": [
        {"name": "web", "scopes": ["read"]},
        {"name": "orders", "scopes": ["read", "write"]},
    ],
    "accessTokenValidityMinutes": 30,
    "tags": {"team": "shop"},
}
POOL = "aws:cognito/userPool:UserPool"
SERVER = "aws:cognito/resourceServer:ResourceServer"
PUT = "aws:apigateway/restApiPut:RestApiPut"
CLIENT = "aws:cognito/userPoolClient:UserPoolClient"


def _construct(
    provider: ProviderProcess, monitor: ResourceMonitor, **changes: Any
) -> ConstructResult:
    inputs = {**INPUTS, **changes}
    return provider.construct(monitor, WHOLE, "pets", inputs, config=CONFIG)


def children_table(monitor: ResourceMonitor) -> list[tuple[str, str, str]]:
    """(type, name, parent's type and name) of every registration, sorted."""
    by_urn = {r.urn: f"{r.type.rsplit(':', 1)[-1]} {r.name!r}" for r in monitor.registrations}
    return sorted(
        (r.type, r.name, by_urn.get(r.parent, "the stack")) for r in monitor.registrations
    )


def test_the_component_and_its_children(
    provider: ProviderProcess, monitor: ResourceMonitor
) -> None:
    result = _construct(provider, monitor)
    assert result.urn == f"urn:pulumi:dev::shop::{WHOLE}::pets"
    assert children_table(monitor) == [
        ("aws:apigateway/deployment:Deployment", "pets-deployment", "SecuredRestApi 'pets'"),
        (
            "aws:apigateway/methodSettings:MethodSettings",
            "pets-method-settings",
            "SecuredRestApi 'pets'",
        ),
        ("aws:apigateway/restApi:RestApi", "pets-rest-api", "SecuredRestApi 'pets'"),
        (PUT, "pets-body", "SecuredRestApi 'pets'"),
        ("aws:apigateway/stage:Stage", "pets-stage", "SecuredRestApi 'pets'"),
        ("aws:cloudwatch/logGroup:LogGroup", "pets-access-logs", "SecuredRestApi 'pets'"),
        ("aws:cloudwatch/logGroup:LogGroup", "pets-execution-logs", "SecuredRestApi 'pets'"),
        (SERVER, "pets-resource-server", "SecuredRestApi 'pets'"),
        (POOL, "pets-pool", "SecuredM2MApi 'pets'"),
        ("aws:cognito/userPoolClient:UserPoolClient", "pets-client-orders", "SecuredM2MApi 'pets'"),
        ("aws:cognito/userPoolClient:UserPoolClient", "pets-client-web", "SecuredM2MApi 'pets'"),
        ("aws:cognito/userPoolDomain:UserPoolDomain", "pets-domain", "SecuredM2MApi 'pets'"),
        (WHOLE, "pets", "the stack"),
        (token("SecuredRestApi"), "pets", "SecuredM2MApi 'pets'"),
    ]
    # pulumi-aws names its plugin version on every registration, so the engine can load it.
    assert {r.version for r in monitor.registrations if r.custom} == {"7.51.1"}


def test_every_operation_of_the_body_is_guarded_by_the_pool_and_its_own_scopes(
    provider: ProviderProcess, monitor: ResourceMonitor
) -> None:
    result = _construct(provider, monitor)
    pool_arn = unmarked(result.state["userPoolArn"])
    identifier = unmarked(result.state["resourceServerIdentifier"])
    body = json.loads(monitor.named("pets-body", PUT).inputs["body"])
    schemes = body["components"]["securitySchemes"]
    assert schemes["cognito-m2m"]["x-amazon-apigateway-authorizer"]["providerARNs"] == [pool_arn]
    operations = {op.key: op.definition["security"] for op in iter_operations(body)}
    assert operations == {
        "GET /": [{"cognito-m2m": [f"{identifier}/read"]}],
        "GET /pets": [{"cognito-m2m": [f"{identifier}/read"]}],
        "POST /pets": [{"cognito-m2m": [f"{identifier}/write"]}],
        "GET /pets/{petId}": [{"cognito-m2m": [f"{identifier}/read"]}],
    }
    assert all(op.protected for op in summarize_body(json.dumps(body)).operations)
    server = monitor.named("pets-resource-server", SERVER).inputs
    assert server["userPoolId"] == unmarked(result.state["userPoolId"])
    assert server["identifier"] == identifier


def test_the_outputs_and_the_secret_client_secrets(
    provider: ProviderProcess, monitor: ResourceMonitor
) -> None:
    result = _construct(provider, monitor)
    assert sorted(result.state) == sorted(
        [
            "apiPlan",
            "apiUrl",
            "clientIds",
            "clientSecrets",
            "executionLogGroup",
            "resourceServerIdentifier",
            "restApiId",
            "scopeIdentifiers",
            "tokenEndpoint",
            "userPoolArn",
            "userPoolId",
        ]
    )
    state = unmarked(result.state)
    assert state["tokenEndpoint"] == (
        f"https://shop-auth.auth.{REGION}.amazoncognito.com/oauth2/token"
    )
    assert state["apiUrl"] == state["resourceServerIdentifier"]
    assert state["apiUrl"] == f"https://{state['restApiId']}.execute-api.{REGION}.amazonaws.com/v1"
    assert sorted(state["clientIds"]) == ["orders", "web"]
    # Secret over the protocol, though the schema cannot say so; nothing else is.
    assert result.secret_outputs == ["clientSecrets"]
    assert isinstance(result.state["clientSecrets"], Secret)
    assert [(op["method"], op["path"], op["scopes"]) for op in state["apiPlan"]["operations"]] == [
        ("GET", "/", ["read"]),
        ("GET", "/pets", ["read"]),
        ("POST", "/pets", ["write"]),
        ("GET", "/pets/{petId}", ["read"]),
    ]
    clients = {r.inputs["name"]: r.inputs for r in monitor.registrations if r.type == CLIENT}
    assert clients["web"]["allowedOauthScopes"] == [f"{state['apiUrl']}/read"]
    # 30 arrives as the float 30.0 over the protocol and reaches AWS as the integer it is.
    assert clients["orders"]["accessTokenValidity"] == 30
    assert monitor.named("pets-pool", POOL).inputs["tags"] == {"team": "shop"}


def test_preview_knows_the_plan_and_marks_the_unknown_secrets_secret(
    provider: ProviderProcess,
) -> None:
    with ResourceMonitor(project="shop", preview=True) as monitor:
        result = provider.construct(monitor, WHOLE, "pets", INPUTS, config=CONFIG, preview=True)
    assert result.state["apiUrl"] is COMPUTED
    assert result.state["clientSecrets"] == Secret(COMPUTED)
    assert len(unmarked(result.state["apiPlan"])["operations"]) == 4


def test_an_input_from_another_resource_reaches_the_children_with_its_dependency(
    provider: ProviderProcess, monitor: ResourceMonitor
) -> None:
    team = OutputValue("pets-team", dependencies=("urn:pulumi:dev::shop::x:index:Team::t",))
    _construct(provider, monitor, tags={"team": team})
    pool = monitor.named("pets-pool", POOL)
    assert pool.inputs["tags"] == {"team": "pets-team"}
    assert "urn:pulumi:dev::shop::x:index:Team::t" in pool.property_dependencies["tags"]


def test_an_existing_pool_is_read_and_its_own_domain_serves_the_tokens(
    provider: ProviderProcess, monitor: ResourceMonitor
) -> None:
    inputs = {k: v for k, v in INPUTS.items() if k != "domainPrefix"}
    inputs["existingUserPoolId"] = "eu-west-1_Shared0001"
    result = provider.construct(monitor, WHOLE, "pets", inputs, config=CONFIG)
    pool = monitor.named("pets-pool", POOL)
    assert (pool.external, pool.id, pool.inputs) == (True, "eu-west-1_Shared0001", {})
    assert not [
        r for r in monitor.registrations if r.type.endswith("userPoolDomain:UserPoolDomain")
    ]
    state = unmarked(result.state)
    assert state["userPoolId"] == "eu-west-1_Shared0001"
    assert state["tokenEndpoint"] == (
        f"https://{EXISTING_POOL_DOMAIN}.auth.{REGION}.amazoncognito.com/oauth2/token"
    )
    server = monitor.named("pets-resource-server", SERVER)
    assert server.inputs["userPoolId"] == "eu-west-1_Shared0001"


BAD: list[tuple[str, dict[str, Any], str]] = [
    (
        "consumer scope the API does not define",
        {"consumers": [{"name": "web", "scopes": ["admin"]}]},
        # The engine's protocol keeps no order in a map: the scopes may come in either.
        "consumers[0].scopes: consumer 'web' asks for 'admin', which is not a scope of the "
        "resource server (defined: ",
    ),
    (
        "operation the spec does not have",
        {"operationScopes": {"DELETE /pets": ["write"]}},
        "operationScopes: 'DELETE /pets' is not an operation of the OpenAPI document",
    ),
    (
        "a path instead of the document",
        {"spec": "api/petstore.yaml"},
        "spec: 'api/petstore.yaml' looks like a file path; pass the document's text instead",
    ),
    (
        "empty spec",
        {"spec": " "},
        "spec: expected the OpenAPI 2.0 or 3.0 document itself as text",
    ),
    (
        "scope names with a slash",
        {"scopes": {"pets/read": "x"}},
        "scopes: 'pets/read' is not a valid scope name",
    ),
    (
        "no pool at all",
        {"domainPrefix": None},
        "domainPrefix: required",
    ),
    (
        "a float where a whole number is needed",
        {"accessTokenValidityMinutes": 30.5},
        "accessTokenValidityMinutes: 30.5 is not a whole number",
    ),
]


@pytest.mark.parametrize(("changes", "message"), [pytest.param(c, m, id=i) for i, c, m in BAD])
def test_bad_input_is_one_clear_error_and_registers_nothing(
    provider: ProviderProcess, monitor: ResourceMonitor, changes: dict[str, Any], message: str
) -> None:
    inputs = {k: v for k, v in {**INPUTS, **changes}.items() if v is not None}
    with pytest.raises(ProviderCallError) as caught:
        provider.construct(monitor, WHOLE, "pets", inputs, config=CONFIG)
    error = caught.value
    assert error.code.name == "INVALID_ARGUMENT"
    assert message in error.details
    # One line, no Python traceback: what the engine prints is the message alone.
    line = engine_diagnostic(WHOLE, "pets", error)
    assert line == f"{WHOLE} resource 'pets' has a problem: {error.details}"
    assert "\n" not in line
    assert "Traceback" not in line
    assert 'File "' not in line
    assert monitor.settle() == []


def test_a_required_input_left_out_is_refused_by_the_sdk_before_the_component(
    provider: ProviderProcess, monitor: ResourceMonitor
) -> None:
    inputs = {k: v for k, v in INPUTS.items() if k != "spec"}
    with pytest.raises(ProviderCallError) as caught:
        provider.construct(monitor, WHOLE, "pets", inputs, config=CONFIG)
    assert caught.value.code.name == "INVALID_ARGUMENT"
    assert [(e.property_path, e.reason) for e in caught.value.property_errors] == [
        ("spec", "Missing required input 'spec' on 'SecuredM2MApi'")
    ]
    assert monitor.settle() == []


def test_the_provider_runs_in_the_consumers_folder_not_its_own(provider: ProviderProcess) -> None:
    # The engine's working directory is the consuming program's: a spec given as a path
    # would be looked up there, which is why `spec` takes the document's text.
    assert provider.cwd != provider.plugin_dir
    assert not (provider.cwd / "schema.json").exists()
