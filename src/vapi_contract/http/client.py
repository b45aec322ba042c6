"""The one HTTP client every request of the suite goes through.

Rules (each enforced in code, see the module named):

* read-only — GET and HEAD only, refused before a byte is sent, even through the raw
  ``httpx_client`` (guard.py);
* the key goes only as ``Authorization: Bearer <key>`` to the target's origin and never appears
  in a message, log record, repr, exchange or curl line (auth.py, redact.py, curl.py); nor does a
  key pasted into the base URL's path (urls.py: ``secret_segments``);
* at most ``rate_limit`` requests/s; 429 honours Retry-After; connection errors and timeouts are
  retried with backoff, then ``TargetUnreachable``; 5xx are returned, never retried
  (ratelimit.py, retry.py, transport.py);
* at most ``max_requests`` requests on the wire, then ``RequestBudgetExhausted`` (transport.py);
* every body is read within ``max_response_bytes``, on the wire and decoded, and every attempt
  within ``response_timeout`` seconds, headers and body together (body.py, deadline.py); nothing
  waits or is in flight past ``deadline`` (the run's), then ``OutOfTime`` (transport.py);
* every answer is recorded as an Exchange and counted (exchange.py).

The caller reads the key from ``VAPI_API_KEY`` (never argv) and passes it in.
"""

from __future__ import annotations

import logging
import random
import time
from importlib import metadata
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urlencode

import httpx

from ..boundedjson import RESPONSE
from ..errors import ConfigError, ContractError
from .auth import DEFAULT, Auth, BearerOverride, OriginBearer, check_token, origin_of
from .body import ACCEPT_ENCODING
from .deadline import wire_transport
from .exchange import Exchange, StatsSnapshot
from .guard import ReadOnlyTransport
from .ratelimit import RateLimiter
from .redact import Redactor, register_secret
from .transport import PARAMS_EXT, MeteredTransport, as_params, exchange_of
from .urls import check_base_url, is_loopback, secret_segments

__all__ = ["ContractClient", "check_base_url", "exchange_of"]

LOG = logging.getLogger("vapi_contract.http")
ParamsArg = Mapping[str, Any] | Sequence[tuple[str, Any]] | None

try:
    USER_AGENT = f"vapi-contract/{metadata.version('vapi-contract')}"
except metadata.PackageNotFoundError:  # running from a source tree
    USER_AGENT = "vapi-contract"


