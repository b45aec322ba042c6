"""Pagination: what one page and a walk over all pages must satisfy.

Doc lines: page "This is the page number to return. Defaults to 1." (>= 1); limit "This is the
maximum number of items to return. Defaults to 100." (0-1000); sortOrder "This is the sort order
for pagination. Defaults to 'DESC'."; metadata itemsPerPage, totalItems, currentPage (required).
The docs fix the order only by createdAt: campaigns sharing a createdAt may come in any order,
so no check looks at the order inside a tie.
"""

from __future__ import annotations

from typing import Sequence

from ..query import paging_of
from ..timeutil import InvalidInstant, parse_ms
from .model import Observation, Violation


def _created(items) -> list[int | None]:
    out = []
    for item in items:
        try:
            out.append(parse_ms(item.get("createdAt")))
        except InvalidInstant:
            out.append(None)
    return out


def order_breaks(items, sort_order: str) -> list[int]:
    """Indexes i where item i+1 is out of createdAt order (ties allowed)."""
    stamps = _created(items)
    desc = sort_order == "DESC"
    return [
        i for i in range(len(stamps) - 1)
        if stamps[i] is not None and stamps[i + 1] is not None
        and (stamps[i + 1] > stamps[i] if desc else stamps[i + 1] < stamps[i])
    ]


def page_metadata(obs: Observation) -> list[Violation]:
    """One 200 page of a query with decided paging: size, metadata and order as documented."""
    paging = paging_of(obs.query)
    if obs.status != 200 or paging is None or not isinstance(obs.body, dict):
        return []
    meta, results, out = obs.metadata, obs.results, []
    n = len(results)

    def v(check, message, expected, actual, pointer):
        out.append(Violation(check, message, expected, actual, pointer, (obs,)))

    if n > paging.limit:
        v("pagination.limit-respected", f"{n} results for limit {paging.limit}", f"<= {paging.limit}", n, "/results")
    if "itemsPerPage" in meta and meta["itemsPerPage"] != paging.limit:
        v("pagination.items-per-page", f"itemsPerPage {meta['itemsPerPage']!r} for limit in force {paging.limit}",
          paging.limit, meta["itemsPerPage"], "/metadata/itemsPerPage")
    if "currentPage" in meta and meta["currentPage"] != paging.page:
        v("pagination.current-page", f"currentPage {meta['currentPage']!r} for page {paging.page}",
          paging.page, meta["currentPage"], "/metadata/currentPage")
    total = meta.get("totalItems")
    if isinstance(total, (int, float)) and not isinstance(total, bool):
        expected = max(0, min(paging.limit, int(total) - paging.offset))
        if n != expected:
            v("pagination.page-size", f"page {paging.page} at limit {paging.limit} of {total:g} items holds {n}",
              expected, n, "/results")
    breaks = order_breaks(results, paging.sort_order)
    if breaks:
        i = breaks[0]
        v("pagination.order", f"results not ordered by createdAt {paging.sort_order} at index {i}",
          f"createdAt {'non-increasing' if paging.sort_order == 'DESC' else 'non-decreasing'}",
          [results[i].get("createdAt"), results[i + 1].get("createdAt")], f"/results/{i + 1}/createdAt")
    return out


def defaults(bare: Observation, explicit: Observation) -> list[Violation]:
    """No parameters == page=1&limit=100&sortOrder=DESC (same metadata, same createdAt sequence)."""
    if bare.status != 200 or explicit.status != 200:
        return []
    same_meta = {k: bare.metadata.get(k) for k in ("itemsPerPage", "currentPage", "totalItems")} == \
        {k: explicit.metadata.get(k) for k in ("itemsPerPage", "currentPage", "totalItems")}
    same_order = _created(bare.results) == _created(explicit.results)
    if same_meta and same_order:
        return []
    return [Violation("pagination.defaults", "the answer without parameters differs from page=1&limit=100&sortOrder=DESC",
                      {"metadata": explicit.metadata, "createdAt": [r.get("createdAt") for r in explicit.results[:3]]},
                      {"metadata": bare.metadata, "createdAt": [r.get("createdAt") for r in bare.results[:3]]},
                      "/metadata", (bare, explicit))]


def walk(pages: Sequence[Observation], sort_order: str, past_end: Observation | None = None) -> list[Violation]:
    """A walk over all pages of one query: complete, disjoint, ordered; totals stable; past the end empty."""
    ok = [p for p in pages if p.status == 200]
    if not ok:
        return []
    interrupted = len(ok) != len(pages)  # a page failed (a 5xx is reliability's finding): not a whole walk
    out: list[Violation] = []
    totals = [p.metadata.get("totalItems") for p in ok] + ([past_end.metadata.get("totalItems")] if past_end and past_end.status == 200 else [])
    if len(set(map(repr, totals))) > 1:
        out.append(Violation("pagination.total-stable", "totalItems differs between pages of one query",
                             totals[0], totals, "/metadata/totalItems", tuple(ok)))
    items = [item for p in ok for item in p.results]
    ids = [item.get("id") for item in items]
    dupes = sorted({i for i in ids if ids.count(i) > 1}, key=str) if len(set(ids)) != len(ids) else []
    if dupes:
        out.append(Violation("pagination.walk-disjoint", f"{len(dupes)} campaign(s) seen on two pages, e.g. {dupes[0]}",
                             "each id once", dupes[:5], "/results", tuple(ok)))
    total = totals[0]
    if not interrupted and isinstance(total, (int, float)) and len(items) != total:
        out.append(Violation("pagination.walk-complete", f"walk yielded {len(items)} results, totalItems is {total:g}",
                             total, len(items), "/metadata/totalItems", tuple(ok)))
    breaks = order_breaks(items, sort_order)
    if breaks:
        i = breaks[0]
        out.append(Violation("pagination.walk-ordered", f"walk not ordered by createdAt {sort_order} at item {i}",
                             sort_order, [items[i].get("createdAt"), items[i + 1].get("createdAt")], None, tuple(ok)))
    if past_end is not None and past_end.status < 500:
        if past_end.status != 200 or past_end.results:
            out.append(Violation("pagination.past-end", f"page past the end answered {past_end.status} with {len(past_end.results)} results",
                                 "200 with no results", {"status": past_end.status, "results": len(past_end.results)},
                                 "/results", (past_end,)))
    return out
