"""The deployed API's authorization matrix, per consumer and operation.

Expected answers come from API Gateway's Cognito authorizer
(https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html):
missing, malformed or under-scoped token -> 401; granting scope -> 2xx; unknown path
or method -> 403 "Missing Authentication Token". Whether the raw token works as well as
``Bearer <token>`` is not documented by AWS, so both are checked.
"""

from __future__ import annotations

import pytest

from .conftest import DeployedStack
from .support import CONSUMERS, NEW_PET, Case, granting_cases, insufficient_scope_cases, operations

pytestmark = pytest.mark.integration

OPERATIONS = operations()
OP_IDS = [f"{m} {p}" for m, p, _ in OPERATIONS]


def _body(method: str) -> object | None:
    return NEW_PET if method == "POST" else None


@pytest.mark.parametrize(("method", "path", "scope"), OPERATIONS, ids=OP_IDS)
def test_request_without_token_is_401(
    deployed: DeployedStack, method: str, path: str, scope: str
) -> None:
    response = deployed.call(method, path, None, _body(method))
    assert response.status_code == 401, response.text


def _tampered(token: str) -> str:
    """The same JWT with its signature's first character changed."""
    header, payload, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return f"{header}.{payload}.{flipped}"


@pytest.mark.parametrize("variant", ["not-a-jwt", "tampered-signature", "empty-bearer"])
@pytest.mark.parametrize(("method", "path", "scope"), OPERATIONS, ids=OP_IDS)
def test_malformed_token_is_401(
    deployed: DeployedStack, method: str, path: str, scope: str, variant: str
) -> None:
    authorization = {
        "not-a-jwt": "Bearer not-a-jwt",
        "tampered-signature": f"Bearer {_tampered(deployed.token('orders'))}",
        "empty-bearer": "Bearer ",
    }[variant]
    response = deployed.call(method, path, authorization, _body(method))
    assert response.status_code == 401, response.text


# The raw-token form must be refused for a missing scope just like `Bearer <token>`: if only
# the prefixed form were checked, an authorizer quirk on the other could go unnoticed.
@pytest.mark.parametrize("prefix", ["Bearer ", ""], ids=["bearer-prefix", "raw-token"])
@pytest.mark.parametrize("case", insufficient_scope_cases(), ids=lambda c: c.id)
def test_token_without_the_operations_scope_is_401(
    deployed: DeployedStack, case: Case, prefix: str
) -> None:
    token = deployed.token(case.consumer, case.token_scopes)
    response = deployed.call(case.method, case.path, prefix + token, _body(case.method))
    assert response.status_code == 401, response.text


@pytest.mark.parametrize("prefix", ["Bearer ", ""], ids=["bearer-prefix", "raw-token"])
@pytest.mark.parametrize("case", granting_cases(), ids=lambda c: c.id)
def test_token_with_a_granting_scope_is_2xx(
    deployed: DeployedStack, case: Case, prefix: str
) -> None:
    token = deployed.token(case.consumer, case.token_scopes)
    response = deployed.call(case.method, case.path, prefix + token, _body(case.method))
    assert 200 <= response.status_code < 300, f"{response.status_code}: {response.text}"


def test_read_write_consumer_reads_and_creates_pets(deployed: DeployedStack) -> None:
    # The brief's headline case, spelled out: orders may GET and POST /pets.
    token = f"Bearer {deployed.token('orders')}"
    assert deployed.call("GET", "/pets", token).ok
    assert deployed.call("POST", "/pets", token, NEW_PET).ok


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/no-such-path"), ("DELETE", "/pets")], ids=["path", "method"]
)
@pytest.mark.parametrize("consumer", sorted(CONSUMERS))
def test_unknown_path_or_method_is_403(
    deployed: DeployedStack, consumer: str, method: str, path: str
) -> None:
    response = deployed.call(method, path, f"Bearer {deployed.token(consumer)}")
    assert response.status_code == 403, response.text
    assert "Missing Authentication Token" in response.text
