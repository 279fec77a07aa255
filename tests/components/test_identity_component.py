"""M2MIdentity on its own: Cognito pool, domain, resource server, one client per consumer."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_engine import (
    CapturedStack,
    contains_secret,
    inputs_of,
    new_monitor,
    outputs_of,
    plain_occurrences,
)
from secured_m2m_api.identity import TYPE_TOKEN, scope_identifier_map
from tests.components.component_projects import run_component_program

PROGRAM = """
import pulumi
from secured_m2m_api.identity import M2MIdentity, M2MIdentityArgs
from secured_m2m_api.config_values import Consumer, ScopeDef

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


def _client_secrets(stack: CapturedStack) -> set[str]:
    return {
        outputs_of(c)["clientSecret"]
        for c in stack.of_type("aws:cognito/userPoolClient:UserPoolClient")
    }


def test_client_secrets_are_secret_in_state_outputs_and_register_outputs(
    identity: CapturedStack,
) -> None:
    assert identity.outputs["client_secrets"].secret
    assert set(identity.outputs["client_secrets"].value) == {"reporting", "billing"}
    for client in identity.of_type("aws:cognito/userPoolClient:UserPoolClient"):
        assert contains_secret(client.outputs.fields["clientSecret"]), client.urn
    registered = identity.registered_outputs[identity.one(TYPE_TOKEN).urn]
    assert contains_secret(registered.fields["client_secrets"])
    assert plain_occurrences(registered, _client_secrets(identity)) == []


def test_client_secrets_stay_secret_when_the_provider_marks_nothing(tmp_path: Path) -> None:
    monitor = new_monitor({"aws:region": "eu-west-1"}, honour_additional_secret_outputs=False)
    stack = run_component_program(tmp_path, PROGRAM, monitor=monitor)
    secrets = _client_secrets(stack)
    clients = stack.of_type("aws:cognito/userPoolClient:UserPoolClient")
    # The stand-in provider really left the attribute plain ...
    assert not any(contains_secret(c.outputs.fields["clientSecret"]) for c in clients)
    # ... and the component's own wrapping still keeps every copy it hands on secret.
    assert stack.outputs["client_secrets"].secret
    assert set(stack.outputs["client_secrets"].value.values()) == secrets
    registered = stack.registered_outputs[stack.one(TYPE_TOKEN).urn]
    assert plain_occurrences(registered, secrets) == []
    assert plain_occurrences(stack.raw_outputs, secrets) == []


def test_scope_map_refuses_scopes_the_server_does_not_report() -> None:
    assert scope_identifier_map("https://a", ["read"], ["https://a/read"]) == {
        "read": "https://a/read"
    }
    with pytest.raises(RuntimeError, match=r"missing \['https://a/write'\]"):
        scope_identifier_map("https://a", ["read", "write"], ["https://a/read"])
    with pytest.raises(RuntimeError, match=r"reports scopes \[\], missing \['https://a/read'\]"):
        scope_identifier_map("https://a", ["read"], None)
