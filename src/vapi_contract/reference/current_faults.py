"""Faults of the 2026-08-18 surface (Vapi's API today): keyset cursors, the five statuses and
GET /v2/campaign.  Each ``requires`` the element it is about (a surface without it cannot show
it: ``serve --surface 2026-04-11 --fault cursor-skips-one`` is refused) and is observable from the
documented contract on the seeded data:

* cursors (nextCursor: "Opaque cursor for the next page under keyset pagination ... Pass it back as
  the `cursor` query param to fetch the next page"): a cursor page that skips or repeats an item,
  drops the filters, the sort order, sortBy or the limit; a last page whose nextCursor leads back;
  a malformed cursor that crashes;
* statuses (``scheduled | in-progress | ended | cancelled | archived``): the new values ignored as a
  filter, archived listed as cancelled, cancelled spelled the US way;
* GET /v2/campaign (scoped with ``paths``): includeCounters' counters left out or inconsistent
  (connected above dialed), createdAt bounds ignored, oldest first by default, archived hidden.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from .cursor import MAX_VALUE, Position, encode
from .listing import Problem, Query
from .store import Plan
from .variant import ALL_BOUNDS, Fault, InjectedServerError, set_field


# -- hooks --------------------------------------------------------------------------------------
def _on_cursor_pages(**changes) -> Callable[[Plan, Query], Plan]:
    """A plan hook that changes cursor pages only."""
    return lambda p, q: replace(p, **changes) if p.after is not None else p


def _skip_one(p: Plan, q: Query) -> Plan:
    return replace(p, offset=p.offset + 1) if p.after is not None else p


def _newest_first(p: Plan, q: Query) -> Plan:
    return replace(p, descending=True, tiebreak_descending=True) if p.after is not None else p


def _wrap_around(m: dict, q: Query, n: int) -> dict:
    """On the last page (items, no nextCursor), a cursor placed before the first item of the whole
    query: following it starts the walk over."""
    if n == 0 or "nextCursor" in m:
        return m
    start = encode(Position(MAX_VALUE if q.sort_order == "DESC" else -MAX_VALUE, ""))
    meta = {k: v for k, v in m.items() if k != "sortOrder"}
    return {**meta, "nextCursor": start, **({"sortOrder": m["sortOrder"]} if "sortOrder" in m else {})}


def _raise_on_cursor(problems: list[Problem]) -> list[Problem]:
    if any(p.kind == "cursor" for p in problems):
        raise InjectedServerError("Unexpected token in JSON")  # JSON.parse(atob(cursor)) unguarded
    return problems


def _cancelled_with_archived(p: Plan, q: Query) -> Plan:
    """``status = 'cancelled'`` read as "cancelled or archived" (a soft-delete flag checked wrongly)."""
    if q.status != "cancelled":
        return p
    conditions = [("status IN (?, ?)", ("cancelled", "archived")) if c == ("status = ?", ("cancelled",)) else c
                  for c in p.conditions]
    return replace(p, conditions=conditions)


def _every_other_without(key: str) -> Callable[[list[dict], Query], list[dict]]:
    """With includeCounters=true, ``key`` left out of every other item (a batch lookup that
    misses half its keys)."""
    def hook(items: list[dict], q: Query) -> list[dict]:
        if not q.include_counters:
            return items
        return [{k: v for k, v in it.items() if k != key} if i % 2 else it for i, it in enumerate(items)]
    return hook


def _connected_above_dialed(items: list[dict], q: Query) -> list[dict]:
    return [{**it, "callMetrics": {**it["callMetrics"], "connected": it["callMetrics"]["dialed"] + 1}}
            if "callMetrics" in it else it for it in items]


V2 = ("/v2/campaign",)
NEW_STATUSES = ("status=cancelled", "status=archived")
CREATED_BOUNDS = tuple(b for b in ALL_BOUNDS if b.startswith("createdAt"))


# -- the catalogue --------------------------------------------------------------------------------
CURRENT_FAULTS = [
    # keyset cursors (nextCursor / cursor)
    Fault("cursor-skips-one", "pagination", ("cursor", "nextCursor"),
          "a page fetched with a cursor starts one item late (the first item after the cursor is skipped)",
          plan=_skip_one, requires=("nextCursor",)),
    Fault("cursor-repeats-one", "pagination", ("cursor", "nextCursor"),
          "a cursor page starts with the previous page's last item (the keyset comparison is inclusive)",
          plan=_on_cursor_pages(after_inclusive=True), requires=("nextCursor",)),
    Fault("cursor-ignores-filters", "filters", ("cursor", "id", "status", *ALL_BOUNDS),
          "a cursor page drops the query's filters (status, id and the instant bounds); totalItems stays right",
          plan=_on_cursor_pages(page_conditions=[]), requires=("nextCursor",)),
    Fault("cursor-ignores-sort-order", "pagination", ("cursor", "sortOrder"),
          "cursor pages always come newest first, whatever sortOrder",
          plan=_newest_first, requires=("nextCursor",)),
    Fault("cursor-ignores-sort-by", "pagination", ("cursor", "sortBy"),
          "cursor pages are ordered by createdAt whatever sortBy (the cursor's cost / duration compared with createdAt)",
          plan=_on_cursor_pages(order_column="created_ms"), requires=("nextCursor", "sortBy")),
    Fault("cursor-ignores-limit", "pagination", ("cursor", "limit"),
          "cursor pages hold 100 items whatever the limit",
          plan=_on_cursor_pages(limit=100), requires=("nextCursor",)),
    Fault("next-cursor-on-last-page", "pagination", ("nextCursor",),
          "the last page carries a nextCursor, which leads back to the first page",
          metadata=_wrap_around, requires=("nextCursor",)),
    Fault("malformed-cursor-500", "validation", ("cursor",),
          "a malformed cursor crashes the handler (500 instead of 400)",
          validate=_raise_on_cursor, requires=("nextCursor",)),
    # the five statuses
    Fault("new-statuses-not-filtered", "filters", ("status",),
          "status=cancelled and status=archived are ignored (every campaign is listed)",
          query=lambda q: q.with_(status=None) if q.status in ("cancelled", "archived") else q,
          requires=NEW_STATUSES),
    Fault("archived-listed-as-cancelled", "filters", ("status",),
          "status=cancelled also returns the archived campaigns",
          plan=_cancelled_with_archived, requires=NEW_STATUSES),
    Fault("cancelled-spelled-canceled", "shape", ("status",),
          "cancelled campaigns are served with status 'canceled' (US spelling, outside the enum)",
          item=set_field("status", lambda s: "canceled" if s == "cancelled" else s), requires=("status=cancelled",)),
    # GET /v2/campaign
    Fault("v2-counters-missing", "shape", ("includeCounters", "callMetrics"),
          "GET /v2/campaign with includeCounters=true leaves callMetrics out of every other campaign",
          results=_every_other_without("callMetrics"), requires=("GET /v2/campaign", "includeCounters"), paths=V2),
    Fault("v2-connected-above-dialed", "shape", ("callMetrics",),
          "GET /v2/campaign's callMetrics.connected is dialed + 1 (more calls picked up than placed)",
          results=_connected_above_dialed, requires=("GET /v2/campaign", "includeCounters"), paths=V2),
    Fault("v2-ignores-created-bounds", "filters", CREATED_BOUNDS,
          "GET /v2/campaign ignores the createdAt bounds",
          query=lambda q: q.with_(bounds=tuple(b for b in q.bounds if b.field != "createdAt")),
          requires=("GET /v2/campaign",), paths=V2),
    Fault("v2-oldest-first", "pagination", ("sortOrder",),
          "GET /v2/campaign lists oldest first without a sortOrder (documented default: DESC)",
          query=lambda q: q if "sortOrder" in q.given else q.with_(sort_order="ASC"),
          requires=("GET /v2/campaign",), paths=V2),
    Fault("v2-hides-archived", "filters", ("status", "totalItems"),
          "GET /v2/campaign leaves archived campaigns out unless status=archived is asked for (totalItems too)",
          plan=lambda p, q: p if q.status else replace(p, conditions=[*p.conditions, ("status != ?", ("archived",))]),
          requires=("GET /v2/campaign", "status=archived"), paths=V2),
]
