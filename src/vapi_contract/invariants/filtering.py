"""Filters: id, status and the eight createdAt/updatedAt bounds select exactly what the docs say.

Doc lines: "createdAtGt: This will return items where the createdAt is greater than the specified
value." (Lt: less than; Ge: greater than or equal to; Le: less than or equal to; the same four
for updatedAt); id and status filter by equality.  Filters combine with AND.  Instants compare
at millisecond precision, UTC offsets honoured (RFC 3339).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from ..query import filters_of, item_matches
from ..timeutil import InvalidInstant, parse_ms
from .model import Observation, Violation


def _matches(item: Mapping[str, Any], params: Mapping[str, Any]) -> bool | None:
    try:
        return item_matches(item, params)
    except (InvalidInstant, KeyError):
        return None  # a malformed timestamp is the shape check's finding, not the filter's


def membership(obs: Observation) -> list[Violation]:
    """Every returned campaign satisfies every filter of the query."""
    filters = filters_of(obs.query)
    if obs.status != 200 or not filters:
        return []
    out = []
    for index, item in enumerate(obs.results):
        if _matches(item, filters) is False:
            failed = [k for k, v in filters.items() if _matches(item, {k: v}) is False]
            field = failed[0] if failed else next(iter(filters))
            shown = "createdAt" if field.startswith("createdAt") else "updatedAt" if field.startswith("updatedAt") else field
            out.append(Violation(
                "filters.membership", f"result {index} ({item.get('id')}) fails {', '.join(f'{k}={filters[k]}' for k in failed)}",
                {k: filters[k] for k in failed}, item.get(shown), f"/results/{index}/{shown}", (obs,)))
    return out


def _stable(item: Mapping[str, Any], snapshot_ms: int | None) -> bool:
    """False for a campaign created or changed after the run's snapshot (live data moves)."""
    if snapshot_ms is None:
        return True
    try:
        return parse_ms(item["createdAt"]) <= snapshot_ms and parse_ms(item["updatedAt"]) <= snapshot_ms
    except (InvalidInstant, KeyError):
        return True


def completeness(pages: Sequence[Observation], reference: Iterable[Mapping[str, Any]],
                 snapshot_ms: int | None = None) -> list[Violation]:
    """The pages of a filtered query (all of them) hold exactly the reference campaigns that
    satisfy its filters, and totalItems counts exactly them."""
    ok = [p for p in pages if p.status == 200]
    if not ok:
        return []
    params = ok[0].query
    expected = {it["id"]: it for it in reference if _stable(it, snapshot_ms) and _matches(it, params)}
    got = {it.get("id"): it for p in ok for it in p.results if _stable(it, snapshot_ms)}
    out = []
    missing = sorted(set(expected) - set(got), key=str)
    if missing:
        sample = expected[missing[0]]
        out.append(Violation(
            "filters.completeness",
            f"{len(missing)} matching campaign(s) missing for {_describe(params)}, e.g. {missing[0]} "
            f"(createdAt {sample.get('createdAt')}, updatedAt {sample.get('updatedAt')}, status {sample.get('status')})",
            len(expected), len(set(expected) & set(got)), "/results", tuple(ok)))
    total = ok[0].metadata.get("totalItems")
    if snapshot_ms is None and isinstance(total, (int, float)) and not isinstance(total, bool) and total != len(expected):
        out.append(Violation("filters.completeness", f"totalItems {total:g} for {_describe(params)}; {len(expected)} campaigns match",
                             len(expected), total, "/metadata/totalItems", tuple(ok)))
    return out


def _describe(params: Mapping[str, Any]) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items() if k in filters_of(params)) or "no filter"


def split_at(total_all: int, total_lt: int, total_ge: int, at: str, obs: Sequence[Observation] = ()) -> list[Violation]:
    """totalItems(createdAtLt=t) + totalItems(createdAtGe=t) = totalItems()."""
    if total_lt + total_ge == total_all:
        return []
    return [Violation("filters.metamorphic", f"createdAtLt={at} gives {total_lt}, createdAtGe={at} gives {total_ge}; "
                      f"together {total_lt + total_ge}, but the whole is {total_all}", total_all, total_lt + total_ge,
                      "/metadata/totalItems", tuple(obs))]


def status_partition(total_all: int, by_status: Mapping[str, int], obs: Sequence[Observation] = ()) -> list[Violation]:
    """The statuses partition the whole: sum over status of totalItems(status=s) = totalItems()."""
    s = sum(by_status.values())
    if s == total_all:
        return []
    return [Violation("filters.metamorphic", f"statuses sum to {s} ({dict(by_status)}) but the whole is {total_all}",
                      total_all, s, "/metadata/totalItems", tuple(obs))]


def monotone(tight: int, loose: int, what: str, obs: Sequence[Observation] = ()) -> list[Violation]:
    """A tighter filter never returns more."""
    if tight <= loose:
        return []
    return [Violation("filters.metamorphic", f"the tighter query {what} returns {tight} > {loose}",
                      f"<= {loose}", tight, "/metadata/totalItems", tuple(obs))]
