"""A hostile target: a raw-socket HTTP/1.1 server that answers ``GET /campaign`` in one broken way
per mode, for the end-to-end tests (tests/selftest/test_hostile.py) and ``benchmarks/hostile.py``.

    with hostile("drip") as server:          # server.url, server.key, server.hits
        run vapi-contract with --base-url server.url and VAPI_API_KEY=server.key

Every mode that needs real pages takes them from the reference target (in-process, no socket) and
breaks them on the way; ``MODES`` maps each mode to what the suite must make of it (``Expect``:
exit code, verdict, words of its message).  The server never trusts the client to read: endless
and dripping modes stop when the client goes away or the server shuts down.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from functools import lru_cache
from typing import Callable, Iterator
from urllib.parse import urlsplit

from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG
from vapi_contract.reference.server import build_service, local_client

KEY = ORG_KEYS[PRIMARY_ORG]
MiB = 2**20


@dataclass(frozen=True)
class Expect:
    exit_code: int
    verdict: str  # summary.json's
    says: tuple[str, ...]  # words of the verdict's message: the error line (exit 2, 3), else the console


class _Upstream:
    """The reference target in-process: real answers to forward (and break); one per process."""

    _lock = threading.Lock()
    _client = None

    def get(self, target: str) -> tuple[int, dict, bytes]:
        with self._lock:
            if _Upstream._client is None:
                _Upstream._client = local_client(build_service(campaigns=120), key=KEY)
            answer = _Upstream._client.get(target)
        return answer.status_code, {"Content-Type": answer.headers.get("content-type", "application/json")}, answer.content


class _Conn:
    """One accepted connection: the request read, ways to answer it."""

    def __init__(self, sock: socket.socket, server: "HostileServer"):
        self.sock, self.server = sock, server

    def request(self) -> tuple[str, str, dict] | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            data += chunk
            if len(data) > 1 << 20:
                return None
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        method, target, _ = head[0].split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:])}
        return method, target, headers

    def send(self, data: bytes) -> bool:
        """False once the client has gone (or the server is stopping)."""
        if self.server.stopping.is_set():
            return False
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def head(self, status: int, headers: dict, reason: str = "X") -> bool:
        lines = [f"HTTP/1.1 {status} {reason}", f"Date: {formatdate(usegmt=True)}", "Connection: close",
                 *(f"{k}: {v}" for k, v in headers.items())]
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def answer(self, status: int, headers: dict, body: bytes) -> None:
        if self.head(status, {**headers, "Content-Length": str(len(body))}):
            self.send(body)

    def wait(self, seconds: float) -> bool:
        """Sleep, unless the server stops (False then)."""
        return not self.server.stopping.wait(seconds)


JSON = {"Content-Type": "application/json; charset=utf-8"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


# -- the modes ------------------------------------------------------------------------------------------
def _page(conn: _Conn, target: str) -> tuple[int, dict, bytes]:
    return conn.server.upstream.get(target)


def _refused(conn, target) -> bool:
    """The API's own refusal of an invalid query stands (answered here): only its 200 answers break."""
    status, headers, body = _page(conn, target)
    if status == 200:
        return False
    conn.answer(status, headers, body)
    return True


def deep_nesting(conn, target, n):
    if _refused(conn, target):
        return
    conn.answer(200, JSON, b"[" * 100_000 + b"]" * 100_000)


def nan_total(conn, target, n):
    status, headers, body = _page(conn, target)
    conn.answer(status, headers, body.replace(b'"totalItems":', b'"totalItems":NaN,"was":', 1))


def duplicate_names(conn, target, n):
    """The page metadata repeated: a lie in the first copy, the truth in the last (Python, and many
    clients, keep the last copy; others keep the first)."""
    status, headers, body = _page(conn, target)
    if status == 200:
        page = json.loads(body)
        meta = page.pop("metadata")
        lie = b'"currentPage":7,"totalItems":3,"itemsPerPage":1,'
        right = json.dumps(meta, separators=(",", ":")).encode()
        body = json.dumps(page, separators=(",", ":")).encode()[:-1] + b',"metadata":{' + lie + right[1:] + b"}"
        assert json.loads(body)["metadata"] == meta  # Python's parser keeps the last copy: the right one
    conn.answer(status, headers, body)


