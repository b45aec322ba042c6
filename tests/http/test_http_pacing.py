"""Rate limit, 429/Retry-After, retries with backoff, no retry on 5xx, request budget."""

from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest

from vapi_contract.errors import ExitCode, RequestBudgetExhausted, TargetUnreachable
from vapi_contract.http import MAX_RETRY_AFTER, RateLimiter, backoff, per_worker, retry_after

# -- rate limit ------------------------------------------------------------------------------------


def test_limiter_spaces_requests(clock):
    limiter = RateLimiter(5, clock, clock.sleep)
    starts = []
    for _ in range(6):
        limiter.acquire()
        starts.append(clock.now)
    gaps = [round(b - a, 9) for a, b in zip(starts, starts[1:])]
    assert gaps == [0.2] * 5
    # any one-second window holds at most 5 starts
    assert max(sum(1 for s in starts if t <= s < t + 1) for t in starts) == 5


def test_limiter_does_not_wait_when_requests_are_sparse(clock):
    limiter = RateLimiter(2, clock, clock.sleep)
    limiter.acquire()
    clock.now += 10
    assert limiter.acquire() == 0 and clock.sleeps == []


def test_limiter_is_thread_safe():
    """32 threads at once: every slot is distinct and 1/rate apart (the clock stands still, so
    the slots come only from reservations made under the lock)."""
    waits, lock = [], threading.Lock()

    def sleep(seconds):
        with lock:
            waits.append(seconds)

    limiter = RateLimiter(10, clock=lambda: 0.0, sleep=sleep)
    barrier = threading.Barrier(32)

    def worker():
        barrier.wait()
        limiter.acquire()

    threads = [threading.Thread(target=worker) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(round(w, 9) for w in waits) == [round(0.1 * i, 9) for i in range(1, 32)]


def test_zero_rate_means_unlimited_and_defer_still_applies(clock):
    limiter = RateLimiter(0, clock, clock.sleep)
    for _ in range(100):
        limiter.acquire()
    assert clock.sleeps == []
    limiter.defer(3)
    limiter.acquire()
    assert clock.sleeps == [3]


def test_client_is_paced(make_client, clock):
    client = make_client(rate_limit=4)
    for _ in range(5):
        client.get("/campaign")
    assert clock.sleeps == [0.25] * 4


def test_per_worker_share(monkeypatch):
    assert per_worker(5, 4) == 1.25
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "5")
    assert per_worker(5) == 1
    monkeypatch.delenv("PYTEST_XDIST_WORKER_COUNT")
    assert per_worker(5) == 5


# -- 429 -------------------------------------------------------------------------------------------


def test_retry_after_parsing():
    now = datetime(2026, 4, 11, 12, 0, 0, tzinfo=timezone.utc)
    at = lambda seconds: format_datetime(now + timedelta(seconds=seconds), usegmt=True)  # noqa: E731
    clock = now.timestamp
    assert retry_after("7", clock) == 7
    assert retry_after(" 12 ", clock) == 12
    assert retry_after(at(30), clock) == 30
    assert retry_after(at(-30), clock) == 0  # a date in the past: retry now
    assert retry_after("3600", clock) == MAX_RETRY_AFTER
    assert retry_after(at(3600), clock) == MAX_RETRY_AFTER
    assert retry_after("86400", clock) == MAX_RETRY_AFTER  # a day: usable, capped
    # RFC 9110's other two date forms (obsolete, but recipients read them): GMT both
    assert retry_after("Saturday, 11-Apr-26 12:00:20 GMT", clock) == 20
    assert retry_after("Sat Apr 11 12:00:40 2026", clock) == 40
    # no usable Retry-After: garbage, not delay-seconds (1*DIGIT: no sign, no fraction), absurd
    for unusable in (None, "", "soon", "nan", "inf", "Mon, 99 Foo 2026 00:00:00 GMT", "-4", " 1.5 ", "1e3", "+5",
                     "86401", "999999", "9" * 5000, "Fri, 31 Dec 9999 23:59:59 GMT", "Fri, 31 Dec 99999 23:59:59 GMT",
                     "\u0661\u0662"):
        assert retry_after(unusable, clock) is None, unusable


def test_429_honours_retry_after_seconds(make_client, wire, clock):
    wire.then(httpx.Response(429, headers={"retry-after": "7"}))
    client = make_client(rate_limit=0)
    assert client.get("/campaign").status_code == 200
    assert clock.sleeps == [7]
    stats = client.stats
    assert (stats.total, stats.throttled, stats.retries) == (2, 1, 1)
    assert stats.status_histogram == {429: 1, 200: 1}
    assert [e.attempt for e in client.exchanges] == [1, 2]


