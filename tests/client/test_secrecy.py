"""No token, secret or response body in any repr, str, log record or exception of the client.

The token endpoint here reflects each request back (tests/client/reflecting.py): the form body
with `client_secret`, the Basic `Authorization` header, the token it issued. Whatever the
client raises, together with every exception in its `__cause__`/`__context__` chain, and every
log record emitted meanwhile (urllib3's included, at DEBUG), must show none of them in any
form they travel in.
"""

from __future__ import annotations

import base64
import json
import logging
import socket
import subprocess
import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import requests

from m2m_client import AccessToken, OAuthError, TokenClient, TokenError
from m2m_client.auth import ClientConfigError, basic_credentials
from m2m_client.cli import ApiRequestError, call_api
from m2m_client.redact import MAX_SHOWN, REDACTED, Redactor
from m2m_client.stack import StackConfigError, StackOutputs, load_from_pulumi, load_outputs_file
from m2m_client.token_response import (
    MAX_ERROR_CODE,
    TokenEndpointUnavailableError,
    TokenResponseError,
)

from .fakes import READ, FakeCognito
from .reflecting import ISSUED_TOKEN, Reflection, reflecting_server

CLIENT_ID = "orders"
# Characters that change under every encoding the secret travels in: space, '&', '%', '+',
# a non-ASCII letter; and a plain one.
SECRETS = ["S3cr3t-0f-the-0rders-client", "p4ss w0rd&%+€-long-enough"]


def credential_forms(secret: str) -> list[str]:
    """Every form in which the secret or the token could surface in a message."""
    pair = basic_credentials(CLIENT_ID, secret).removeprefix("Basic ")
    return [
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        pair,
        base64.b64decode(pair).decode("ascii"),  # the pair itself, if a server decoded it
        ISSUED_TOKEN,
    ]


def chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and every exception reachable through __cause__ and __context__."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [e for e in (current.__cause__, current.__context__) if e is not None]


def everything_shown(exc: BaseException, records: list[logging.LogRecord]) -> str:
    """str, repr, args and attributes of the exception chain, and every log message."""
    parts: list[str] = []
    for e in chain(exc):
        parts += [str(e), repr(e), repr(e.args), repr(vars(e))]
    parts += [r.getMessage() for r in records]
    return "\n".join(parts)


def assert_nothing_leaks(text: str, secret: str) -> None:
    leaked = [form for form in credential_forms(secret) if form in text]
    assert leaked == [], f"credential forms {leaked!r} appear in:\n{text}"


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("auth_method", ["basic", "body"])
@pytest.mark.parametrize("mode", list(Reflection), ids=lambda m: m.name)
def test_a_reflecting_server_gets_no_credential_into_any_exception_or_log(
    mode: Reflection, auth_method: str, secret: str, debug_logs: pytest.LogCaptureFixture
) -> None:
    with reflecting_server(mode) as server:
        client = TokenClient(
            server.token_url,
            CLIENT_ID,
            secret,
            auth_method=auth_method,  # type: ignore[arg-type]
            sleep=lambda _: None,
        )
        with pytest.raises(TokenError) as caught:
            client.get_token()
        echoed = "\n".join(server.seen)
    # The server did see (and echo) the credential: otherwise this test would prove nothing.
    sent = secret if auth_method == "body" else credential_forms(secret)[4]
    assert urllib.parse.quote_plus(sent, safe="") in echoed or sent in echoed
    assert "\n" not in str(caught.value)
    assert_nothing_leaks(everything_shown(caught.value, debug_logs.records), secret)
    assert_nothing_leaks(repr(client), secret)


