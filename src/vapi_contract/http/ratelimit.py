"""Rule: at most ``rate`` requests per second leave this process's client, across threads.

Min-interval pacing (a token bucket of capacity 1): request *n* starts no earlier than
``interval`` after request *n-1*, so any one-second window holds at most ``rate`` starts.  A slot
is reserved under a lock and waited for outside it.  ``defer`` pushes every later start back
(a 429's Retry-After applies to all threads, not just the one that saw it).

Under pytest-xdist each worker is its own process with its own limiter: give each worker
``per_worker(rate)`` so that the whole run stays at ``rate``.
"""

from __future__ import annotations

import math
import os
import threading
import time
from typing import Callable


class RateLimiter:
    """Spaces request starts at least ``1/rate`` s apart; ``rate <= 0`` means no pacing (``defer``
    still applies).  ``clock`` and ``sleep`` are injectable for tests."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if rate is None or rate < 0 or math.isnan(rate):
            raise ValueError("rate must be >= 0")
        self.rate = float(rate)
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._next = -math.inf
        self._lock = threading.Lock()

    def acquire(self, deadline: float | None = None) -> float | None:
        """Wait for this request's slot; return the seconds waited.  With ``deadline`` (on the
        limiter's clock): None, without waiting or taking a slot, when the slot starts after it."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            if deadline is not None and start > deadline:
                return None
            self._next = start + self.interval
        wait = start - now
        if wait > 0:
            self._sleep(wait)
        return max(0.0, wait)

    def defer(self, seconds: float) -> None:
        """No request starts in the next ``seconds`` (e.g. after a 429 with Retry-After)."""
        with self._lock:
            self._next = max(self._next, self._clock() + max(0.0, seconds))

    def __repr__(self) -> str:
        return f"RateLimiter({self.rate:g}/s)"


def per_worker(rate: float, workers: int | None = None) -> float:
    """The share of ``rate`` for one of ``workers`` processes (default: pytest-xdist's
    ``PYTEST_XDIST_WORKER_COUNT``, else 1)."""
    if workers is None:
        try:
            workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
        except ValueError:
            workers = 1
    return rate / max(1, workers)