def huge_body(conn, target, n, size=300 * MiB):
    if _refused(conn, target):
        return
    if not conn.head(200, {**JSON, "Content-Length": str(size)}):
        return
    conn.send(b'{"results":[')
    filler = b'{"id":"x"},' * (MiB // 11)
    sent = 12
    while sent + len(filler) < size - 2:
        if not conn.send(filler):
            return
        sent += len(filler)
    conn.send(b"0" * (size - 2 - sent) + b"]}")


@lru_cache(maxsize=4)
def gzip_bomb_bytes(inflated: int) -> bytes:
    """A valid gzip stream of a JSON object holding ``inflated`` bytes of spaces: 1 MiB segments,
    each flushed in full so that one compressed segment repeats (~1 KiB each: 2 GiB in ~2 MiB)."""
    opening, closing, segment = b'{"results":[],"metadata":{},"x":"', b'"}', b" " * MiB
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = z.compress(opening) + z.flush(zlib.Z_FULL_FLUSH)
    middle = z.compress(segment) + z.flush(zlib.Z_FULL_FLUSH)
    last = (z.compress(closing) + z.flush())[:-8]  # its trailer counts one segment: the right one below
    count = inflated // MiB
    crc = zlib.crc32(opening)
    for _ in range(count):
        crc = zlib.crc32(segment, crc)
    crc = zlib.crc32(closing, crc)
    size = len(opening) + count * MiB + len(closing)
    return first + middle * count + last + crc.to_bytes(4, "little") + (size % 2**32).to_bytes(4, "little")


def gzip_bomb(conn, target, n, inflated=2048 * MiB):
    if _refused(conn, target):
        return
    body = gzip_bomb_bytes(inflated)
    conn.answer(200, {**JSON, "Content-Encoding": "gzip"}, body)


def endless_chunked(conn, target, n):
    if _refused(conn, target):
        return
    if not conn.head(200, {**JSON, "Transfer-Encoding": "chunked"}):
        return
    opening = b'{"results":['
    conn.send(b"%x\r\n%s\r\n" % (len(opening), opening))
    chunk = b'{"id":"x"},' * 6000
    framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    while conn.send(framed):
        pass


def items_page(count: int, item: bytes) -> bytes:
    meta = json.dumps({"itemsPerPage": 100, "totalItems": count, "currentPage": 1}).encode()
    return b'{"results":[' + b",".join([item] * count) + b'],"metadata":' + meta + b"}"


def huge_page(conn, target, n):
    if _refused(conn, target):
        return
    conn.answer(200, JSON, _cached_page(2_000_000, b"{}"))


def big_page(conn, target, n, items=200_000):
    if _refused(conn, target):
        return
    conn.answer(200, JSON, _cached_page(items, b'{"id":"x"}'))


@lru_cache(maxsize=4)
def _cached_page(count: int, item: bytes) -> bytes:
    return items_page(count, item)


def drip(conn, target, n, every=5.0):
    status, headers, body = _page(conn, target)
    if not conn.head(status, {**headers, "Content-Length": str(len(body))}):
        return
    for i in range(len(body)):
        if not conn.send(body[i:i + 1]) or not conn.wait(every):
            return


def stall_body(conn, target, n):
    status, headers, body = _page(conn, target)
    if conn.head(status, {**headers, "Content-Length": str(len(body))}) and conn.send(body[: len(body) // 3]):
        conn.wait(3600)


def retry_after_huge(conn, target, n):
    conn.answer(429, {**JSON, "Retry-After": "999999"}, b'{"message":"Too Many Requests","statusCode":429}')


def retry_after_year_9999(conn, target, n):
    conn.answer(429, {**JSON, "Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"},
                b'{"message":"Too Many Requests","statusCode":429}')


BAD_GATEWAY = b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"


def bad_gateway_after_preflight(conn, target, n):
    if n == 1:
        conn.answer(*_page(conn, target))
    else:
        conn.answer(502, {**HTML, "Server": "nginx"}, BAD_GATEWAY)


def nan_then_bad_gateway(conn, target, n, answered=40):
    """Broken answers (a NaN) that are still answers, then an outage."""
    if n <= answered:
        nan_total(conn, target, n)
    else:
        conn.answer(502, {**HTML, "Server": "nginx"}, BAD_GATEWAY)


def throttled_after_preflight(conn, target, n, retry_after="1"):
    if n == 1:
        conn.answer(*_page(conn, target))
    else:
        conn.answer(429, {**JSON, "Retry-After": retry_after}, b'{"message":"Too Many Requests","statusCode":429}')


def results_object(conn, target, n):
    if _refused(conn, target):
        return
    conn.answer(200, JSON, b'{"results":{"id":"c1"},"metadata":{"itemsPerPage":100,"totalItems":1,"currentPage":1}}')


def wrong_content_length(conn, target, n):
    status, headers, body = _page(conn, target)
    if conn.head(status, {**headers, "Content-Length": str(len(body) + 1000)}):
        conn.send(body)  # then the connection closes: 1000 bytes short


def truncated_json(conn, target, n):
    status, headers, body = _page(conn, target)
    conn.answer(status, headers, body[: len(body) // 2])


def invalid_utf8(conn, target, n):
    status, headers, body = _page(conn, target)
    conn.answer(status, headers, body.replace(b'"name":"', b'"name":"\xff\xfe', 1))


def empty_200(conn, target, n):
    conn.answer(200, JSON, b"")


def huge_headers(conn, target, n):
    status, headers, body = _page(conn, target)
    padding = {f"X-Padding-{i}": "p" * 1000 for i in range(200)}
    conn.answer(status, {**headers, **padding}, body)


def slowloris_headers(conn, target, n):
    head = f"HTTP/1.1 200 OK\r\nDate: {formatdate(usegmt=True)}\r\nContent-Type: application/json\r\n"
    for ch in head:
        if not conn.send(ch.encode()) or not conn.wait(0.2):
            return
    while conn.send(b"X-Slow: y\r\n") and conn.wait(1.0):
        pass


def redirect_loop(conn, target, n):
    conn.answer(302, {**HTML, "Location": target}, b"<html>Found</html>")


def bad_gzip(conn, target, n):
    if _refused(conn, target):
        return
    conn.answer(200, {**JSON, "Content-Encoding": "gzip"}, b"this is no gzip stream at all")


def brotli(conn, target, n):
    if _refused(conn, target):
        return
    conn.answer(200, {**JSON, "Content-Encoding": "br"}, b"\x1b\x03\x00\xf8\xa5\x40\x02\x00")


def html_200(conn, target, n):
    conn.answer(200, HTML, b"<html><head><title>Welcome to nginx!</title></head><body>hi</body></html>")


def reset(conn, target, n):
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


# mode -> (handler, what the suite must make of it)
MODES: dict[str, tuple[Callable, Expect]] = {
    # the pathologies
    "deep-nesting": (deep_nesting, Expect(1, "fail", ("reliability.response-bounded", "nested more than 64 deep"))),
    "nan-total": (nan_total, Expect(1, "fail", ("reliability.well-formed-json", "NaN is not a JSON number"))),
    "huge-body": (huge_body, Expect(1, "fail", ("reliability.response-bounded", "on the wire"))),
    "gzip-bomb": (gzip_bomb, Expect(1, "fail", ("reliability.response-bounded", "once decoded (gzip)"))),
    "endless-chunked": (endless_chunked, Expect(1, "fail", ("reliability.response-bounded", "on the wire"))),
    "huge-page": (huge_page, Expect(1, "fail", ("reliability.response-bounded", "arrays and objects"))),
    "drip": (drip, Expect(3, "error", ("the server stopped sending",))),
    "retry-after-huge": (retry_after_huge, Expect(3, "error", ("throttled", "no usable wait"))),
    "retry-after-9999": (retry_after_year_9999, Expect(3, "error", ("throttled", "no usable wait"))),
    "duplicate-names": (duplicate_names, Expect(1, "fail", ("reliability.well-formed-json", "twice in one object"))),
    "502-after-preflight": (bad_gateway_after_preflight, Expect(3, "error", ("outage:", "502"))),
    "429-after-preflight": (throttled_after_preflight, Expect(3, "error", ("throttled:",))),
    "stall-body": (stall_body, Expect(3, "error", ("the server stopped sending",))),
    "nan-then-502": (nan_then_bad_gateway, Expect(3, "error", ("outage:", "502"))),
    "results-object": (results_object, Expect(1, "fail", ("shape.body-schema",))),
    # others
    "big-page": (big_page, Expect(1, "fail", ("pagination.limit-respected", "0000 results for limit"))),
    "wrong-content-length": (wrong_content_length, Expect(3, "error", ("the connection ended",))),
    "truncated-json": (truncated_json, Expect(1, "fail", ("reliability.well-formed-json", "not JSON"))),
    "invalid-utf8": (invalid_utf8, Expect(1, "fail", ("reliability.well-formed-json", "not UTF-8"))),
    "empty-200": (empty_200, Expect(2, "error", ("answered 200 with no JSON body",))),
    "huge-headers": (huge_headers, Expect(3, "error", ("no answer from", "before the headers"))),
    "slowloris-headers": (slowloris_headers, Expect(3, "error", ("no answer from", "ReadTimeout"))),
    "redirect-loop": (redirect_loop, Expect(2, "error", ("answered 302 redirecting to",))),
    "bad-gzip": (bad_gzip, Expect(1, "fail", ("reliability.response-complete", "does not decode as gzip"))),
    "brotli": (brotli, Expect(1, "fail", ("reliability.response-complete", "Content-Encoding br"))),
    "html-200": (html_200, Expect(2, "error", ("answered 200 with no JSON body",))),
    "reset": (reset, Expect(3, "error", ("no answer from",))),
}


class HostileServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode: str, options: dict | None = None):
        self.mode = mode
        self.handler = MODES[mode][0]
        self.options = dict(options or {})
        self.stopping = threading.Event()
        self.hits = 0
        self.lock = threading.Lock()
        self.upstream = _Upstream()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    key = KEY


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        server: HostileServer = self.server
        conn = _Conn(self.request, server)
        try:
            got = conn.request()
            if got is None:
                return
            with server.lock:
                server.hits += 1
                n = server.hits
            _, target, headers = got
            if urlsplit(target).path.rstrip("/") not in ("/campaign", "/v2/campaign"):
                conn.answer(404, JSON, b'{"message":"Not Found","statusCode":404}')
                return
            if headers.get("authorization") != f"Bearer {KEY}":  # the API's own guard stands: only answers to the key break
                conn.answer(401, JSON, b'{"message":"Unauthorized","statusCode":401}')
                return
            server.handler(conn, target, n, **server.options)
        except OSError:
            pass


@contextmanager
def hostile(mode: str, **options) -> Iterator[HostileServer]:
    """A hostile server in ``mode`` in a thread, for the duration of the block."""
    server = HostileServer(mode, options)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


@dataclass
class Outcome:
    """One ``vapi-contract run`` against a hostile server: what it did, how long, how much memory."""

    mode: str
    exit_code: int
    wall_s: float
    peak_rss_mb: float  # the child's own high-water mark (VmHWM), else ru_maxrss
    cpu_s: float  # the child's user + system time
    stdout: str
    stderr: str
    summary: dict | None  # summary.json, when written
    reports: list[str]  # the report files written
    hits: int  # requests the server saw


REPORT_FILES = ("summary.json", "report.html", "junit.xml", "history.jsonl")
# ``vapi-contract ARGS`` that writes its own peak RSS (Linux: VmHWM of its own image) into the file
# named by its first argument when it exits.  A child's ru_maxrss is not enough here: Linux folds
# the RSS of the image it replaced at exec, i.e. of the (v)forked parent, into it.
_LAUNCH = """\
import atexit, resource, sys
_path = sys.argv.pop(1)
def _peak():
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status") as status:
            kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        pass
    with open(_path, "w") as out:
        out.write(str(kb))
atexit.register(_peak)
sys.argv[0] = "vapi-contract-under-test"
from vapi_contract.cli import main
main()
"""


def run_against(mode: str, report_dir, args=(), env_extra=None, timeout: float = 600, **options) -> Outcome:
    """``python -m vapi_contract run --base-url <hostile server> --report-dir REPORT_DIR ARGS`` in a
    child process, timed; its peak RSS from ``wait4`` (that child's own figure)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    report_dir = Path(report_dir)
    logs = report_dir.parent / f".{report_dir.name}-logs"
    logs.mkdir(parents=True, exist_ok=True)
    with hostile(mode, **options) as server:
        env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL", "VAPI_CONTRACT_DIR")}
        env.update({"VAPI_API_KEY": server.key, **(env_extra or {})})
        started = time.monotonic()
        with open(logs / "stdout", "wb") as stdout, open(logs / "stderr", "wb") as stderr:
            child = subprocess.Popen([sys.executable, "-c", _LAUNCH, str(logs / "peak_kb"), "run", "--base-url",
                                      server.url, "--report-dir", str(report_dir), "--quiet", *args], stdout=stdout,
                                     stderr=stderr, env=env)
            killer = threading.Timer(timeout, child.kill)
            killer.start()
            _, status, usage = os.wait4(child.pid, 0)  # this child's own peak RSS, not every child's
            killer.cancel()
            child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        hits = server.hits
    summary_path = report_dir / "summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.is_file() else None
    peak = logs / "peak_kb"
    peak_kb = int(peak.read_text()) if peak.is_file() and peak.read_text().strip() else usage.ru_maxrss
    return Outcome(mode, child.returncode, wall, peak_kb / 1024, usage.ru_utime + usage.ru_stime,
                   (logs / "stdout").read_text(encoding="utf-8", errors="replace"),
                   (logs / "stderr").read_text(encoding="utf-8", errors="replace"), summary,
                   [name for name in REPORT_FILES if (report_dir / name).is_file()], hits)


if __name__ == "__main__":  # serve one mode by hand: python tests/selftest/hostile.py MODE
    import sys

    with hostile(sys.argv[1]) as running:
        print(f"{running.url}  VAPI_API_KEY={running.key}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
