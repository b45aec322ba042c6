"""Preflight: is the target the API, does it take the key, and what is the run's snapshot?

One request with the key (``limit=1``), at most three times while it fails (a 5xx, or a body the
server stopped sending; a body cut short has been retried by the HTTP layer already).  Whatever answers it but the API itself stops the run at
once, with one line saying what answered (status, content type, server, a page's title, where a
redirect points; never a secret):

* unreachable -> exit 3 (``TargetUnreachable``, from the HTTP layer);
* a TLS mismatch (``https://`` for a plain-http server, a certificate that does not verify) ->
  exit 2 (``ConfigError``, from the HTTP layer: not retried);
* 401 -> exit 2 (the key was rejected on a well-formed request);
* 403, JSON (the key may not list campaigns) or not (a WAF's block page) -> exit 2;
* a redirect (301, 302, 303, 307, 308: ``http://`` for an https host, a moved URL) -> exit 2,
  saying where it points;
* 429 on every attempt (the HTTP layer has honoured Retry-After, up to its cap), or a Retry-After
  that asks to wait past the run's deadline -> exit 3: throttled, nothing to judge;
* only 5xx, or only bodies the server stopped sending (past the response's deadline) or cut
  short -> exit 3 ("the server stopped sending": it was reached), and so is a run whose
  ``--max-duration`` ran out before an answer came;
* a 404, or a 2xx that is plainly no Vapi list API -> exit 2 (the base URL is not the API root):
  no JSON at all (a web page, an empty body), or a JSON object with neither ``results`` nor
  ``metadata``.  A JSON answer with Vapi's envelope (or a bare array) but the wrong shape is the
  API, broken: the run goes on and judges it (exit 1); so is an answer that breaks a bound of the
  reader or JSON's rules (too large, too deep, a NaN, a repeated name, not UTF-8, cut short) when
  it is an array or an object naming ``results`` or ``metadata``.

Nothing of these is ever a finding: a run that cannot reach the API judges nothing.

It fixes the run's snapshot S: the target's clock (its ``Date`` header) or ours, whichever is
earlier, less a margin (``--snapshot-margin``, a minute by default: writes committed after S with
an earlier instant stay out of the pinned sets), on a whole second (so a bound truncated to
seconds still means the same).
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from ... import boundedjson as J
from ...errors import AuthRejected, ConfigError, OutOfTime, TargetUnreachable
from ...http import public_url
from ...http.body import CUT, STALLED
from ...http.frontdoor import REDIRECT, THROTTLED, is_block_page, what_answered
from ...http.retry import retry_after
from ...http.urls import api_root
from .context import AnsweredInFront, RunContext

ATTEMPTS = 3


def preflight(ctx: RunContext, margin_s: float) -> None:
    failures = []
    for _ in range(ATTEMPTS):
        try:
            obs = ctx.fetch(ctx.at_limit([], 1))
        except AnsweredInFront as answer:
            raise in_front_of_the_api(ctx, answer) from None
        except OutOfTime as exc:
            raise TargetUnreachable(f"{_asked(ctx)} got no whole answer before the run's --max-duration ran out: "
                                    f"{exc.message}") from None
        if obs.status == 401:
            raise AuthRejected("the target rejected the key (401) on a well-formed request: check VAPI_API_KEY")
        failed = _failed(ctx.client.last_exchange)
        if failed is None:
            check_is_the_api(ctx.client.base_url, ctx.endpoint, obs, ctx.client.last_exchange)
            ctx.fix_snapshot(snapshot_from(ctx.client.last_exchange.headers.get("date"), time.time(), int(margin_s * 1000)))
            return
        failures.append(failed)
        if ctx.client.last_exchange.defect == CUT:  # the HTTP layer has retried it already
            break
    if all(f.isdigit() for f in failures):
        raise TargetUnreachable(f"the target answers only server errors ({', '.join(failures)}) to "
                                f"{ctx.endpoint.label}?{ctx.endpoint.limit.name}=1")
    shown = "; ".join(dict.fromkeys(failures))  # each different failure once
    raise TargetUnreachable(f"{_asked(ctx)}: the server stopped sending ({shown}); it was reached, but no whole answer "
                            f"came in {len(failures)} attempts (a response's deadline is 3 x --max-response-time, at least 2 s)")


def _failed(exchange) -> str | None:
    """Why preflight's answer is no answer to judge (a 5xx, a body stalled or cut short), or None."""
    if exchange.status >= 500:
        return str(exchange.status)
    if exchange.defect in (STALLED, CUT):
        got = f"{exchange.wire_size or 0:,} bytes of the body of its {exchange.status} answer in {exchange.elapsed:.0f} s"
        return f"{got}, then {'nothing more' if exchange.defect == STALLED else 'the connection ended'}"
    return None


def _asked(ctx: RunContext) -> str:
    return f"GET {public_url(ctx.client.base_url + ctx.endpoint.url_path)}?{ctx.endpoint.limit.name}=1"


