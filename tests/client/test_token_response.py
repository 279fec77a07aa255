"""What the token endpoint's answer means (`m2m_client.token_response`): OAuth errors with the
fix for their usual cause, unusable answers, and a token's scopes against the API."""

from __future__ import annotations

import pytest
import requests

from m2m_client.token_response import (
    InvalidClientError,
    InvalidScopeError,
    OAuthError,
    TokenEndpointUnavailableError,
    TokenError,
    TokenResponseError,
    UnauthorizedClientError,
)

from .fakes import READ, WRITE, FakeClock, FakeCognito, Scripted, SleepRecorder, make_client

# --- OAuth errors ------------------------------------------------------------------------


def test_wrong_secret_is_invalid_client_naming_the_client(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.add_client("orders", (READ,))
    client = make_client(cognito, clock, sleep, secret="not-the-secret")
    with pytest.raises(InvalidClientError, match=r"^invalid_client: .*client_id 'orders'") as e:
        client.get_token()
    assert e.value.error == "invalid_client"
    assert e.value.status == 400
    assert "client_secrets" in str(e.value)
    assert "not-the-secret" not in str(e.value)


def test_unknown_client_is_invalid_client(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    client = make_client(cognito, clock, sleep, client_id="ghost", secret="x")
    with pytest.raises(InvalidClientError, match="client_id 'ghost'"):
        client.get_token()


def test_scope_outside_the_clients_allowed_scopes_is_invalid_scope(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    secret = cognito.add_client("analytics", (READ,))
    client = make_client(
        cognito, clock, sleep, client_id="analytics", secret=secret, scopes=[WRITE]
    )
    with pytest.raises(InvalidScopeError, match=r"^invalid_scope: client_id 'analytics'") as e:
        client.get_token()
    assert repr(WRITE) in str(e.value)
    assert "scope_identifiers" in str(e.value)


def test_client_without_client_credentials_flow_is_unauthorized_client(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    secret = cognito.add_client("web", (READ,), client_credentials_allowed=False)
    client = make_client(cognito, clock, sleep, client_id="web", secret=secret)
    with pytest.raises(
        UnauthorizedClientError,
        match=r"^unauthorized_client: client_id 'web' may not use the client_credentials grant",
    ):
        client.get_token()


def test_error_description_is_included(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.script = [
        Scripted(401, {"error": "invalid_client", "error_description": "Client disabled"})
    ]
    client = make_client(cognito, clock, sleep)
    with pytest.raises(InvalidClientError, match=r"\(Client disabled\)") as e:
        client.get_token()
    assert e.value.status == 401
    assert e.value.description == "Client disabled"


def test_invalid_grant_hints_at_the_user_pool_client_flag(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.script = [Scripted(400, {"error": "invalid_grant"})]
    client = make_client(cognito, clock, sleep)
    with pytest.raises(OAuthError, match="allowed_oauth_flows_user_pool_client = true") as e:
        client.get_token()
    assert type(e.value) is OAuthError


@pytest.mark.parametrize(
    ("scripted", "match"),
    [
        (
            Scripted(400, "<html>bad</html>"),
            r"HTTP 400 without an OAuth error code \(application/json, 16 bytes; the body is "
            r"not shown, as it may echo the credentials\)$",
        ),
        (
            Scripted(200, {"token_type": "Bearer"}),
            r"200 without an access_token \(keys: token_type\)",
        ),
        (Scripted(200, {"access_token": "t", "expires_in": 60, "token_type": "mac"}), "token_type"),
        (
            Scripted(200, {"access_token": "t", "expires_in": 60}),
            r"^token_type: missing from the token response; RFC 6749 section 5.1 requires it",
        ),
        (Scripted(200, {"access_token": "t", "token_type": "Bearer", "expires_in": 0}), "got 0"),
        (
            Scripted(200, {"access_token": "t", "token_type": "Bearer", "expires_in": "36a0"}),
            r"^expires_in: expected a positive number of seconds .* got '36a0'",
        ),
        (
            Scripted(200, {"access_token": "t", "token_type": "Bearer", "expires_in": "-5"}),
            r"got '-5'",
        ),
        (
            Scripted(200, {"access_token": "t", "token_type": "Bearer", "expires_in": True}),
            r"got True",
        ),
        (
            Scripted(200, {"access_token": "t\r\nX-Evil: 1", "token_type": "Bearer"}),
            r"^access_token: not an RFC 6750 b64token",
        ),
        (
            Scripted(302, "", {"Location": "https://elsewhere.example/token"}),
            r"HTTP 302 \(redirect to https://elsewhere.example/token\); credentials are not sent",
        ),
    ],
)
def test_unusable_responses_raise_token_response_error(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder, scripted: Scripted, match: str
) -> None:
    cognito.script = [scripted]
    client = make_client(cognito, clock, sleep)
    with pytest.raises(TokenResponseError, match=match):
        client.get_token()


def test_every_failure_is_a_token_error() -> None:
    for cls in (
        InvalidClientError,
        InvalidScopeError,
        UnauthorizedClientError,
        OAuthError,
        TokenEndpointUnavailableError,
        TokenResponseError,
    ):
        assert issubclass(cls, TokenError)


# --- the token against the protected API -------------------------------------------------


@pytest.mark.parametrize(
    ("scopes", "method", "status"),
    [
        ((READ,), "GET", 200),
        ((READ,), "POST", 401),
        ((READ, WRITE), "POST", 201),
    ],
)
def test_token_scopes_decide_the_api_answer(
    cognito: FakeCognito,
    clock: FakeClock,
    sleep: SleepRecorder,
    scopes: tuple[str, ...],
    method: str,
    status: int,
) -> None:
    secret = cognito.add_client("c", scopes)
    client = make_client(cognito, clock, sleep, client_id="c", secret=secret)
    response = requests.request(
        method,
        f"{cognito.base_url}/pets",
        headers={"Authorization": f"Bearer {client.get_token()}"},
        timeout=5,
    )
    assert response.status_code == status
