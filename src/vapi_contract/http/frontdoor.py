"""Rule: an answer from something in front of the API is told apart from the API's own answers,
and described in one line that holds no secret.

Between the suite and the API stand proxies, load balancers and WAFs (Vapi's API sits behind
Cloudflare).  What they answer says nothing about the contract, so it is never judged as a
contract violation.  :func:`front_door` names three kinds:

* ``redirect`` — a 3xx: the API does not redirect a listing; a proxy does (``http://`` to an
  https host, a moved domain);
* ``throttled`` — a 429 the client still got after honouring Retry-After (``transport.py``);
* ``blocked`` — a 403 that is not JSON (a WAF's HTML block page, a proxy's plain text) or that
  carries ``cf-mitigated`` (Cloudflare's challenge marker); and any 403 to a request carrying the
  run's own key: preflight saw the key accepted, so a refusal later is a WAF's rule (or the
  key's permissions), not the listing's contract.  A JSON 403 to a request without the key (or
  with a wrong one) is the API's own answer, judged by the auth checks (the docs say 401).

:func:`what_answered` says what answered, for a person: the status, the content type, the
server and a page's title, or where a redirect points — without query, fragment or credentials,
and scrubbed of every known secret.
"""

from __future__ import annotations

import re
from typing import Callable
from urllib.parse import urljoin

from ..boundedjson import NOT_JSON, NOT_UTF8, looks_like_json
from .exchange import Exchange
from .redact import public_url

REDIRECT, THROTTLED, BLOCKED = "redirect", "throttled", "blocked"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHALLENGE_HEADER = "cf-mitigated"
TITLE_CHARS = 80
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)


def front_door(exchange: Exchange) -> str | None:
    """``redirect``, ``throttled`` or ``blocked`` when something in front of the API answered
    ``exchange`` (see the module doc); None when the answer is the API's own."""
    status = exchange.status
    if status in REDIRECTS:
        return REDIRECT
    if status == 429:
        return THROTTLED
    if status == 403 and (exchange.auth == "key" or is_block_page(exchange)):
        return BLOCKED
    return None


def what_answered(exchange: Exchange, scrub: Callable[[str], str] = lambda text: text) -> str:
    """``403 (text/html from cloudflare, "Attention Required! | Cloudflare")``, ``403
    (application/json)``, ``301 redirecting to https://api.vapi.ai/campaign``: one line, scrubbed."""
    if exchange.status in REDIRECTS:
        location = exchange.headers.get("location", "").strip()
        where = public_url(urljoin(exchange.url, location)) if location else "nowhere (no Location header)"
        return scrub(f"{exchange.status} redirecting to {where}")
    kind = exchange.content_type.split(";", 1)[0].strip() or "no content type"
    server = exchange.headers.get("server", "").strip()
    parts = [kind + (f" from {server}" if server else "")]
    title = _title(exchange, scrub)
    if title:
        parts.append(f'"{title}"')
    return scrub(f"{exchange.status} ({', '.join(parts)})")


def _title(exchange: Exchange, scrub: Callable[[str], str]) -> str:
    """The <title> of an HTML page (a block page names its WAF there), on one line, scrubbed, then
    cut short (scrubbed first: a cut must not leave part of a secret behind)."""
    if "html" not in exchange.content_type.lower() and not exchange.body.lstrip()[:1] == b"<":
        return ""
    found = _TITLE.search(exchange.body[:65536])
    if not found:
        return ""
    text = scrub(" ".join(found.group(1).decode("utf-8", "replace").split()))
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"


def _is_json(exchange: Exchange) -> bool:
    """The body is JSON, well-formed or not (a JSON text the reader refuses for its size, depth, a
    repeated name or a NaN is still JSON: an API's answer, not a WAF's page)."""
    if exchange.defect is not None:
        return looks_like_json(exchange.body) is not None
    _, why = exchange.reading()
    return why is None or why.kind not in (NOT_JSON, NOT_UTF8)


def is_block_page(exchange: Exchange) -> bool:
    """A WAF's or proxy's page rather than a JSON answer (``cf-mitigated``, or not JSON at all)."""
    return CHALLENGE_HEADER in exchange.headers or not _is_json(exchange)


__all__ = ["BLOCKED", "REDIRECT", "REDIRECTS", "THROTTLED", "front_door", "is_block_page", "what_answered"]
