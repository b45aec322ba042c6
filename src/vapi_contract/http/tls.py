"""Rule: a TLS failure that no retry can fix is a configuration error (exit 2), not an outage.

Two such failures: the server does not speak TLS at all (``https://`` given for a plain-http
server: OpenSSL reads an HTTP answer where a handshake should be, ``WRONG_VERSION_NUMBER``), and
its certificate does not verify (self-signed, expired, another host's).  Anything else that goes
wrong in a handshake (a reset, an EOF) may pass: it is retried like any connection error.
"""

from __future__ import annotations

import ssl
from typing import Iterator

# OpenSSL's words for "what came back is no TLS record"
NOT_TLS = ("WRONG_VERSION_NUMBER", "wrong version number", "record layer failure", "http request",
           "unknown protocol", "packet length too long")


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [c for c in (e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException)))
                 if c is not None]


def tls_mismatch(exc: BaseException) -> str | None:
    """Why TLS with the server cannot work (see the module doc), or None."""
    for e in _causes(exc):
        if isinstance(e, ssl.SSLCertVerificationError):
            return f"its certificate does not verify ({e.verify_message or 'verification failed'})"
        if isinstance(e, ssl.SSLError) and any(marker in str(e) for marker in NOT_TLS):
            return "it does not speak TLS on that port"
    return None


__all__ = ["tls_mismatch"]
