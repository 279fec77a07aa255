"""When to ask a token endpoint again: bounded exponential backoff, and the server's own wish.

429 and 5xx answers and connection errors are transient; OAuth errors are not (the same
credentials get the same answer), so only the former are retried, a bounded number of times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests

# HTTP statuses that say "try again later" rather than "this request is wrong".
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


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


def retry_after_seconds(response: requests.Response) -> float | None:
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
