"""Every range the client checks, at both ends: the last value in is accepted, the first value out
is refused (or, for a cap, the value at the cap is kept and the one past it is cut)."""

from __future__ import annotations

import argparse
import json

import pytest
import requests

from m2m_client.cli import MAX_TIMEOUT_SECONDS, timeout_seconds
from m2m_client.redact import MAX_SHOWN, Redactor
from m2m_client.retry import RetryPolicy
from m2m_client.token_response import (
    MAX_ERROR_CODE,
    AccessToken,
    OAuthError,
    TokenRequest,
    TokenResponseError,
    read_token_response,
)

NOW = 1000.0
MARGIN = 60.0


def _answer(status: int, body: object) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response


def _read(status: int, body: object) -> AccessToken:
    request = TokenRequest("https://auth.example/oauth2/token", "c", (), Redactor(), NOW, MARGIN)
    return read_token_response(_answer(status, body), request)


def _token(expires_in: object) -> AccessToken:
    return _read(200, {"access_token": "t", "token_type": "Bearer", "expires_in": expires_in})


# --- --timeout: more than 0, at most an hour ----------------------------------------------------


@pytest.mark.parametrize("value", ["0.001", str(MAX_TIMEOUT_SECONDS), "3600"])
def test_a_timeout_at_either_end_is_accepted(value: str) -> None:
    assert timeout_seconds(value) == float(value)


@pytest.mark.parametrize("value", ["0", "-0.001", "3600.001", "nan", "inf"])
def test_a_timeout_past_either_end_is_refused(value: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="is out of range; expected seconds"):
        timeout_seconds(value)


# --- retries: at least one attempt, delays not negative, Retry-After capped --------------------


def test_one_attempt_and_zero_delays_are_accepted() -> None:
    policy = RetryPolicy(max_attempts=1, base_delay=0, max_delay=0)
    assert policy.delay(1) == 0


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"max_attempts": 0}, "max_attempts must be >= 1, got 0"),
        ({"base_delay": -0.001}, "delays must be >= 0"),
        ({"max_delay": -0.001}, "delays must be >= 0"),
    ],
)
def test_no_attempt_or_a_negative_delay_is_refused(kw: dict[str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        RetryPolicy(**kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("retry_after", "waited"), [(0.0, 0.0), (-1.0, 0.0), (8.0, 8.0), (8.001, 8.0), (600, 8.0)]
)
def test_retry_after_is_kept_up_to_the_cap_and_cut_past_it(
    retry_after: float, waited: float
) -> None:
    assert RetryPolicy().delay(1, retry_after) == waited


def test_backoff_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0)
    assert [policy.delay(n) for n in range(1, 8)] == [0.5, 1, 2, 4, 8, 8, 8]


# --- expires_in: a positive number of seconds, at most nine digits as text ---------------------


@pytest.mark.parametrize(("value", "seconds"), [(1, 1), ("1", 1), ("999999999", 999999999)])
def test_expires_in_at_either_end_is_accepted(value: object, seconds: int) -> None:
    token = _token(value)
    assert token.expires_in == seconds


@pytest.mark.parametrize("value", [0, "0", -1, "1000000000", 1.5, True])
def test_expires_in_past_either_end_is_refused(value: object) -> None:
    with pytest.raises(TokenResponseError, match=r"^expires_in: expected a positive number"):
        _token(value)


@pytest.mark.parametrize(
    ("expires_in", "refresh_after"),
    [
        (120, 60.0),  # twice the margin: the whole margin is taken off
        (119, 59.5),  # below it: half the lifetime stays usable
        (1, 0.5),
    ],
)
def test_the_refresh_margin_switches_to_half_the_lifetime_at_twice_the_margin(
    expires_in: int, refresh_after: float
) -> None:
    assert _token(expires_in).refresh_at == NOW + refresh_after


# --- what a message keeps of a server's text ----------------------------------------------------


@pytest.mark.parametrize(("length", "kept"), [(MAX_ERROR_CODE, MAX_ERROR_CODE), (65, 64)])
def test_an_error_code_is_kept_up_to_64_characters(length: int, kept: int) -> None:
    with pytest.raises(OAuthError) as caught:
        _read(400, {"error": "e" * length})
    error = caught.value.error
    assert len(error) == kept
    assert error.endswith("…") == (length > MAX_ERROR_CODE)


@pytest.mark.parametrize(("length", "cut"), [(MAX_SHOWN, False), (MAX_SHOWN + 1, True)])
def test_a_description_is_kept_up_to_120_characters(length: int, cut: bool) -> None:
    with pytest.raises(OAuthError) as caught:
        _read(400, {"error": "invalid_request", "error_description": "d" * length})
    description = caught.value.description
    assert len(description) == MAX_SHOWN
    assert description.endswith("…") == cut
