"""An independent OAuth 2.0 server for interop tests: Authlib's RFC 6749/6750 code on 127.0.0.1.

The fake in fakes.py was written alongside the client, so it shares the client's reading of
the RFC. Here the decisions that matter (how HTTP Basic credentials are decoded, which client
authentication methods succeed, scope checks, the token response, Bearer validation) are
Authlib's own. The glue below only adapts ``http.server`` to Authlib's request objects, keeps
clients and tokens in memory, and records what reached the server.

Two rules are added on top of Authlib, each quoting the RFC, because Authlib does not enforce
them and the client must not rely on a server being lenient:

- RFC 6749 section 2.3: a client MUST NOT use more than one authentication method in a
  request (Basic header and ``client_secret`` in the body together is ``invalid_request``).
- Cognito-like per-client scopes: a client may request only the scopes it was given, else
  ``invalid_scope`` (section 5.2).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from authlib.oauth2 import rfc6749, rfc6750  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749 import grants  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749.util import scope_to_list  # type: ignore[import-untyped]

IDENTIFIER = "https://api.example.test"
READ = f"{IDENTIFIER}/read"
WRITE = f"{IDENTIFIER}/write"
# Method -> scope the resource protector requires, like the dev stack's default mapping.
REQUIRED_SCOPE = {"GET": READ, "POST": WRITE}


@dataclass
class Client(rfc6749.ClientMixin):  # type: ignore[misc]
    """A confidential client allowed the client_credentials grant and a set of scopes."""

    client_id: str
    client_secret: str
    scopes: tuple[str, ...]

    def get_client_id(self) -> str:
        return self.client_id

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(self.client_secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"

    def get_allowed_scope(self, scope: str | None) -> str:
        # No scope requested: the token carries all of the client's scopes, as Cognito does.
        return scope or " ".join(self.scopes)


@dataclass
class Token(rfc6749.TokenMixin):  # type: ignore[misc]
    """An issued access token as the resource protector sees it."""

    client: Client
    access_token: str
    scope: str
    issued_at: float
    expires_in: int

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() >= self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return False


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    """Authlib's grant, accepting both client authentication methods Cognito accepts."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]  # noqa: RUF012

    def validate_requested_scope(self) -> None:
        super().validate_requested_scope()
        requested = scope_to_list(self.request.payload.scope) or []
        if not set(requested) <= set(self.request.client.scopes):
            raise rfc6749.InvalidScopeError()


class Request(rfc6749.OAuth2Request):  # type: ignore[misc]
    """An HTTP request in the shape Authlib's server and resource protector expect."""

    def __init__(self, method: str, uri: str, headers: dict[str, str], form: dict[str, str]):
        super().__init__(method, uri, headers=headers)
        self._form = form
        self.payload = BasicOAuth2Payload(form)

    @property
    def form(self) -> dict[str, str]:
        return self._form

    @property
    def args(self) -> dict[str, str]:
        return {}


@dataclass
class Seen:
    """What reached the server: one entry per request."""

    path: str
    authorization: list[str]
    form: dict[str, str]


@dataclass
class State:
    """Clients, issued tokens and a log of requests; shared by the handler threads."""

    clients: dict[str, Client] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    expires_in: int = 3600
    base_url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth2/token"

    def token_requests(self) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.path == "/oauth2/token"]

    def add_client(self, client_id: str, secret: str, scopes: tuple[str, ...]) -> None:
        self.clients[client_id] = Client(client_id, secret, scopes)


class AuthorizationServer(rfc6749.AuthorizationServer):  # type: ignore[misc]
    def __init__(self, state: State) -> None:
        super().__init__(scopes_supported=[READ, WRITE])
        self.state = state
        self.register_grant(ClientCredentialsGrant)
        self.register_token_generator(
            "default",
            rfc6750.BearerTokenGenerator(
                access_token_generator=lambda **_: secrets.token_urlsafe(24),
                expires_generator=lambda *_: state.expires_in,
            ),
        )

    def query_client(self, client_id: str) -> Client | None:
        return self.state.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: Request) -> None:
        with self.state.lock:
            self.state.tokens[token["access_token"]] = Token(
                request.client, token["access_token"], token.get("scope", ""), time.time(),
                token["expires_in"],
            )  # fmt: skip

    def create_oauth2_request(self, request: Request) -> Request:
        return request

    def handle_response(
        self, status: int, body: object, headers: list[tuple[str, str]]
    ) -> tuple[int, object, list[tuple[str, str]]]:
        return status, body, headers

    def send_signal(self, name: str, *args: object, **kwargs: object) -> None:
        pass


class BearerValidator(rfc6750.BearerTokenValidator):  # type: ignore[misc]
    def __init__(self, state: State) -> None:
        super().__init__()
        self.state = state

    def authenticate_token(self, token_string: str) -> Token | None:
        with self.state.lock:
            return self.state.tokens.get(token_string)


def _make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    server = AuthorizationServer(state)
    protector = rfc6749.ResourceProtector()
    protector.register_token_validator(BearerValidator(state))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _request(self, method: str) -> Request:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
            authorization = self.headers.get_all("Authorization") or []
            with state.lock:
                state.seen.append(Seen(self.path.split("?")[0], authorization, form))
            headers = {k: v for k, v in self.headers.items()}
            return Request(method, state.base_url + self.path, headers, form)

        def _send(self, status: int, body: object, headers: list[tuple[str, str]]) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in headers:
                if key.lower() not in ("content-type", "content-length"):
                    self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def _token(self, request: Request) -> None:
            basic = request.headers.get("Authorization", "").lower().startswith("basic ")
            if basic and "client_secret" in request.form:
                # RFC 6749 section 2.3: "MUST NOT use more than one authentication method".
                self._send(400, {"error": "invalid_request"}, [])
                return
            self._send(*server.create_token_response(request))

        def _resource(self, request: Request, method: str) -> None:
            try:
                token = protector.validate_request([REQUIRED_SCOPE[method]], request)
            except rfc6749.OAuth2Error as error:
                status, body, headers = error()
                self._send(status, dict(body), list(headers))
                return
            self._send(200, {"ok": True, "client_id": token.client.client_id}, [])

        def do_POST(self) -> None:
            try:
                request = self._request("POST")
                if self.path == "/oauth2/token":
                    self._token(request)
                else:
                    self._resource(request, "POST")
            except Exception as exc:  # e.g. Authlib failing to decode a non-UTF-8 header
                self._send(500, {"error": "server_error", "detail": repr(exc)}, [])

        def do_GET(self) -> None:
            try:
                self._resource(self._request("GET"), "GET")
            except Exception as exc:
                self._send(500, {"error": "server_error", "detail": repr(exc)}, [])

    return Handler


def start(state: State) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Serve ``state`` on an ephemeral port of 127.0.0.1 (never another interface)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(state))
    httpd.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    return httpd, thread
