"""M2MConsumers on its own: one client-credentials app client per consumer, secrets secret."""

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
from secured_m2m_api.config_values import ConfigError
from secured_m2m_api.consumers import TYPE_TOKEN
from tests.components.component_projects import run_component_program

PROGRAM = """
import pulumi
from secured_m2m_api.consumers import M2MConsumers

# A scope known only once another resource exists, as an API's scopeIdentifiers value is.
later = pulumi.Output.from_input("https://billing.example/read").apply(lambda s: s)
consumers = M2MConsumers(
    "apps",
    {
        "user_pool_id": "eu-west-1_unit",
        "consumers": [
            {"name": "reporting", "scopes": ["https://orders.example/read", later]},
            {"name": "billing", "scopes": ["https://orders.example/write"]},
        ],
        "access_token_validity_minutes": 15.0,
    },
)
pulumi.export("client_ids", consumers.client_ids)
pulumi.export("client_secrets", consumers.client_secrets)
"""


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> CapturedStack:
    return run_component_program(tmp_path_factory.mktemp("consumers"), PROGRAM)


def test_each_client_gets_only_its_scopes_of_one_api_or_several(apps: CapturedStack) -> None:
    component = apps.one(TYPE_TOKEN)
    clients = {
        inputs_of(c)["name"]: inputs_of(c)
        for c in apps.of_type("aws:cognito/userPoolClient:UserPoolClient")
    }
    assert clients["reporting"]["allowedOauthScopes"] == [
        "https://orders.example/read",
        "https://billing.example/read",
    ]
    assert clients["billing"]["allowedOauthScopes"] == ["https://orders.example/write"]
    # A float that is a whole number (how the engine's protocol sends 15) is the integer 15.
    assert {c["accessTokenValidity"] for c in clients.values()} == {15}
    assert {c["allowedOauthFlows"][0] for c in clients.values()} == {"client_credentials"}
    assert sorted(r.name for r in apps.custom_resources) == [
        "apps-client-billing",
        "apps-client-reporting",
    ]
    assert all(r.parent == component.urn for r in apps.custom_resources)


def _client_secrets(stack: CapturedStack) -> set[str]:
    return {
        outputs_of(c)["clientSecret"]
        for c in stack.of_type("aws:cognito/userPoolClient:UserPoolClient")
    }


def test_client_secrets_are_secret_in_state_outputs_and_register_outputs(
    apps: CapturedStack,
) -> None:
    assert apps.outputs["client_secrets"].secret
    assert not apps.outputs["client_ids"].secret
    assert set(apps.outputs["client_secrets"].value) == {"reporting", "billing"}
    for client in apps.of_type("aws:cognito/userPoolClient:UserPoolClient"):
        assert contains_secret(client.outputs.fields["clientSecret"]), client.urn
    registered = apps.registered_outputs[apps.one(TYPE_TOKEN).urn]
    assert contains_secret(registered.fields["client_secrets"])
    assert plain_occurrences(registered, _client_secrets(apps)) == []


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


BAD = """
from secured_m2m_api.consumers import M2MConsumers

M2MConsumers("apps", {{"user_pool_id": "eu-west-1_unit", "consumers": {consumers!r}{extra}}})
"""


@pytest.mark.parametrize(
    ("consumers", "extra", "message"),
    [
        ([{"name": "a", "scopes": ["read"]}], "", r"^consumers\[0\]\.scopes\[0\]: 'read' is not"),
        ([{"name": "a", "scopes": []}], "", r"^consumers\[0\]\.scopes: consumer 'a' needs"),
        (
            [{"name": "a", "scopes": ["https://x/r", "https://x/r"]}],
            "",
            r"^consumers\[0\]\.scopes: consumer 'a' lists a scope twice",
        ),
        (
            [{"name": "a", "scopes": [f"https://x/s{i}" for i in range(51)]}],
            "",
            r"^consumers\[0\]\.scopes: consumer 'a' has 51 scopes",
        ),
        ([{"name": "a b", "scopes": ["https://x/r"]}], "", r"^consumers\[0\]\.name: 'a b'"),
        (
            [{"name": "a", "scopes": ["https://x/r"]}],
            ', "access_token_validity_minutes": 4',
            r"^accessTokenValidityMinutes: 4 is out of range",
        ),
    ],
)
def test_bad_consumers_are_refused_before_any_client(
    tmp_path: Path, consumers: object, extra: str, message: str
) -> None:
    monitor = new_monitor({"aws:region": "eu-west-1"})
    program = BAD.format(consumers=consumers, extra=extra)
    with pytest.raises(ConfigError, match=message):
        run_component_program(tmp_path, program, monitor=monitor)
    assert monitor.records == []
