"""TokenClient against a real local HTTP server: auth styles, caching, expiry, retry, errors."""

from __future__ import annotations

import base64
import socket
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests

from m2m_client.auth import ClientConfigError, basic_credentials, is_loopback_host
from m2m_client.retry import RetryPolicy
from m2m_client.token import TokenClient, wait_for_token_endpoint
from m2m_client.token_response import (
    NO_EXPIRES_IN_CACHE_SECONDS,
    InvalidClientError,
    InvalidScopeError,
    OAuthError,
    TokenEndpointUnavailableError,
    TokenError,
    TokenResponseError,
    UnauthorizedClientError,
)

from .fakes import READ, WRITE, FakeClock, FakeCognito, Scripted, SleepRecorder


def make_client(
    cognito: FakeCognito,
    clock: FakeClock,
    sleep: SleepRecorder,
    *,
    client_id: str = "orders",
    secret: str | None = None,
    **kw: object,
) -> TokenClient:
    if secret is None:
        secret = cognito.add_client(client_id, (READ, WRITE))
    return TokenClient(
        cognito.token_url,
        client_id,
        secret,
        clock=clock,
        sleep=sleep,
        **kw,  # type: ignore[arg-type]
    )


# --- client authentication ---------------------------------------------------------------


def test_basic_auth_is_the_default_and_keeps_the_secret_out_of_the_form(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    client = make_client(cognito, clock, sleep)
    assert client.get_token()
    (seen,) = cognito.token_requests
    assert seen.auth_method == "basic"
    assert seen.client_id == "orders"
    assert seen.form == {"grant_type": "client_credentials"}


def test_body_auth_sends_client_id_and_secret_as_form_fields(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    secret = cognito.add_client("orders", (READ, WRITE))
    client = make_client(cognito, clock, sleep, secret=secret, auth_method="body")
    assert client.get_token()
    (seen,) = cognito.token_requests
    assert seen.auth_method == "body"
    assert seen.form == {
        "grant_type": "client_credentials",
        "client_id": "orders",
        "client_secret": secret,
    }


def test_requested_scopes_are_sent_space_separated(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    client = make_client(cognito, clock, sleep, scopes=[READ, WRITE])
    token = client.get_token()
    assert cognito.token_requests[0].form["scope"] == f"{READ} {WRITE}"
    assert cognito.issued[token] == (READ, WRITE)


def test_without_scopes_no_scope_field_is_sent_and_all_client_scopes_are_granted(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    client = make_client(cognito, clock, sleep)
    token = client.get_token()
    assert "scope" not in cognito.token_requests[0].form
    assert cognito.issued[token] == (READ, WRITE)


def test_repr_never_shows_the_secret(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    secret = cognito.add_client("orders", (READ,))
    client = make_client(cognito, clock, sleep, secret=secret)
    assert secret not in repr(client)
    assert "orders" in repr(client)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"auth_method": "jwt"},
            r"auth_method: 'jwt' is not supported \(expected one of: basic, body\)",
        ),
        ({"token_url": "ftp://x"}, r"token_url: expected an https:// URL, got 'ftp://x'"),
        ({"client_id": ""}, r"client_id: must not be empty"),
    ],
)
def test_rejects_bad_constructor_arguments(kwargs: dict[str, str], match: str) -> None:
    args: dict[str, str] = {"token_url": "https://a/oauth2/token", "client_id": "c"}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        TokenClient(args.pop("token_url"), args.pop("client_id"), "s", **args)  # type: ignore[arg-type]


# --- caching and expiry ------------------------------------------------------------------


def test_token_is_reused_until_it_is_due(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    client = make_client(cognito, clock, sleep)
    first = client.get_token()
    clock.advance(3000)  # 3600 s token, refreshed 60 s early: still 540 s left
    assert [client.get_token() for _ in range(5)] == [first] * 5
    assert cognito.token_request_count == 1


def test_token_is_replaced_refresh_margin_before_expiry(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    client = make_client(cognito, clock, sleep, refresh_margin=60.0)
    first = client.get_token()
    clock.advance(3540 - 0.001)
    assert client.get_token() == first
    clock.advance(0.001)
    second = client.get_token()
    assert second != first
    assert cognito.token_request_count == 2


def test_short_lived_token_keeps_half_its_lifetime(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.expires_in = 30  # shorter than the 60 s margin: refresh at 15 s, not at once
    client = make_client(cognito, clock, sleep, refresh_margin=60.0)
    first = client.get_token()
    clock.advance(14.9)
    assert client.get_token() == first
    clock.advance(0.1)
    assert client.get_token() != first
    assert cognito.token_request_count == 2


def test_access_token_reports_lifetime_and_refresh_time(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    client = make_client(cognito, clock, sleep)
    token = client.get_access_token()
    assert token.token_type == "Bearer"
    assert token.expires_in == 3600
    assert token.refresh_at == clock.now + 3600 - 60


def test_invalidate_forces_a_new_request(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    client = make_client(cognito, clock, sleep)
    first = client.get_token()
    client.invalidate()
    assert client.get_token() != first
    assert cognito.token_request_count == 2


def test_concurrent_callers_share_one_token_request(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.token_delay = 0.05  # keep the request in flight while the others arrive
    client = make_client(cognito, clock, sleep)
    n = 16
    barrier = threading.Barrier(n)
    results: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        barrier.wait()
        try:
            results.append(client.get_token())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert errors == []
    assert len(results) == n
    assert len(set(results)) == 1
    assert cognito.token_request_count == 1


# --- retries -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_status_is_retried_with_exponential_backoff(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder, status: int
) -> None:
    cognito.script = [Scripted(status, {"message": "slow down"})] * 2
    client = make_client(cognito, clock, sleep, retry=RetryPolicy(4, 0.5, 8.0))
    assert client.get_token()
    assert cognito.token_request_count == 3
    assert sleep.calls == [0.5, 1.0]


def test_backoff_is_capped_at_max_delay(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.script = [Scripted(503, {})] * 5
    client = make_client(cognito, clock, sleep, retry=RetryPolicy(6, 1.0, 3.0))
    assert client.get_token()
    assert sleep.calls == [1.0, 2.0, 3.0, 3.0, 3.0]


def test_retry_after_replaces_backoff_but_stays_capped(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.script = [
        Scripted(429, {}, {"Retry-After": "2"}),
        Scripted(429, {}, {"Retry-After": "120"}),
        Scripted(503, {}, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),  # past: now
        Scripted(503, {}, {"Retry-After": "soon"}),  # unreadable: our own backoff
    ]
    client = make_client(cognito, clock, sleep, retry=RetryPolicy(5, 0.5, 8.0))
    assert client.get_token()
    assert sleep.calls == [2.0, 8.0, 0.0, 4.0]


def test_retry_after_as_an_http_date_waits_until_then(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    then = datetime.now(UTC) + timedelta(seconds=5)
    cognito.script = [Scripted(429, {}, {"Retry-After": format_datetime(then, usegmt=True)})]
    client = make_client(cognito, clock, sleep, retry=RetryPolicy(2, 0.5, 8.0))
    assert client.get_token()
    (waited,) = sleep.calls
    assert 3.0 <= waited <= 5.0  # the date has whole seconds; the request took a moment


def test_gives_up_after_max_attempts_and_says_what_failed(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.script = [Scripted(503, {})] * 10
    client = make_client(cognito, clock, sleep, retry=RetryPolicy(3, 0.5, 8.0))
    with pytest.raises(
        TokenEndpointUnavailableError,
        match=r"still failing after 3 attempt\(s\); last: HTTP 503",
    ):
        client.get_token()
    assert cognito.token_request_count == 3
    assert sleep.calls == [0.5, 1.0]  # no sleep after the last attempt


def test_connection_errors_are_retried_then_reported(
    clock: FakeClock, sleep: SleepRecorder
) -> None:
    with socket.socket() as s:  # find a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = TokenClient(
        f"http://127.0.0.1:{port}/oauth2/token",
        "orders",
        "secret",
        retry=RetryPolicy(2, 0.25, 1.0),
        clock=clock,
        sleep=sleep,
        timeout=2,
    )
    with pytest.raises(TokenEndpointUnavailableError, match=r"last: ConnectionError"):
        client.get_token()
    assert sleep.calls == [0.25]


def test_oauth_errors_are_not_retried(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.add_client("orders", (READ,))
    client = make_client(cognito, clock, sleep, secret="wrong")
    with pytest.raises(InvalidClientError):
        client.get_token()
    assert cognito.token_request_count == 1
    assert sleep.calls == []


def test_failed_request_leaves_no_cached_token(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.script = [Scripted(500, {})]
    client = make_client(cognito, clock, sleep, retry=RetryPolicy(1))
    with pytest.raises(TokenEndpointUnavailableError):
        client.get_token()
    assert client.get_token()
    assert cognito.token_request_count == 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_attempts": 0}, "max_attempts must be >= 1, got 0"),
        ({"base_delay": -1.0}, "delays must be >= 0"),
    ],
)
def test_retry_policy_rejects_nonsense(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


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


# --- waiting for a new endpoint ----------------------------------------------------------


def test_wait_for_token_endpoint_polls_until_a_token_is_issued(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.script = [Scripted(503, {}), Scripted(400, {"error": "invalid_client"})]
    client = make_client(cognito, clock, sleep, retry=RetryPolicy(1))
    token = wait_for_token_endpoint(client, timeout=60, interval=10, clock=clock, sleep=sleep)
    assert token.value
    assert sleep.calls == [10, 10]
    assert cognito.token_request_count == 3


def test_wait_for_token_endpoint_gives_up_at_the_deadline(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.script = [Scripted(503, {})] * 100
    client = make_client(cognito, clock, sleep, retry=RetryPolicy(1))
    with pytest.raises(
        TokenEndpointUnavailableError, match=r"did not issue a token within 30s; last error: "
    ) as e:
        wait_for_token_endpoint(client, timeout=30, interval=10, clock=clock, sleep=sleep)
    assert isinstance(e.value.__cause__, TokenEndpointUnavailableError)
    assert sum(sleep.calls) <= 30


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


# --- RFC 6749 section 5.1 tolerance ----------------------------------------------------------


def test_token_without_expires_in_is_cached_only_briefly(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    cognito.script = [Scripted(200, {"access_token": "first", "token_type": "Bearer"})]
    client = make_client(cognito, clock, sleep)
    token = client.get_access_token()
    assert token.expires_in is None
    assert token.refresh_at == clock.now + NO_EXPIRES_IN_CACHE_SECONDS
    clock.advance(NO_EXPIRES_IN_CACHE_SECONDS - 0.001)
    assert client.get_token() == "first"
    clock.advance(0.001)
    assert client.get_token() != "first"
    assert cognito.token_request_count == 2


def test_expires_in_as_a_string_of_digits_is_accepted(
    cognito: FakeCognito, clock: FakeClock, sleep: SleepRecorder
) -> None:
    body = {"access_token": "t", "token_type": "bearer", "expires_in": "3600"}
    cognito.script = [Scripted(200, body)]
    token = make_client(cognito, clock, sleep).get_access_token()
    assert token.expires_in == 3600
    assert token.refresh_at == clock.now + 3600 - 60
