"""Every credential the client sends, and where it may send it.

``requests`` adds credentials of its own when a request has no explicit ``auth``: a
``~/.netrc`` (or ``$NETRC``) entry for the host becomes HTTP Basic, replacing an
``Authorization: Bearer`` header passed in ``headers=``, and a ``user:pass@`` in the URL does
the same. Every request this package makes therefore carries one of the auth objects below,
which set (or remove) the ``Authorization`` header last, after netrc, environment and session
defaults have had their say. Redirects are not followed either: on a redirect ``requests``
consults netrc again, and a 307/308 would repeat a form-encoded secret to the new location.

URLs are checked before any request: a client secret or an access token never travels over
plain ``http://``, except to a loopback host for local tests.
"""

from __future__ import annotations

import base64
import ipaddress
import urllib.parse

import requests
from requests.auth import AuthBase

# RFC 6750 section 2.1 b64token: what may follow "Bearer " without quoting or escaping.
B64TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/")

LOOPBACK_HINT = "http:// is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost)"


def is_b64token(value: str) -> bool:
    """True if ``value`` fits RFC 6750's b64token, so it can follow "Bearer " verbatim.

    Also keeps a CR/LF in a hostile token response from ever reaching a header.
    """
    stripped = value.rstrip("=")
    return bool(stripped) and set(stripped) <= B64TOKEN_CHARS


class ClientConfigError(ValueError):
    """A client setting (URL, credential, option) cannot be used; nothing was sent.

    A ``ValueError`` so callers that validated constructor arguments that way keep working.
    """


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ``::1``: traffic that never leaves the machine.

    Names other than ``localhost`` are not resolved: ``127.0.0.1.example.com`` is a remote
    host whatever its DNS says today.
    """
    if host.rstrip(".").lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if address.version == 4:
        return address in ipaddress.IPv4Network("127.0.0.0/8")
    return address == ipaddress.IPv6Address("::1")


def require_secure_url(url: str, field: str) -> str:
    """``url`` unchanged if credentials may be sent to it, else :class:`ClientConfigError`.

    Accepted: ``https://`` to any host; ``http://`` to a loopback host. Rejected: other
    schemes, a missing host, and ``user:password@`` in the URL (``requests`` would send it
    as Basic credentials of its own).
    """
    problem = ""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
        has_userinfo = parts.username is not None or parts.password is not None
    except ValueError as exc:
        problem = str(exc)
    if problem:
        # Raised outside the handler, so no __context__ carries the URL, and shown without
        # anything before an '@', which may be a password.
        raise ClientConfigError(f"{field}: not a valid URL ({problem}): {_without_userinfo(url)!r}")
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not host:
        raise ClientConfigError(f"{field}: expected an https:// URL, got {url!r}")
    if has_userinfo:
        # Do not echo the URL: the userinfo may be a password.
        raise ClientConfigError(
            f"{field}: must not contain 'user:password@' credentials (host {host!r}); "
            "pass credentials as client_id/client_secret instead"
        )
    if scheme == "http" and not is_loopback_host(host):
        raise ClientConfigError(
            f"{field}: {url!r} is plain http://, which would send credentials in clear text; "
            f"use https:// ({LOOPBACK_HINT})"
        )
    return url


def _without_userinfo(url: str) -> str:
    """``url`` with anything between ``//`` and an ``@`` replaced, for messages."""
    head, sep, rest = url.partition("//")
    authority, slash, path = rest.partition("/")
    if sep and "@" in authority:
        authority = "[credentials hidden]@" + authority.rpartition("@")[2]
    return head + sep + authority + slash + path


def require_utf8(value: str, field: str) -> str:
    """``value`` unchanged if it can be sent as UTF-8; the message never shows a secret.

    A ``str`` that is not valid Unicode text holds unpaired surrogates, which is how Python
    keeps bytes that are not UTF-8, e.g. from an environment variable (PEP 383).
    """
    position = -1
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        position = exc.start
    if position >= 0:
        # Raised outside the handler: the UnicodeEncodeError holds the whole value in its
        # `object` attribute and would otherwise travel along as __context__.
        raise ClientConfigError(
            f"{field}: not valid Unicode text (character {position + 1} is an unpaired "
            "surrogate, e.g. bytes that are not UTF-8 in an environment variable); "
            "set it from UTF-8 text"
        )
    return value


def form_urlencode(value: str) -> str:
    """RFC 6749 appendix B encoding of one value: UTF-8, then percent-encoding.

    Spaces become ``%20`` rather than ``+``: both are valid form-urlencoding and every
    decoder reads ``%20`` as a space, while some servers decode Basic credentials with plain
    percent-decoding, which would leave a ``+`` as a literal plus.
    """
    return urllib.parse.quote(value, safe="", encoding="utf-8", errors="strict")


def basic_credentials(client_id: str, client_secret: str) -> str:
    """The ``Authorization`` value for ``client_secret_basic`` (RFC 6749 section 2.3.1).

    The id and the secret are form-urlencoded *before* they are joined with ':' and
    base64-encoded, so a ':' in the id, or a '%' or '&' in the secret, arrives unchanged.
    """
    pair = f"{form_urlencode(client_id)}:{form_urlencode(client_secret)}"
    return "Basic " + base64.b64encode(pair.encode("ascii")).decode("ascii")


class ClientSecretBasic(AuthBase):
    """HTTP Basic client authentication at the token endpoint, RFC 6749 section 2.3.1."""

    def __init__(self, client_id: str, client_secret: str) -> None:
        self._header = basic_credentials(client_id, client_secret)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = self._header
        return r

    def __repr__(self) -> str:
        return "ClientSecretBasic(<credentials hidden>)"


class NoAuthorization(AuthBase):
    """Sends no ``Authorization`` header at all.

    Used for body client authentication: RFC 6749 section 2.3 forbids a second method in the
    same request, so a netrc entry or a session default must not add HTTP Basic.
    """

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers.pop("Authorization", None)
        return r


class BearerAuth(AuthBase):
    """``Authorization: Bearer <token>`` (RFC 6750 section 2.1) for the API call.

    ``scheme=None`` sends the raw token, which API Gateway's Cognito authorizer also accepts.
    """

    def __init__(self, token: str, *, scheme: str | None = "Bearer") -> None:
        if not is_b64token(token):
            raise ClientConfigError(
                "access token: not an RFC 6750 b64token (letters, digits and -._~+/ then "
                "'='), so it cannot be sent in an Authorization header"
            )
        self._value = f"{scheme} {token}" if scheme else token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = self._value
        return r

    def __repr__(self) -> str:
        return "BearerAuth(<token hidden>)"
