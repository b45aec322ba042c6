"""Response-time figures: nearest-rank percentiles, and which requests are "page 1 at limit 1000"."""

from __future__ import annotations

from dataclasses import dataclass

from vapi_contract.runner.engine.events import ResponseReceived
from vapi_contract.runner.engine.latency import Latency, figures_of, is_first_full_page


@dataclass
class Ex:
    elapsed: float
    params: tuple = ()
    status: int = 200


def test_percentiles_are_nearest_rank_in_milliseconds():
    samples = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert figures_of(samples) == {"count": 100, "p50": 50.0, "p95": 95.0, "max": 100.0}
    assert figures_of([0.25]) == {"count": 1, "p50": 250.0, "p95": 250.0, "max": 250.0}
    assert figures_of([]) == {"count": 0, "p50": None, "p95": None, "max": None}


def test_page1_at_the_maximum_limit(endpoint):
    assert endpoint.max_limit == 1000
    assert is_first_full_page(endpoint, [("limit", "1000")])
    assert is_first_full_page(endpoint, [("status", "ended"), ("limit", "1000"), ("page", "1")])
    assert not is_first_full_page(endpoint, [("limit", "1000"), ("page", "2")])
    assert not is_first_full_page(endpoint, [("limit", "100")])
    assert not is_first_full_page(endpoint, [("limit", "1000"), ("limit", "5")])
    assert not is_first_full_page(endpoint, [("page", "1")])


def test_recorder_splits_the_series(endpoint):
    latency = Latency(endpoint)
    for ms, params, status in [(10, (("limit", "1000"),), 200), (30, (("limit", "1000"), ("page", "1")), 200),
                               (5, (("limit", "1000"),), 401), (2, (("limit", "10"),), 200)]:
        latency.handle(ResponseReceived(Ex(ms / 1000, params, status)))
    figures = latency.figures()
    assert figures["overall"]["count"] == 4 and figures["overall"]["max"] == 30.0
    assert figures["page1_limit1000"] == {"count": 2, "p50": 10.0, "p95": 30.0, "max": 30.0}
