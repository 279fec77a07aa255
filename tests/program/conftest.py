"""Shared runs of the program under mocks (the dev stack itself is in tests/conftest.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from offline_engine import CapturedStack, inputs_of, run_program

# The package's components the program uses (`secured-m2m-api:index:...`).
COMPONENT_TYPES = {
    "secured-m2m-api:index:SecuredM2MApi",
    "secured-m2m-api:index:SecuredRestApi",
    "secured-m2m-api:index:ApiGatewayCloudWatchRole",
}


EXPLICIT_IDENTIFIER = "https://petstore.example.com"


@pytest.fixture(scope="session")
def dev_with_identifier() -> CapturedStack:
    """The dev stack with a configured resource-server identifier instead of the invoke URL."""
    return run_program("dev", config_overrides={"resourceServerIdentifier": EXPLICIT_IDENTIFIER})


def body_of(stack: CapturedStack) -> dict[str, Any]:
    """The OpenAPI body the program applied with RestApiPut, parsed."""
    body = inputs_of(stack.one("aws:apigateway/restApiPut:RestApiPut"))["body"]
    assert isinstance(body, str), f"body is not known: {body!r}"
    parsed: dict[str, Any] = json.loads(body)
    return parsed


def trigger_of(stack: CapturedStack) -> str:
    """The Deployment's redeploy trigger."""
    triggers = inputs_of(stack.one("aws:apigateway/deployment:Deployment"))["triggers"]
    value: str = triggers["redeployment"]
    return value
