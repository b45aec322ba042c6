"""Rule: waits are bounded.  A 429's Retry-After (seconds or HTTP-date) is honoured up to
``MAX_RETRY_AFTER``; connection errors and timeouts back off exponentially with jitter.
Only those two are retried: 5xx answers are returned to the suite, which counts them.
"""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime
from typing import Callable

import httpx

MAX_RETRY_AFTER = 60.0
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0

# worth another attempt: the request may well succeed a moment later
RETRYABLE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError)


def retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds a Retry-After header asks for, capped at ``MAX_RETRY_AFTER``; ``None`` when absent
    or unreadable (the caller backs off instead)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # RFC 9110 dates are GMT
            return None
        seconds = when.timestamp() - now()
    if seconds != seconds:  # NaN
        return None
    return min(MAX_RETRY_AFTER, max(0.0, seconds))


def backoff(attempt: int, rng: random.Random | None = None, base: float = BACKOFF_BASE,
            cap: float = BACKOFF_CAP) -> float:
    """Delay before retry ``attempt`` (1-based): ``d = min(cap, base * 2**(attempt-1))``, then
    "equal jitter" — uniform in ``[d/2, d]``."""
    d = min(cap, base * 2 ** (max(1, attempt) - 1))
    return d / 2 + (rng or random).random() * d / 2
