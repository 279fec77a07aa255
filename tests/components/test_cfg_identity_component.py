"""M2MIdentity on its own: Cognito pool, domain, resource server, one client per consumer."""

from __future__ import annotations

import pytest

from components.identity import TYPE_TOKEN, scope_identifier_map
from harness.program_run import CapturedStack, contains_secret, inputs_of
from tests.components.component_projects import run_component_program

PROGRAM = """
import pulumi
from components.identity import M2MIdentity, M2MIdentityArgs
from components.stack_config import Consumer, ScopeDef

identity = M2MIdentity(
    "idp",
    M2MIdentityArgs(
        domain_prefix="unit-test-idp",
        resource_server_identifier="https://api.example.com",
        scopes=[ScopeDef("read", "r"), ScopeDef("write", "w"), ScopeDef("admin", "a")],
        consumers=[Consumer("reporting", ("read",)), Consumer("billing", ("write", "admin"))],
        access_token_validity_minutes=15,
        deletion_protection=True,
    ),
)
pulumi.export("token_endpoint_url", identity.token_endpoint_url)
pulumi.export("scope_identifiers", identity.scope_identifiers)
pulumi.export("client_ids", identity.client_ids)
pulumi.export("client_secrets", identity.client_secrets)
"""


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> CapturedStack:
    return run_component_program(tmp_path_factory.mktemp("identity"), PROGRAM)


def test_children_are_named_by_component_and_consumer_and_parented(
    identity: CapturedStack,
) -> None:
    component = identity.one(TYPE_TOKEN)
    names = sorted(r.name for r in identity.custom_resources)
    assert names == [
        "idp-client-billing",
        "idp-client-reporting",
        "idp-domain",
        "idp-pool",
        "idp-resource-server",
    ]
    assert all(r.parent == component.urn for r in identity.custom_resources)


def test_each_client_gets_only_its_consumers_scopes(identity: CapturedStack) -> None:
    clients = {
        inputs_of(c)["name"]: inputs_of(c)
        for c in identity.of_type("aws:cognito/userPoolClient:UserPoolClient")
    }
    assert clients["reporting"]["allowedOauthScopes"] == ["https://api.example.com/read"]
    assert clients["billing"]["allowedOauthScopes"] == [
        "https://api.example.com/write",
        "https://api.example.com/admin",
    ]
    assert {c["accessTokenValidity"] for c in clients.values()} == {15}


def test_pool_deletion_protection_and_outputs(identity: CapturedStack) -> None:
    pool = inputs_of(identity.one("aws:cognito/userPool:UserPool"))
    assert pool["deletionProtection"] == "ACTIVE"
    assert identity.outputs["token_endpoint_url"].value == (
        "https://unit-test-idp.auth.eu-west-1.amazoncognito.com/oauth2/token"
    )
    assert identity.outputs["scope_identifiers"].value == {
        "read": "https://api.example.com/read",
        "write": "https://api.example.com/write",
        "admin": "https://api.example.com/admin",
    }
    assert not identity.outputs["client_ids"].secret


def test_client_secrets_output_is_secret_even_without_provider_metadata(
    identity: CapturedStack,
) -> None:
    assert identity.outputs["client_secrets"].secret
    assert set(identity.outputs["client_secrets"].value) == {"reporting", "billing"}
    for client in identity.of_type("aws:cognito/userPoolClient:UserPoolClient"):
        assert contains_secret(client.outputs.fields["clientSecret"])


def test_scope_map_refuses_scopes_the_server_does_not_report() -> None:
    assert scope_identifier_map("https://a", ["read"], ["https://a/read"]) == {
        "read": "https://a/read"
    }
    with pytest.raises(RuntimeError, match=r"missing \['https://a/write'\]"):
        scope_identifier_map("https://a", ["read", "write"], ["https://a/read"])
