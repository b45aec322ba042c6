"""Rule: a request on the wire never outlives its deadline — headers and body together, however
slowly the server sends them.

httpx's timeouts bound each socket operation: a read timeout starts again with every byte, so a
server that drips one byte every few seconds (its headers or its body) holds a request forever.
Here every socket operation of the calling thread gets at most the time left until the deadline
set with :func:`deadline_of_thread` (:func:`time.monotonic`), and raises httpcore's timeout when
none is left; httpx turns that into its own ``ReadTimeout`` / ``ConnectTimeout`` /
``WriteTimeout``.

:func:`wire_transport` is httpx's transport with this network backend under its connection pool
(httpx has no public parameter for it: the pool's backend is set once, checked when built).
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator

import httpcore
import httpx

_local = threading.local()


@contextmanager
def deadline_of_thread(at: float | None) -> Iterator[None]:
    """Within the block, this thread's socket operations end by ``at`` (``time.monotonic()``;
    None: only httpx's own timeouts)."""
    saved = getattr(_local, "at", None)
    _local.at = at
    try:
        yield
    finally:
        _local.at = saved


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout``, shortened to the time left before the thread's deadline (``error`` when none)."""
    at = getattr(_local, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None, timeout: float | None = None):
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend whose streams keep the calling thread's deadline."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None):
        self._inner = inner if inner is not None else httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _Stream(self._inner.connect_tcp(host, port, _left(timeout, httpcore.ConnectTimeout), local_address,
                                               socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _Stream(self._inner.connect_unix_socket(path, _left(timeout, httpcore.ConnectTimeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def wire_transport(**options) -> httpx.HTTPTransport:
    """httpx's HTTP transport (``options`` as it takes them) whose connections keep the deadline."""
    transport = httpx.HTTPTransport(**options)
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if not isinstance(backend, httpcore.NetworkBackend):  # pragma: no cover - an httpx/httpcore that moved it
        raise RuntimeError("httpx's connection pool has no network backend to wrap: the response deadline "
                           "cannot be enforced with this httpx/httpcore version")
    pool._network_backend = DeadlineBackend(backend)
    return transport


__all__ = ["DeadlineBackend", "deadline_of_thread", "wire_transport"]
