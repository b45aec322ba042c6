"""Rule: every answer the target gives is recorded, and the record holds no secret.

An ``Exchange`` is one request on the wire and its response.  Its URL has no credentials and no
query (the parameters are kept apart, in order); its parameters and headers are scrubbed when
recorded.  ``body`` is the raw (decoded) response body — not in the repr; scrub it with the
client's ``redactor`` before writing it anywhere.  The log is bounded in count and in body bytes:
past the byte budget the oldest exchanges keep their metadata but lose their body.

A body whose reading stopped early (over the size cap, past its deadline, cut short, in an
encoding the request did not accept: ``body.py``) says so in ``defect`` and ``defect_detail``;
``body`` then holds its first bytes only.  ``json()`` reads the body with the suite's one JSON
reader (``boundedjson``: bounded, strict).
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from .. import boundedjson
from .curl import to_curl

Params = tuple[tuple[str, str], ...]


@dataclass(frozen=True, eq=False)
class Exchange:
    method: str
    url: str  # scheme://host[:port]/path — no credentials, no query
    params: Params  # query parameters in the order sent
    status: int
    headers: Mapping[str, str] = field(repr=False)  # response headers, lower-case names
    elapsed: float  # seconds, request start to body read
    size: int  # response body bytes (after content decoding)
    auth: str = "key"  # key | none | wrong | override
    attempt: int = 1  # 1 for the first try, 2.. for retries after a 429
    wrong_key: str | None = field(default=None, repr=False)  # the synthetic token, for curl
    body: bytes = field(default=b"", repr=False)
    body_dropped: bool = field(default=False, repr=False)  # the log dropped it to bound memory
    defect: str | None = None  # too-large | stalled | cut | undecodable: the body was not read whole (body.py)
    defect_detail: str = field(default="", repr=False)
    wire_size: int | None = field(default=None, repr=False)  # body bytes read off the wire (before decoding)
    # a 429: the wait the client would have made before retrying, and whether it did not wait
    # because the wait would have crossed the run's deadline
    retry_wait: float | None = field(default=None, repr=False)
    wait_refused: bool = field(default=False, repr=False)

    @property
    def curl(self) -> str:
        return to_curl(self.method, self.url, self.params, self.auth, self.wrong_key)

    def reading(self) -> tuple[Any, boundedjson.Rejected | None]:
        """(the body's JSON value, None), or (None, why the suite's JSON reader refuses it).  Read
        anew at each call: an exchange kept in the log holds its bytes, never a parsed page.  A body
        the HTTP layer did not read whole (``defect``) is not read: its first part proves nothing."""
        if self.body_dropped:
            raise ValueError("the body of this exchange was dropped from the bounded log")
        if self.defect is not None:
            return None, None
        limits = boundedjson.RESPONSE.with_bytes(max(boundedjson.RESPONSE.max_bytes, len(self.body)))
        try:
            return boundedjson.read(self.body, limits), None
        except boundedjson.Rejected as why:
            return None, why

    def json(self) -> Any:
        """The body parsed as JSON (raises ``ValueError`` if it is not JSON the reader takes)."""
        value, why = self.reading()
        if why is not None:
            raise why
        if self.defect is not None:
            raise ValueError(f"the body was not read whole: {self.defect_detail}")
        return value

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass(frozen=True)
class StatsSnapshot:
    """Counts of one client at one moment (a copy: later requests do not change it)."""

    total: int  # requests put on the wire (retries included)
    methods: Mapping[str, int]
    status_histogram: Mapping[int, int]
    retries: int  # attempts repeated after a 429 or a connection error
    throttled: int  # 429 answers
    server_errors: int  # 5xx answers
    transport_errors: int  # attempts that got no answer (refused, reset, timed out)
    refused: int  # requests refused before the wire (forbidden method or budget spent)
    slowest: Exchange | None

    @property
    def slowest_elapsed(self) -> float:
        return self.slowest.elapsed if self.slowest else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total, "methods": dict(self.methods),
            "status_histogram": {str(k): v for k, v in sorted(self.status_histogram.items())},
            "retries": self.retries, "throttled": self.throttled, "server_errors": self.server_errors,
            "transport_errors": self.transport_errors, "refused": self.refused,
            "slowest": None if self.slowest is None else {
                "elapsed": round(self.slowest.elapsed, 6), "method": self.slowest.method,
                "url": self.slowest.url, "status": self.slowest.status, "curl": self.slowest.curl},
        }


class Counters:
    """Mutable counters; not locked itself — the owner mutates and snapshots under its lock."""

    def __init__(self) -> None:
        self.total = self.retries = self.throttled = self.server_errors = 0
        self.transport_errors = self.refused = 0
        self.methods: Counter = Counter()
        self.status_histogram: Counter = Counter()
        self.slowest: Exchange | None = None

    def count_response(self, exchange: Exchange) -> None:
        self.status_histogram[exchange.status] += 1
        if exchange.status == 429:
            self.throttled += 1
        if exchange.status >= 500:
            self.server_errors += 1
        if self.slowest is None or exchange.elapsed > self.slowest.elapsed:
            self.slowest = exchange

    def snapshot(self) -> StatsSnapshot:
        return StatsSnapshot(self.total, dict(self.methods), dict(self.status_histogram), self.retries,
                             self.throttled, self.server_errors, self.transport_errors, self.refused,
                             self.slowest)


class ExchangeLog:
    """The last ``size`` exchanges, holding at most ``body_bytes`` of bodies (older exchanges are
    dropped, older bodies first; the counters still count everything).  Not locked itself."""

    def __init__(self, size: int = 1000, body_bytes: int = 64 * 2**20):
        self._items: deque[Exchange] = deque(maxlen=max(1, size))
        self._body_budget = body_bytes
        self._body_total = 0

    def append(self, exchange: Exchange) -> None:
        if len(self._items) == self._items.maxlen:
            self._body_total -= len(self._items[0].body)
        self._items.append(exchange)
        self._body_total += len(exchange.body)
        i = 0
        while self._body_total > self._body_budget and i < len(self._items) - 1:
            old = self._items[i]
            if old.body:
                self._body_total -= len(old.body)
                self._items[i] = replace(old, body=b"", body_dropped=True)
            i += 1

    def snapshot(self) -> list[Exchange]:
        return list(self._items)
