"""Response-time figures of a run: p50, p95 and max, in milliseconds, of every response
("overall") and of the heaviest query the suite sends, page 1 at limit 1000 (``page`` absent
or 1, ``limit=1000``, answered 200: the figure a dashboard listing a big organisation feels).

    latency = Latency(endpoint)     # an observer of the engine's events (engine/events.py)
    ...
    latency.figures()  # {"overall": {"count", "p50", "p95", "max"}, "page1_limit1000": {...}}

Recording is one float appended per response; percentiles are nearest-rank over everything
recorded (a nightly's 20,000 floats sort in milliseconds).  A series with no response has
``count`` 0 and ``null`` figures.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

SERIES = ("overall", "page1_limit1000")  # the second: the first page at the maximum limit


def is_first_full_page(endpoint, params: Iterable[tuple[str, str]]) -> bool:
    """The limit at its maximum once, and the page absent or the first (other parameters allowed)."""
    limits = [v for k, v in params if k == endpoint.limit.name]
    if endpoint.page_name is None:  # the array family: the first read at the maximum limit
        return limits == [str(endpoint.max_limit)]
    pages = [v for k, v in params if k == endpoint.page.name]
    first = str(endpoint.page.default)
    return limits == [str(endpoint.max_limit)] and (not pages or pages == [first])


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile ``q`` (0..100] of an ascending, non-empty list."""
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def figures_of(samples: list[float]) -> dict[str, Any]:
    """count, p50, p95 and max (ms, 0.1 ms resolution) of ``samples`` (seconds)."""
    if not samples:
        return {"count": 0, "p50": None, "p95": None, "max": None}
    ordered = sorted(samples)
    ms = lambda s: round(s * 1000, 1)  # noqa: E731
    return {"count": len(ordered), "p50": ms(percentile(ordered, 50)), "p95": ms(percentile(ordered, 95)),
            "max": ms(ordered[-1])}


class Latency:
    """Records ``exchange.elapsed`` of each response (an observer of the engine's events)."""

    def __init__(self, endpoint) -> None:
        self.endpoint = endpoint
        self.overall: list[float] = []
        self.page1_limit1000: list[float] = []

    def handle(self, event) -> None:
        exchange = getattr(event, "exchange", None)
        if exchange is None:
            return
        self.overall.append(exchange.elapsed)
        if exchange.status == 200 and is_first_full_page(self.endpoint, exchange.params):
            self.page1_limit1000.append(exchange.elapsed)

    def figures(self) -> dict[str, dict[str, Any]]:
        return {"overall": figures_of(self.overall), "page1_limit1000": figures_of(self.page1_limit1000)}
