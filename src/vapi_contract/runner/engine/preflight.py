"""Preflight: is the target the API, does it take the key, and what is the run's snapshot?

One request with the key (``limit=1``), at most three times while it answers 5xx.  Whatever
answers it but the API itself stops the run at once, with one line saying what answered (status,
content type, server, a page's title, where a redirect points; never a secret):

* unreachable -> exit 3 (``TargetUnreachable``, from the HTTP layer);
* a TLS mismatch (``https://`` for a plain-http server, a certificate that does not verify) ->
  exit 2 (``ConfigError``, from the HTTP layer: not retried);
* 401 -> exit 2 (the key was rejected on a well-formed request);
* 403, JSON (the key may not list campaigns) or not (a WAF's block page) -> exit 2;
* a redirect (301, 302, 303, 307, 308: ``http://`` for an https host, a moved URL) -> exit 2,
  saying where it points;
* 429 on every attempt (the HTTP layer has honoured Retry-After, up to its cap) -> exit 3:
  throttled, nothing to judge;
* only 5xx -> exit 3;
* a 404, or a 2xx that is no JSON listing at all -> exit 2 (the base URL is not the API root).

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

from ...errors import AuthRejected, ConfigError, TargetUnreachable
from ...http import public_url
from ...http.frontdoor import REDIRECT, THROTTLED, is_block_page, what_answered
from ...http.urls import api_root
from .context import AnsweredInFront, RunContext

ATTEMPTS = 3


def preflight(ctx: RunContext, margin_s: float) -> None:
    statuses = []
    for _ in range(ATTEMPTS):
        try:
            obs = ctx.fetch(ctx.at_limit([], 1))
        except AnsweredInFront as answer:
            raise in_front_of_the_api(ctx, answer) from None
        statuses.append(obs.status)
        if obs.status == 401:
            raise AuthRejected("the target rejected the key (401) on a well-formed request: check VAPI_API_KEY")
        if obs.status < 500:
            check_is_the_api(ctx.client.base_url, ctx.endpoint, obs)
            ctx.fix_snapshot(snapshot_from(ctx.client.last_exchange.headers.get("date"), time.time(), int(margin_s * 1000)))
            return
    raise TargetUnreachable(f"the target answers only server errors ({', '.join(map(str, statuses))}) to "
                            f"{ctx.endpoint.label}?{ctx.endpoint.limit.name}=1")


def _asked(ctx: RunContext) -> str:
    return f"GET {public_url(ctx.client.base_url + ctx.endpoint.url_path)}?{ctx.endpoint.limit.name}=1"


def in_front_of_the_api(ctx: RunContext, answer: AnsweredInFront):
    """The error that stops a run whose preflight something in front of the API answered."""
    exchange = answer.exchange
    shown = what_answered(exchange, ctx.client.redactor.scrub)
    if answer.kind == THROTTLED:
        wait = exchange.headers.get("retry-after")
        return TargetUnreachable(f"{_asked(ctx)} answered {shown} to every attempt ({exchange.attempt})"
                                 + (f", waiting as Retry-After asked (last: {wait})" if wait else "")
                                 + ": throttled; retry later, or lower --rate-limit if another client shares the key")
    if answer.kind == REDIRECT:
        where = shown.split(" redirecting to ", 1)[1]
        root = api_root(urlsplit(where).path, [ctx.endpoint.path])
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


def check_is_the_api(base_url: str, endpoint, obs) -> None:
    """The preflight answer comes from the list operation, or the configuration is wrong (exit 2):
    a 404 (no such endpoint under the base URL), or a 2xx that is no JSON list at all (another
    service, a web page).  A list of the wrong shape is a finding, not this."""
    where = public_url(base_url + endpoint.url_path)
    hint = (f"--base-url must be the API root that {endpoint.path} is appended to (e.g. https://api.vapi.ai, "
            "or http://127.0.0.1:PORT for `vapi-contract serve`)")
    query = f"?{endpoint.limit.name}=1"
    if obs.status == 404:
        raise ConfigError(f"GET {where}{query} answered 404: no {endpoint.label} endpoint there; {hint}")
    if 200 <= obs.status < 300 and not _is_listing(endpoint, obs.body):
        what = "no JSON body" if obs.body is None else "JSON without a list of results"
        shown = obs.content_type.split(";", 1)[0].strip() or "no content type"
        raise ConfigError(f"GET {where}{query} answered {obs.status} with {what} ({shown}): "
                          f"is {urlsplit(where).netloc} the Vapi API? {hint}")


def _is_listing(endpoint, body) -> bool:
    return isinstance(body, list) or (isinstance(body, dict) and isinstance(body.get(endpoint.envelope.results), list))