def in_front_of_the_api(ctx: RunContext, answer: AnsweredInFront):
    """The error that stops a run whose preflight something in front of the API answered."""
    exchange = answer.exchange
    shown = what_answered(exchange, ctx.client.redactor.scrub)
    if answer.kind == THROTTLED:
        wait = exchange.headers.get("retry-after")
        if exchange.wait_refused:
            return TargetUnreachable(f"{_asked(ctx)} answered {shown}, asking to wait {exchange.retry_wait or 0:.0f} s"
                                     + (f" (Retry-After: {wait[:40]})" if wait else "")
                                     + ", past the run's deadline: throttled; retry later, or lower --rate-limit if "
                                       "another client shares the key")
        return TargetUnreachable(f"{_asked(ctx)} answered {shown} to every attempt ({exchange.attempt})"
                                 + ("" if not wait else f", waiting as Retry-After asked (last: {wait[:40]})"
                                    if retry_after(wait) is not None else
                                    f", backing off (its Retry-After, last {wait[:40]}, is no usable wait: RFC 9110 "
                                    "delay-seconds or an HTTP-date, at most a day away)")
                                 + ": throttled; retry later, or lower --rate-limit if another client shares the key")
    if answer.kind == REDIRECT:
        where = shown.split(" redirecting to ", 1)[1]
        root = api_root(urlsplit(where).path, [ctx.endpoint.url_path])
        suggested = urlsplit(where)._replace(path=root).geturl() if where.startswith("http") else where
        return ConfigError(f"{_asked(ctx)} answered {shown}: the API does not redirect; use the address it "
                           f"points to as --base-url ({suggested})")
    if not is_block_page(exchange):  # a JSON 403 to the key: the API's guard, or a gateway in front of it
        return ConfigError(f"{_asked(ctx)} answered {shown}: the key may not list campaigns, or something in front of "
                           "the API refuses this client; check VAPI_API_KEY")
    return ConfigError(f"{_asked(ctx)} answered {shown}: a block page from something in front of the API (a WAF "
                       "or a proxy) refused this client; the API was not reached")


def snapshot_from(date_header: str | None, now: float, margin_ms: int) -> int:
    """The run's snapshot instant in ms (see the module doc)."""
    ms = int(now * 1000)
    if date_header:
        try:
            ms = min(ms, int(parsedate_to_datetime(date_header).timestamp() * 1000))
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    ms -= margin_ms
    return ms - ms % 1000


def check_is_the_api(base_url: str, endpoint, obs, exchange=None) -> None:
    """The preflight answer comes from the list operation, or the configuration is wrong (exit 2):
    a 404 (no such endpoint under the base URL), or a 2xx that is plainly no Vapi list API (no
    JSON at all, or a JSON object with neither ``results`` nor ``metadata``).  A list of the wrong
    shape is a finding, not this."""
    where = public_url(base_url + endpoint.url_path)
    hint = (f"--base-url must be the API root that {endpoint.path} is appended to (e.g. https://api.vapi.ai, "
            "or http://127.0.0.1:PORT for `vapi-contract serve`)")
    query = f"?{endpoint.limit.name}=1"
    if obs.status == 404:
        raise ConfigError(f"GET {where}{query} answered 404: no {endpoint.label} endpoint there; {hint}")
    if 200 <= obs.status < 300:
        what = _not_a_listing(endpoint.envelope, obs, exchange)
        if what is not None:
            shown = obs.content_type.split(";", 1)[0].strip() or "no content type"
            raise ConfigError(f"GET {where}{query} answered {obs.status} with {what} ({shown}): "
                              f"is {urlsplit(where).netloc} the Vapi API? {hint}")


def _not_a_listing(envelope, obs, exchange) -> str | None:
    """What makes the answer plainly no Vapi list API, or None (see the module doc)."""
    body = obs.body
    results, metadata = envelope.results, envelope.metadata
    raw = exchange.body if exchange is not None else b""
    if body is None and obs.defect is not None:
        kind = obs.defect[0]
        if kind in (J.DUPLICATE_NAME, J.NON_FINITE, J.NUMBER_RANGE, J.NOT_UTF8):  # JSON all the same: what does it hold?
            try:
                body = J.read_lenient(raw)
            except J.Rejected:
                body = None
        if body is None:
            if kind not in J.BOUNDS and kind not in (J.NOT_JSON, J.NOT_UTF8):  # not read whole: nothing to go by
                return None
            # cut short, too large, too deep: what the text starts with, and the names it uses
            shape = J.looks_like_json(raw)
            if shape == "array" or (shape == "object" and (b'"%s"' % results.encode() in raw
                                                            or b'"%s"' % metadata.encode() in raw)):
                return None
            return "no JSON body" if shape is None else f"JSON with neither {results} nor {metadata}"
    if body is None:
        return "no JSON body"
    if isinstance(body, list) or (isinstance(body, dict) and (results in body or metadata in body)):
        return None
    if envelope.bare:
        return "JSON that is no array"
    return f"JSON with neither {results} nor {metadata}"
