"""Reliability: no 5xx, responses in time."""

from __future__ import annotations

from .model import Observation, Violation

NO_5XX = "reliability.no-5xx"
RESPONSE_TIME = "reliability.response-time"


def no_server_error(obs: Observation, query_kind: str) -> list[Violation]:
    """No 5xx; the locus is the status and how the docs classify the query (``query_kind``:
    valid | invalid | undecided): a crash on bad input is another fault than a crash on a good one."""
    if obs.status < 500:
        return []
    return [Violation(NO_5XX, f"answered {obs.status}", "< 500", obs.status, None, (obs,),
                      locus=f"{obs.status} to a {query_kind} query")]


def in_time(obs: Observation, max_seconds: float) -> list[Violation]:
    if obs.elapsed <= max_seconds:
        return []
    return [Violation(RESPONSE_TIME, f"took {obs.elapsed:.2f} s (limit {max_seconds:g} s)",
                      f"<= {max_seconds:g} s", round(obs.elapsed, 3), None, (obs,), locus="slower than the limit")]
