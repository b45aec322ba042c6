"""Rule: a secret never leaves the process.  Every text that is logged, raised, printed or written
can be scrubbed: each known secret — raw, URL-encoded and base64-encoded — becomes ``[REDACTED]``.
"""

from __future__ import annotations

import base64
import logging
import threading
from typing import Iterable
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

MASK = "[REDACTED]"
MIN_DERIVED = 8  # shorter secrets are scrubbed verbatim only (their encodings are too common)

# loggers whose records can carry a request: the suite's own and httpx/httpcore (they log URLs)
LOGGERS = ("vapi_contract", "vapi_contract.http", "httpx", "httpcore", "httpcore.connection",
           "httpcore.http11", "httpcore.http2", "httpcore.proxy")


def _forms(secret: str) -> set[str]:
    forms = {secret}
    if len(secret) >= MIN_DERIVED:
        raw = secret.encode()
        for enc in (base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()):
            forms |= {enc, enc.rstrip("=")}
        forms |= {quote(secret, safe=""), quote(secret), quote_plus(secret)}
    return forms


class Redactor:
    """Knows the secret strings; :meth:`scrub` replaces each (and its URL-encoded and base64
    forms) with ``[REDACTED]``.  Thread-safe; secrets can be added, never removed."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        self._lock = threading.Lock()
        self._forms: tuple[str, ...] = ()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret:
            return
        found: set[str] = set()
        for s in {secret, secret.strip()} - {""}:
            found |= _forms(s)
        with self._lock:
            # longest first, so a form that contains another is replaced whole
            self._forms = tuple(sorted(found | set(self._forms), key=len, reverse=True))

    def leaks(self, text: str) -> bool:
        """Whether ``text`` holds a secret (in any of its forms)."""
        return any(form in text for form in self._forms)

    def scrub(self, text: str) -> str:
        for form in self._forms:
            if form in text:
                text = text.replace(form, MASK)
        return text

    def __bool__(self) -> bool:
        return bool(self._forms)

    def __repr__(self) -> str:
        return f"Redactor({len(self._forms)} forms)"


def public_url(url: str) -> str:
    """``url`` without userinfo, query or fragment: the only form of a URL the suite records."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class RedactingFilter(logging.Filter):
    """Scrubs every record that passes through it (message, arguments, exception text) with a
    redactor; it never drops a record."""

    def __init__(self, redactor: Redactor):
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.redactor:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what we can, scrubbed
            message = f"{record.msg!s} {record.args!r}"
        record.msg, record.args = self.redactor.scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor.scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redactor.scrub(record.stack_info)
        return True


# One process-wide redactor for log records: every client registers its secrets here.
LOG_REDACTOR = Redactor()
_FILTER = RedactingFilter(LOG_REDACTOR)


def install_log_filter(*names: str) -> None:
    """Put the scrubbing filter on ``names`` (default: the suite's and httpx's loggers).

    A logger's filter sees only records logged *to that logger*, not those of its children, so
    a module logging elsewhere must call this for its own logger."""
    for name in names or LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def register_secret(secret: str | None) -> None:
    """Scrub ``secret`` from every log record from now on."""
    LOG_REDACTOR.add(secret)
    install_log_filter()
