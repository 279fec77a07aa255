"""TokenClient against a real local HTTP server: client authentication, caching and expiry,
waiting for a new endpoint, what RFC 6749 section 5.1 leaves optional."""

from __future__ import annotations

import threading

import pytest

from m2m_client.retry import RetryPolicy
from m2m_client.token import TokenClient, wait_for_token_endpoint
from m2m_client.token_response import (
    NO_EXPIRES_IN_CACHE_SECONDS,
    TokenEndpointUnavailableError,
)

from .fakes import READ, WRITE, FakeClock, FakeCognito, Scripted, SleepRecorder, make_client

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
