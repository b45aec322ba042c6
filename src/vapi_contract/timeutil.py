"""Instants as the contract treats them: RFC 3339 date-times compared at millisecond precision.

The docs type every createdAt/updatedAt bound as ``datetime`` (OpenAPI ``format: date-time``,
i.e. RFC 3339 ``date-time``).  Vapi stores JavaScript ``Date`` values, which carry milliseconds,
so two instants are equal when they denote the same millisecond in UTC, whatever offset they
were written with: ``2025-01-01T02:00:00+02:00`` == ``2025-01-01T00:00:00Z``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache

__all__ = ["InvalidInstant", "parse_ms", "format_ms", "is_rfc3339", "with_offset"]

_RFC3339 = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})"
    r"(?:\.(?P<frac>\d+))?(?P<tz>[Zz]|[+-]\d{2}:\d{2})$"
)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_NAIVE_EPOCH = datetime(1970, 1, 1)


class InvalidInstant(ValueError):
    """The text is not an RFC 3339 date-time."""


def parse_ms(text: str) -> int:
    """Milliseconds since the epoch (UTC) of an RFC 3339 date-time; sub-millisecond digits are
    truncated, as a JavaScript ``Date`` does.  Raises :class:`InvalidInstant` otherwise."""
    if not isinstance(text, str):
        raise InvalidInstant(f"not a string: {text!r}")
    return _parse_ms(text)


@lru_cache(maxsize=1 << 16)
def _parse_ms(text: str) -> int:
    """(A run meets the same campaigns' instants on many pages: parsed once each.)"""
    m = _RFC3339.match(text)
    if m is None:
        raise InvalidInstant(f"not an RFC 3339 date-time: {text!r}")
    tz = m["tz"]
    offset = timedelta(0)
    if tz not in ("Z", "z"):
        sign = 1 if tz[0] == "+" else -1
        hh, mm = int(tz[1:3]), int(tz[4:6])
        if hh > 23 or mm > 59:
            raise InvalidInstant(f"bad UTC offset: {text!r}")
        offset = sign * timedelta(hours=hh, minutes=mm)
    try:
        local = datetime.fromisoformat(f"{m['date']}T{m['h']}:{m['m']}:{m['s']}")
    except ValueError as exc:
        raise InvalidInstant(f"not a valid calendar date-time: {text!r}") from exc
    frac = (m["frac"] or "")[:3].ljust(3, "0")
    # in milliseconds, not as an aware datetime: 0001-01-01T00:00:00+01:00 is a valid date-time
    # whose UTC instant lies before datetime's first one
    return (local - _NAIVE_EPOCH - offset) // timedelta(milliseconds=1) + int(frac)


def is_rfc3339(text: object) -> bool:
    """True when ``text`` is a string holding an RFC 3339 date-time."""
    try:
        parse_ms(text)  # type: ignore[arg-type]
    except InvalidInstant:
        return False
    return True


def format_ms(ms: int) -> str:
    """The canonical form Vapi returns: ``YYYY-MM-DDTHH:MM:SS.mmmZ`` (UTC, milliseconds)."""
    dt = _EPOCH + timedelta(milliseconds=ms)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def with_offset(ms: int, minutes: int) -> str:
    """The same instant written in another UTC offset, e.g. ``+02:00`` (for offset-handling checks)."""
    tz = timezone(timedelta(minutes=minutes))
    dt = (_EPOCH + timedelta(milliseconds=ms)).astimezone(tz)
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}{sign}{hh:02d}:{mm:02d}"
