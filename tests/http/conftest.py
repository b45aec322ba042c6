"""Fixtures of the HTTP-layer tests (the fakes live in http_fakes.py)."""

from __future__ import annotations

import threading

import pytest
from http_fakes import BASE, CANARY, FakeClock, TinyServer, Wire

from vapi_contract.http import ContractClient


@pytest.fixture
def wire() -> Wire:
    return Wire()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_client(wire, clock):
    """A ContractClient over ``wire`` with the fake clock (no real waiting)."""
    made = []

    def make(**kwargs) -> ContractClient:
        kwargs.setdefault("transport", wire.transport)
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("sleep", clock.sleep)
        kwargs.setdefault("rate_limit", 0)
        client = ContractClient(kwargs.pop("base_url", BASE), kwargs.pop("api_key", CANARY), **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def server():
    """A tiny real HTTP server on 127.0.0.1 that records every connection and byte it receives."""
    srv = TinyServer()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
