"""Where and how the client sends credentials (`m2m_client.auth`): Basic credentials encoded as
RFC 6749 section 2.3.1 says, nothing ambient added, no secret over plain HTTP."""

from __future__ import annotations

import base64

import pytest
import requests

from m2m_client.auth import ClientConfigError, basic_credentials, is_loopback_host
from m2m_client.token import TokenClient
from m2m_client.token_response import (
    TokenResponseError,
)

from .fakes import READ, FakeClock, FakeCognito, Scripted, SleepRecorder, make_client

# --- RFC 6749 section 2.3.1: Basic credentials are form-urlencoded first --------------------


@pytest.mark.parametrize(
    ("client_id", "secret", "encoded"),
    [
        ("orders", "s3cret", "orders:s3cret"),
        ("id:with:colons", "x", "id%3Awith%3Acolons:x"),
        ("orders", "pct%41&amp=1", "orders:pct%2541%26amp%3D1"),
        ("orders", "plus+and space", "orders:plus%2Band%20space"),
        ("orders", "s€cret", "orders:s%E2%82%ACcret"),  # UTF-8, then percent-encoding
    ],
)
def test_basic_credentials_are_form_urlencoded_before_base64(
    client_id: str, secret: str, encoded: str
) -> None:
    header = basic_credentials(client_id, secret)
    assert header == "Basic " + base64.b64encode(encoded.encode("ascii")).decode("ascii")


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [("id:with:colons", "pct%41secret"), ("ünï", "s€cret & +more")],
)
def test_awkward_credentials_reach_the_server_unchanged(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder, client_id: str, secret: str
) -> None:
    cognito.add_client(client_id, (READ,))
    cognito.clients[client_id].secret = secret
    for method in ("basic", "body"):
        client = make_client(
            cognito, clock, sleep, client_id=client_id, secret=secret, auth_method=method
        )
        assert client.get_token()
        assert cognito.token_requests[-1].client_id == client_id


def test_secret_that_is_not_unicode_text_is_one_line_without_the_secret() -> None:
    secret = b"hunter\xff2".decode("utf-8", "surrogateescape")  # as os.environ holds such bytes
    with pytest.raises(ClientConfigError, match=r"^client_secret: not valid Unicode text") as e:
        TokenClient("https://a.example/oauth2/token", "orders", secret)
    assert "\n" not in str(e.value)
    assert "hunter" not in str(e.value)


# --- no ambient credentials ----------------------------------------------------------------


def test_session_defaults_add_no_second_authentication_method(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    session = requests.Session()
    session.auth = ("session-user", "session-password")
    session.headers["Authorization"] = "Basic c2Vzc2lvbjpkZWZhdWx0"
    secret = cognito.add_client("orders", (READ,))
    body = make_client(cognito, clock, sleep, secret=secret, auth_method="body", session=session)
    assert body.get_token()
    assert cognito.token_requests[-1].authorization is None
    basic = make_client(cognito, clock, sleep, secret=secret, session=session)
    assert basic.get_token()
    assert cognito.token_requests[-1].authorization == basic_credentials("orders", secret)


def test_redirect_is_not_followed_with_credentials(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.script = [Scripted(307, "", {"Location": cognito.token_url})]
    client = make_client(cognito, clock, sleep)
    with pytest.raises(TokenResponseError, match="HTTP 307"):
        client.get_token()
    assert cognito.token_request_count == 1


# --- no secret over plaintext --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://m2m.auth.eu-west-1.amazoncognito.com/oauth2/token",
        "http://127.0.0.1:8080/oauth2/token",
        "http://127.9.9.9/oauth2/token",
        "http://[::1]:8080/oauth2/token",
        "http://localhost/oauth2/token",
        "HTTP://LOCALHOST./oauth2/token",
    ],
)
def test_https_or_loopback_token_urls_are_accepted(url: str) -> None:
    assert TokenClient(url, "c", "s").token_url == url


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("http://m2m.auth.eu-west-1.amazoncognito.com/oauth2/token", "is plain http://"),
        ("http://127.0.0.1.nip.io/oauth2/token", "is plain http://"),
        ("http://10.0.0.1/oauth2/token", "is plain http://"),
        ("http://[::ffff:7f00:1]/oauth2/token", "is plain http://"),
        ("http://localhost.example.com/oauth2/token", "is plain http://"),
        ("https:///oauth2/token", "expected an https:// URL"),
        ("https://u:hunter2@a.example/oauth2/token", r"must not contain 'user:password@'"),
    ],
)
def test_other_token_urls_are_rejected_before_any_request(url: str, match: str) -> None:
    with pytest.raises(ClientConfigError, match=rf"^token_url: .*{match}") as e:
        TokenClient(url, "c", "s")
    assert "hunter2" not in str(e.value)
    assert "loopback" in str(e.value) or "http://" not in url


@pytest.mark.parametrize("host", ["127.0.0.1", "127.255.255.254", "::1", "localhost"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", ["128.0.0.1", "::2", "0.0.0.0", "example.com", "localhost.a"])
def test_non_loopback_hosts(host: str) -> None:
    assert not is_loopback_host(host)
