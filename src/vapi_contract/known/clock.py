"""Today, as known deviations count days: the UTC date.  One function, so that tests pass their
own day to the code that takes one (``resolve(today=...)``, ``known add``'s ``today``) instead of
waiting for an entry to expire."""

from __future__ import annotations

from datetime import date, datetime, timezone


def today() -> date:
    return datetime.now(timezone.utc).date()


__all__ = ["today"]
