"""Keeping credentials out of every message the client builds from what a server sent.

A token endpoint may echo the request it received: the form body (``client_secret`` under body
authentication), the ``Authorization`` header (Basic credentials), or the token it issued. The
client therefore never shows a response body, and every server-controlled string it does show
(RFC 6749's ``error`` and ``error_description``, a bad ``token_type``, a redirect's
``Location``) first passes through a :class:`Redactor` that knows the secret and the tokens in
every form they travel in, and is then cut to a bounded length. Redaction happens before
truncation, so a cut can never leave the head of a secret visible.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterable

REDACTED = "[redacted]"
# error_description is meant for a developer (RFC 6749 section 5.2): a sentence is enough.
MAX_SHOWN = 120
# Shorter credentials are not searched for: replacing every "a" would garble the message and
# protect nothing. Cognito client secrets and access tokens are far longer.
MIN_REDACTED_LENGTH = 4


def encodings(value: str) -> set[str]:
    """The forms ``value`` can take on the wire and in an echo of it.

    As sent: raw, percent-encoded (RFC 6749 appendix B, what Basic authentication carries),
    ``+`` for spaces (what ``requests`` puts in a form body), inside a JSON string; and as a
    reflecting server may have decoded or re-encoded it.
    """
    forms = {
        value,
        urllib.parse.quote(value, safe=""),
        urllib.parse.quote_plus(value, safe=""),
        json.dumps(value, ensure_ascii=True)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
    }
    return {f for f in forms if len(f) >= MIN_REDACTED_LENGTH}


class Redactor:
    """Replaces every known credential in a text with ``[redacted]``.

    Thread-safe: the token client adds each token it receives while other threads may be
    building messages.
    """

    def __init__(self, credentials: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._needles: list[str] = []
        for credential in credentials:
            self.add(credential)

    def add(self, credential: str) -> None:
        """Also redact ``credential`` (in every form :func:`encodings` lists) from now on."""
        with self._lock:
            needles = set(self._needles) | encodings(credential)
            # Longest first: a form that contains another is replaced whole.
            self._needles = sorted(needles, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        with self._lock:
            needles = list(self._needles)
        for needle in needles:
            text = text.replace(needle, REDACTED)
        return text

    def shown(self, text: str, limit: int = MAX_SHOWN) -> str:
        """``text`` as one printable line, redacted, then cut to ``limit`` characters.

        Control characters (a CR/LF from a hostile server included) become spaces, so a message
        stays one line and cannot forge log lines.
        """
        text = "".join(c if c.isprintable() else " " for c in self(text))
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def __repr__(self) -> str:
        return f"Redactor(<{len(self._needles)} forms hidden>)"
