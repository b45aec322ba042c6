"""The one HTTP client every request of the suite goes through.

Rules it enforces (not by convention):

* read-only: a request whose method is not GET or HEAD raises ``ForbiddenMethod`` before a byte
  is sent — in the transport, so even the raw ``httpx_client`` refuses ``.post()``;
* the key is sent as a bearer header and never appears in a message, log record, repr or curl line;
* at most ``rate_limit`` requests/s; 429 waits for Retry-After (bounded); connection errors and
  timeouts are retried with exponential backoff, then ``TargetUnreachable``; 5xx are returned,
  never retried (the suite counts them);
* a request budget (``max_requests``): past it, ``RequestBudgetExhausted``.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urlsplit

import httpx

from ..errors import ConfigError, ForbiddenMethod, RequestBudgetExhausted, TargetUnreachable
from .curl import WRONG_KEY
from .exchange import Exchange
from .ratelimit import RateLimiter
from .redact import RedactingFilter, Redactor

ALLOWED_METHODS = frozenset({"GET", "HEAD"})
MAX_RETRY_AFTER = 60.0
LOG = logging.getLogger("vapi_contract.http")


class _Auth:
    def __init__(self, mode: str):
        self.mode = mode

    def __repr__(self) -> str:
        return f"<auth {self.mode}>"


DEFAULT = _Auth("key")
NO_AUTH = _Auth("none")


class WrongKey(_Auth):
    """A synthetic unknown key (for auth checks); never a real one."""

    def __init__(self):
        super().__init__("wrong")


class ReadOnlyTransport(httpx.BaseTransport):
    """Refuses every method but GET and HEAD before anything reaches the wire."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method.upper() not in ALLOWED_METHODS:
            raise ForbiddenMethod(f"refused {request.method} {request.url.host}{request.url.path}: the suite is read-only (GET/HEAD)")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Stats:
    total: int = 0
    methods: Counter = field(default_factory=Counter)
    status_histogram: Counter = field(default_factory=Counter)
    retries: int = 0
    throttled: int = 0
    server_errors: int = 0
    slowest: float = 0.0


def check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"malformed base URL {url!r}: expected http(s)://host[:port][/prefix]")
    if parts.username or parts.password:
        raise ConfigError("the base URL must not carry credentials; put the key in VAPI_API_KEY")
    if parts.query or parts.fragment:
        raise ConfigError("the base URL must not carry a query or fragment")
    return url.rstrip("/")


class ContractClient:
    def __init__(self, base_url: str, api_key: str | None, *, rate_limit: float = 5.0, max_requests: int | None = None,
                 timeout: float = 30.0, max_retries: int = 3, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 keep: int = 2000):
        self.base_url = check_base_url(base_url)
        self._key = api_key
        self.redactor = Redactor([api_key] if api_key else [])
        logging.getLogger("vapi_contract").addFilter(RedactingFilter(self.redactor))
        self.max_requests, self.max_retries, self.sleep = max_requests, max_retries, sleep
        self.limiter = RateLimiter(rate_limit, clock, sleep)
        self.stats = Stats()
        self.exchanges: deque[Exchange] = deque(maxlen=keep)
        self.on_exchange: Callable[[Exchange], None] | None = None
        self._lock = threading.Lock()
        inner = transport or httpx.HTTPTransport()
        self.httpx_client = httpx.Client(transport=ReadOnlyTransport(inner), timeout=timeout,
                                         headers={"User-Agent": "vapi-contract", "Accept": "application/json"})

    # -- public API ----------------------------------------------------------------------------
    def list_campaigns(self, params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None, *, auth: _Auth = DEFAULT) -> httpx.Response:
        return self.request("GET", "/campaign", params, auth=auth)

    def head(self, path: str = "/campaign", params=None, *, auth: _Auth = DEFAULT) -> httpx.Response:
        return self.request("HEAD", path, params, auth=auth)

    @property
    def last_exchange(self) -> Exchange | None:
        return self.exchanges[-1] if self.exchanges else None

    def request(self, method: str, path: str, params=None, *, auth: _Auth = DEFAULT) -> httpx.Response:
        method = method.upper()
        if method not in ALLOWED_METHODS:
            raise ForbiddenMethod(f"refused {method} {path}: the suite is read-only (GET/HEAD)")
        pairs = [(str(k), str(v)) for k, v in (params.items() if isinstance(params, Mapping) else (params or []))]
        with self._lock:
            if self.max_requests is not None and self.stats.total >= self.max_requests:
                raise RequestBudgetExhausted(f"request budget of {self.max_requests} spent")
            self.stats.total += 1
            self.stats.methods[method] += 1
        headers = {}
        if auth.mode == "key" and self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        elif auth.mode == "wrong":
            headers["Authorization"] = f"Bearer {WRONG_KEY}"
        url = self.base_url + path
        response, elapsed = self._send(method, url, pairs, headers)
        exchange = Exchange(method, url, tuple(pairs), auth.mode, response.status_code,
                            dict(response.headers), elapsed, len(response.content), response.content)
        with self._lock:
            self.stats.status_histogram[response.status_code] += 1
            if response.status_code >= 500:
                self.stats.server_errors += 1
            self.stats.slowest = max(self.stats.slowest, elapsed)
            self.exchanges.append(exchange)
        if self.on_exchange:
            self.on_exchange(exchange)
        return response

    def _send(self, method: str, url: str, pairs, headers) -> tuple[httpx.Response, float]:
        attempt, throttled = 0, 0
        host = urlsplit(url).netloc
        while True:
            self.limiter.acquire()
            start = time.perf_counter()
            try:
                response = self.httpx_client.request(method, url, params=pairs, headers=headers)
                response.read()
            except (httpx.TransportError,) as exc:
                attempt += 1
                if attempt > self.max_retries:
                    raise TargetUnreachable(f"cannot reach {host}: {type(exc).__name__} after {attempt} attempts") from None
                with self._lock:
                    self.stats.retries += 1
                self.sleep(min(8.0, 0.25 * 2 ** (attempt - 1)) * (1 + random.random() / 2))
                continue
            elapsed = time.perf_counter() - start
            if response.status_code == 429 and throttled < self.max_retries:
                throttled += 1
                with self._lock:
                    self.stats.throttled += 1
                self.sleep(retry_after(response.headers.get("retry-after")))
                continue
            return response, elapsed

    def close(self) -> None:
        self.httpx_client.close()

    def __enter__(self) -> "ContractClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ContractClient({self.base_url!r}, key={'set' if self._key else 'none'})"


def retry_after(value: str | None) -> float:
    """Seconds to wait for a Retry-After header (seconds or HTTP-date), capped."""
    if not value:
        return 1.0
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value)))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
        return min(MAX_RETRY_AFTER, max(0.0, when.timestamp() - time.time()))
    except (TypeError, ValueError):
        return 1.0
