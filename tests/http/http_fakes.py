"""Fakes of the HTTP-layer tests: a recording wire under the guard, a fake clock, a canary key."""

from __future__ import annotations

import socketserver
import threading
from collections import deque
from typing import Callable

import httpx

CANARY = "canary-key-5f1d3c2a-9b7e-4c1a-8d2f-0e6b7a9c1d3e"
BASE = "https://api.vapi.ai"


class FakeClock:
    """A monotonic clock that only moves when ``sleep`` is called; records every sleep."""

    def __init__(self, start: float = 1000.0):
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


class Wire:
    """What reaches the wire: every request the inner transport receives, answered by a script
    (a queue of responses/exceptions, then ``default``)."""

    def __init__(self):
        self.requests: list[httpx.Request] = []
        self.script: deque = deque()
        self.default: Callable[[httpx.Request], httpx.Response] = lambda r: httpx.Response(
            200, json={"results": [], "metadata": {"itemsPerPage": 100, "totalItems": 0, "currentPage": 1}})
        self.transport = httpx.MockTransport(self._handle)
        self._lock = threading.Lock()

    def _handle(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            step = self.script.popleft() if self.script else self.default
        if isinstance(step, BaseException):
            raise step
        return step(request) if callable(step) else step

    def then(self, *steps) -> "Wire":
        self.script.extend(steps)
        return self


BODY = b'{"results":[],"metadata":{"itemsPerPage":100,"totalItems":0,"currentPage":1}}'


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        server = self.server
        with server.lock:
            server.connections += 1
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(65536)
            if not chunk:
                break
            data += chunk
        with server.lock:
            server.received += data
        if data:
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                 + str(len(BODY)).encode() + b"\r\nConnection: close\r\n\r\n" + BODY)


class TinyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.connections = 0
        self.received = b""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"
