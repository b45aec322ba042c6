"""Rule: whatever sends through the suite's ``httpx.Client`` — the public API or a library using
``client.httpx_client`` — is paced, budgeted, retried within bounds, held to its deadlines,
read within bounds, counted and recorded.

``MeteredTransport`` wraps ``ReadOnlyTransport`` (which wraps the wire).  Per request it:

1. refuses a method other than GET/HEAD (before spending budget or a rate-limit slot);
2. per attempt on the wire: spends one unit of ``max_requests`` (``RequestBudgetExhausted``
   when none is left), waits for a rate-limit slot, sends, streams the body within
   ``max_response_bytes`` (wire and decoded: body.py) and within the attempt's deadline, records
   an Exchange;
3. on 429 waits for Retry-After (RFC 9110, capped; every thread waits, also after the last 429),
   at most ``max_retries`` times, then returns the 429;
4. on a connection error or timeout before the answer's headers, or a body the connection cut
   short, backs off exponentially with jitter, at most ``max_retries`` times, then raises
   ``TargetUnreachable`` (one line: host, error type) — or, for a cut body, returns the last
   answer with its defect; a TLS failure no retry can fix (no TLS on that port, a certificate
   that does not verify: tls.py) raises ``ConfigError`` at once;
5. returns every other answer as is — 5xx included, never retried; a body that stalled past its
   deadline, was over the cap or could not be decoded is returned with its ``defect`` (not
   retried: the deadline or the cap was spent on it).

Deadlines (``time``: the transport's clock): every attempt ends by ``response_timeout`` after it
starts, headers and body together (deadline.py holds the socket to it), and nothing — an attempt,
a rate-limit slot, a backoff, a Retry-After — goes past the run's ``deadline``: what would is not
waited for, and ``OutOfTime`` says what was waiting.  A 429 whose wait would cross the deadline is
returned at once, marked ``wait_refused``.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from datetime import timedelta
from typing import Callable
from urllib.parse import parse_qsl, urlencode

import httpx

from ..boundedjson import RESPONSE
from ..errors import ConfigError, ForbiddenMethod, OutOfTime, RequestBudgetExhausted, TargetUnreachable
from .auth import MIN_SECRET, WRONG_KEY_PREFIX
from .body import CUT, STALLED, Body, read_body
from .deadline import deadline_of_thread
from .exchange import Counters, Exchange, ExchangeLog, Params, StatsSnapshot
from .guard import ensure_read_only
from .ratelimit import RateLimiter
from .redact import Redactor, public_url, register_secret
from .retry import RETRYABLE, backoff, retry_after
from .tls import tls_mismatch

LOG = logging.getLogger("vapi_contract.http")
PARAMS_EXT = "vapi_contract.params"  # request extension: the caller's parameters, in order
EXCHANGE_EXT = "vapi_contract.exchange"  # response extension: its Exchange


def exchange_of(response: httpx.Response) -> Exchange | None:
    """The Exchange recorded for ``response`` (None for a response that did not come through)."""
    return response.extensions.get(EXCHANGE_EXT)


class MeteredTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, *, key: str | None, redactor: Redactor,
                 limiter: RateLimiter, max_requests: int | None = None, max_retries: int = 3,
                 log_size: int = 1000, log_body_bytes: int = 64 * 2**20,
                 on_exchange: Callable[[Exchange], None] | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 wall_clock: Callable[[], float] = time.time, rng: random.Random | None = None,
                 max_response_bytes: int = RESPONSE.max_bytes, response_timeout: float | None = None):
        self._inner = inner
        self._bearer = f"Bearer {key}" if key else None
        self.redactor = redactor
        self.limiter = limiter
        self.max_requests, self.max_retries = max_requests, max_retries
        self.max_response_bytes = max_response_bytes
        self.response_timeout = response_timeout  # seconds an attempt may take, headers and body (None: no bound)
        self.deadline: float | None = None  # nothing waits or is in flight past it (on ``clock``)
        self.on_exchange = on_exchange
        self._clock, self._sleep, self._wall = clock, sleep, wall_clock
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self._stats = Counters()
        self._log = ExchangeLog(log_size, log_body_bytes)
        self._local = threading.local()
        self._deferred_by = ""  # why the limiter was last pushed back (a 429's Retry-After)

    # -- state, read under the lock --------------------------------------------------------------
    def stats(self) -> StatsSnapshot:
        with self._lock:
            return self._stats.snapshot()

    def exchanges(self) -> list[Exchange]:
        with self._lock:
            return self._log.snapshot()

    @property
    def last_exchange(self) -> Exchange | None:
        """The last exchange recorded *in this thread*."""
        return getattr(self._local, "last", None)

    def refuse(self, method: str, where: str) -> str:
        """``ensure_read_only``, counting a refusal."""
        try:
            return ensure_read_only(method, where, self.redactor.scrub)
        except ForbiddenMethod:
            with self._lock:
                self._stats.refused += 1
            raise

    # -- sending ---------------------------------------------------------------------------------
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.netloc.decode("ascii", "replace")
        self.refuse(request.method, public_url(str(request.url)))
        params = request.extensions.pop(PARAMS_EXT, None)
        if params is None:
            params = tuple(parse_qsl(request.url.query.decode("ascii", "replace"), keep_blank_values=True))
        failures = throttles = attempt = 0
        error: Exception | None = None
        while True:
            attempt += 1
            self._spend(request.method)
            self._acquire(request.method, host)
            start = self._clock()
            until = self._attempt_deadline(start)
            response = None
            try:
                with deadline_of_thread(None if until is None else time.monotonic() + (until - start)):
                    response = self._inner.handle_request(request)
                    body = read_body(response, self.max_response_bytes, self._clock, until)
            except RETRYABLE as exc:  # no answer: refused, reset, or nothing before the headers' deadline
                self._close(response)
                mismatch = tls_mismatch(exc)
                if mismatch is not None:
                    self._count(transport_error=True)
                    raise ConfigError(self._tls_message(request, mismatch)) from None
                if self._run_deadline_passed():
                    self._count(transport_error=True)
                    raise OutOfTime(self.redactor.scrub(
                        f"the run's time ran out while {host} had not answered {request.method} {public_url(str(request.url))} "
                        f"(attempt {attempt})")) from None
                failures += 1
                delay = backoff(failures, self._rng)
                if failures > self.max_retries or not self._fits(delay):
                    error = exc
                    break
                self._count(retry=True, transport_error=True)
                LOG.warning("%s from %s; retry %d/%d in %.2f s", type(exc).__name__, host, failures,
                            self.max_retries, delay)
                self._sleep(delay)
                continue
            except httpx.HTTPError as exc:  # not worth retrying (protocol, decoding, ...)
                self._close(response)
                error = exc
                break
            elapsed = self._clock() - start
            if body.defect == STALLED and self._run_deadline_passed() and self._cut_by_run(start):
                self._count(transport_error=True)
                raise OutOfTime(self.redactor.scrub(
                    f"the run's time ran out while {host} was sending the body of its {response.status_code} answer "
                    f"({body.wire_bytes:,} bytes in {elapsed:.1f} s)")) from None
            delay = backoff(failures + 1, self._rng) if body.defect == CUT else 0.0
            if body.defect == CUT and failures < self.max_retries and self._fits(delay):
                failures += 1
                self._record(request, self._answer(request, response, body, elapsed), response, params, elapsed,
                             attempt, body)
                self._count(retry=True, transport_error=True)
                LOG.warning("%s cut its answer short; retry %d/%d in %.2f s", host, failures, self.max_retries, delay)
                self._sleep(delay)
                continue
            answer = self._answer(request, response, body, elapsed)
            if answer.status_code == 429:
                asked = retry_after(answer.headers.get("retry-after"), self._wall)
                wait = asked if asked is not None else backoff(throttles + 1, self._rng)
                refused = not self._fits(wait)
                self._record(request, answer, response, params, elapsed, attempt, body, retry_wait=wait,
                             wait_refused=refused)
                self.limiter.defer(wait)  # the next request, of any thread, waits too
                self._deferred_by = f"429 from {host}: Retry-After {answer.headers.get('retry-after', 'absent')!s:.40}"
                if throttles < self.max_retries and not refused:
                    throttles += 1
                    self._count(retry=True)
                    LOG.warning("429 from %s; retry %d/%d in %.2f s", host, throttles, self.max_retries, wait)
                    continue
                return answer
            self._record(request, answer, response, params, elapsed, attempt, body)
            return answer
        # raised outside the except block: no chained httpx exception (and its text) rides along
        self._count(transport_error=True)
        raise TargetUnreachable(self._unreachable(host, error, attempt))

    # -- deadlines -------------------------------------------------------------------------------
    def _attempt_deadline(self, start: float) -> float | None:
        """When the attempt started at ``start`` must end: its own deadline or the run's."""
        own = None if self.response_timeout is None else start + self.response_timeout
        if self.deadline is None:
            return own
        return self.deadline if own is None else min(own, self.deadline)

    def _run_deadline_passed(self) -> bool:
        return self.deadline is not None and self._clock() >= self.deadline

    def _cut_by_run(self, start: float) -> bool:
        """The attempt's deadline was the run's, not its own."""
        return self.response_timeout is None or self.deadline < start + self.response_timeout

    def _fits(self, wait: float) -> bool:
        """A wait of ``wait`` seconds ends before the run's deadline."""
        return self.deadline is None or self._clock() + wait < self.deadline

    def _acquire(self, method: str, host: str) -> None:
        """A rate-limit slot that starts before the run's deadline, or ``OutOfTime``."""
        if self.limiter.acquire(self.deadline) is not None and not self._run_deadline_passed():
            return
        with self._lock:  # not sent: not counted
            self._stats.total -= 1
            self._stats.methods[method] -= 1
        pushed = f" ({self._deferred_by} pushed the next request back)" if self._deferred_by else ""
        raise OutOfTime(self.redactor.scrub(f"the run's time ran out before the next request to {host} could start"
                                            + pushed))

    # -- the answer ------------------------------------------------------------------------------
    @staticmethod
    def _answer(request: httpx.Request, response: httpx.Response, body: Body, elapsed: float) -> httpx.Response:
        """The answer as the client returns it: the status, the headers (less the framing and
        encoding, now undone), and the decoded body as read within bounds."""
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        answer = httpx.Response(response.status_code, headers=headers, content=body.content, request=request,
                                extensions=dict(response.extensions))
        answer.elapsed = timedelta(seconds=elapsed)
        return answer

    def _unreachable(self, host: str, exc: Exception, attempts: int) -> str:
        detail = str(exc).splitlines()[0] if str(exc).strip() else ""
        detail = re.sub(r"\b\w+://\S+", "<url>", detail)[:160]
        detail = self.redactor.scrub(detail)
        what = f"{type(exc).__name__}" + (f" ({detail})" if detail else "")
        plural = "s" if attempts != 1 else ""
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError)) or exc is None:
            return f"cannot reach {host}: {what} after {attempts} attempt{plural}"
        # the connection was made: the server then said nothing, or broke off, before its headers
        return f"no answer from {host}: {what} before the headers, after {attempts} attempt{plural}"

    def _tls_message(self, request: httpx.Request, why: str) -> str:
        host = request.url.netloc.decode("ascii", "replace")
        hint = f" (a plain-http server? then use http://{host})" if why.startswith("it does not speak TLS") else ""
        return self.redactor.scrub(f"cannot talk TLS to {host}: {why}{hint}")

    def _spend(self, method: str) -> None:
        with self._lock:
            if self.max_requests is not None and self._stats.total >= self.max_requests:
                self._stats.refused += 1
                raise RequestBudgetExhausted(f"request budget of {self.max_requests} request(s) spent")
            self._stats.total += 1
            self._stats.methods[method] += 1

    def _count(self, retry: bool = False, transport_error: bool = False) -> None:
        with self._lock:
            self._stats.retries += retry
            self._stats.transport_errors += transport_error

    @staticmethod
    def _close(response: httpx.Response | None) -> None:
        if response is not None:
            response.close()

    # -- recording -------------------------------------------------------------------------------
    def _auth_of(self, request: httpx.Request) -> tuple[str, str | None]:
        """What the request really carried: key | none | wrong (+ the synthetic token) | override."""
        header = request.headers.get("authorization")
        if header is None:
            return "none", None
        if self._bearer is not None and header == self._bearer:
            return "key", None
        token = header[7:] if header[:7].lower() == "bearer " else header
        if token.startswith(WRONG_KEY_PREFIX) and not self.redactor.leaks(token):
            return "wrong", token  # synthetic: the one token a curl line may show
        if len(token) >= MIN_SECRET:
            self.redactor.add(token)
            register_secret(token)
        return "override", None

    def _record(self, request: httpx.Request, answer: httpx.Response, response: httpx.Response, params,
                elapsed: float, attempt: int, body: Body, retry_wait: float | None = None,
                wait_refused: bool = False) -> Exchange:
        """Record ``answer`` (the decoded body) with ``response``'s headers as they came."""
        scrub = self.redactor.scrub
        auth, wrong_key = self._auth_of(request)
        exchange = Exchange(
            method=request.method, url=scrub(public_url(str(request.url))),
            params=tuple((scrub(str(k)), scrub(str(v))) for k, v in params), status=answer.status_code,
            headers={k.lower(): scrub(v) for k, v in response.headers.items()}, elapsed=elapsed,
            size=len(answer.content), auth=auth, attempt=attempt, wrong_key=wrong_key, body=answer.content,
            defect=body.defect, defect_detail=body.detail, wire_size=body.wire_bytes, retry_wait=retry_wait,
            wait_refused=wait_refused)
        answer.extensions[EXCHANGE_EXT] = exchange
        with self._lock:
            self._stats.count_response(exchange)
            self._log.append(exchange)
        self._local.last = exchange
        LOG.debug("%s %s%s -> %d (%.3f s, %d B%s)", exchange.method, exchange.url,
                  "?" + urlencode(exchange.params) if exchange.params else "",
                  exchange.status, elapsed, exchange.size, f", {body.defect}" if body.defect else "")
        if self.on_exchange is not None:
            self.on_exchange(exchange)
        return exchange

    def close(self) -> None:
        self._inner.close()

    def __repr__(self) -> str:
        return f"MeteredTransport({self._inner!r}, {self.limiter!r}, max_requests={self.max_requests})"


def as_params(params) -> Params:
    """Normalise a Mapping (values may be lists) or a sequence of pairs to ordered string pairs."""
    if params is None:
        return ()
    items = params.items() if hasattr(params, "items") else params
    pairs = []
    for name, value in items:
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            pairs.append((_text(name), _text(v)))
    return tuple(pairs)


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise TypeError(f"query parameter names and values must be str, int, float or bool, not {type(value).__name__}")
