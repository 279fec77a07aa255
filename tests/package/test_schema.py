"""The schema `pulumi package add` reads (`GetSchema`): golden, and the rules it must keep.

`provider/schema.json` is the golden copy; after a deliberate change of a component's inputs or
outputs, regenerate it with `UPDATE_GOLDEN=1 .venv/bin/pytest tests/package/test_schema.py`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

from offline_engine.component_provider import ProviderProcess
from tests.package.conftest import PLUGIN_DIR, token

GOLDEN = PLUGIN_DIR / "schema.json"
# Inputs a component checks before registering any child: plain, so it sees values, not Outputs.
VALIDATED = {
    "SecuredM2MApi": ["spec", "scopes", "operationScopes", "consumers", "domainPrefix"],
    "SecuredRestApi": ["spec", "scopes", "operationScopes"],
    "M2MIdentity": ["domainPrefix", "existingUserPoolId"],
    "M2MConsumers": ["consumers"],
}


@pytest.fixture(scope="module")
def schema(provider: ProviderProcess) -> dict[str, Any]:
    return provider.get_schema()


def test_the_schema_is_the_golden_one(schema: dict[str, Any]) -> None:
    text = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), "regenerate with UPDATE_GOLDEN=1"


def test_the_package_and_its_components(schema: dict[str, Any]) -> None:
    from secured_m2m_api import __version__

    assert (schema["name"], schema["version"]) == ("secured-m2m-api", __version__)
    assert sorted(schema["resources"]) == sorted(
        token(n)
        for n in (
            "SecuredM2MApi",
            "M2MIdentity",
            "SecuredRestApi",
            "M2MConsumers",
            "ApiGatewayCloudWatchRole",
        )
    )
    assert all(r["isComponent"] for r in schema["resources"].values())
    # Every input and output says what it is (the generated SDKs' documentation).
    for name, resource in schema["resources"].items():
        for kind in ("inputProperties", "properties"):
            for prop, spec in resource[kind].items():
                assert spec.get("description"), f"{name}.{prop}"


def test_the_whole_pattern_has_the_inputs_and_outputs_the_issue_lists(
    schema: dict[str, Any],
) -> None:
    resource = schema["resources"][token("SecuredM2MApi")]
    assert set(resource["inputProperties"]) >= {
        "domainPrefix",
        "spec",
        "scopes",
        "operationScopes",
        "consumers",
        "stageName",
        "accessTokenValidityMinutes",
        "resourceServerIdentifier",
        "deletionProtection",
        "logRetentionDays",
        "throttlingRateLimit",
        "throttlingBurstLimit",
        "securityPolicy",
        "endpointAccessMode",
        "tags",
        "existingUserPoolId",
    }
    assert resource["requiredInputs"] == ["spec"]
    assert set(resource["properties"]) == {
        "apiUrl",
        "tokenEndpoint",
        "resourceServerIdentifier",
        "scopeIdentifiers",
        "restApiId",
        "userPoolId",
        "userPoolArn",
        "clientIds",
        "clientSecrets",
        "executionLogGroup",
        "apiPlan",
    }
    assert resource["properties"]["apiPlan"]["$ref"] == ("#/types/secured-m2m-api:index:PlanOutput")


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def test_no_union_anywhere_and_no_secret_marker(schema: dict[str, Any]) -> None:
    keys = {key for key, _ in _walk(schema)}
    assert not keys & {"oneOf", "anyOf", "allOf"}
    # The SDK's inference has no `secret` flag (pulumi 3.272 `provider/experimental/schema.py`,
    # `Property.to_json`): clientSecrets is secret at run time only, as its description says.
    assert "secret" not in keys
    secrets = schema["resources"][token("SecuredM2MApi")]["properties"]["clientSecrets"]
    assert "secret at run time" in secrets["description"]


@pytest.mark.parametrize(("component", "inputs"), sorted(VALIDATED.items()))
def test_inputs_checked_before_any_child_are_plain(
    schema: dict[str, Any], component: str, inputs: list[str]
) -> None:
    properties = schema["resources"][token(component)]["inputProperties"]
    for name in inputs:
        assert properties[name].get("plain") is True, f"{component}.{name}"


def test_consumer_scopes_of_several_apis_may_be_outputs_of_those_apis(
    schema: dict[str, Any],
) -> None:
    client = schema["types"][token("ConsumerClientArgs")]["properties"]["scopes"]
    assert client["plain"] is True
    assert "plain" not in client["items"]


def test_the_whole_pattern_and_the_api_describe_their_shared_inputs_alike(
    schema: dict[str, Any],
) -> None:
    whole = schema["resources"][token("SecuredM2MApi")]["inputProperties"]
    api = schema["resources"][token("SecuredRestApi")]["inputProperties"]
    shared = set(whole) & set(api)
    assert len(shared) == 14
    for name in sorted(shared - {"tags"}):
        assert whole[name] == api[name], name
