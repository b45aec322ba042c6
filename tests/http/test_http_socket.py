"""Against a real socket (httpx's own transport, a tiny local server): refused methods open no
connection and send no byte; unreachable targets end in TargetUnreachable."""

from __future__ import annotations

import socket
import threading

import pytest
from http_fakes import CANARY, FakeClock

from vapi_contract.errors import ConfigError, ExitCode, ForbiddenMethod, TargetUnreachable
from vapi_contract.http import ContractClient


def test_forbidden_methods_never_open_a_connection(server):
    with ContractClient(server.url, CANARY, rate_limit=0) as client:
        for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"):
            with pytest.raises(ForbiddenMethod):
                client.request(method, "/campaign")
            with pytest.raises(ForbiddenMethod):
                client.httpx_client.request(method, "/campaign", content=b"x")
        assert server.connections == 0 and server.received == b""
        response = client.get("/campaign", {"limit": 1})
        assert response.status_code == 200 and response.json()["results"] == []
    assert server.connections == 1
    head = server.received.decode()
    assert head.startswith("GET /campaign?limit=1 HTTP/1.1")
    assert f"authorization: Bearer {CANARY}".lower() in head.lower()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_is_retried_then_unreachable():
    clock = FakeClock()
    port = _free_port()
    with ContractClient(f"http://127.0.0.1:{port}", CANARY, rate_limit=0, max_retries=2,
                        clock=clock, sleep=clock.sleep) as client:
        with pytest.raises(TargetUnreachable) as info:
            client.get("/campaign", {"apiKey": CANARY})
        stats = client.stats
    message = info.value.message
    assert info.value.exit_code == ExitCode.UNREACHABLE
    assert message.startswith(f"cannot reach 127.0.0.1:{port}: ConnectError") and "after 3 attempts" in message
    assert "\n" not in message and CANARY not in message and "apiKey" not in message
    assert len(clock.sleeps) == 2 and stats.retries == 2 and stats.total == 3 and stats.transport_errors == 3


def test_timeouts_are_retried_then_unreachable():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts at kernel level, never answers
    clock = FakeClock()
    try:
        with ContractClient(f"http://127.0.0.1:{listener.getsockname()[1]}", CANARY, rate_limit=0, timeout=0.1,
                            max_retries=1, clock=clock, sleep=clock.sleep) as client:
            with pytest.raises(TargetUnreachable) as info:
                client.get("/campaign")
    finally:
        listener.close()
    assert "ReadTimeout" in info.value.message and "after 2 attempts" in info.value.message
    assert len(clock.sleeps) == 1


def test_https_to_a_plain_http_server_is_a_configuration_error_at_once():
    """A TLS mismatch is configuration (exit 2), not an outage: not retried, one line saying what to use."""
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Plain(BaseHTTPRequestHandler):  # reads the TLS hello as a malformed request line, answers 400
        def log_message(self, *args):
            pass

    plain = HTTPServer(("127.0.0.1", 0), Plain)
    threading.Thread(target=plain.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{plain.server_port}"
    clock = FakeClock()
    try:
        with ContractClient(f"https://{host}", CANARY, rate_limit=0, clock=clock, sleep=clock.sleep) as client:
            with pytest.raises(ConfigError) as info:
                client.get("/campaign", {"limit": 1})
            stats = client.stats
    finally:
        plain.shutdown()
        plain.server_close()
    message = info.value.message
    assert info.value.exit_code == ExitCode.USAGE
    assert message == (f"cannot talk TLS to {host}: it does not speak TLS on that port "
                       f"(a plain-http server? then use http://{host})"), message
    assert clock.sleeps == [] and stats.total == 1 and stats.retries == 0
