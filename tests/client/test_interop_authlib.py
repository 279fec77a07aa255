"""The client against Authlib's OAuth 2.0 server and resource protector, on 127.0.0.1.

Authlib is an independent implementation of RFC 6749/6750: where the client and the fake in
fakes.py could share a misreading of the RFC, these tests would catch it. They run offline.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from m2m_client.cli import call_api
from m2m_client.retry import RetryPolicy
from m2m_client.stack import parse_outputs
from m2m_client.token import TokenClient
from m2m_client.token_response import InvalidClientError, InvalidScopeError

from .authlib_server import READ, WRITE, State, start

# Ids and secrets that a raw `id:secret` Basic header gets wrong: a ':' in the id, '%', '&',
# '+', '=' and spaces that form-urlencoding changes, and non-ASCII text (UTF-8 after encoding).
AWKWARD = [
    ("orders", "plain-Secret_123"),
    ("id:with:colons", "secret"),
    ("orders", "pct%41secret"),
    ("orders", "amp&and=eq"),
    ("orders", "plus+and space"),
    ("orders", "s€cret"),
    ("ünïcode-id", "ünïcode-secret"),
    ("a:%2F/&+ =?", "%%41:&+ ="),
]


@pytest.fixture
def oauth() -> Iterator[State]:
    state = State()
    httpd, thread = start(state)
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def netrc_for_loopback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A NETRC file whose entry matches the token endpoint's and the API's host."""
    path = tmp_path / "netrc"
    path.write_text("machine 127.0.0.1 login netrc-user password netrc-password\n")
    path.chmod(0o600)
    monkeypatch.setenv("NETRC", str(path))
    return "netrc-user"


def client(oauth: State, client_id: str, secret: str, **kw: object) -> TokenClient:
    # One attempt: a failure here is a disagreement with the server, not a transient one.
    return TokenClient(oauth.token_url, client_id, secret, retry=RetryPolicy(1), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("auth_method", ["basic", "body"])
@pytest.mark.parametrize(("client_id", "secret"), AWKWARD)
def test_authlib_issues_a_token_for_awkward_credentials(
    oauth: State, auth_method: str, client_id: str, secret: str
) -> None:
    oauth.add_client(client_id, secret, (READ,))
    token = client(oauth, client_id, secret, auth_method=auth_method).get_access_token()
    assert oauth.tokens[token.value].client.client_id == client_id
    assert token.scope == READ


@pytest.mark.parametrize("auth_method", ["basic", "body"])
def test_authlib_rejects_a_wrong_secret_as_invalid_client(oauth: State, auth_method: str) -> None:
    oauth.add_client("orders", "right", (READ,))
    with pytest.raises(InvalidClientError, match=r"^invalid_client: .*client_id 'orders'"):
        client(oauth, "orders", "wrong", auth_method=auth_method).get_token()


def test_authlib_rejects_a_scope_the_client_may_not_request(oauth: State) -> None:
    oauth.add_client("analytics", "s", (READ,))
    with pytest.raises(InvalidScopeError, match=r"^invalid_scope: client_id 'analytics'"):
        client(oauth, "analytics", "s", scopes=[WRITE]).get_token()


def test_token_from_authlib_is_cached(oauth: State) -> None:
    oauth.add_client("orders", "s", (READ, WRITE))
    c = client(oauth, "orders", "s")
    assert len({c.get_token() for _ in range(5)}) == 1
    assert len(oauth.token_requests()) == 1


def outputs(oauth: State, secret: str) -> object:
    return parse_outputs(
        {
            "invoke_url": oauth.base_url,
            "token_endpoint_url": oauth.token_url,
            "scope_identifiers": {"read": READ, "write": WRITE},
            "client_ids": {"orders": "orders"},
            "client_secrets": {"orders": secret},
        }
    )


@pytest.mark.parametrize(
    ("method", "scopes", "status"), [("GET", [], 200), ("POST", ["read"], 403)]
)
def test_authlib_resource_protector_judges_the_bearer_call(
    oauth: State, method: str, scopes: list[str], status: int
) -> None:
    oauth.add_client("orders", "s", (READ, WRITE))
    response = call_api(
        outputs(oauth, "s"),  # type: ignore[arg-type]
        consumer="orders",
        method=method,
        path="/pets",
        scopes=scopes,
        timeout=5,
    )
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json()["client_id"] == "orders"


def test_netrc_does_not_replace_the_bearer_token(oauth: State, netrc_for_loopback: str) -> None:
    oauth.add_client("orders", "s", (READ,))
    response = call_api(
        outputs(oauth, "s"),  # type: ignore[arg-type]
        consumer="orders",
        method="GET",
        path="/pets",
        timeout=5,
    )
    assert response.status_code == 200, response.text
    api_call = oauth.seen[-1]
    assert len(api_call.authorization) == 1
    assert api_call.authorization[0].startswith("Bearer ")


def test_netrc_does_not_replace_basic_client_authentication(
    oauth: State, netrc_for_loopback: str
) -> None:
    oauth.add_client("orders", "s", (READ,))
    assert client(oauth, "orders", "s", auth_method="basic").get_token()
    (seen,) = oauth.token_requests()
    assert len(seen.authorization) == 1


def test_netrc_adds_no_second_authentication_method_to_body_auth(
    oauth: State, netrc_for_loopback: str
) -> None:
    oauth.add_client("orders", "s", (READ,))
    assert client(oauth, "orders", "s", auth_method="body").get_token()
    (seen,) = oauth.token_requests()
    assert seen.authorization == []
    assert seen.form["client_id"] == "orders"
