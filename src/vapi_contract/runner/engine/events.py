"""What the engine tells its observers while a run goes on (the progress display and the
response-time figures listen; neither can change the run).

An observer is any object with ``handle(event)``; the engine calls it for every event below, in
order, from the thread that sends the requests.  An observer that raises is the observer's bug:
the engine catches nothing for it, so observers must not raise (the progress display swallows its
own display errors).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RunStarted:
    operation: str  # GET /campaign
    max_requests: int | None
    max_duration: float | None


@dataclass(frozen=True)
class StageStarted:
    name: str
    phase: str  # preflight | essential | deep | final
    granted: int | None  # requests granted to the pass (None: what the run budget allows)


@dataclass(frozen=True)
class ResponseReceived:
    exchange: Any  # http.Exchange: method, params, status, elapsed, ...


@dataclass(frozen=True)
class StageFinished:
    record: Any  # planner.StageRecord


@dataclass(frozen=True)
class RunFinished:
    verdict: str | None  # None: the run ended on an error


def broadcast(observers) -> "callable":
    """One ``emit(event)`` calling ``handle(event)`` on each observer, in order."""
    live = tuple(observers)

    def emit(event) -> None:
        for observer in live:
            observer.handle(event)

    return emit