def test_error_and_a_redacted_short_description_are_kept() -> None:
    secret = SECRETS[0]
    with reflecting_server(Reflection.ERROR_DESCRIPTION) as server:
        client = TokenClient(server.token_url, CLIENT_ID, secret, auth_method="body")
        with pytest.raises(OAuthError) as caught:
            client.get_token()
    error = caught.value
    assert error.error == "invalid_client"  # RFC 6749's code, as sent
    assert error.status == 400
    assert error.description.startswith("cannot accept POST /oauth2/token ")
    assert f"client_secret={REDACTED}" in error.description
    assert len(error.description) <= MAX_SHOWN
    assert f"({error.description})" in str(error)


def test_an_error_code_that_echoes_the_request_is_redacted_and_cut() -> None:
    secret = SECRETS[0]
    with reflecting_server(Reflection.ERROR_CODE) as server:
        client = TokenClient(server.token_url, CLIENT_ID, secret, auth_method="body")
        with pytest.raises(OAuthError) as caught:
            client.get_token()
    assert secret not in caught.value.error
    assert len(caught.value.error) <= MAX_ERROR_CODE


def test_a_token_received_in_the_same_answer_is_redacted() -> None:
    with reflecting_server(Reflection.TOKEN_TYPE) as server:
        client = TokenClient(server.token_url, CLIENT_ID, SECRETS[0])
        with pytest.raises(TokenResponseError, match=r"^token_type: expected 'Bearer', got ") as e:
            client.get_token()
    assert ISSUED_TOKEN not in str(e.value)


def test_a_body_that_is_not_oauth_is_described_not_quoted() -> None:
    with reflecting_server(Reflection.TEXT_BODY) as server:
        client = TokenClient(server.token_url, CLIENT_ID, SECRETS[0], auth_method="body")
        with pytest.raises(
            TokenResponseError,
            match=r"answered HTTP 400 without an OAuth error code \(text/plain, \d+ bytes; the "
            r"body is not shown, as it may echo the credentials\)$",
        ) as e:
            client.get_token()
    assert "You sent" not in str(e.value)


def test_access_token_repr_and_str_hide_the_token() -> None:
    token = AccessToken(ISSUED_TOKEN, "Bearer", 3600, "s/read", refresh_at=1.0)
    for shown in (repr(token), str(token), repr([token]), f"{token}"):
        assert ISSUED_TOKEN not in shown
        assert "token_type='Bearer'" in shown
    assert token.value == ISSUED_TOKEN


def test_redactor_replaces_before_cutting_so_no_head_of_a_secret_survives() -> None:
    secret = "x" * 30 + "SECRET-TAIL"
    redact = Redactor([secret])
    text = "a" * (MAX_SHOWN - 10) + secret
    shown = redact.shown(text)
    assert "xxxxx" not in shown
    assert len(shown) <= MAX_SHOWN
    assert "SECRET" not in repr(redact)


def test_control_characters_from_the_server_become_spaces() -> None:
    assert Redactor().shown("line one\r\nX-Forged: yes") == "line one  X-Forged: yes"


# --- failures while sending ------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_errors_leave_no_requests_exception_in_the_chain() -> None:
    secret = SECRETS[1]
    url = f"http://127.0.0.1:{_closed_port()}/oauth2/token"
    client = TokenClient(url, CLIENT_ID, secret, auth_method="body", sleep=lambda _: None)
    with pytest.raises(TokenEndpointUnavailableError, match="ConnectionError") as e:
        client.get_token()
    assert [type(x) for x in chain(e.value)] == [TokenEndpointUnavailableError]


class _FailingSession(requests.Session):
    """A session whose POST fails the way `requests` does, request (and secret) attached."""

    def post(self, url: str | bytes, *args: object, **kwargs: object) -> requests.Response:
        request = requests.Request("POST", url, data=kwargs.get("data")).prepare()
        raise requests.exceptions.ChunkedEncodingError("broken chunk", request=request)


