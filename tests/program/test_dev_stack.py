"""The dev stack under mocks registers a complete, guarded M2M API (the issue's "done when")."""

from __future__ import annotations

import hashlib
import json
import re

from apigw_guard.model.body_summary import summarize_body
from apigw_guard.model.document import iter_operations
from apigw_guard.model.schemes import SchemeKind, classify_scheme
from offline_engine import (
    CapturedStack,
    StackOutput,
    contains_secret,
    inputs_of,
    outputs_of,
    plain_occurrences,
)
from secured_m2m_api.deployment_trigger import deployment_trigger

from .conftest import COMPONENT_TYPES, body_of, trigger_of

POOL = "aws:cognito/userPool:UserPool"
DOMAIN = "aws:cognito/userPoolDomain:UserPoolDomain"
SERVER = "aws:cognito/resourceServer:ResourceServer"
CLIENT = "aws:cognito/userPoolClient:UserPoolClient"
REST_API = "aws:apigateway/restApi:RestApi"
PUT = "aws:apigateway/restApiPut:RestApiPut"
DEPLOYMENT = "aws:apigateway/deployment:Deployment"
STAGE = "aws:apigateway/stage:Stage"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"

EXPECTED_OUTPUTS = {
    "invoke_url",
    "token_endpoint_url",
    "user_pool_id",
    "user_pool_arn",
    "rest_api_id",
    "execution_log_group",
    "resource_server_identifier",
    "scope_identifiers",
    "client_ids",
    "client_secrets",
    "api_plan",
}


def test_registers_exactly_the_expected_aws_resources(dev: CapturedStack) -> None:
    types = sorted(r.type for r in dev.custom_resources)
    assert types == sorted(
        [
            POOL,
            DOMAIN,
            SERVER,
            CLIENT,
            CLIENT,
            REST_API,
            PUT,
            DEPLOYMENT,
            STAGE,
            LOG_GROUP,
            LOG_GROUP,
            METHOD_SETTINGS,
        ]
    )
    assert not dev.of_type("aws:apigateway/account:Account"), "account role changed silently"


def test_every_resource_is_parented_by_a_component(dev: CapturedStack) -> None:
    components = {r.urn: r for r in dev.resources if not r.custom}
    assert {c.type for c in components.values()} <= COMPONENT_TYPES
    for record in dev.custom_resources:
        assert record.parent in components, f"{record.urn} has parent {record.parent!r}"


def test_user_pool_allows_no_self_sign_up(dev: CapturedStack) -> None:
    pool = inputs_of(dev.one(POOL))
    assert pool["adminCreateUserConfig"] == {"allowAdminCreateUserOnly": True}
    assert pool["deletionProtection"] == "INACTIVE"


def test_domain_uses_the_configured_valid_prefix(dev: CapturedStack) -> None:
    domain = inputs_of(dev.one(DOMAIN))
    assert domain["domain"] == "secured-m2m-petstore-dev"
    assert re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", domain["domain"])
    assert domain["userPoolId"] == dev.one(POOL).id


def test_resource_server_defines_the_configured_scopes_on_the_invoke_url(
    dev: CapturedStack,
) -> None:
    server = inputs_of(dev.one(SERVER))
    assert server["scopes"] == [
        {"scopeName": "read", "scopeDescription": "Read pets"},
        {"scopeName": "write", "scopeDescription": "Create pets"},
    ]
    assert server["identifier"] == dev.outputs["invoke_url"].value
    assert not server["identifier"].endswith("/")
    # The identifier, the invoke URL, carries its dependency on the REST API.
    assert dev.one(REST_API).urn in dev.one(SERVER).dependencies


def test_clients_use_only_client_credentials_with_a_secret_and_their_scopes(
    dev: CapturedStack,
) -> None:
    identifier = dev.outputs["resource_server_identifier"].value
    wanted = {"analytics": ["read"], "orders": ["read", "write"]}
    clients = {inputs_of(c)["name"]: inputs_of(c) for c in dev.of_type(CLIENT)}
    assert set(clients) == set(wanted)
    for name, client in clients.items():
        assert client["allowedOauthFlows"] == ["client_credentials"], name
        assert client["allowedOauthFlowsUserPoolClient"] is True, name
        assert client["generateSecret"] is True, name
        assert client["enableTokenRevocation"] is True, name
        assert client["accessTokenValidity"] == 60, name
        assert client["tokenValidityUnits"] == {"accessToken": "minutes"}, name
        assert client["allowedOauthScopes"] == [f"{identifier}/{s}" for s in wanted[name]], name


def test_client_scopes_come_from_the_resource_server_outputs(dev: CapturedStack) -> None:
    server_urn = dev.one(SERVER).urn
    for client in dev.of_type(CLIENT):
        assert server_urn in client.property_dependencies["allowedOauthScopes"], client.urn


def test_body_guards_every_operation_with_the_pool_authorizer_and_scopes(
    dev: CapturedStack,
) -> None:
    body = body_of(dev)
    pool_arn = dev.outputs["user_pool_arn"].value
    identifier = dev.outputs["resource_server_identifier"].value
    scheme = body["components"]["securitySchemes"]["cognito-m2m"]
    assert classify_scheme("cognito-m2m", scheme).kind is SchemeKind.COGNITO
    assert scheme["x-amazon-apigateway-authorizer"]["providerARNs"] == [pool_arn]
    assert scheme["name"] == "Authorization"
    assert scheme["in"] == "header"
    assert "security" not in body
    expected = {
        "GET /": ["read"],
        "GET /pets": ["read"],
        "POST /pets": ["write"],
        "GET /pets/{petId}": ["read"],
    }
    seen = {}
    for op in iter_operations(body):
        (requirement,) = op.definition["security"]
        seen[op.key] = requirement["cognito-m2m"]
    assert seen == {k: [f"{identifier}/{s}" for s in v] for k, v in expected.items()}
    assert all(v.protected for v in summarize_body(body).operations)


