"""Keyset cursors: what following ``nextCursor`` must give, and no more.

Doc line (PaginationMeta.nextCursor, 2026-08-18): "Opaque cursor for the next page under keyset
pagination (PRO-3163). Pass it back as the `cursor` query param to fetch the next page without an
OFFSET scan. Present only when a further page likely exists."

So, for one query (its filters, sortOrder, sortBy and limit), page 1 and then each page fetched
with the previous page's cursor:

* the pages hold the query's items, each once, in the query's order: the same items as the query
  read whole (``cursor-walk``, judged like a page walk: :func:`..paging.walk`), and never more
  than the limit on a page;
* when no further page exists, ``nextCursor`` is absent, or it leads to an empty page
  (``cursor-end``);
* a malformed cursor is rejected with a 4xx that says why, never a 5xx (``malformed-cursor``).

The document says nothing about ``currentPage``, ``totalPages`` or ``hasNextPage`` on a page fetched
with a cursor, nor about a well-formed cursor sent with another query: nothing is asserted there
beyond what every answer gets (no 5xx, a valid shape).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from . import paging
from .model import Judgement, Observation, Reference, Violation

WALK = "pagination.cursor-walk"
END = "pagination.cursor-end"
MALFORMED = "validation.malformed-cursor"
# a page walk's checks, as they are named for a walk that follows cursors
_AS_CURSOR_WALK = {paging.WALK_COMPLETE: WALK, paging.WALK_DISJOINT: WALK, paging.WALK_ORDERED: WALK,
                   paging.TOTAL_STABLE: WALK}


def next_cursor(obs: Observation, endpoint) -> str | None:
    """The cursor of the page after ``obs`` (None when the page carries none)."""
    value = obs.metadata.get(endpoint.cursor.meta) if obs.status == 200 else None
    return value if isinstance(value, str) and value else None


def walk(endpoint, pages: Sequence[Observation], column: str | None, sort_order: str, limit: int, *,
         reference: Reference | None, ended: bool) -> Judgement:
    """Page 1 and the pages its cursors led to, of one pinned query at ``limit``, ordered by
    ``column`` (None: an order the results do not show); ``ended``: the last page carries no
    cursor (False: the walk stopped at its page cap while cursors kept coming).

    Judged like a page walk (equal totals on every page and the reference prove the data held
    still; then the walk must hold exactly the reference's items), relabelled ``cursor-walk``;
    plus no page above the limit, and ``cursor-end``: once every item was read, the pages that
    follow are empty and the chain ends."""
    judgement = as_cursor_walk(endpoint, paging.walk(endpoint, pages, column, sort_order, None, whole=True, reference=reference))
    cursor = endpoint.cursor.meta
    violations = list(judgement.violations)
    exercised = set(judgement.exercised)
    ok = [p for p in pages if p.status == 200]
    over = [(i, len(p.results)) for i, p in enumerate(ok) if len(p.results) > limit]
    if over:
        i, n = over[0]
        violations.append(Violation(WALK, f"page {i + 1} of a cursor walk at limit {limit} holds {n} items",
                                    f"<= {limit}", n, endpoint.envelope.results_pointer, (ok[i],), locus="a page above the limit"))
    if ok:
        exercised.add(WALK)
    total = ok[0].total_items if ok else None
    if total is not None and ok and len(ok) == len(pages):
        exercised.add(END)
        seen, beyond = 0, []
        for i, page in enumerate(ok):
            if seen >= total and page.results:
                beyond.append(i)
            seen += len(page.results)
        if beyond or not ended:
            i = beyond[0] if beyond else len(ok) - 1
            what = (f"a page after all {total:g} items holds {len(ok[i].results)} more" if beyond
                    else f"the cursors did not end after {len(ok)} pages of {total:g} items")
            violations.append(Violation(END, f"{cursor} on the last page leads on: {what}",
                                        "no cursor, or one that leads to an empty page", len(ok[i].results),
                                        endpoint.envelope.meta_pointer(cursor), (ok[i],),
                                        locus="items after the last page" if beyond else "no end"))
    return replace(judgement, violations=violations, exercised=frozenset(exercised))


def as_cursor_walk(endpoint, judgement: Judgement) -> Judgement:
    """A page walk's judgement of pages that cursors led to, under the cursor checks' name."""
    violations = [replace(v, check=_AS_CURSOR_WALK.get(v.check, v.check), message=f"following {endpoint.cursor.meta}: {v.message}")
                  for v in judgement.violations]
    return replace(judgement, violations=violations, exercised=frozenset(_AS_CURSOR_WALK.get(c, c) for c in judgement.exercised))


def rejected(obs: Observation) -> Judgement:
    """A malformed cursor gets a 4xx with a message (a JSON body saying why), never a 2xx or 5xx."""
    exercised = frozenset({MALFORMED})
    if 400 <= obs.status < 500 and isinstance(obs.body, dict) and obs.body.get("message"):
        return Judgement(exercised=exercised)
    why = "without a message" if 400 <= obs.status < 500 else f"with {obs.status}"
    return Judgement([Violation(MALFORMED, f"a malformed cursor was answered {why}", "4xx with a message",
                                obs.status, None, (obs,), locus=_status_class(obs.status) + ("" if obs.status >= 500 or obs.status < 400 else " without a message"))],
                     exercised=exercised)


def _status_class(status: int) -> str:
    return f"answered {status // 100}xx"
