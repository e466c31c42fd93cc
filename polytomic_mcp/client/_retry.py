"""When to retry a request and how long to wait: exponential back-off with jitter."""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

import httpx2

RETRYABLE_STATUSES = frozenset({408, 409, 429})
MAX_RETRY_AFTER = 60.0


def is_retryable_status(status: int) -> bool:
    """408, 409 (idempotency lock), 429 and every 5xx but 501 are worth another try (501 Not Implemented says the
    server does not do this at all)."""
    return status in RETRYABLE_STATUSES or (status >= 500 and status != 501)


def retry_after_seconds(headers: httpx2.Headers) -> float | None:
    """The server's wait hint from ``retry-after-ms`` or ``Retry-After`` (seconds or date)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Delay before retry number ``attempt`` (0-based): base*2^attempt, capped, with jitter."""
    ceiling = min(cap, base * 2.0**attempt)
    return ceiling * (0.5 + rng.random() / 2)


def next_delay(
    attempt: int, headers: httpx2.Headers | None, base: float, cap: float, rng: random.Random
) -> float:
    """Honour Retry-After when the server sends one (bounded), else back off."""
    hint = retry_after_seconds(headers) if headers is not None else None
    if hint is not None:
        return min(hint, MAX_RETRY_AFTER)
    return backoff_delay(attempt, base, cap, rng)