def test_429_honours_retry_after_http_date(make_client, wire, clock):
    now = datetime(2026, 4, 11, 12, 0, 0, tzinfo=timezone.utc)
    wire.then(httpx.Response(429, headers={"retry-after": format_datetime(now + timedelta(seconds=12), usegmt=True)}))
    client = make_client(wall_clock=now.timestamp)
    assert client.get("/campaign").status_code == 200
    assert clock.sleeps == [12]


def test_429_wait_is_capped(make_client, wire, clock):
    wire.then(httpx.Response(429, headers={"retry-after": "86400"}))
    make_client().get("/campaign")
    assert clock.sleeps == [MAX_RETRY_AFTER]


def test_429_attempts_are_bounded_then_the_429_is_returned(make_client, wire, clock):
    wire.default = lambda req: httpx.Response(429)  # no Retry-After: backoff instead
    client = make_client(max_retries=2, rng=random.Random(1))
    assert client.get("/campaign").status_code == 429
    assert len(wire.requests) == 3 and len(clock.sleeps) == 2
    assert 0.25 <= clock.sleeps[0] <= 0.5 and 0.5 <= clock.sleeps[1] <= 1.0
    assert client.stats.throttled == 3 and client.stats.retries == 2


def test_429_wait_applies_to_every_thread(make_client, wire, clock):
    """Retry-After pushes back the shared limiter: the next request, of any thread, waits too."""
    wire.then(httpx.Response(429, headers={"retry-after": "5"}))
    client = make_client(max_retries=0)
    assert client.get("/campaign").status_code == 429
    other = threading.Thread(target=lambda: client.get("/campaign"))
    other.start()
    other.join()
    assert clock.sleeps == [5] and [e.status for e in client.exchanges] == [429, 200]


# -- connection errors, timeouts, 5xx --------------------------------------------------------------


def test_connection_errors_back_off_then_succeed(make_client, wire, clock):
    wire.then(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("reset"))
    client = make_client(max_retries=3, rng=random.Random(7))
    assert client.get("/campaign").status_code == 200
    assert len(wire.requests) == 4
    for n, slept in enumerate(clock.sleeps, start=1):
        full = 0.5 * 2 ** (n - 1)
        assert full / 2 <= slept <= full  # exponential, with jitter
    stats = client.stats
    assert (stats.retries, stats.transport_errors, stats.total) == (3, 3, 4)


def test_connection_errors_exhausted_raise_target_unreachable(make_client, wire, clock):
    wire.default = httpx.ConnectTimeout("timed out")
    wire.script.clear()
    wire.then(*[httpx.ConnectTimeout("timed out")] * 10)
    client = make_client(max_retries=3)
    with pytest.raises(TargetUnreachable) as info:
        client.get("/campaign", {"limit": 1, "secretish": "q"})
    assert info.value.exit_code == ExitCode.UNREACHABLE
    assert info.value.message == "cannot reach api.vapi.ai: ConnectTimeout (timed out) after 4 attempts"
    assert len(wire.requests) == 4 and len(clock.sleeps) == 3
    assert client.exchanges == []


def test_backoff_bounds():
    rng = random.Random(0)
    for attempt in range(1, 10):
        full = min(8.0, 0.5 * 2 ** (attempt - 1))
        for _ in range(20):
            assert full / 2 <= backoff(attempt, rng) <= full


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_returned_not_retried(make_client, wire, clock, status):
    wire.then(httpx.Response(status, headers={"retry-after": "3"}, text="oops"))
    client = make_client()
    assert client.get("/campaign").status_code == status
    assert len(wire.requests) == 1 and clock.sleeps == []
    assert client.stats.server_errors == 1 and client.stats.retries == 0


# -- budget ----------------------------------------------------------------------------------------


def test_budget_is_enforced_on_the_wire(make_client, wire):
    client = make_client(max_requests=3)
    for _ in range(3):
        client.get("/campaign")
    with pytest.raises(RequestBudgetExhausted) as info:
        client.get("/campaign")
    with pytest.raises(RequestBudgetExhausted):
        client.httpx_client.get("/campaign")  # the raw client shares the budget
    assert info.value.exit_code == ExitCode.OK  # not an error exit by itself
    assert "3" in info.value.message
    assert len(wire.requests) == 3 and client.stats.total == 3 and client.stats.refused == 2


def test_retries_spend_budget(make_client, wire):
    wire.then(httpx.Response(429, headers={"retry-after": "0"}), httpx.Response(429, headers={"retry-after": "0"}))
    client = make_client(max_requests=2)
    with pytest.raises(RequestBudgetExhausted):
        client.get("/campaign")
    assert len(wire.requests) == 2
