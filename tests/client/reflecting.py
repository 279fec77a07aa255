"""A token endpoint on 127.0.0.1 that reflects each request back at the client.

A hostile or merely careless server can echo what it received: the form body (with
`client_secret` under body authentication), the `Authorization` header (Basic credentials),
or the access token it just issued. Each `Reflection` mode puts that echo where a client
might copy it into an exception, a repr or a log record: a non-JSON error body, an OAuth
`error_description`, `error` itself, a 200 answer's other fields, or a redirect's `Location`.
The client's tests then assert the secret and the token appear nowhere.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# What the server issues as an access token, so tests can look for it in messages.
ISSUED_TOKEN = "reflected-access-token-0123456789abcdefghij"


class Reflection(Enum):
    """Where the server puts its echo of the request."""

    TEXT_BODY = "a 400 answer whose body is the request itself, not JSON"
    ERROR_DESCRIPTION = "a 400 invalid_client whose error_description echoes the request"
    ERROR_CODE = "a 400 whose `error` is the request itself"
    TOKEN_TYPE = "a 200 with a token, and a token_type that echoes the request and the token"
    EXPIRES_IN = "a 200 with a token, and an expires_in that echoes the request"
    FIELD_NAMES = "a 200 without access_token, whose field names echo the request"
    LOCATION = "a 302 whose Location echoes the request"
    RETRY_THEN_TEXT = "a 503 whose body echoes the request, every time"


@dataclass
class ReflectingState:
    """Mode and what was seen; `base_url` is set when the server starts."""

    mode: Reflection = Reflection.TEXT_BODY
    base_url: str = ""
    seen: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth2/token"

    def answer(self, echo: str) -> tuple[int, str, dict[str, str]]:
        """Status, body text and headers for one request whose echo is `echo`."""
        mode = self.mode
        if mode is Reflection.TEXT_BODY:
            return 400, f"Bad request. You sent: {echo}", {"Content-Type": "text/plain"}
        if mode is Reflection.ERROR_DESCRIPTION:
            error = {"error": "invalid_client", "error_description": f"cannot accept {echo}"}
            return 400, json.dumps(error), {}
        if mode is Reflection.ERROR_CODE:
            return 400, json.dumps({"error": echo}), {}
        if mode is Reflection.TOKEN_TYPE:
            body: dict[str, object] = {
                "access_token": ISSUED_TOKEN,
                "token_type": f"{echo} token={ISSUED_TOKEN}",
                "expires_in": 3600,
            }
            return 200, json.dumps(body), {}
        if mode is Reflection.EXPIRES_IN:
            reflected = {"access_token": ISSUED_TOKEN, "token_type": "Bearer", "expires_in": echo}
            return 200, json.dumps(reflected), {}
        if mode is Reflection.FIELD_NAMES:
            return 200, json.dumps({echo: 1, "token_type": "Bearer"}), {}
        if mode is Reflection.LOCATION:
            # Header values must be one line of Latin-1: the echo is made so.
            location = "https://elsewhere.example/?" + echo.replace("\r", " ").replace("\n", " ")
            return 302, "", {"Location": location.encode("latin-1", "replace").decode("latin-1")}
        return 503, f"busy; you sent {echo}", {"Content-Type": "text/plain"}


def _handler(state: ReflectingState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            headers = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
            echo = f"POST {self.path} {body} [{headers}]"
            with state.lock:
                state.seen.append(echo)
            status, text, extra = state.answer(echo)
            payload = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", extra.pop("Content-Type", "application/json"))
            self.send_header("Content-Length", str(len(payload)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@contextmanager
def reflecting_server(mode: Reflection = Reflection.TEXT_BODY) -> Iterator[ReflectingState]:
    """Serve a `ReflectingState` on an ephemeral 127.0.0.1 port for the duration."""
    state = ReflectingState(mode=mode)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
