"""Targets that misbehave the way real deployments do, for the end-to-end tests: a server that
gives one fixed answer (a WAF's block page, a redirect, a 429), and a proxy in front of the
reference target that blocks some requests.  Each counts what reached it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import httpx

CLOUDFLARE_BLOCK = (b"<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
                    b"<body><h1>Sorry, you have been blocked</h1><p>Cloudflare Ray ID: 8a1b2c3d4e5f6a7b</p></body></html>")
CLOUDFLARE_HEADERS = {"Server": "cloudflare", "CF-RAY": "8a1b2c3d4e5f6a7b-FRA", "Content-Type": "text/html; charset=UTF-8"}


class _Counting(ThreadingHTTPServer):
    daemon_threads = True
    hits = 0

    def count(self) -> None:
        with self.lock:
            self.hits += 1


class _Fixed(BaseHTTPRequestHandler):
    status: int = 200
    headers_out: dict = {}
    body: bytes = b""

    def send_response(self, code, message=None):  # no Server header of its own: only those given
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def do_GET(self):  # noqa: N802
        self.server.count()
        self.send_response(self.status)
        for name, value in self.headers_out.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_HEAD = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


@contextmanager
def answering(status: int, headers: dict | None = None, body: bytes = b"") -> Iterator[_Counting]:
    """A local server answering every request with ``status``, ``headers`` and ``body``; its URL is
    ``http://127.0.0.1:{server.server_port}``; ``server.hits`` counts the requests it answered."""
    with _serving(type("Handler", (_Fixed,), {"status": status, "headers_out": dict(headers or {}), "body": body})) as server:
        yield server


@contextmanager
def _serving(handler) -> Iterator[_Counting]:
    """A counting local server of ``handler`` in a thread, for the duration of the block."""
    server = _Counting(("127.0.0.1", 0), handler)
    server.lock = threading.Lock()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class _Proxy(_Fixed):
    upstream: str = ""
    blocks: Callable = staticmethod(lambda handler: None)  # -> (status, headers, body) to answer instead

    def do_GET(self):  # noqa: N802
        self.server.count()
        blocked = self.blocks(self)
        if blocked is None:
            answer = httpx.get(self.upstream + self.path, headers={k: v for k, v in self.headers.items()
                                                                  if k.lower() in ("authorization", "accept")})
            status, headers, body = answer.status_code, {"Content-Type": answer.headers.get("content-type", "")}, answer.content
            headers["Date"] = answer.headers.get("date", "")
        else:
            status, headers, body = blocked
        self.send_response(status)
        for name, value in headers.items():
            if value:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def proxy(upstream: str, blocks: Callable) -> Iterator[_Counting]:
    """A proxy in front of ``upstream`` that answers ``blocks(handler)`` instead when it returns
    (status, headers, body), and forwards the request otherwise (what a WAF does)."""
    with _serving(type("Proxy", (_Proxy,), {"upstream": upstream, "blocks": staticmethod(blocks)})) as server:
        yield server


def run_cli(args: list[str], cwd: Path, env_extra: dict | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    """``python -m vapi_contract ARGS`` with a clean environment (no key or base URL of the caller's)."""
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL", "VAPI_CONTRACT_DIR")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "vapi_contract", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=cwd)
