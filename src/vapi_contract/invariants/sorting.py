"""Sorting by a column: what a sort-column parameter (``sortBy``) must do, and no more.

Doc line (2026-04-14 document): sortBy, enum ``cost | createdAt | duration``, "This is the column
to sort by. Defaults to 'createdAt'."; with sortOrder "This is the sort order for pagination.
Defaults to 'DESC'."  Campaign exposes ``createdAt`` but has no ``cost`` or ``duration`` field,
so:

* when the results expose the column, their order is checked (ties in any order);
* when they do not, nothing about the order can be seen, but a walk under it must still be a
  walk over the same campaigns: complete, disjoint, with the same totalItems and the same set of
  ids as without it, and ASC must still be the reverse of DESC apart from ties;
* no sortBy is sortBy=<its documented default>.

Pure functions: queries and responses in, violations out.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..timeutil import InvalidInstant, parse_ms
from .model import Observation, Violation

ORDER = "pagination.sort-by-order"
WALK = "pagination.sort-by-walk"
REVERSE = "pagination.sort-by-reverse"
DEFAULT = "pagination.sort-by-default"


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


def order_breaks(items: Sequence[Mapping[str, Any]], column: str, sort_order: str) -> list[int]:
    """Indexes i where item i+1 is out of ``column`` order in direction ``sort_order`` (ties allowed)."""
    values = [sort_value(it, column) for it in items]
    desc = sort_order == "DESC"
    out = []
    for i in range(len(values) - 1):
        a, b = values[i], values[i + 1]
        if a is None or b is None or type(a) is not type(b) and not all(isinstance(x, (int, float)) for x in (a, b)):
            continue
        if (b > a) if desc else (b < a):
            out.append(i)
    return out


def page_order(obs: Observation, column: str, sort_order: str) -> list[Violation]:
    """One 200 page under sortBy=``column``: its results are ordered by the column (exposed)."""
    if obs.status != 200:
        return []
    items = obs.results
    breaks = order_breaks(items, column, sort_order)
    if not breaks:
        return []
    i = breaks[0]
    return [Violation(ORDER, f"results not ordered by {column} {sort_order} at index {i}",
                      f"{column} {'non-increasing' if sort_order == 'DESC' else 'non-decreasing'}",
                      [items[i].get(column), items[i + 1].get(column)], f"/results/{i + 1}/{column}", (obs,))]


def walk_order(pages: Sequence[Observation], column: str, sort_order: str) -> list[Violation]:
    """The concatenated pages of a walk under sortBy=``column`` (exposed) are ordered by it."""
    ok = [p for p in pages if p.status == 200]
    items = [it for p in ok for it in p.results]
    breaks = order_breaks(items, column, sort_order)
    if not breaks:
        return []
    i = breaks[0]
    return [Violation(ORDER, f"walk under sortBy={column}&sortOrder={sort_order} not ordered by {column} at item {i}",
                      sort_order, [items[i].get(column), items[i + 1].get(column)], None, tuple(ok))]


def _ids(pages: Sequence[Observation]) -> list:
    return [it.get("id") for p in pages if p.status == 200 for it in p.results]


def walk_matches_baseline(pages: Sequence[Observation], baseline_ids: Sequence, baseline_total: int | None,
                          label: str) -> list[Violation]:
    """A walk under a sort column (``label``, e.g. ``sortBy=cost&sortOrder=ASC``) is complete and
    disjoint and holds exactly the campaigns of the same query without it: same totalItems, same
    ids.  ``baseline_ids`` is that query read whole (one page at limit 1000)."""
    ok = [p for p in pages if p.status == 200]
    if not ok or len(ok) != len(pages):  # a failed page is another check's finding; no whole walk
        return []
    out: list[Violation] = []
    ids = _ids(ok)
    totals = {p.metadata.get("totalItems") for p in ok if isinstance(p.metadata.get("totalItems"), (int, float))}
    dupes = sorted({i for i in ids if ids.count(i) > 1}, key=str) if len(set(ids)) != len(ids) else []
    if dupes:
        out.append(Violation(WALK, f"walk under {label}: {len(dupes)} campaign(s) on two pages, e.g. {dupes[0]}",
                             "each id once", dupes[:5], "/results", tuple(ok)))
    if baseline_total is not None and totals and totals != {baseline_total}:
        out.append(Violation(WALK, f"totalItems under {label} is {sorted(totals)}, without it {baseline_total}",
                             baseline_total, sorted(totals), "/metadata/totalItems", tuple(ok)))
    missing = set(baseline_ids) - set(ids)
    extra = set(ids) - set(baseline_ids)
    if missing or extra:
        out.append(Violation(WALK, f"walk under {label} holds {len(set(ids))} campaigns: {len(missing)} missing, "
                                   f"{len(extra)} not in the same query without it",
                             len(set(baseline_ids)), {"missing": sorted(missing, key=str)[:5], "extra": sorted(extra, key=str)[:5]},
                             "/results", tuple(ok)))
    return out


def reverse_apart_from_ties(desc: Sequence[Observation], asc: Sequence[Observation], column: str,
                            exposed: bool) -> list[Violation]:
    """ASC is the reverse of DESC apart from ties (same campaigns either way is the walk check's).

    Exposed column: reversing the ASC walk must give the DESC walk's sequence of column values.
    Hidden column (cost, duration: Campaign has no such field): ties cannot be seen, so the only
    sequence the docs rule out is the same non-trivial order both ways — that would need every
    campaign of the window to tie on the column, *and* the ties to ignore the direction too."""
    d_ok = [p for p in desc if p.status == 200]
    a_ok = [p for p in asc if p.status == 200]
    if len(d_ok) != len(desc) or len(a_ok) != len(asc):
        return []
    d_items = [it for p in d_ok for it in p.results]
    a_items = [it for p in a_ok for it in p.results]
    if len(d_items) < 2 or {it.get("id") for it in d_items} != {it.get("id") for it in a_items}:
        return []
    obs = (*d_ok[:1], *a_ok[:1])
    if exposed:
        d_values = [sort_value(it, column) for it in d_items]
        a_values = [sort_value(it, column) for it in reversed(a_items)]
        if d_values != a_values:
            i = next(k for k, (x, y) in enumerate(zip(d_values, a_values)) if x != y)
            return [Violation(REVERSE, f"sortBy={column}: ASC reversed differs from DESC at position {i}",
                              d_items[i].get(column), a_items[len(a_items) - 1 - i].get(column), None, obs)]
        return []
    d_ids = [it.get("id") for it in d_items]
    a_ids = [it.get("id") for it in a_items]
    if d_ids == a_ids and len(set(d_ids)) >= 2:
        return [Violation(REVERSE, f"sortBy={column}: sortOrder=ASC returns the same order as DESC "
                                   f"({len(d_ids)} campaigns): sortOrder is not applied under sortBy",
                          "ASC = DESC reversed (apart from ties)", "ASC = DESC", None, obs)]
    return []


def default_column(bare: Sequence[Observation], explicit: Sequence[Observation], column: str, exposed: bool) -> list[Violation]:
    """No sortBy == sortBy=<default column> (same totalItems, same campaigns, and — exposed — the
    same sequence of column values)."""
    b_ok = [p for p in bare if p.status == 200]
    e_ok = [p for p in explicit if p.status == 200]
    if len(b_ok) != len(bare) or len(e_ok) != len(explicit) or not b_ok or not e_ok:
        return []
    b_items = [it for p in b_ok for it in p.results]
    e_items = [it for p in e_ok for it in p.results]
    b_total, e_total = b_ok[0].metadata.get("totalItems"), e_ok[0].metadata.get("totalItems")
    same = b_total == e_total and {it.get("id") for it in b_items} == {it.get("id") for it in e_items}
    if same and exposed:
        same = [sort_value(it, column) for it in b_items] == [sort_value(it, column) for it in e_items]
    if same:
        return []
    return [Violation(DEFAULT, f"the answer without sortBy differs from sortBy={column} (its documented default)",
                      {"totalItems": e_total, column: [it.get(column) for it in e_items[:3]]},
                      {"totalItems": b_total, column: [it.get(column) for it in b_items[:3]]},
                      None, (*b_ok[:1], *e_ok[:1]))]


def enum_filter(obs: Observation, window: Sequence[Mapping[str, Any]], name: str, value: str) -> list[Violation]:
    """Within a window read whole, ``name=value`` returns exactly the window's campaigns whose
    ``name`` equals ``value``, and totalItems counts them (an equality filter on a declared enum
    value, e.g. a newly published status)."""
    if obs.status != 200:
        return []
    want = {it.get("id") for it in window if it.get(name) == value}
    got = {it.get("id") for it in obs.results}
    total = obs.metadata.get("totalItems")
    if want == got and (not isinstance(total, (int, float)) or total == len(want)):
        return []
    return [Violation("filters.completeness", f"{name}={value} within the window: {len(want - got)} missing, "
                                             f"{len(got - want)} that do not match; totalItems {total}",
                      len(want), {"results": len(got), "totalItems": total}, "/results", (obs,))]


def enum_partition(name: str, whole: int, totals: Mapping[str, int], obs: Sequence[Observation] = ()) -> list[Violation]:
    """The declared values of an enum filter partition the whole: their totals sum to it."""
    s = sum(totals.values())
    if s == whole:
        return []
    return [Violation("filters.metamorphic", f"the {name} values sum to {s} ({dict(totals)}) but the whole is {whole}",
                      whole, s, "/metadata/totalItems", tuple(obs))]
