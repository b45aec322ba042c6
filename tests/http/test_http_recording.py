"""Every answer is an Exchange, counted; the log is bounded; counting is thread-safe."""

from __future__ import annotations

import threading

import httpx
import pytest

from vapi_contract.http import NO_AUTH, BearerOverride, WrongKey, exchange_of


def test_exchange_fields(make_client, wire, clock):
    def answer(request):
        clock.now += 0.25  # the fake clock measures elapsed time
        return httpx.Response(200, headers={"X-Request-Id": "r1"}, json={"results": [{"id": "c1"}], "metadata": {}})

    wire.default = answer
    client = make_client()
    response = client.get("/campaign", [("status", "ended"), ("limit", "2"), ("status", "scheduled")])
    exchange = exchange_of(response)
    assert exchange is client.last_exchange is client.exchanges[-1]
    assert exchange.method == "GET" and exchange.url == "https://api.vapi.ai/campaign"
    assert exchange.params == (("status", "ended"), ("limit", "2"), ("status", "scheduled"))
    assert exchange.status == 200 and exchange.headers["x-request-id"] == "r1"
    assert exchange.content_type == "application/json"
    assert exchange.elapsed == pytest.approx(0.25) and response.elapsed.total_seconds() == pytest.approx(0.25)
    assert exchange.size == len(response.content) > 0
    assert exchange.json() == response.json() and exchange.json() is not exchange.json()  # read anew: the log holds bytes, never parsed pages
    assert exchange.auth == "key" and exchange.attempt == 1
    assert str(wire.requests[0].url) == "https://api.vapi.ai/campaign?status=ended&limit=2&status=scheduled"


def test_params_forms(make_client, wire):
    client = make_client()
    client.get("/campaign", {"limit": 10, "status": ["ended", "running"], "flag": True, "x": 1.5})
    assert client.last_exchange.params == (("limit", "10"), ("status", "ended"), ("status", "running"),
                                           ("flag", "true"), ("x", "1.5"))
    client.get("/campaign")
    assert client.last_exchange.params == () and wire.requests[-1].url.query == b""
    with pytest.raises(TypeError):
        client.get("/campaign", {"limit": None})


def test_auth_labels(make_client, wire):
    client = make_client()
    client.get("/campaign", auth=NO_AUTH)
    client.get("/campaign", auth=WrongKey())
    client.get("/campaign", auth=BearerOverride("wrong"))
    client.get("/campaign")
    assert [e.auth for e in client.exchanges] == ["none", "wrong", "override", "key"]
    assert [r.headers.get("authorization") for r in wire.requests] == [
        None, "Bearer wrong-key-vapi-contract-00000000", "Bearer wrong", "Bearer canary-key-5f1d3c2a-9b7e-4c1a-8d2f-0e6b7a9c1d3e"]


def test_no_key_means_no_header(make_client, wire):
    client = make_client(api_key=None)
    client.get("/campaign")
    assert "authorization" not in wire.requests[0].headers and client.last_exchange.auth == "none"
    assert "key=none" in repr(client)


def test_raw_client_requests_are_recorded_too(make_client, wire):
    client = make_client()
    response = client.httpx_client.get("/campaign", params={"limit": "5"})
    assert exchange_of(response).params == (("limit", "5"),)
    assert client.stats.total == 1 and client.stats.methods == {"GET": 1}


def test_stats(make_client, wire, clock):
    def slow(seconds, status):
        def answer(request):
            clock.now += seconds
            return httpx.Response(status, json={})
        return answer

    wire.then(slow(0.1, 200), slow(0.9, 500), slow(0.3, 400), slow(0.0, 200))
    client = make_client()
    for _ in range(3):
        client.get("/campaign")
    client.head("/campaign")
    stats = client.stats
    assert stats.total == 4 and stats.methods == {"GET": 3, "HEAD": 1}
    assert stats.status_histogram == {200: 2, 500: 1, 400: 1} and stats.server_errors == 1
    assert stats.slowest.status == 500 and stats.slowest_elapsed == pytest.approx(0.9)
    summary = stats.as_dict()
    assert summary["status_histogram"] == {"200": 2, "400": 1, "500": 1} and summary["slowest"]["status"] == 500
    client.get("/campaign")
    assert stats.total == 4  # a snapshot does not move


def test_log_is_bounded_and_hook_sees_everything(make_client):
    seen = []
    client = make_client(log_size=3, on_exchange=seen.append)
    for i in range(5):
        client.get("/campaign", {"page": i})
    assert [e.params[0][1] for e in client.exchanges] == ["2", "3", "4"]
    assert len(seen) == 5 and client.stats.total == 5
    client.on_exchange = None
    client.get("/campaign")
    assert len(seen) == 5


def test_counting_is_thread_safe(make_client, wire):
    client = make_client(max_requests=150)
    errors = []

    def worker(n):
        for i in range(20):
            try:
                response = client.get("/campaign", {"w": n, "i": i})
                assert client.last_exchange is exchange_of(response)  # per-thread last exchange
            except Exception as exc:  # noqa: BLE001
                errors.append(type(exc).__name__)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats = client.stats
    assert stats.total == 150 == len(wire.requests) == stats.status_histogram[200]
    assert errors == ["RequestBudgetExhausted"] * 50
    assert len({e.params for e in client.exchanges}) == 150


def test_closed_client_refuses_to_send(make_client):
    client = make_client()
    with client:
        client.get("/campaign")
    with pytest.raises(RuntimeError):
        client.get("/campaign")


def test_log_bounds_body_bytes(make_client, wire):
    wire.default = lambda request: httpx.Response(200, content=b'{"pad": "' + b"x" * 990 + b'"}')
    client = make_client(log_body_bytes=3100)
    responses = [client.get("/campaign", {"i": i}) for i in range(5)]
    log = client.exchanges
    assert len(log) == 5 and sum(len(e.body) for e in log) <= 3100
    assert [e.body_dropped for e in log] == [True, True, False, False, False]
    assert log[0].size == 1001 and log[0].params == (("i", "0"),)
    with pytest.raises(ValueError):
        log[0].json()
    assert exchange_of(responses[0]).json()["pad"]  # the caller's own exchange keeps its body