def test_deployment_trigger_hashes_the_applied_body_and_waits_for_the_put(
    dev: CapturedStack,
) -> None:
    body = inputs_of(dev.one(PUT))["body"]
    settings = {
        "endpointType": "REGIONAL",
        "securityPolicy": "TLS_1_2",
        "endpointAccessMode": "",
        "putMode": "overwrite",
    }
    assert trigger_of(dev) == deployment_trigger(body, settings)
    assert len(trigger_of(dev)) == len(hashlib.sha256().hexdigest())
    assert dev.one(PUT).urn in dev.one(DEPLOYMENT).dependencies
    assert inputs_of(dev.one(PUT))["failOnWarnings"] is True


def test_rest_api_is_regional_with_tls_1_2_and_no_inline_body(dev: CapturedStack) -> None:
    api = inputs_of(dev.one(REST_API))
    assert api["endpointConfiguration"]["types"] == "REGIONAL"
    assert api["securityPolicy"] == "TLS_1_2"
    assert "body" not in api


def test_stage_points_at_the_deployment_with_access_logs_and_throttling(
    dev: CapturedStack,
) -> None:
    stage = inputs_of(dev.one(STAGE))
    assert stage["stageName"] == "v1"
    assert stage["deployment"] == dev.one(DEPLOYMENT).id
    log_group = dev.by_name("m2m-access-logs")
    assert stage["accessLogSettings"]["destinationArn"] == outputs_of(log_group)["arn"]
    assert "$context.authorizer.claims.client_id" in stage["accessLogSettings"]["format"]
    json.loads(stage["accessLogSettings"]["format"])
    assert inputs_of(log_group)["retentionInDays"] == 30
    settings = inputs_of(dev.one(METHOD_SETTINGS))
    assert settings["methodPath"] == "*/*"
    assert settings["settings"]["throttlingRateLimit"] == 50
    assert settings["settings"]["throttlingBurstLimit"] == 100
    assert settings["settings"]["dataTraceEnabled"] is False


def test_exports_the_agreed_outputs(dev: CapturedStack) -> None:
    assert set(dev.outputs) == EXPECTED_OUTPUTS
    assert dev.outputs["token_endpoint_url"].value == (
        "https://secured-m2m-petstore-dev.auth.eu-west-1.amazoncognito.com/oauth2/token"
    )
    api_id = dev.outputs["rest_api_id"].value
    assert dev.outputs["invoke_url"].value == (
        f"https://{api_id}.execute-api.eu-west-1.amazonaws.com/v1"
    )
    identifier = dev.outputs["resource_server_identifier"].value
    assert dev.outputs["scope_identifiers"].value == {
        "read": f"{identifier}/read",
        "write": f"{identifier}/write",
    }
    assert set(dev.outputs["client_ids"].value) == {"analytics", "orders"}


def test_exports_the_plan_the_report_reads(dev: CapturedStack) -> None:
    withheld = {
        "callerToken": "withheld",
        "integration": "http_proxy",
        "reason": "Authorization overridden with a static value",
    }
    demo = "https://petstore-demo-endpoint.execute-api.com/petstore"

    def op(method: str, path: str, scope: str, backend: dict[str, str]) -> dict[str, object]:
        return {
            "method": method,
            "path": path,
            "scopes": [scope],
            "scopeSource": "operationScopes",
            "backend": backend,
        }

    assert dev.outputs["api_plan"] == StackOutput(
        {
            "operations": [
                op(
                    "GET",
                    "/",
                    "read",
                    {
                        "callerToken": "not sent",
                        "integration": "mock",
                        "reason": "mock: answered by API Gateway",
                        "uri": "",
                    },
                ),
                op("GET", "/pets", "read", {**withheld, "uri": f"{demo}/pets"}),
                op("POST", "/pets", "write", {**withheld, "uri": f"{demo}/pets"}),
                op("GET", "/pets/{petId}", "read", {**withheld, "uri": f"{demo}/pets/{{petId}}"}),
            ],
            "droppedPreflights": [],
            "replacedSecurity": [],
        },
        secret=False,
    )


def test_client_secrets_are_exported_only_as_secrets(dev: CapturedStack) -> None:
    secrets = dev.outputs["client_secrets"]
    assert secrets.secret
    assert set(secrets.value) == {"analytics", "orders"}
    secret_values = set(secrets.value.values())
    for name, output in dev.outputs.items():
        if name != "client_secrets":
            assert not output.secret, name
            assert not secret_values & set(json.dumps(output.value).split('"')), name
    for client in dev.of_type(CLIENT):
        assert contains_secret(client.outputs.fields["clientSecret"]), client.urn


def test_no_client_secret_appears_in_plain_anywhere(dev: CapturedStack) -> None:
    # Stack outputs, every resource's inputs and state, and every component's register_outputs:
    # a secret copied into any of them unwrapped would be stored in plain text in the state.
    secrets = {outputs_of(c)["clientSecret"] for c in dev.of_type(CLIENT)}
    assert len(secrets) == 2
    leaks = plain_occurrences(dev.raw_outputs, secrets, "stack")
    for record in dev.resources:
        leaks += plain_occurrences(record.inputs, secrets, f"{record.urn} inputs")
        leaks += plain_occurrences(record.outputs, secrets, f"{record.urn} outputs")
    for urn, registered in dev.registered_outputs.items():
        leaks += plain_occurrences(registered, secrets, f"{urn} register_outputs")
    assert leaks == []
    assert set(dev.registered_outputs) == {r.urn for r in dev.resources if not r.custom}
