"""A token endpoint's answer: the access token it grants, or the `TokenError` it means.

RFC 6749 section 5.1 (a successful answer: `access_token`, `token_type` Bearer, `expires_in`
recommended) and 5.2 (an error: `error`, optional `error_description`). Nothing raised here
carries a credential: no response body is quoted (a server may echo the request, secret
included), and the few server strings that are shown pass through the request's `Redactor`
(`m2m_client.redact`), which knows the secret, the Basic credentials and every token received.

Cognito token endpoint reference:
https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import requests

from m2m_client.auth import is_b64token
from m2m_client.redact import Redactor

# RFC 6749 section 5.1 only RECOMMENDS expires_in. Without it we cannot know when the token
# expires, so it is reused for at most this many seconds (well under Cognito's 5-minute
# minimum access-token validity) and then a new one is requested.
NO_EXPIRES_IN_CACHE_SECONDS = 60.0

_DIGITS = re.compile(r"[0-9]{1,9}")
# RFC 6749 section 5.2 error codes are short ASCII words; longer text is cut to this.
MAX_ERROR_CODE = 64


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


@dataclass(frozen=True)
class TokenRequest:
    """What reading an answer needs to know of the request it answers.

    `now` is the monotonic-clock time of the answer, `refresh_margin` how many seconds before
    expiry the token should be replaced (at most half its lifetime).
    """

    token_url: str
    client_id: str
    scopes: Sequence[str]
    redact: Redactor = field(repr=False)
    now: float
    refresh_margin: float


def read_token_response(response: requests.Response, request: TokenRequest) -> AccessToken:
    """The access token in a non-retryable answer, or the `TokenError` the answer means.

    Every server string a message shows passes through `request.redact` first; a token found
    in the answer is added to it before any message is built.
    """
    shown = request.redact.shown
    if response.is_redirect:
        location = shown(response.headers.get("Location", "nowhere"))
        raise TokenResponseError(
            f"token endpoint {request.token_url} answered HTTP {response.status_code} "
            f"(redirect to {location}); credentials "
            "are not sent on redirects: set the token URL to the final https:// address"
        )
    body = _json_object(response)
    token = body.get("access_token")
    if isinstance(token, str) and token:
        # Known before any message about this answer is built, so none can show it.
        request.redact.add(token)
    if response.status_code != 200:
        raise oauth_error(response, body, request)
    if not isinstance(token, str) or not token:
        raise TokenResponseError(
            f"token endpoint {request.token_url} answered 200 without an access_token "
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
        raise TokenResponseError(f"token_type: expected 'Bearer', got {shown(repr(token_type))}")
    expires_in = _expires_in(body, request.redact)
    scope = body.get("scope")
    now = request.now
    if expires_in is None:
        refresh_at = now + NO_EXPIRES_IN_CACHE_SECONDS
    else:
        # Refresh `refresh_margin` seconds early so a token is never sent just as it
        # expires, but keep at least half the lifetime usable for short-lived tokens.
        refresh_at = now + expires_in - min(request.refresh_margin, expires_in / 2)
    return AccessToken(
        value=token,
        token_type=token_type,
        expires_in=expires_in,
        scope=scope if isinstance(scope, str) else None,
        refresh_at=refresh_at,
    )


def oauth_error(
    response: requests.Response, body: dict[str, object], request: TokenRequest
) -> TokenError:
    """The error an answer other than 200 means: an OAuth error (RFC 6749 section 5.2) with the
    fix for its usual cause, or a `TokenResponseError` that describes, never quotes, the body."""
    status = response.status_code
    raw_error = body.get("error")
    description = body.get("error_description")
    # Both come from the server, which may have echoed the request: redacted, then cut.
    desc = request.redact.shown(description) if isinstance(description, str) else ""
    detail = f" ({desc})" if desc else ""
    error = request.redact.shown(raw_error, MAX_ERROR_CODE) if isinstance(raw_error, str) else None
    requested = " ".join(request.scopes) if request.scopes else "(none: all allowed scopes)"
    if error == "invalid_client":
        return InvalidClientError(
            f"invalid_client: the token endpoint rejected client_id {request.client_id!r}"
            f"{detail}; check the client id and secret (stack outputs client_ids and "
            "client_secrets) and that the app client still exists",
            error=error,
            status=status,
            description=desc,
        )
    if error == "invalid_scope":
        return InvalidScopeError(
            f"invalid_scope: client_id {request.client_id!r} may not request scope "
            f"{requested!r}{detail}; request only full scope strings "
            "'<identifier>/<scope_name>' that the consumer is allowed (stack output "
            "scope_identifiers), or request none to get all of them",
            error=error,
            status=status,
            description=desc,
        )
    if error == "unauthorized_client":
        return UnauthorizedClientError(
            f"unauthorized_client: client_id {request.client_id!r} may not use the "
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
            f"{error}: token request for client_id {request.client_id!r} failed with HTTP "
            f"{status}{detail}{hint}",
            error=error,
            status=status,
            description=desc,
        )
    # The body is not quoted: a server that did not answer in OAuth terms may be echoing
    # the request, client_secret included. Its type and size help more than a redacted cut.
    content_type = request.redact.shown(response.headers.get("Content-Type", "no type"), 60)
    return TokenResponseError(
        f"token endpoint {request.token_url} answered HTTP {status} without an OAuth error "
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
