"""Rule: a response body is read within bounds — at most ``max_bytes`` on the wire and at most
``max_bytes`` once decoded, before its deadline — and what stopped the reading is said, never
raised.

The body is streamed chunk by chunk (``Response.iter_raw``: the bytes as sent) and decoded here,
as the request's ``Accept-Encoding`` allowed (``gzip``, ``deflate``, one or several, RFC 9110
§8.4), each decoder asked for no more output than the cap leaves (``zlib``'s ``max_length``): a
2 MB gzip body that would inflate to 2 GB stops after ``max_bytes + 1`` decoded bytes.  Any other
Content-Encoding (``br``, ``zstd``, ``compress``, an unknown token) was not asked for and is not
decoded.

What comes back is a :class:`Body`: the decoded bytes (when the reading stopped early, their first
:data:`KEPT` bytes, enough to tell what it was), the bytes read off the wire, and ``defect`` —
None for a whole body, else one of

* ``too-large`` — over ``max_bytes`` on the wire or decoded (a 300 MB body, a decompression
  bomb, an endless chunked body): the connection is closed there;
* ``stalled`` — the deadline passed before the body ended: the server stopped sending, or sends
  too slowly;
* ``cut`` — the connection ended before the body its headers announced (Content-Length, chunked
  framing, a compressed stream that stops short);
* ``undecodable`` — a Content-Encoding the request did not accept, or one that does not decode.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Callable

import httpx

from ..boundedjson import TOO_LARGE

STALLED, CUT, UNDECODABLE = "stalled", "cut", "undecodable"
KEPT = 64 * 1024  # decoded bytes kept of a body whose reading stopped early
ACCEPTED = ("gzip", "deflate")  # the Accept-Encoding the client sends: what it can decode within bounds
ACCEPT_ENCODING = ", ".join(ACCEPTED)


@dataclass(frozen=True)
class Body:
    content: bytes  # the decoded body; when ``defect`` is set, at most its first KEPT bytes
    wire_bytes: int  # bytes read off the wire (before decoding)
    defect: str | None = None  # too-large | stalled | cut | undecodable
    detail: str = ""  # what happened, in a few words ("over 16 MiB once decoded (gzip)")


class _Inflate:
    """One gzip or deflate layer, decoding at most what it is asked for per call."""

    def __init__(self, coding: str):
        self.coding = coding
        self.total = 0
        self._raw_fallback = coding == "deflate"  # "deflate" as sent is zlib-wrapped, or raw (old IIS)
        self._z = zlib.decompressobj(zlib.MAX_WBITS | 16 if coding == "gzip" else zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data``, returning at most ``room + 1`` bytes (one more says "over")."""
        out: list[bytes] = []
        produced = 0
        while data and not self._z.eof:
            try:
                chunk = self._z.decompress(data, room + 1 - produced)
            except zlib.error:
                if not self._raw_fallback:
                    raise
                self._raw_fallback = False
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._raw_fallback = False
            out.append(chunk)
            produced += len(chunk)
            if produced > room:
                break
            data = self._z.unconsumed_tail
        self.total += produced
        return b"".join(out)

    @property
    def ended(self) -> bool:
        return self._z.eof


def codings(response: httpx.Response) -> list[str]:
    """The Content-Encoding tokens in the order they were applied (identity left out)."""
    found = []
    for value in response.headers.get_list("content-encoding"):
        for token in value.split(","):
            token = token.strip().lower()
            if token and token != "identity":
                found.append("gzip" if token == "x-gzip" else token)
    return found


def read_body(response: httpx.Response, max_bytes: int, clock: Callable[[], float] | None = None,
              deadline: float | None = None) -> Body:
    """Read ``response``'s body within ``max_bytes`` (wire and decoded) and ``deadline`` (on
    ``clock``; the socket reads themselves are held to it by ``deadline.py``).  Closes the
    response when the reading stops early."""
    applied = codings(response)
    unknown = [c for c in applied if c not in ACCEPTED]
    if unknown:
        response.close()
        return Body(b"", 0, UNDECODABLE, f"Content-Encoding {', '.join(applied)}, which the request did not accept "
                                         f"(Accept-Encoding: {ACCEPT_ENCODING})")
    layers = [_Inflate(c) for c in reversed(applied)]
    parts: list[bytes] = []
    size = wire = 0
    defect, detail = None, ""
    try:
        for chunk in response.iter_raw():
            wire += len(chunk)
            if wire > max_bytes:
                defect, detail = TOO_LARGE, f"over {_size(max_bytes)} on the wire"
                break
            data = chunk
            for layer in layers:  # each gives at most one byte more than the cap leaves it
                data = layer.feed(data, max_bytes - layer.total)
            over = any(layer.total > max_bytes for layer in layers)
            if not over:
                parts.append(data)
            elif size < KEPT:  # what it starts with, to tell what it was
                parts.append(data[: KEPT - size])
            size += len(data)
            if over:
                defect, detail = TOO_LARGE, f"over {_size(max_bytes)} once decoded ({', '.join(applied)})"
                break
            if clock is not None and deadline is not None and clock() > deadline:
                defect, detail = STALLED, "its deadline passed before the body ended"
                break
        else:
            if layers and wire and not layers[0].ended:
                defect, detail = CUT, f"the {applied[-1]} stream ends before its end"
    except httpx.StreamConsumed:  # a response read already (a test's transport): bounded after the fact
        content = response.content
        if len(content) > max_bytes:
            return Body(content[:KEPT], len(content), TOO_LARGE, f"over {_size(max_bytes)}")
        return Body(content, len(content))
    except httpx.TimeoutException:
        defect, detail = STALLED, "the server stopped sending (no byte, or not the whole body, before the deadline)"
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        defect, detail = CUT, "the connection ended before the body did" + _why(exc)
    except zlib.error as exc:
        defect, detail = UNDECODABLE, f"the body does not decode as {', '.join(applied)} ({exc})"
    content = b"".join(parts)
    if defect is not None:
        response.close()
        return Body(content[:KEPT], wire, defect, detail)
    return Body(content, wire)


def _why(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc).strip() else ""
    return f" ({text[:120]})" if text else ""


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n % 2**20 == 0 else f"{n:,} bytes"


__all__ = ["ACCEPTED", "ACCEPT_ENCODING", "Body", "CUT", "KEPT", "STALLED", "UNDECODABLE", "codings", "read_body"]
