"""The RestApi's settings survive the overwrite PUT: the body carries each one, equal to the
RestApi's own, and the redeploy trigger covers them.

`RestApiPut` always PUTs with mode=overwrite, which resets REST API settings the body does not
carry, so a TLS policy set only on the RestApi would be undone by the first body update. The
endpoint type is the exception: the body has no documented place for it (the endpoint
configuration extension documents only disableExecuteApiEndpoint, vpcEndpointIds and
ipAddressType), and an import that updates an API does not change its type, so it is set on
the RestApi alone and the body carries no endpoint configuration anywhere.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from offline_engine import CapturedStack, inputs_of, run_program
from secured_m2m_api.rest_api_settings import (
    ENDPOINT_ACCESS_MODE_EXTENSION,
    ENDPOINT_CONFIGURATION_EXTENSION,
    SECURITY_POLICY_EXTENSION,
)

from .conftest import body_of, trigger_of

TLS13 = {
    "securityPolicy": "SecurityPolicy_TLS13_1_3_2025_09",
    "endpointAccessMode": "STRICT",
}


@pytest.fixture(scope="module")
def tls13() -> CapturedStack:
    return run_program("dev", config_overrides=TLS13)


def _rest_api(stack: CapturedStack) -> dict[str, Any]:
    return inputs_of(stack.one("aws:apigateway/restApi:RestApi"))


# Set on the RestApi only; see the module docstring.
NOT_IN_BODY = {"endpointConfiguration": {"types": "REGIONAL"}}


def _body_settings(body: dict[str, Any]) -> dict[str, Any]:
    """Each RestApi input the program sets, as the body carries it."""
    carried: dict[str, Any] = {
        "name": body["info"]["title"],
        "description": body["info"]["description"],
        "securityPolicy": body[SECURITY_POLICY_EXTENSION],
    }
    if ENDPOINT_ACCESS_MODE_EXTENSION in body:
        carried["endpointAccessMode"] = body[ENDPOINT_ACCESS_MODE_EXTENSION]
    return carried


@pytest.mark.parametrize("stack_name", ["dev", "tls13"])
def test_the_body_carries_every_rest_api_setting_with_the_same_value(
    stack_name: str, request: pytest.FixtureRequest
) -> None:
    stack: CapturedStack = request.getfixturevalue(stack_name)
    # Every input of the RestApi has its body counterpart, value for value: a new RestApi
    # input without one fails here, before an overwrite PUT could reset it in AWS.
    assert {**_body_settings(body_of(stack)), **NOT_IN_BODY} == _rest_api(stack)


@pytest.mark.parametrize("stack_name", ["dev", "tls13"])
def test_the_body_carries_no_endpoint_configuration_anywhere(
    stack_name: str, request: pytest.FixtureRequest
) -> None:
    stack: CapturedStack = request.getfixturevalue(stack_name)
    body = body_of(stack)
    assert ENDPOINT_CONFIGURATION_EXTENSION not in body
    assert all(ENDPOINT_CONFIGURATION_EXTENSION not in s for s in body.get("servers", []))
    assert ENDPOINT_CONFIGURATION_EXTENSION not in json.dumps(body)
    # Still REGIONAL: the type lives on the RestApi, and the trigger still hashes it.
    assert _rest_api(stack)["endpointConfiguration"] == {"types": "REGIONAL"}


def test_only_documented_rest_api_extensions_are_at_the_body_root(dev: CapturedStack) -> None:
    extensions = {k for k in body_of(dev) if k.startswith("x-")}
    assert extensions == {SECURITY_POLICY_EXTENSION}


def test_default_is_tls_1_2_without_an_access_mode(dev: CapturedStack) -> None:
    body = body_of(dev)
    assert body[SECURITY_POLICY_EXTENSION] == "TLS_1_2"
    assert ENDPOINT_ACCESS_MODE_EXTENSION not in body
    assert "endpointAccessMode" not in _rest_api(dev)


def test_an_enhanced_policy_reaches_rest_api_and_body_with_its_access_mode(
    tls13: CapturedStack,
) -> None:
    api = _rest_api(tls13)
    assert (api["securityPolicy"], api["endpointAccessMode"]) == (
        "SecurityPolicy_TLS13_1_3_2025_09",
        "STRICT",
    )
    body = body_of(tls13)
    assert body[SECURITY_POLICY_EXTENSION] == "SecurityPolicy_TLS13_1_3_2025_09"
    assert body[ENDPOINT_ACCESS_MODE_EXTENSION] == "STRICT"


def test_the_redeploy_trigger_changes_with_the_tls_policy(
    dev: CapturedStack, tls13: CapturedStack
) -> None:
    assert trigger_of(tls13) != trigger_of(dev)


def test_the_redeploy_trigger_changes_with_the_access_mode(tls13: CapturedStack) -> None:
    basic = run_program("dev", config_overrides={**TLS13, "endpointAccessMode": "BASIC"})
    assert trigger_of(basic) != trigger_of(tls13)
