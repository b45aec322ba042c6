"""Order: the order of results by a column, and what a sort-column parameter (``sortBy``) must do.

Doc lines: sortOrder "This is the sort order for pagination. Defaults to 'DESC'."; sortBy
(2026-04-14 on), enum ``createdAt | duration | cost``, "This is the column to sort by. Defaults to
'createdAt'."  Campaign exposes ``createdAt`` but has no ``cost`` or ``duration`` field, so:

* when the results expose the column, their order is checked (ties in any order);
* when they do not, nothing about the order can be seen, but a walk under it must still be a walk
  over the same items: complete, disjoint, with the same totalItems and the same ids as the same
  query read whole without it, and ASC must still be the reverse of DESC apart from ties;
* no sortBy is sortBy=<its documented default>.

Walks under a sort column are judged by :func:`..paging.walk` (the same movement-aware rule as
every walk) and relabelled here (:func:`under_sort`).  Pure functions: responses in, violations out.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from ..timeutil import InvalidInstant, parse_ms
from .model import Judgement, Observation, Violation

ORDER = "pagination.sort-by-order"
WALK = "pagination.sort-by-walk"
REVERSE = "pagination.sort-by-reverse"
DEFAULT = "pagination.sort-by-default"
# a walk's checks, as they are named for a walk under a sort column
_UNDER_SORT = {"pagination.walk-complete": WALK, "pagination.walk-disjoint": WALK, "pagination.total-stable": WALK,
               "pagination.walk-ordered": ORDER, "pagination.past-end": WALK}


def sort_value(item: Mapping[str, Any], column: str) -> Any:
    """The comparable value of ``column`` in a result: instants as epoch ms, numbers and strings as
    they are; None when missing or malformed (the shape check's finding, not the order's)."""
    value = item.get(column)
    if isinstance(value, str):
        try:
            return parse_ms(value)
        except InvalidInstant:
            return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return None


def order_breaks(items: Sequence[Mapping[str, Any]], column: str, desc: bool,
                 declared: Sequence[str] | None = None) -> list[int]:
    """Indexes i where item i+1 is out of ``column`` order, newest first when ``desc`` (ties allowed).
    ``declared``: the column sorts by its enum's declaration order (contacts' status: "`status` sorts
    by the enum's declaration order rather than alphabetically"), these values in that order; a value
    outside it is the shape check's finding, not the order's."""
    if declared is not None:
        rank = {v: i for i, v in enumerate(declared)}
        values = [rank.get(it.get(column)) if isinstance(it.get(column), str) else None for it in items]
    else:
        values = [sort_value(it, column) for it in items]
    out = []
    for i in range(len(values) - 1):
        a, b = values[i], values[i + 1]
        if a is None or b is None or type(a) is not type(b) and not all(isinstance(x, (int, float)) for x in (a, b)):
            continue
        if (b > a) if desc else (b < a):
            out.append(i)
    return out


def under_sort(judgement: Judgement, label: str) -> Judgement:
    """A walk's judgement (:func:`..paging.walk`) as the sort-column checks name it: completeness,
    disjointness and a stable total are ``sort-by-walk``, the order is ``sort-by-order``."""
    violations = [replace(v, check=_UNDER_SORT.get(v.check, v.check), message=f"under {label}: {v.message}",
                          locus=f"{label}: {v.locus}") for v in judgement.violations]
    exercised = frozenset(_UNDER_SORT.get(c, c) for c in judgement.exercised)
    return replace(judgement, violations=violations, exercised=exercised)


def _items(pages: Sequence[Observation]) -> list[Mapping[str, Any]] | None:
    """The concatenated results of a walk whose every page answered 200 (None otherwise)."""
    if not pages or any(p.status != 200 for p in pages):
        return None
    return [it for p in pages for it in p.results]


def reverse_apart_from_ties(endpoint, desc: Sequence[Observation], asc: Sequence[Observation], column: str,
                            exposed: bool) -> Judgement:
    """ASC is the reverse of DESC apart from ties, judged on two walks of one pinned query that
    report the same totalItems (the data held still between them; otherwise ``still`` False).

    Exposed column: reversing the ASC walk must give the DESC walk's sequence of column values.
    Hidden column (cost, duration: Campaign has no such field): ties cannot be seen, so the only
    sequence the docs rule out is the same non-trivial order both ways — that would need every
    item to tie on the column, *and* the ties to ignore the direction too."""
    d_items, a_items = _items(desc), _items(asc)
    if d_items is None or a_items is None or len(d_items) < 2:
        return Judgement()
    if {p.total_items for p in (*desc, *asc)} != {desc[0].total_items} or \
            {it.get(endpoint.identity) for it in d_items} != {it.get(endpoint.identity) for it in a_items}:
        return Judgement(still=False, set_aside=1)
    exercised = frozenset({REVERSE})
    obs = (desc[0], asc[0])
    if exposed:
        d_values = [sort_value(it, column) for it in d_items]
        a_values = [sort_value(it, column) for it in reversed(a_items)]
        if d_values != a_values:
            i = next(k for k, (x, y) in enumerate(zip(d_values, a_values)) if x != y)
            return Judgement([Violation(REVERSE, f"sortBy={column}: ASC reversed differs from DESC at position {i}",
                                        d_items[i].get(column), a_items[len(a_items) - 1 - i].get(column), None, obs,
                                        locus=f"sortBy={column}")],
                             exercised=exercised)
        return Judgement(exercised=exercised)
    d_ids = [it.get(endpoint.identity) for it in d_items]
    a_ids = [it.get(endpoint.identity) for it in a_items]
    if d_ids == a_ids and len(set(d_ids)) >= 2:
        return Judgement([Violation(REVERSE, f"sortBy={column}: sortOrder=ASC returns the same order as DESC "
                                             f"({len(d_ids)} items): sortOrder is not applied under sortBy",
                                    "ASC = DESC reversed (apart from ties)", "ASC = DESC", None, obs, locus=f"sortBy={column}")],
                         exercised=exercised)
    return Judgement(exercised=exercised)


def default_column(endpoint, bare: Sequence[Observation], explicit: Sequence[Observation], column: str,
                   exposed: bool) -> Judgement:
    """No sortBy == sortBy=<default column> (same totalItems, same items, and — exposed — the same
    sequence of column values), judged when both report the same totalItems (else ``still`` False)."""
    b_items, e_items = _items(bare), _items(explicit)
    if b_items is None or e_items is None:
        return Judgement()
    b_total, e_total = bare[0].total_items, explicit[0].total_items
    if {p.total_items for p in (*bare, *explicit)} != {b_total}:
        return Judgement(still=False, set_aside=1)
    same = {it.get(endpoint.identity) for it in b_items} == {it.get(endpoint.identity) for it in e_items}
    if same and exposed:
        same = [sort_value(it, column) for it in b_items] == [sort_value(it, column) for it in e_items]
    exercised = frozenset({DEFAULT})
    if same:
        return Judgement(exercised=exercised)
    return Judgement([Violation(DEFAULT, f"the answer without sortBy differs from sortBy={column} (its documented default)",
                                {endpoint.paging_meta.total_items: e_total, column: [it.get(column) for it in e_items[:3]]},
                                {endpoint.paging_meta.total_items: b_total, column: [it.get(column) for it in b_items[:3]]},
                                None, (bare[0], explicit[0]), locus=f"sortBy={column}")], exercised=exercised)