def test_other_request_failures_are_token_errors_without_the_request() -> None:
    secret = SECRETS[0]
    client = TokenClient(
        "https://m2m.auth.eu-west-1.amazoncognito.com/oauth2/token",
        CLIENT_ID,
        secret,
        auth_method="body",
        session=_FailingSession(),
    )
    with pytest.raises(
        TokenEndpointUnavailableError, match=r"could not be completed: ChunkedEncodingError"
    ) as e:
        client.get_token()
    assert [type(x) for x in chain(e.value)] == [TokenEndpointUnavailableError]
    assert_nothing_leaks(everything_shown(e.value, []), secret)


def test_an_api_call_that_fails_carries_no_token(
    cognito: FakeCognito, debug_logs: pytest.LogCaptureFixture
) -> None:
    secret = cognito.add_client(CLIENT_ID, (READ,))
    outputs = StackOutputs(
        invoke_url=f"http://127.0.0.1:{_closed_port()}/v1",  # nothing listens there
        token_endpoint_url=cognito.token_url,
        client_ids={"orders": CLIENT_ID},
        client_secrets={"orders": secret},
    )
    with pytest.raises(ApiRequestError, match=r"^GET /pets could not be sent: ConnectionError"):
        call_api(outputs, consumer="orders", method="GET", path="/pets", timeout=5)
    with pytest.raises(ApiRequestError) as e:
        call_api(outputs, consumer="orders", method="GET", path="/pets", timeout=5)
    assert [type(x) for x in chain(e.value)] == [ApiRequestError]
    text = everything_shown(e.value, debug_logs.records)
    assert cognito.issued
    assert all(token not in text for token in cognito.issued)
    assert secret not in text


# --- configuration and stack outputs -----------------------------------------------------------


def test_a_secret_that_is_not_unicode_leaves_no_encode_error_in_the_chain() -> None:
    secret = b"hunter\xff2-long".decode("utf-8", "surrogateescape")
    with pytest.raises(ClientConfigError) as e:
        TokenClient("https://a.example/oauth2/token", "orders", secret)
    assert [type(x) for x in chain(e.value)] == [ClientConfigError]
    assert "hunter" not in everything_shown(e.value, [])


def test_a_url_with_credentials_that_cannot_be_parsed_is_shown_without_them() -> None:
    with pytest.raises(ClientConfigError, match=r"not a valid URL") as e:
        TokenClient("https://user:hunter2@[::1/oauth2/token", "orders", "s")
    assert "hunter2" not in everything_shown(e.value, [])
    assert [type(x) for x in chain(e.value)] == [ClientConfigError]


def test_broken_outputs_json_leaves_no_decode_error_holding_the_secrets(tmp_path: Path) -> None:
    path = tmp_path / "outputs.json"
    path.write_text('{"client_secrets": {"orders": "sec-o-hunter2"}, oops', encoding="utf-8")
    with pytest.raises(StackConfigError, match=r"not valid JSON") as e:
        load_outputs_file(path)
    assert [type(x) for x in chain(e.value)] == [StackConfigError]
    assert "hunter2" not in everything_shown(e.value, [])


def test_a_failing_pulumi_shows_stderr_never_the_secrets_on_stdout(tmp_path: Path) -> None:
    def run(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(
            args, 255, stdout='{"client_secrets": {"orders": "sec-o-hunter2"}}', stderr=""
        )

    with pytest.raises(StackConfigError, match=r"failed: exit status 255$") as e:
        load_from_pulumi("dev", cwd=tmp_path, which=lambda _: "pulumi", run=run)
    assert "hunter2" not in everything_shown(e.value, [])


def test_a_pulumi_that_times_out_shows_none_of_what_it_printed(tmp_path: Path) -> None:
    def run(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        raise subprocess.TimeoutExpired(["pulumi"], 120, output='{"orders": "sec-o-hunter2"')

    with pytest.raises(StackConfigError, match=r"no answer within 120s$") as e:
        load_from_pulumi("dev", cwd=tmp_path, which=lambda _: "pulumi", run=run)
    assert [type(x) for x in chain(e.value)] == [StackConfigError]
    assert "hunter2" not in everything_shown(e.value, [])
