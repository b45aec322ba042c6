"""Rule: the suite is read-only.  A request whose method is not GET or HEAD raises
``ForbiddenMethod`` before a byte is sent.

``ReadOnlyTransport`` sits directly on the wire transport, so the rule holds for anything that
sends through the suite's ``httpx.Client`` (``.post()``, ``.send()``, ``.stream()``, libraries);
the public API checks first too, so a refused request costs no budget and no rate-limit slot.
"""

from __future__ import annotations

from typing import Callable

import httpx

from ..errors import ForbiddenMethod

ALLOWED_METHODS = frozenset({"GET", "HEAD"})


def ensure_read_only(method: str, where: str = "", scrub: Callable[[str], str] = str) -> str:
    """Return ``method`` upper-cased if it is GET or HEAD; otherwise raise ``ForbiddenMethod``
    (its message, naming ``where``, passed through ``scrub``)."""
    normalised = method.upper() if isinstance(method, str) else ""
    if normalised not in ALLOWED_METHODS:
        shown = "".join(ch for ch in str(method) if ch.isalnum() or ch in "-_")[:16] or "?"
        message = f"refused {shown} {where}".rstrip() + ": the suite is read-only (GET and HEAD only)"
        raise ForbiddenMethod(scrub(message))
    return normalised


class ReadOnlyTransport(httpx.BaseTransport):
    """Refuses every method but GET and HEAD; only allowed requests reach ``inner``."""

    def __init__(self, inner: httpx.BaseTransport):
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        ensure_read_only(request.method, f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}{url.path}")
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()

    def __repr__(self) -> str:
        return f"ReadOnlyTransport({type(self._inner).__name__})"
