"""Pagination: what one page and a walk over pages must satisfy.

Doc lines: page "This is the page number to return. Defaults to 1." (>= 1); limit "This is the
maximum number of items to return. Defaults to 100." (0-1000); sortOrder "This is the sort order
for pagination. Defaults to 'DESC'."; metadata itemsPerPage, totalItems, currentPage (required).
The docs fix the order only by the creation instant (or the sort column in force): items sharing
a value may come in any order, so no check looks at the order inside a tie.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

from ..timeutil import parse_ms
from .model import Judgement, Observation, Reference, Violation
from .sorting import order_breaks

_DIGITS = re.compile(r"^[0-9]{1,15}$")
LIMIT_RESPECTED = "pagination.limit-respected"
ITEMS_PER_PAGE = "pagination.items-per-page"
CURRENT_PAGE = "pagination.current-page"
PAGE_SIZE = "pagination.page-size"
ORDER = "pagination.order"
DEFAULTS = "pagination.defaults"
WALK_COMPLETE = "pagination.walk-complete"
WALK_DISJOINT = "pagination.walk-disjoint"
WALK_ORDERED = "pagination.walk-ordered"
TOTAL_STABLE = "pagination.total-stable"
PAST_END = "pagination.past-end"


@dataclass(frozen=True)
class Paging:
    """The page, limit and order in force for a query (defaults applied), and which of them the
    query named (``named``: the locus of a paging finding — a fault of the default limit is
    another fault than one of a limit asked for)."""

    page: int
    limit: int
    sort_order: str
    descending: bool  # the order in force is newest first
    named: str = ""

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def in_force(endpoint, params: Mapping[str, Any]) -> Paging | None:
    """The page, limit and order in force for a valid query (the contract's defaults applied);
    None when the query leaves them undecided (non-integer, limit=0, invalid)."""
    if endpoint.bare:  # the array family: a limit alone (no page, no documented order)
        limit = endpoint.limit
        limit_text = str(params.get(limit.name, limit.default))
        if not _DIGITS.match(limit_text) or not 1 <= int(limit_text) <= endpoint.max_limit:
            return None
        return Paging(1, int(limit_text), "", False, f"{limit.name} given" if limit.name in params else "defaults")
    page, limit = endpoint.page, endpoint.limit
    order = endpoint.order if endpoint.order_name is not None else None  # contacts: their sortBy order, ascending
    page_text = str(params.get(page.name, page.default))
    limit_text = str(params.get(limit.name, limit.default))
    sort = params.get(order.name, order.default) if order is not None else ""
    if not (_DIGITS.match(page_text) and _DIGITS.match(limit_text)) or (order is not None and sort not in (order.enum or ())):
        return None
    number, size = int(page_text), int(limit_text)
    if number < endpoint.first_page or not 1 <= size <= endpoint.max_limit:
        return None
    named = [p.name for p in (page, limit, order) if p is not None and p.name in params]
    return Paging(number, size, sort, order is not None and sort == endpoint.descending,
                  "&".join(named) + " given" if named else "defaults")


# -- one page ------------------------------------------------------------------------------------
def limit_respected(obs: Observation, paging: Paging) -> list[Violation]:
    """A page never holds more results than the limit in force."""
    n = obs.served_count
    if n <= paging.limit:
        return []
    return [Violation(LIMIT_RESPECTED, f"{n} results for limit {paging.limit}", f"<= {paging.limit}", n,
                      obs.envelope.results_pointer, (obs,),
                      locus=paging.named)]


def items_per_page(obs: Observation, paging: Paging, field_name: str) -> list[Violation]:
    """metadata.itemsPerPage (``field_name``) equals the limit in force."""
    return _echoes(obs, ITEMS_PER_PAGE, field_name, paging.limit, "limit in force", paging.named)


def current_page(obs: Observation, paging: Paging, field_name: str) -> list[Violation]:
    """metadata.currentPage (``field_name``) equals the page requested."""
    return _echoes(obs, CURRENT_PAGE, field_name, paging.page, "page", paging.named)


def _echoes(obs: Observation, check: str, field_name: str, expected: int, what: str, named: str) -> list[Violation]:
    """The page's metadata ``field_name``, when present, is ``expected`` (the ``what`` in force)."""
    meta = obs.metadata
    if field_name not in meta or meta[field_name] == expected:
        return []
    return [Violation(check, f"{field_name} {meta[field_name]!r} for {what} {expected}", expected, meta[field_name],
                      obs.envelope.meta_pointer(field_name), (obs,), locus=named)]


def page_size(obs: Observation, paging: Paging) -> list[Violation]:
    """A page holds min(limit, totalItems - offset) results: full pages before the last."""
    total = obs.total_items
    if total is None:
        return []
    n = obs.served_count
    expected = max(0, min(paging.limit, int(total) - paging.offset))
    if n == expected:
        return []
    return [Violation(PAGE_SIZE, f"page {paging.page} at limit {paging.limit} of {total:g} items holds {n}",
                      expected, n, obs.envelope.results_pointer, (obs,),
                      locus=f"{paging.named}: " + ("more" if n > expected else "fewer"))]


def page_order(obs: Observation, column: str, paging: Paging, check: str = ORDER,
               declared: Sequence[str] | None = None) -> list[Violation]:
    """The results are ordered by ``column`` in the order in force (ties in any order; ``declared``:
    by the column's enum in this declaration order)."""
    results = obs.results
    sort_order = paging.sort_order or "ascending"  # no order parameter (contacts): their sortBy order, ascending
    breaks = order_breaks(results, column, paging.descending, declared)
    if not breaks:
        return []
    i = breaks[0]
    return [Violation(check, f"results not ordered by {column} {sort_order} at index {i}",
                      f"{column} {'non-increasing' if paging.descending else 'non-decreasing'}",
                      [results[i].get(column), results[i + 1].get(column)], f"{obs.envelope.results_pointer}/{i + 1}/{column}", (obs,),
                      locus=f"{column} {sort_order}")]


# -- two answers ---------------------------------------------------------------------------------
def defaults(endpoint, bare: Observation, explicit: Observation) -> Judgement:
    """No paging parameters == page, limit and sortOrder at their documented defaults (same
    metadata, same sequence of creation instants).  Both reads are pinned: equal totals prove they
    saw the same items; otherwise the pair proves nothing (``still`` False)."""
    exercised = frozenset({DEFAULTS})
    if bare.status != 200 or explicit.status != 200:
        return Judgement()
    if bare.total_items != explicit.total_items or moved_in_place(endpoint, [bare, explicit]):
        return Judgement(still=False, set_aside=1)
    differing = [k for k in endpoint.paging_meta.counting if bare.metadata.get(k) != explicit.metadata.get(k)]
    column = endpoint.created if endpoint.instants else endpoint.identity  # items without instants: their sequence
    same_order = [r.get(column) for r in bare.results] == [r.get(column) for r in explicit.results]
    if not differing and same_order:
        return Judgement(exercised=exercised)
    written = "&".join(f"{k}={v}" for k, v in endpoint.paging_defaults)
    return Judgement([Violation(DEFAULTS, f"the answer without parameters differs from {written}",
                                {"metadata": explicit.metadata, column: [r.get(column) for r in explicit.results[:3]]},
                                {"metadata": bare.metadata, column: [r.get(column) for r in bare.results[:3]]},
                                "/" + endpoint.envelope.metadata, (bare, explicit),
                                locus=", ".join([*differing, *(() if same_order else (f"{column} sequence",))]))],
                     exercised=exercised)


def walk(endpoint, pages: Sequence[Observation], column: str | None, sort_order: str, past_end: Observation | None = None, *,
         whole: bool = True, reference: Reference | None = None) -> Judgement:
    """Pages 1.. of one pinned query at one limit (``whole``: all of them, else a prefix), and
    the page just past the end.

    The data held still (``still``) when every page, past the end and ``reference`` (an atomic
    read of the same pinned query) report one totalItems *and* no item shows two versions
    (two updatedAt) among them: a pinned set whose members change in place moved too, whatever
    its total says.  Judged always: no item twice (walk-disjoint), the concatenation ordered by
    ``column`` (walk-ordered; None: the walk is ordered by something the results do not show, e.g.
    a hidden sort column), past the end 200 with no results (past-end), never more distinct items
    than the first page counted.  Judged only when still: totalItems the same on every page
    (total-stable), exactly totalItems items (walk-complete), the same items as ``reference``.
    The caller re-walks before believing anything (``stages.walks.judged_walk``).
    """
    ok = [p for p in pages if p.status == 200]
    if not ok:
        return Judgement()
    interrupted = len(ok) != len(pages)  # a page failed (a 5xx is reliability's finding): not a whole walk
    out: list[Violation] = []
    seen_past = past_end is not None and past_end.status == 200
    totals = [p.total_items for p in ok] + ([past_end.total_items] if seen_past else [])
    still = len(set(totals)) == 1 and (reference is None or reference.total == totals[0]) and \
        not moved_in_place(endpoint, [*ok, *([past_end] if seen_past else [])], reference)
    exercised = ({WALK_ORDERED} if column is not None else set()) | ({WALK_DISJOINT} if len(pages) > 1 else set()) | \
        ({PAST_END} if past_end is not None else set())
    items = [item for p in ok for item in p.results]
    ids = [item.get(endpoint.identity) for item in items]
    results = endpoint.envelope.results_pointer
    counts = Counter(ids)
    dupes = sorted((i for i, n in counts.items() if n > 1), key=str)
    if dupes:
        out.append(Violation(WALK_DISJOINT, f"{len(dupes)} item(s) seen on two pages, e.g. {dupes[0]}",
                             "each id once", dupes[:5], results, tuple(ok), locus="an item on two pages"))
    breaks = order_breaks(items, column, sort_order == endpoint.descending) if column is not None else []
    if breaks:
        i = breaks[0]
        out.append(Violation(WALK_ORDERED, f"walk not ordered by {column} {sort_order} at item {i}",
                             sort_order, [items[i].get(column), items[i + 1].get(column)], None, tuple(ok),
                             locus=f"{column} {sort_order}"))
    if past_end is not None and past_end.status < 500 and (past_end.status != 200 or past_end.results):
        out.append(Violation(PAST_END, f"page past the end answered {past_end.status} with {len(past_end.results)} results",
                             "200 with no results", {"status": past_end.status, "items": len(past_end.results)},
                             results, (past_end,),
                             locus="with items" if past_end.status == 200 else f"answered {past_end.status // 100}xx"))
    first = totals[0]
    total_pointer = endpoint.envelope.total_pointer()
    if isinstance(first, (int, float)) and len(counts) > first:
        out.append(Violation(WALK_COMPLETE, f"walk yielded {len(counts)} distinct items, more than totalItems {first:g}",
                             f"<= {first:g}", len(counts), total_pointer, tuple(ok), locus="more items than totalItems"))
        return Judgement(out, still, exercised=frozenset(exercised | {WALK_COMPLETE}))
    if not still:
        return Judgement(out, False, set_aside=1, exercised=frozenset(exercised))
    exercised.add(TOTAL_STABLE)
    if whole:
        exercised.add(WALK_COMPLETE)
    if whole and not interrupted and isinstance(first, (int, float)) and len(items) != first:
        out.append(Violation(WALK_COMPLETE, f"walk yielded {len(items)} results, totalItems is {first:g}",
                             first, len(items), total_pointer, tuple(ok),
                             locus="more items than totalItems" if len(items) > first else "fewer items than totalItems"))
    if whole and not interrupted and reference is not None:
        out += _same_items(counts, reference, ok, results)
    return Judgement(out, True, exercised=frozenset(exercised))


def with_prefix(judgement: Judgement, endpoint, pages: Sequence[Observation], reference: Reference, size: int) -> Judgement:
    """A walk over the first pages of a query (``size`` items), compared with one read of its first
    items at a larger limit (``reference``, same order): the same items, when the data held still
    (``judgement.still``: the caller read the same before and after).  walk-complete."""
    if not judgement.still:
        return judgement
    ok = [p for p in pages if p.status == 200]
    if len(ok) != len(pages):
        return judgement
    walked = Counter(item.get(endpoint.identity) for p in ok for item in p.results)
    prefix = Reference(tuple(reference.keys[:size]), None)
    return replace(judgement, violations=judgement.violations + _same_items(walked, prefix, ok, endpoint.envelope.results_pointer),
                   exercised=judgement.exercised | {WALK_COMPLETE})


def joined(first: Judgement, second: Judgement) -> Judgement:
    """Two judgements of one walk (its pages, then its last page and past the end) as one."""
    return Judgement(first.violations + second.violations, first.still and second.still, first.set_aside + second.set_aside,
                     first.exercised | second.exercised)


def moved_in_place(endpoint, pages: Sequence[Observation], reference: Reference | None = None) -> bool:
    """Some item shows two versions (two modification instants) among ``pages`` and ``reference``:
    it changed while they were read, even if its instant did not take it out of a pinned set (a
    clock behind, a late commit)."""
    seen: dict = {} if reference is None else {k.id: k.updated_ms for k in reference.keys}
    for page in pages:
        for item in page.results:
            try:
                updated = parse_ms(item[endpoint.updated])
            except (KeyError, TypeError, ValueError):
                continue
            before = seen.setdefault(item.get(endpoint.identity), updated)
            if before != updated:
                return True
    return False


def _same_items(walked: Counter, reference: Reference, pages: Sequence[Observation], results: str) -> list[Violation]:
    expected = {k.id for k in reference.keys}
    missing = sorted(expected - set(walked), key=str)
    extra = sorted(set(walked) - expected, key=str)
    if not missing and not extra:
        return []
    example = f"{missing[0]} missing" if missing else f"{extra[0]} not in the one-page read"
    return [Violation(WALK_COMPLETE,
                      f"the walk and a one-page read of the same query differ: {len(missing)} missing, {len(extra)} extra (e.g. {example})",
                      len(expected), len(set(walked) & expected), results, tuple(pages),
                      locus="other items than a one-page read" if missing and extra
                      else "items of a one-page read missing" if missing else "items no one-page read lists")]


def totals_reproduced(first: Sequence[Observation], second: Sequence[Observation]) -> Judgement:
    """Two walks of one pinned query whose pages report the same *varying* totalItems sequence:
    data that moves does not replay itself, so totalItems really differs between pages."""
    a = [p.total_items for p in first if p.status == 200]
    b = [p.total_items for p in second if p.status == 200]
    if len(set(map(repr, a))) <= 1 or a != b:
        return Judgement(still=False)
    return Judgement([Violation(TOTAL_STABLE, "totalItems differs between pages of one query, the same way on two walks",
                                a[0], a, first[0].envelope.total_pointer(), tuple(first), locus="totalItems varies")],
                     still=False, exercised=frozenset({TOTAL_STABLE}))


def last_page(endpoint, pages: Sequence[Observation], limit: int) -> int | None:
    """The last page at ``limit`` by the first page's totalItems (None when it has none)."""
    total = pages[0].total_items if pages else None
    return None if total is None else max(endpoint.first_page, -(-int(total) // limit))
