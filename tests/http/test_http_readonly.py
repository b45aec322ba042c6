"""Read-only: no method but GET/HEAD reaches the wire, whichever way it is sent."""

from __future__ import annotations

import httpx
import pytest

from vapi_contract.errors import ExitCode, ForbiddenMethod
from vapi_contract.http import ReadOnlyTransport

FORBIDDEN = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "post", "Delete"]


@pytest.mark.parametrize("method", FORBIDDEN)
def test_public_api_refuses(make_client, wire, method):
    client = make_client()
    with pytest.raises(ForbiddenMethod) as info:
        client.request(method, "/campaign", {"limit": 1})
    assert info.value.exit_code == ExitCode.USAGE
    assert "read-only" in info.value.message
    assert wire.requests == []
    assert client.stats.total == 0 and client.stats.refused == 1  # no budget, no slot spent


@pytest.mark.parametrize("method", FORBIDDEN)
def test_raw_httpx_client_refuses(make_client, wire, method):
    raw = make_client().httpx_client
    with pytest.raises(ForbiddenMethod):
        raw.request(method, "/campaign", content=b"{}")
    with pytest.raises(ForbiddenMethod):
        raw.send(httpx.Request(method, "https://api.vapi.ai/campaign"))
    with pytest.raises(ForbiddenMethod):
        with raw.stream(method, "/campaign"):
            pass
    assert wire.requests == []


def test_raw_helpers_refuse(make_client, wire):
    raw = make_client().httpx_client
    for call in (lambda: raw.post("/campaign", json={"name": "x"}), lambda: raw.put("/campaign/1", json={}),
                 lambda: raw.patch("/campaign/1", json={}), lambda: raw.delete("/campaign/1"),
                 lambda: raw.options("/campaign")):
        with pytest.raises(ForbiddenMethod):
            call()
    assert wire.requests == []


def test_the_guard_is_the_layer_above_the_wire(wire):
    guard = ReadOnlyTransport(wire.transport)
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"):
        with pytest.raises(ForbiddenMethod):
            guard.handle_request(httpx.Request(method, "https://api.vapi.ai/campaign"))
    assert wire.requests == []
    assert guard.handle_request(httpx.Request("GET", "https://api.vapi.ai/campaign")).status_code == 200
    assert [r.method for r in wire.requests] == ["GET"]


def test_get_and_head_pass(make_client, wire):
    client = make_client()
    assert client.get("/campaign", {"limit": 1}).status_code == 200
    assert client.head("/campaign").status_code == 200
    assert client.request("get", "/campaign").status_code == 200
    assert client.httpx_client.get("/campaign").status_code == 200
    assert [r.method for r in wire.requests] == ["GET", "HEAD", "GET", "GET"]


def test_a_redirect_never_turns_into_a_write(make_client, wire):
    wire.then(httpx.Response(307, headers={"location": "https://api.vapi.ai/elsewhere"}))
    response = make_client().get("/campaign")
    assert response.status_code == 307  # returned to the suite, not followed
    assert len(wire.requests) == 1
