"""OAuth 2.0 client-credentials token client for the stack's Cognito token endpoint.

Cognito bills machine-to-machine use per app client and per 1,000 token requests, so the
client caches a token until shortly before it expires and makes one request for all
threads that ask at the same time. Transient failures (429, 5xx, connection errors) are
retried a bounded number of times with exponential backoff; OAuth errors are not
retried, because asking again with the same credentials gives the same answer.

Credentials go only where :mod:`m2m_client.auth` allows (``https://``, or ``http://`` to a
loopback host), in exactly one ``Authorization`` form the caller chose: nothing from netrc,
the environment or session defaults is added (see that module for why).

Nothing the client raises, returns or shows carries a credential: no response body is ever
quoted (a server may echo the request, secret included), the few server strings that are
shown pass through :mod:`m2m_client.redact` (the secret, the Basic credentials and every
token received are replaced, then the text is cut short), ``repr`` hides the token and the
secret, and no exception is raised while another is being handled, so no ``__context__``
chain leads back to a ``requests`` exception holding the request.

Cognito token endpoint reference:
https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal

import requests

from m2m_client.auth import (
    ClientConfigError,
    ClientSecretBasic,
    NoAuthorization,
    basic_credentials,
    is_b64token,
    require_secure_url,
    require_utf8,
)
from m2m_client.redact import Redactor

AuthMethod = Literal["basic", "body"]
AUTH_METHODS: tuple[AuthMethod, ...] = ("basic", "body")

# HTTP statuses that say "try again later" rather than "this request is wrong".
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

# RFC 6749 section 5.1 only RECOMMENDS expires_in. Without it we cannot know when the token
# expires, so it is reused for at most this many seconds (well under Cognito's 5-minute
# minimum access-token validity) and then a new one is requested.
NO_EXPIRES_IN_CACHE_SECONDS = 60.0

_DIGITS = re.compile(r"[0-9]{1,9}")
# RFC 6749 section 5.2 error codes are short ASCII words; longer text is cut to this.
MAX_ERROR_CODE = 64
# A connection error's text names the host and the cause; enough to act on.
MAX_PROBLEM = 200


class TokenError(Exception):
    """Base class for every failure to obtain an access token."""


class OAuthError(TokenError):
    """The token endpoint answered with an OAuth error (RFC 6749 section 5.2).

    ``error`` is the OAuth error code (e.g. ``invalid_client``), ``status`` the HTTP status,
    ``description`` the server's ``error_description`` with the client secret, the Basic
    credentials and any token replaced by ``[redacted]``, cut to 120 characters.
    """

    def __init__(self, message: str, *, error: str, status: int, description: str = "") -> None:
        super().__init__(message)
        self.error = error
        self.status = status
        self.description = description


class InvalidClientError(OAuthError):
    """Client authentication failed: wrong client id or secret, or the client was deleted."""


class InvalidScopeError(OAuthError):
    """A requested scope is unknown or not allowed for this app client."""


class UnauthorizedClientError(OAuthError):
    """The app client may not use the client_credentials grant."""


class TokenEndpointUnavailableError(TokenError):
    """The endpoint kept answering 429/5xx (or could not be reached) after every retry."""


class TokenResponseError(TokenError):
    """The endpoint answered 200 but the body is not a usable token response."""


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff for transient token-endpoint failures.

    ``max_attempts`` counts the first request, so 4 means one request and up to three
    retries. Delay before retry ``n`` (1-based) is ``min(base_delay * 2 ** (n - 1), max_delay)``;
    a ``Retry-After`` header (seconds or HTTP-date) on a 429/5xx replaces it, still capped by
    ``max_delay`` so a misbehaving server cannot stall the caller indefinitely.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {self.max_attempts}")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError(
                f"delays must be >= 0, got base_delay={self.base_delay}, max_delay={self.max_delay}"
            )

    def delay(self, retry_number: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry ``retry_number`` (1 for the first retry)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        return float(min(self.base_delay * 2 ** (retry_number - 1), self.max_delay))


@dataclass(frozen=True)
class AccessToken:
    """An access token and the monotonic-clock time at which it should be replaced.

    ``repr`` (and ``str``) leave ``value`` out: a token in a log line or a test failure is a
    credential anyone reading it can replay until it expires.
    """

    value: str = field(repr=False)
    token_type: str
    expires_in: int | None  # None: the server sent no expires_in (RFC 6749 section 5.1)
    scope: str | None
    refresh_at: float


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
                    return self._parse(response)
                last_problem = f"HTTP {response.status_code}"
                retry_after = _retry_after_seconds(response)
            if attempt < self.retry.max_attempts:
                self._sleep(self.retry.delay(attempt, retry_after))
        raise TokenEndpointUnavailableError(
            f"token endpoint {self.token_url} still failing after "
            f"{self.retry.max_attempts} attempt(s); last: {last_problem}"
        )

    def _problem(self, exc: Exception) -> str:
        """One redacted line naming a failed request's exception."""
        return self._redact.shown(f"{type(exc).__name__}: {exc}", MAX_PROBLEM)

    def _parse(self, response: requests.Response) -> AccessToken:
        shown = self._redact.shown
        if response.is_redirect:
            location = shown(response.headers.get("Location", "nowhere"))
            raise TokenResponseError(
                f"token endpoint {self.token_url} answered HTTP {response.status_code} "
                f"(redirect to {location}); credentials "
                "are not sent on redirects: set the token URL to the final https:// address"
            )
        body = _json_object(response)
        token = body.get("access_token")
        if isinstance(token, str) and token:
            # Known before any message about this answer is built, so none can show it.
            self._redact.add(token)
        if response.status_code != 200:
            raise self._oauth_error(response, body)
        if not isinstance(token, str) or not token:
            raise TokenResponseError(
                f"token endpoint {self.token_url} answered 200 without an access_token "
                f"(keys: {shown(', '.join(sorted(body))) or 'none'})"
            )
        if not is_b64token(token):
            # Not echoed: it is a credential, and may hold the CR/LF this check keeps out.
            raise TokenResponseError(
                "access_token: not an RFC 6750 b64token (letters, digits and -._~+/ then "
                "'='), so it cannot be sent in an Authorization header"
            )
        if "token_type" not in body:
            raise TokenResponseError(
                "token_type: missing from the token response; RFC 6749 section 5.1 requires "
                "it (expected 'Bearer')"
            )
        token_type = body["token_type"]
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise TokenResponseError(
                f"token_type: expected 'Bearer', got {shown(repr(token_type))}"
            )
        expires_in = _expires_in(body, self._redact)
        scope = body.get("scope")
        now = self._clock()
        if expires_in is None:
            refresh_at = now + NO_EXPIRES_IN_CACHE_SECONDS
        else:
            # Refresh `refresh_margin` seconds early so a token is never sent just as it
            # expires, but keep at least half the lifetime usable for short-lived tokens.
            refresh_at = now + expires_in - min(self.refresh_margin, expires_in / 2)
        return AccessToken(
            value=token,
            token_type=token_type,
            expires_in=expires_in,
            scope=scope if isinstance(scope, str) else None,
            refresh_at=refresh_at,
        )

    def _oauth_error(self, response: requests.Response, body: dict[str, object]) -> TokenError:
        status = response.status_code
        raw_error = body.get("error")
        description = body.get("error_description")
        # Both come from the server, which may have echoed the request: redacted, then cut.
        desc = self._redact.shown(description) if isinstance(description, str) else ""
        detail = f" ({desc})" if desc else ""
        error = (
            self._redact.shown(raw_error, MAX_ERROR_CODE) if isinstance(raw_error, str) else None
        )
        requested = " ".join(self.scopes) if self.scopes else "(none: all allowed scopes)"
        if error == "invalid_client":
            return InvalidClientError(
                f"invalid_client: the token endpoint rejected client_id {self.client_id!r}"
                f"{detail}; check the client id and secret (stack outputs client_ids and "
                "client_secrets) and that the app client still exists",
                error=error,
                status=status,
                description=desc,
            )
        if error == "invalid_scope":
            return InvalidScopeError(
                f"invalid_scope: client_id {self.client_id!r} may not request scope "
                f"{requested!r}{detail}; request only full scope strings "
                "'<identifier>/<scope_name>' that the consumer is allowed (stack output "
                "scope_identifiers), or request none to get all of them",
                error=error,
                status=status,
                description=desc,
            )
        if error == "unauthorized_client":
            return UnauthorizedClientError(
                f"unauthorized_client: client_id {self.client_id!r} may not use the "
                f"client_credentials grant{detail}; the app client needs "
                "allowed_oauth_flows = ['client_credentials'] and a generated secret",
                error=error,
                status=status,
                description=desc,
            )
        if isinstance(error, str):
            hint = ""
            if error == "invalid_grant":
                # Cognito answers invalid_grant when allowed_oauth_flows_user_pool_client is off.
                hint = "; the app client needs allowed_oauth_flows_user_pool_client = true"
            return OAuthError(
                f"{error}: token request for client_id {self.client_id!r} failed with HTTP "
                f"{status}{detail}{hint}",
                error=error,
                status=status,
                description=desc,
            )
        # The body is not quoted: a server that did not answer in OAuth terms may be echoing
        # the request, client_secret included. Its type and size help more than a redacted cut.
        content_type = self._redact.shown(response.headers.get("Content-Type", "no type"), 60)
        return TokenResponseError(
            f"token endpoint {self.token_url} answered HTTP {status} without an OAuth error "
            f"code ({content_type}, {len(response.content)} bytes; the body is not shown, as "
            "it may echo the credentials)"
        )


def _expires_in(body: dict[str, object], redact: Redactor) -> int | None:
    """Lifetime in seconds: a positive JSON integer or a string of digits; None if absent.

    RFC 6749 section 5.1 makes ``expires_in`` RECOMMENDED, not required, and some servers
    send the number as a string; neither costs the client anything to accept.
    """
    if "expires_in" not in body:
        return None
    value = body["expires_in"]
    seconds: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        seconds = int(value)
    if seconds is None or seconds <= 0:
        raise TokenResponseError(
            f"expires_in: expected a positive number of seconds (integer or string of "
            f"digits), got {redact.shown(repr(value))}"
        )
    return seconds


def _json_object(response: requests.Response) -> dict[str, object]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after_seconds(response: requests.Response) -> float | None:
    """Seconds the server asks us to wait: `Retry-After` as delay-seconds or as an HTTP-date.

    RFC 9110 section 10.2.3 allows both forms; a date in the past means "now". Anything else
    is ignored, and our own backoff applies.
    """
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # RFC 850/asctime forms carry no zone; HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


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
