"""Reading a published OpenAPI document (JSON or YAML: ``contract.parse``) from a file or an http(s) URL.

Bounded like a response: a file is not read past ``boundedjson.DOCUMENT.max_bytes`` (32 MiB), a URL
is streamed within the same cap (on the wire and decoded: ``http.body``) and within
:data:`FETCH_DEADLINE` seconds in all, however slowly the server sends."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..boundedjson import DOCUMENT
from ..errors import SourceError
from .parse import parse_document

_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Source:
    name: str  # the URL as given, or the file's base name (no machine-specific path)
    sha256: str
    date: str | None  # YYYY-MM-DD: from the name, or the server's Last-Modified/Date
    document: dict[str, Any]


def is_url(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")


FETCH_DEADLINE = 120.0  # seconds for a whole document, headers and body


def _fetch(url: str) -> tuple[bytes, str | None]:
    import time

    import httpx  # only needed for URLs
    from email.utils import parsedate_to_datetime

    from ..http.body import ACCEPT_ENCODING, read_body
    from ..http.deadline import deadline_of_thread, wire_transport
    from ..http.redact import public_url

    shown = public_url(url)  # no userinfo or query (either may hold a secret)
    limit = DOCUMENT.max_bytes
    until = time.monotonic() + FETCH_DEADLINE
    try:
        with deadline_of_thread(until), httpx.Client(transport=wire_transport(), follow_redirects=True, timeout=60.0,
                                                     headers={"Accept-Encoding": ACCEPT_ENCODING}) as client, \
                client.stream("GET", url) as response:
            body = read_body(response, limit, time.monotonic, until) if response.status_code == 200 else None
    except httpx.HTTPError as exc:
        raise SourceError(f"cannot fetch {shown}: {fetch_failure(exc)}") from None
    if body is None:
        raise SourceError(f"cannot fetch {shown}: HTTP {response.status_code}")
    if body.defect is not None:
        raise SourceError(f"cannot fetch {shown}: {body.detail}"
                          + (f" (a published document may have {limit // 2**20} MiB)" if body.defect == "too-large" else ""))
    stamp = response.headers.get("last-modified") or response.headers.get("date")
    date = None
    if stamp:
        try:
            date = parsedate_to_datetime(stamp).date().isoformat()
        except (TypeError, ValueError):
            date = None
    return body.content, date


_REASONS = (  # (pattern in the error's text, what it means), first match wins
    (re.compile(r"refused", re.I), "connection refused"),
    (re.compile(r"name or service not known|nodename nor servname|getaddrinfo|temporary failure in name resolution"
                r"|no address associated|name resolution", re.I), "name resolution failed"),
    (re.compile(r"certificate|CERTIFICATE_VERIFY_FAILED", re.I), "TLS certificate verification failed"),
    (re.compile(r"\bssl\b|tls|handshake", re.I), "TLS handshake failed"),
    (re.compile(r"reset by peer", re.I), "connection reset"),
    (re.compile(r"network is unreachable|no route to host", re.I), "network unreachable"),
)


def fetch_failure(exc: Exception) -> str:
    """Why a fetch failed, in a few words (``ConnectError: connection refused``): the kind of
    error and its reason, one line, without URLs."""
    import httpx

    kind = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return f"{kind}: timed out"
    if isinstance(exc, httpx.TooManyRedirects):
        return f"{kind}: too many redirects"
    texts = [str(exc)] + [str(e) for e in (exc.__cause__, exc.__context__) if e is not None]
    text = " ".join(texts)
    for pattern, reason in _REASONS:
        if pattern.search(text):
            return f"{kind}: {reason}"
    detail = re.sub(r"\b\w+://\S+", "<url>", texts[0].splitlines()[0] if texts[0].strip() else "")[:120]
    return f"{kind}: {detail}" if detail else kind


def load_source(location: str, date: str | None = None) -> Source:
    """Read ``location``; raise :class:`SourceError` with a one-line reason when it cannot be used."""
    if is_url(location):
        raw, fetched_date = _fetch(location)
        name = location
    else:
        path = Path(location)
        try:
            with path.open("rb") as file:
                raw = file.read(DOCUMENT.max_bytes + 1)  # one byte more says "too large"; never the rest
        except OSError as exc:
            raise SourceError(f"cannot read {location}: {exc.strerror or exc}") from None
        name, fetched_date = path.name, None
    document = parse_document(raw, name)
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise SourceError(f"{name} is not an OpenAPI 3.x document")
    m = _DATE_IN_NAME.search(name)
    return Source(
        name=name,
        sha256=hashlib.sha256(raw).hexdigest(),
        date=date or (m.group(1) if m else fetched_date),
        document=document,
    )
