"""Pagination: what one page and a walk over all pages must satisfy.

Doc lines: page "This is the page number to return. Defaults to 1." (>= 1); limit "This is the
maximum number of items to return. Defaults to 100." (0-1000); sortOrder "This is the sort order
for pagination. Defaults to 'DESC'."; metadata itemsPerPage, totalItems, currentPage (required).
The docs fix the order only by createdAt: campaigns sharing a createdAt may come in any order,
so no check looks at the order inside a tie.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from ..query import paging_of
from ..timeutil import InvalidInstant, parse_ms
from .model import Judgement, Observation, Reference, Violation


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


def walk(pages: Sequence[Observation], sort_order: str, past_end: Observation | None = None, *,
         whole: bool = True, reference: Reference | None = None) -> Judgement:
    """Pages 1.. of one pinned query at one limit (``whole``: all of them, else a prefix), and
    the page just past the end.

    Always judged (movement cannot explain them on a pinned query, which only shrinks): no
    campaign twice (walk-disjoint), the concatenation ordered (walk-ordered), past the end 200
    with no results (past-end), and never more distinct campaigns than the first page counted.
    Judged only when the data held still (every page, past the end and ``reference`` — an atomic
    read of the same pinned query — report one totalItems): totalItems the same on every page
    (total-stable), the walk yields exactly totalItems campaigns (walk-complete), and the same
    campaigns as ``reference``.  Otherwise those findings are set aside: the caller re-walks.
    """
    ok = [p for p in pages if p.status == 200]
    if not ok:
        return Judgement()
    interrupted = len(ok) != len(pages)  # a page failed (a 5xx is reliability's finding): not a whole walk
    out: list[Violation] = []
    seen_past = past_end is not None and past_end.status == 200
    totals = [p.total_items for p in ok] + ([past_end.total_items] if seen_past else [])
    still = len(set(totals)) == 1 and (reference is None or reference.total == totals[0])
    items = [item for p in ok for item in p.results]
    ids = [item.get("id") for item in items]
    counts = Counter(ids)
    dupes = sorted((i for i, n in counts.items() if n > 1), key=str)
    if dupes:
        out.append(Violation("pagination.walk-disjoint", f"{len(dupes)} campaign(s) seen on two pages, e.g. {dupes[0]}",
                             "each id once", dupes[:5], "/results", tuple(ok)))
    breaks = order_breaks(items, sort_order)
    if breaks:
        i = breaks[0]
        out.append(Violation("pagination.walk-ordered", f"walk not ordered by createdAt {sort_order} at item {i}",
                             sort_order, [items[i].get("createdAt"), items[i + 1].get("createdAt")], None, tuple(ok)))
    if past_end is not None and past_end.status < 500 and (past_end.status != 200 or past_end.results):
        out.append(Violation("pagination.past-end", f"page past the end answered {past_end.status} with {len(past_end.results)} results",
                             "200 with no results", {"status": past_end.status, "results": len(past_end.results)},
                             "/results", (past_end,)))
    first = totals[0]
    if isinstance(first, (int, float)) and len(counts) > first:
        out.append(Violation("pagination.walk-complete", f"walk yielded {len(counts)} distinct campaigns, more than totalItems {first:g}",
                             f"<= {first:g}", len(counts), "/metadata/totalItems", tuple(ok)))
        return Judgement(out, still)
    if not still:
        return Judgement(out, False, set_aside=1)
    if whole and not interrupted and isinstance(first, (int, float)) and len(items) != first:
        out.append(Violation("pagination.walk-complete", f"walk yielded {len(items)} results, totalItems is {first:g}",
                             first, len(items), "/metadata/totalItems", tuple(ok)))
    if whole and not interrupted and reference is not None:
        out += _same_campaigns(counts, reference, ok)
    return Judgement(out, True)


def _same_campaigns(walked: Counter, reference: Reference, pages: Sequence[Observation]) -> list[Violation]:
    expected = {k.id for k in reference.keys}
    missing = sorted(expected - set(walked), key=str)
    extra = sorted(set(walked) - expected, key=str)
    if not missing and not extra:
        return []
    example = f"{missing[0]} missing" if missing else f"{extra[0]} not in the one-page read"
    return [Violation("pagination.walk-complete",
                      f"the walk and a one-page read of the same query differ: {len(missing)} missing, {len(extra)} extra (e.g. {example})",
                      len(expected), len(set(walked) & expected), "/results", tuple(pages))]


def totals_reproduced(first: Sequence[Observation], second: Sequence[Observation]) -> list[Violation]:
    """Two walks of one pinned query whose pages report the same *varying* totalItems sequence:
    data that moves does not replay itself, so totalItems really differs between pages."""
    a = [p.total_items for p in first if p.status == 200]
    b = [p.total_items for p in second if p.status == 200]
    if len(set(map(repr, a))) <= 1 or a != b:
        return []
    return [Violation("pagination.total-stable", "totalItems differs between pages of one query, the same way on two walks",
                      a[0], a, "/metadata/totalItems", tuple(first))]
