"""Every response is read within bounds and deadlines (issue 24): the size cap on the wire and once
decoded, a total deadline per response however slowly it drips, a run deadline no wait crosses,
and Retry-After read as RFC 9110 writes it."""

from __future__ import annotations

import socket
import threading
import time
import zlib

import httpx
import pytest

from vapi_contract.errors import OutOfTime, TargetUnreachable
from vapi_contract.http import ContractClient
from vapi_contract.http.body import CUT, STALLED, UNDECODABLE, read_body
from vapi_contract.http.deadline import deadline_of_thread, wire_transport

PAGE = b'{"results":[],"metadata":{"itemsPerPage":100,"totalItems":0,"currentPage":1}}'


def streamed(chunks, headers=None, status=200):
    """A response whose body comes chunk by chunk (an iterator may raise, or advance a clock)."""
    class Stream(httpx.SyncByteStream):
        def __iter__(self):
            yield from chunks

    return httpx.Response(status, headers=headers or {}, stream=Stream())


# -- the body ---------------------------------------------------------------------------------------
def test_a_body_over_the_cap_on_the_wire_is_not_read_further():
    sent = []

    def endless():
        while True:
            sent.append(1)
            yield b"x" * 65536

    body = read_body(streamed(endless()), 1_000_000)
    assert body.defect == "too-large" and "on the wire" in body.detail
    assert body.wire_bytes <= 1_000_000 + 65536 and len(sent) <= 17  # it stopped reading, and kept its start
    assert body.content.startswith(b"xxx") and len(body.content) <= 65536


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_a_decompression_bomb_stops_at_the_cap_once_decoded(coding):
    """~100 KB on the wire that would inflate to 100 MB: never more than the cap (+1 byte) decoded."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31 if coding == "gzip" else 15)
    wire = z.compress(b" " * (100 * 2**20)) + z.flush()
    assert len(wire) < 200_000
    body = read_body(streamed([wire[i:i + 16384] for i in range(0, len(wire), 16384)], {"content-encoding": coding}),
                     2**20)
    assert body.defect == "too-large" and f"once decoded ({coding})" in body.detail
    assert body.wire_bytes < 200_000 and len(body.content) <= 65536


def test_layers_of_encoding_and_raw_deflate_decode_within_the_cap():
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    once = raw_deflate.compress(PAGE) + raw_deflate.flush()
    assert read_body(streamed([once], {"content-encoding": "deflate"}), 10_000).content == PAGE
    gz = zlib.compressobj(6, zlib.DEFLATED, 31)
    inner = gz.compress(PAGE) + gz.flush()
    twice = zlib.compress(inner)
    body = read_body(streamed([twice], {"content-encoding": "gzip, deflate"}), 10_000)
    assert body.defect is None and body.content == PAGE


@pytest.mark.parametrize("headers, chunks, defect, says", [
    ({"content-encoding": "br"}, [b"\x1b\x03"], UNDECODABLE, "Content-Encoding br, which the request did not accept"),
    ({"content-encoding": "gzip"}, [b"no gzip at all"], UNDECODABLE, "does not decode as gzip"),
    ({"content-encoding": "gzip"}, [zlib.compressobj(6, zlib.DEFLATED, 31).compress(PAGE * 50)[:40]], CUT,
     "stream ends before its end"),
])
def test_what_cannot_be_decoded_says_so(headers, chunks, defect, says):
    body = read_body(streamed(chunks, headers), 10_000)
    assert body.defect == defect and says in body.detail, body


def test_a_body_cut_or_stalled_is_a_defect_not_an_exception():
    def cut():
        yield PAGE[:20]
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    def stalls():
        yield PAGE[:20]
        raise httpx.ReadTimeout("timed out")

    assert read_body(streamed(cut()), 10_000).defect == CUT
    stalled = read_body(streamed(stalls()), 10_000)
    assert stalled.defect == STALLED and stalled.content == PAGE[:20] and stalled.wire_bytes == 20


def test_a_body_still_coming_at_its_deadline_stops_there():
    now = [0.0]

    def drip():
        for byte in PAGE:
            now[0] += 5.0  # one byte every five seconds
            yield bytes([byte])

    body = read_body(streamed(drip()), 10_000, clock=lambda: now[0], deadline=30.0)
    assert body.defect == STALLED and body.wire_bytes == 7


# -- the wire: a real socket that drips -----------------------------------------------------------------
class Dripping:
    """A local server that sends its headers (or its body) one byte every ``every`` seconds."""

    def __init__(self, headers_too: bool, every: float = 0.2):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        self.headers_too, self.every = headers_too, every
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn):
        with conn:
            conn.recv(65536)
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(PAGE)
            dripped = head + PAGE if self.headers_too else PAGE
            if not self.headers_too:
                conn.sendall(head)
            for byte in dripped:
                if self.stop.wait(self.every):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def close(self):
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_the_socket_is_held_to_the_deadline_however_slowly_it_drips(headers_too):
    """httpx's read timeout (10 s here) never fires on a drip; the thread's deadline does."""
    server = Dripping(headers_too)
    try:
        with httpx.Client(transport=wire_transport(), timeout=10.0) as client:
            start = time.monotonic()
            with pytest.raises(httpx.TimeoutException), deadline_of_thread(time.monotonic() + 1.0):
                client.get(server.url).read()
            assert time.monotonic() - start < 2.5
    finally:
        server.close()


def test_a_client_records_a_stalled_body_as_the_servers_answer():
    """Headers came, the body stopped: the answer is returned with its defect (the server was
    reached), after one attempt: the deadline was spent on it."""
    server = Dripping(headers_too=False, every=1.0)
    try:
        with ContractClient(server.url, None, rate_limit=0, response_timeout=1.0) as client:
            start = time.monotonic()
            response = client.get("/campaign")
            exchange = client.last_exchange
        assert time.monotonic() - start < 3
        assert response.status_code == 200 and exchange.defect == STALLED and client.stats.total == 1
        assert exchange.wire_size <= 2
    finally:
        server.close()


# -- the run's deadline ------------------------------------------------------------------------------------
def test_a_retry_after_past_the_deadline_is_not_waited_for(make_client, wire, clock):
    wire.default = lambda request: httpx.Response(429, headers={"retry-after": "30"})
    client = make_client()
    client.deadline = clock() + 20
    response = client.get("/campaign")
    exchange = client.last_exchange
    assert response.status_code == 429 and exchange.wait_refused and exchange.retry_wait == 30
    assert clock.sleeps == [] and len(wire.requests) == 1  # not waited, not retried
    with pytest.raises(OutOfTime) as out:  # the next request would start after the deadline
        client.get("/campaign")
    assert "Retry-After 30" in out.value.message and len(wire.requests) == 1
    assert client.stats.total == 1  # the refused one never went out


def test_an_absurd_retry_after_is_no_wait_backoff_instead(make_client, wire, clock):
    wire.then(httpx.Response(429, headers={"retry-after": "999999"}),
              httpx.Response(429, headers={"retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"}))
    client = make_client()
    client.deadline = clock() + 120
    assert client.get("/campaign").status_code == 200
    assert len(clock.sleeps) == 2 and all(s <= 1.0 for s in clock.sleeps), clock.sleeps


def test_no_backoff_crosses_the_deadline(make_client, wire, clock):
    wire.default = httpx.ConnectError("refused")
    client = make_client()
    client.deadline = clock() + 1.0
    with pytest.raises(TargetUnreachable):
        client.get("/campaign")
    assert sum(clock.sleeps) < 1.0


def test_a_cut_body_is_retried_then_returned_with_its_defect(make_client, wire, clock):
    def cut(request):
        def body():
            yield PAGE[:10]
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

        return streamed(body())

    wire.default = cut
    client = make_client(max_retries=2)
    response = client.get("/campaign")
    assert response.status_code == 200 and client.last_exchange.defect == CUT
    assert len(wire.requests) == 3 and len(clock.sleeps) == 2


def test_the_request_accepts_only_what_it_decodes_within_bounds(make_client, wire):
    make_client().get("/campaign")
    assert wire.requests[0].headers["accept-encoding"] == "gzip, deflate"
