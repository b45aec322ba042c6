"""Rule: waits are bounded.  A 429's Retry-After is read as RFC 9110 §10.2.3 writes it and
honoured up to ``MAX_RETRY_AFTER``; connection errors and timeouts back off exponentially with
jitter.  Only those two are retried: 5xx answers are returned to the suite, which counts them.
No wait crosses the run's deadline (``transport.py``: a wait that would is not made).
"""

from __future__ import annotations

import random
import re
import time
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Callable

import httpx

MAX_RETRY_AFTER = 60.0  # the longest wait honoured before a retry
# beyond a day a Retry-After is no plan for a retry but a fault (999999, a date in year 9999):
# not usable, the client backs off as if there were none
ABSURD_RETRY_AFTER = 86400.0
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0

# worth another attempt: the request may well succeed a moment later
RETRYABLE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError)
_DELAY_SECONDS = re.compile(r"[0-9]{1,12}\Z")  # RFC 9110: delay-seconds = 1*DIGIT (ASCII digits only)


def retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds a Retry-After header asks for, capped at ``MAX_RETRY_AFTER``; ``None`` when it is
    no usable Retry-After: absent, neither delay-seconds (a non-negative integer) nor an HTTP-date
    (IMF-fixdate, or the obsolete RFC 850 and asctime forms, all GMT), or absurd (more than
    ``ABSURD_RETRY_AFTER`` away).  A date in the past asks for no wait (0)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if _DELAY_SECONDS.match(value):
        seconds = float(int(value))
    else:
        if value[:1] in "+-" or value[:1].isdigit():  # "-4", "1.5", "1e5": no delay-seconds, no date
            return None
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:  # asctime carries no zone: HTTP dates are GMT (RFC 9110 §5.6.7)
            when = when.replace(tzinfo=timezone.utc)
        seconds = when.timestamp() - now()
    if not seconds <= ABSURD_RETRY_AFTER:  # also NaN
        return None
    return min(MAX_RETRY_AFTER, max(0.0, seconds))


def backoff(attempt: int, rng: random.Random | None = None, base: float = BACKOFF_BASE,
            cap: float = BACKOFF_CAP) -> float:
    """Delay before retry ``attempt`` (1-based): ``d = min(cap, base * 2**(attempt-1))``, then
    "equal jitter" — uniform in ``[d/2, d]``."""
    d = min(cap, base * 2 ** (max(1, attempt) - 1))
    return d / 2 + (rng or random).random() * d / 2
