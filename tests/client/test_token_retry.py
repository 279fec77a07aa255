"""When the client asks the token endpoint again (`m2m_client.retry`): transient answers and
connection errors, backoff, `Retry-After`, and never an OAuth error."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from m2m_client.retry import RetryPolicy
from m2m_client.token import TokenClient
from m2m_client.token_response import (
    InvalidClientError,
    TokenEndpointUnavailableError,
)

from .fakes import READ, FakeClock, FakeCognito, Scripted, SleepRecorder, make_client

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
