"""OAuth 2.0 client-credentials token client for the stack's Cognito token endpoint.

Cognito bills machine-to-machine use per app client and per 1,000 token requests, so the
client caches a token until shortly before it expires and makes one request for all
threads that ask at the same time. Transient failures (429, 5xx, connection errors) are
retried a bounded number of times with exponential backoff; OAuth errors are not
retried, because asking again with the same credentials gives the same answer.

Credentials go only where :mod:`m2m_client.auth` allows (``https://``, or ``http://`` to a
loopback host), in exactly one ``Authorization`` form the caller chose: nothing from netrc,
the environment or session defaults is added (see that module for why).

Nothing the client raises, returns or shows carries a credential: answers are read by
:mod:`m2m_client.token_response`, which quotes no response body and shows the few server
strings it names through :mod:`m2m_client.redact` (the secret, the Basic credentials and every
token received are replaced, then the text is cut short); ``repr`` hides the token and the
secret; and no exception is raised while another is being handled, so no ``__context__``
chain leads back to a ``requests`` exception holding the request. When to retry is
:mod:`m2m_client.retry`'s.

Cognito token endpoint reference:
https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Literal

import requests

from m2m_client.auth import (
    ClientConfigError,
    ClientSecretBasic,
    NoAuthorization,
    basic_credentials,
    require_secure_url,
    require_utf8,
)
from m2m_client.redact import Redactor
from m2m_client.retry import RETRYABLE_STATUSES, RetryPolicy, retry_after_seconds
from m2m_client.token_response import (
    AccessToken,
    TokenEndpointUnavailableError,
    TokenError,
    TokenRequest,
    read_token_response,
)

AuthMethod = Literal["basic", "body"]
AUTH_METHODS: tuple[AuthMethod, ...] = ("basic", "body")

# A connection error's text names the host and the cause; enough to act on.
MAX_PROBLEM = 200


class TokenClient:
    """Fetches and caches an access token with the client-credentials grant.

    Defaults to HTTP Basic client authentication (id and secret form-urlencoded first, as
    RFC 6749 section 2.3.1 requires); ``auth_method="body"`` sends ``client_id``/
    ``client_secret`` as form fields instead (Cognito accepts both). Never both at once.
    ``token_url`` must be ``https://`` (``http://`` only to a loopback host); a bad URL or a
    credential that is not Unicode text raises :class:`ClientConfigError` before any request.
    ``scopes`` are full scope strings (``<identifier>/<scope_name>``); when empty no scope is
    requested and Cognito issues a token with every scope the app client is allowed.

    ``clock`` (monotonic seconds) and ``sleep`` are injectable so tests can expire tokens
    and observe backoff without waiting.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scopes: Sequence[str] = (),
        auth_method: AuthMethod = "basic",
        retry: RetryPolicy | None = None,
        refresh_margin: float = 60.0,
        timeout: float = 10.0,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if auth_method not in AUTH_METHODS:
            raise ClientConfigError(
                f"auth_method: {auth_method!r} is not supported (expected one of: "
                f"{', '.join(AUTH_METHODS)})"
            )
        require_secure_url(token_url, "token_url")
        if not client_id:
            raise ClientConfigError("client_id: must not be empty")
        require_utf8(client_id, "client_id")
        require_utf8(client_secret, "client_secret")
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = client_secret
        self.scopes = tuple(scopes)
        self.auth_method: AuthMethod = auth_method
        self.retry = retry or RetryPolicy()
        self.refresh_margin = refresh_margin
        self.timeout = timeout
        self._session = session or requests.Session()
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._cached: AccessToken | None = None
        # Everything a reflecting server could hand back that must never be shown: the secret
        # (raw, percent- and form-encoded), the Basic credentials, and each token received.
        self._redact = Redactor(
            [client_secret, basic_credentials(client_id, client_secret).removeprefix("Basic ")]
        )

    def __repr__(self) -> str:
        # Never show the secret, e.g. in a pytest failure or a log line.
        return (
            f"TokenClient(token_url={self.token_url!r}, client_id={self.client_id!r}, "
            f"scopes={self.scopes!r}, auth_method={self.auth_method!r})"
        )

    def get_token(self) -> str:
        """Return a valid access token, requesting a new one only when the cached one is due."""
        return self.get_access_token().value

    def get_access_token(self) -> AccessToken:
        """Like :meth:`get_token`, but with the token's type, lifetime and granted scope."""
        # One lock around check-and-fetch: concurrent callers wait for the single request in
        # flight instead of each paying for a token.
        with self._lock:
            cached = self._cached
            if cached is not None and self._clock() < cached.refresh_at:
                return cached
            token = self._fetch()
            self._cached = token
            return token

    def invalidate(self) -> None:
        """Drop the cached token, e.g. after the API rejected it with 401."""
        with self._lock:
            self._cached = None

    def _form_and_auth(self) -> tuple[dict[str, str], requests.auth.AuthBase]:
        form: dict[str, str] = {"grant_type": "client_credentials"}
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        if self.auth_method == "basic":
            return form, ClientSecretBasic(self.client_id, self._client_secret)
        form["client_id"] = self.client_id
        form["client_secret"] = self._client_secret
        # An explicit "no Authorization": with auth=None, requests would add netrc's Basic.
        return form, NoAuthorization()

    def _fetch(self) -> AccessToken:
        form, auth = self._form_and_auth()
        last_problem = ""
        for attempt in range(1, self.retry.max_attempts + 1):
            retry_after: float | None = None
            response: requests.Response | None = None
            unsendable = ""
            try:
                response = self._session.post(
                    self.token_url,
                    data=form,
                    auth=auth,
                    headers={"Accept": "application/json"},
                    timeout=self.timeout,
                    # A redirect would re-apply netrc and could repeat the secret elsewhere.
                    allow_redirects=False,
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                last_problem = self._problem(exc)
            except requests.RequestException as exc:
                # Not transient. Raised below, outside this handler: a `requests` exception
                # holds the prepared request (secret included) and must not become __context__.
                unsendable = self._problem(exc)
            if unsendable:
                raise TokenEndpointUnavailableError(
                    f"token request to {self.token_url} could not be completed: {unsendable}"
                )
            if response is not None:
                if response.status_code not in RETRYABLE_STATUSES:
                    return read_token_response(response, self._request())
                last_problem = f"HTTP {response.status_code}"
                retry_after = retry_after_seconds(response)
            if attempt < self.retry.max_attempts:
                self._sleep(self.retry.delay(attempt, retry_after))
        raise TokenEndpointUnavailableError(
            f"token endpoint {self.token_url} still failing after "
            f"{self.retry.max_attempts} attempt(s); last: {last_problem}"
        )

    def _request(self) -> TokenRequest:
        return TokenRequest(
            self.token_url,
            self.client_id,
            self.scopes,
            self._redact,
            self._clock(),
            self.refresh_margin,
        )

    def _problem(self, exc: Exception) -> str:
        """One redacted line naming a failed request's exception."""
        return self._redact.shown(f"{type(exc).__name__}: {exc}", MAX_PROBLEM)


def wait_for_token_endpoint(
    client: TokenClient,
    *,
    timeout: float,
    interval: float = 10.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> AccessToken:
    """Poll until the endpoint issues a token, for at most ``timeout`` seconds.

    A new Cognito domain takes a while before its DNS name resolves and the endpoint
    answers, so deployment checks wait here. Every :class:`TokenError` is retried until the
    deadline, OAuth errors included, because a freshly created app client can briefly be
    unknown to the endpoint; the last error is chained to the one raised at the deadline.
    """
    deadline = clock() + timeout
    while True:
        try:
            return client.get_access_token()
        except TokenError as exc:
            if clock() + interval > deadline:
                raise TokenEndpointUnavailableError(
                    f"token endpoint {client.token_url} did not issue a token within "
                    f"{timeout:g}s; last error: {exc}"
                ) from exc
        sleep(interval)
