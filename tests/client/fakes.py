"""Fakes for the offline client tests: a real HTTP server on 127.0.0.1.

It plays Cognito's token endpoint and the PetStore API.

The client is exercised over real sockets (no mocking of requests) so the tests see what a
server sees: how the client authenticated, how many token requests were made, what
Authorization header reached the API.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from m2m_client.token import TokenClient

IDENTIFIER = "https://api.example.test"
READ = f"{IDENTIFIER}/read"
WRITE = f"{IDENTIFIER}/write"

# Mirrors the dev stack's default mapping: GET -> read, POST -> write.
OPERATION_SCOPES = {
    ("GET", "/"): READ,
    ("GET", "/pets"): READ,
    ("POST", "/pets"): WRITE,
    ("GET", "/pets/1"): READ,
}


@dataclass
class AppClient:
    """One app client as the fake user pool knows it."""

    secret: str
    scopes: tuple[str, ...]
    client_credentials_allowed: bool = True


@dataclass
class TokenRequest:
    """What the server saw in one token request."""

    auth_method: str  # "basic", "body" or "none"
    client_id: str | None
    form: dict[str, str]
    authorization: str | None = None


@dataclass
class Scripted:
    """A canned response served instead of the normal token logic (for 429/5xx etc.)."""

    status: int
    body: object
    headers: dict[str, str] = field(default_factory=dict)


class FakeCognito:
    """State shared by the handler threads; every mutation happens under ``lock``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clients: dict[str, AppClient] = {}
        self.token_requests: list[TokenRequest] = []
        self.api_requests: list[tuple[str, str, str | None]] = []
        self.script: list[Scripted] = []
        self.issued: dict[str, tuple[str, ...]] = {}
        self.expires_in = 3600
        self.token_delay = 0.0
        self.base_url = ""

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth2/token"

    @property
    def token_request_count(self) -> int:
        with self.lock:
            return len(self.token_requests)

    def add_client(self, client_id: str, scopes: tuple[str, ...], **kw: bool) -> str:
        secret = secrets.token_urlsafe(16)
        self.clients[client_id] = AppClient(secret, scopes, **kw)
        return secret

    # --- token endpoint -------------------------------------------------------------
    def token(self, headers: dict[str, str], raw_body: str) -> tuple[int, object, dict[str, str]]:
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw_body).items()}
        auth_header = headers.get("authorization", "")
        if auth_header.startswith("Basic "):
            # RFC 6749 section 2.3.1: both parts are form-urlencoded before base64.
            decoded = base64.b64decode(auth_header[6:]).decode("ascii")
            raw_id, _, raw_secret = decoded.partition(":")
            client_id = urllib.parse.unquote_plus(raw_id)
            secret = urllib.parse.unquote_plus(raw_secret)
            method = "basic"
        elif "client_id" in form:
            client_id, secret, method = form["client_id"], form.get("client_secret", ""), "body"
        else:
            client_id, secret, method = None, "", "none"
        with self.lock:
            self.token_requests.append(
                TokenRequest(method, client_id, form, headers.get("authorization"))
            )
            scripted = self.script.pop(0) if self.script else None
        if self.token_delay:
            time.sleep(self.token_delay)
        if scripted is not None:
            return scripted.status, scripted.body, scripted.headers
        if headers.get("content-type") != "application/x-www-form-urlencoded":
            return 400, {"error": "invalid_request"}, {}
        app = self.clients.get(client_id or "")
        if app is None or app.secret != secret:
            return 400, {"error": "invalid_client"}, {}
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}, {}
        if not app.client_credentials_allowed:
            return 400, {"error": "unauthorized_client"}, {}
        requested = tuple(form["scope"].split()) if "scope" in form else app.scopes
        if not set(requested) <= set(app.scopes):
            return 400, {"error": "invalid_scope"}, {}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.issued[token] = requested
        body = {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in}
        return 200, body, {}

    # --- protected API --------------------------------------------------------------
    def api(self, method: str, path: str, headers: dict[str, str]) -> tuple[int, object]:
        auth = headers.get("authorization")
        with self.lock:
            self.api_requests.append((method, path, auth))
        required = OPERATION_SCOPES.get((method, path))
        if required is None:
            return 403, {"message": "Missing Authentication Token"}
        token = (auth or "").removeprefix("Bearer ")
        scopes = self.issued.get(token)
        if scopes is None or required not in scopes:
            return 401, {"message": "Unauthorized"}
        return (201 if method == "POST" else 200), {"ok": True, "path": path}


def _make_handler(state: FakeCognito) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep pytest output clean

        def _headers(self) -> dict[str, str]:
            return {k.lower(): v for k, v in self.headers.items()}

        def _body(self) -> str:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length).decode() if length else ""

        def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
            payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def do_POST(self) -> None:
            raw = self._body()
            if self.path == "/oauth2/token":
                self._send(*state.token(self._headers(), raw))
            else:
                self._send(*state.api("POST", self.path, self._headers()))

        def do_GET(self) -> None:
            self._send(*state.api("GET", self.path, self._headers()))

    return Handler


class FakeClock:
    """Monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class SleepRecorder:
    """Records requested sleeps instead of sleeping; optionally advances a FakeClock."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.calls: list[float] = []
        self.clock = clock

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        if self.clock is not None:
            self.clock.advance(seconds)


def start_server(state: FakeCognito) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Serve ``state`` on an ephemeral 127.0.0.1 port in a background thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(state))
    server.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    return server, thread


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