class ContractClient:
    """Read-only, rate-limited, budgeted, recording client of one target (``base_url``)."""

    def __init__(self, base_url: str, api_key: str | None, *, rate_limit: float = 5.0,
                 max_requests: int | None = None, timeout: float = 30.0, max_retries: int = 3,
                 transport: httpx.BaseTransport | None = None, user_agent: str = USER_AGENT,
                 on_exchange: Callable[[Exchange], None] | None = None, log_size: int = 1000,
                 log_body_bytes: int = 64 * 2**20,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 wall_clock: Callable[[], float] = time.time, rng: random.Random | None = None,
                 max_response_bytes: int = RESPONSE.max_bytes, response_timeout: float | None = None):
        self.base_url = check_base_url(base_url)
        _check_numbers(rate_limit, max_requests, timeout, max_retries)
        key = check_token(api_key.strip(), "VAPI_API_KEY") if api_key and api_key.strip() else None
        self.redactor = Redactor([api_key, *secret_segments(self.base_url)])
        for secret in (api_key, *secret_segments(self.base_url)):
            register_secret(secret)  # scrubbed from every log record from now on
        self._has_key = key is not None
        url = httpx.URL(self.base_url)
        self._origin = origin_of(url)
        if key and url.scheme == "http" and not is_loopback(url.host):
            LOG.warning("the key is sent over plain http to %s", url.host)
        self.limiter = RateLimiter(rate_limit, clock, sleep)
        if not max_response_bytes >= 1:
            raise ConfigError("the response size cap must be at least 1 byte")
        self._transport = MeteredTransport(
            ReadOnlyTransport(transport if transport is not None else wire_transport()),
            key=key, redactor=self.redactor, limiter=self.limiter, max_requests=max_requests,
            max_retries=max_retries, log_size=log_size, log_body_bytes=log_body_bytes,
            on_exchange=on_exchange, clock=clock, sleep=sleep, wall_clock=wall_clock, rng=rng,
            max_response_bytes=int(max_response_bytes), response_timeout=response_timeout)
        self.httpx_client = httpx.Client(
            base_url=self.base_url, transport=self._transport, timeout=httpx.Timeout(timeout),
            auth=OriginBearer(key, self._origin) if key else None, follow_redirects=False, trust_env=False,
            headers={"User-Agent": user_agent, "Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING})
        """The guarded httpx.Client underneath, for libraries: read-only, paced, budgeted and
        recorded like the public API (relative URLs resolve against ``base_url``)."""

    # -- public API --------------------------------------------------------------------------------
    def get(self, path: str, params: ParamsArg = None, *, auth: Auth = DEFAULT) -> httpx.Response:
        """``GET {base_url}{path}`` with ``params`` (a mapping or ordered (name, value) pairs)."""
        return self.request("GET", path, params, auth=auth)

    def head(self, path: str, params: ParamsArg = None, *, auth: Auth = DEFAULT) -> httpx.Response:
        return self.request("HEAD", path, params, auth=auth)

    def request(self, method: str, path: str, params: ParamsArg = None, *,
                auth: Auth = DEFAULT) -> httpx.Response:
        """Send one request to ``base_url + path``.  Raises ``ForbiddenMethod`` (not GET/HEAD),
        ``RequestBudgetExhausted``, ``TargetUnreachable``; every HTTP answer is returned."""
        method = self._transport.refuse(method, self.base_url + (path if isinstance(path, str) else ""))
        pairs = as_params(params)
        # encoded here, in the caller's order (httpx's ``params=`` would group repeated names)
        url = self.base_url + _check_path(path) + ("?" + urlencode(pairs) if pairs else "")
        return self.httpx_client.request(method, url, auth=self._httpx_auth(auth), extensions={PARAMS_EXT: pairs})

    def _httpx_auth(self, auth: Auth):
        if isinstance(auth, BearerOverride):
            if auth.secret:
                self.redactor.add(auth.token)
                register_secret(auth.token)
            return OriginBearer(auth.token, self._origin)
        if isinstance(auth, Auth):
            return httpx.USE_CLIENT_DEFAULT if auth.label == "key" else None
        raise TypeError("auth must be DEFAULT, NO_AUTH, BearerOverride(token) or WrongKey()")

    # -- the run's deadline ----------------------------------------------------------------------
    @property
    def deadline(self) -> float | None:
        """Nothing waits or is in flight past it (on the client's clock); None: no deadline."""
        return self._transport.deadline

    @deadline.setter
    def deadline(self, at: float | None) -> None:
        self._transport.deadline = at

    @property
    def max_response_bytes(self) -> int:
        return self._transport.max_response_bytes

    # -- what was sent -------------------------------------------------------------------------
    @property
    def stats(self) -> StatsSnapshot:
        """A consistent copy of the counts so far."""
        return self._transport.stats()

    @property
    def exchanges(self) -> list[Exchange]:
        """The most recent exchanges (bounded log, oldest first)."""
        return self._transport.exchanges()

    @property
    def last_exchange(self) -> Exchange | None:
        """The last exchange recorded in the calling thread (see also ``exchange_of``)."""
        return self._transport.last_exchange

    @property
    def on_exchange(self) -> Callable[[Exchange], None] | None:
        return self._transport.on_exchange

    @on_exchange.setter
    def on_exchange(self, hook: Callable[[Exchange], None] | None) -> None:
        self._transport.on_exchange = hook

    # -- lifetime ------------------------------------------------------------------------------
    def close(self) -> None:
        self.httpx_client.close()

    def __enter__(self) -> "ContractClient":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if isinstance(exc, ContractError) and exc.stats is None:
            exc.stats = self.stats  # an error that ends the run still reports what was sent
        self.close()

    def __repr__(self) -> str:
        return (f"ContractClient({self.redactor.scrub(self.base_url)!r}, key={'set' if self._has_key else 'none'}, "
                f"rate_limit={self.limiter.rate:g}/s, max_requests={self._transport.max_requests})")


def _check_path(path: str) -> str:
    """A path on the target: starts with one '/', no scheme, host, query or fragment."""
    if (not isinstance(path, str) or not path.startswith("/") or path.startswith("//")
            or any(ch in path for ch in "?#\\") or "://" in path):
        raise ValueError("path must be an absolute path on the target ('/campaign'); pass the query as params")
    return path


def _check_numbers(rate_limit: float, max_requests: int | None, timeout: float, max_retries: int) -> None:
    if rate_limit is None or not rate_limit >= 0:
        raise ConfigError("the rate limit must be a number >= 0 (0: unlimited)")
    if max_requests is not None and max_requests < 0:
        raise ConfigError("the request budget must be >= 0")
    if not timeout > 0:
        raise ConfigError("the timeout must be > 0 seconds")
    if max_retries < 0:
        raise ConfigError("max_retries must be >= 0")
