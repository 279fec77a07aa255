"""Two APIs on one user pool, and a consumer holding scopes of both, over `Construct`.

The YAML example (examples/two-apis-yaml) replayed as the engine runs a program of remote
components: each resource is one `Construct` in file order, and an input that names another
component's output is sent as an output value carrying that output's value and the URNs it came
from (the response's `stateDependencies`), as the engine sends a program's outputs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from apigw_guard.model.body_summary import summarize_body
from apigw_guard.model.document import iter_operations
from offline_engine import Secret
from offline_engine.component_provider import ProviderProcess
from offline_engine.resource_monitor import ResourceMonitor
from offline_engine.wire import unmarked
from tests.package.conftest import CONFIG, REGION, ROOT
from tests.package.yaml_program import Replay, YamlProgram, replay

PROGRAM = YamlProgram.load(ROOT / "examples" / "two-apis-yaml")
STACK_CONFIG = {"domainPrefix": "shop-auth"}
SERVER = "aws:cognito/resourceServer:ResourceServer"
PUT = "aws:apigateway/restApiPut:RestApiPut"
CLIENT = "aws:cognito/userPoolClient:UserPoolClient"


@pytest.fixture(scope="module")
def deployed(provider: ProviderProcess) -> Iterator[Replay]:
    with ResourceMonitor(project="shop-apis", region=REGION) as monitor:
        yield replay(PROGRAM, provider, monitor, STACK_CONFIG, CONFIG)


def test_both_apis_have_their_own_resource_server_on_the_one_pool(deployed: Replay) -> None:
    pool_id = unmarked(deployed.results["identity"].state["userPoolId"])
    servers = deployed.registered(SERVER)
    assert sorted(servers) == ["billing-resource-server", "orders-resource-server"]
    assert {s.inputs["userPoolId"] for s in servers.values()} == {pool_id}
    assert {s.inputs["identifier"] for s in servers.values()} == {
        "https://orders.shop.example",
        "https://billing.shop.example",
    }
    # One pool: the identity's is the only one.
    assert [
        r.name for r in deployed.monitor.registrations if r.type.endswith("/userPool:UserPool")
    ] == ["identity-pool"]


def test_each_body_is_guarded_by_the_pool_and_its_own_apis_scopes(deployed: Replay) -> None:
    pool_arn = unmarked(deployed.results["identity"].state["userPoolArn"])
    bodies = {n: json.loads(r.inputs["body"]) for n, r in deployed.registered(PUT).items()}
    expected = {
        "orders-body": {
            "GET /orders": ["https://orders.shop.example/read"],
            "POST /orders": ["https://orders.shop.example/write"],
            "GET /orders/{orderId}": ["https://orders.shop.example/read"],
        },
        "billing-body": {"GET /invoices": ["https://billing.shop.example/read"]},
    }
    for name, body in bodies.items():
        scheme = body["components"]["securitySchemes"]["cognito-m2m"]
        assert scheme["x-amazon-apigateway-authorizer"]["providerARNs"] == [pool_arn]
        scopes = {
            op.key: op.definition["security"][0]["cognito-m2m"] for op in iter_operations(body)
        }
        assert scopes == expected[name]
        assert all(op.protected for op in summarize_body(json.dumps(body)).operations)


def test_one_consumer_holds_scopes_of_both_apis(deployed: Replay) -> None:
    clients = deployed.registered(CLIENT)
    reporting = clients["consumers-client-reporting"]
    assert reporting.inputs["allowedOauthScopes"] == [
        "https://orders.shop.example/read",
        "https://billing.shop.example/read",
    ]
    assert clients["consumers-client-checkout"].inputs["allowedOauthScopes"] == [
        "https://orders.shop.example/write"
    ]
    # Created after both resource servers: its scopes came from both (Cognito refuses a scope
    # no resource server of the pool defines yet).
    servers = {s.urn for s in deployed.registered(SERVER).values()}
    assert servers <= set(reporting.property_dependencies["allowedOauthScopes"])
    assert {c.inputs["userPoolId"] for c in clients.values()} == {
        unmarked(deployed.results["identity"].state["userPoolId"])
    }


def test_the_programs_outputs(deployed: Replay) -> None:
    outputs = PROGRAM.evaluate(PROGRAM.document["outputs"], deployed.output)
    assert outputs["tokenEndpoint"] == (
        f"https://shop-auth.auth.{REGION}.amazoncognito.com/oauth2/token"
    )
    assert outputs["ordersUrl"] != outputs["billingUrl"]
    assert sorted(outputs["clientIds"]) == ["checkout", "reporting"]
    assert isinstance(deployed.results["consumers"].state["clientSecrets"], Secret)
