"""Filters: id, status and the eight createdAt/updatedAt bounds select exactly what the docs say.

Doc lines: "createdAtGt: This will return items where the createdAt is greater than the specified
value." (Lt: less than; Ge: greater than or equal to; Le: less than or equal to; the same four
for updatedAt); id and status filter by equality.  Filters combine with AND.  Instants compare
at millisecond precision, UTC offsets honoured (RFC 3339).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..query import CampaignKey, filters_of, keys_of, selector
from ..timeutil import format_ms
from .model import Judgement, Observation, Reference, Violation


def membership(obs: Observation) -> list[Violation]:
    """Every returned campaign satisfies every filter of the query."""
    filters = filters_of(obs.query)
    if obs.status != 200 or not filters:
        return []
    select = selector(filters)
    out = []
    for index, item in enumerate(obs.results):
        key = CampaignKey.of(item)
        if key is None or select(key):
            continue  # a malformed campaign is the shape check's finding, not the filter's
        failed = [k for k, v in filters.items() if not selector({k: v})(key)]
        field = failed[0] if failed else next(iter(filters))
        shown = "createdAt" if field.startswith("createdAt") else "updatedAt" if field.startswith("updatedAt") else field
        out.append(Violation(
            "filters.membership", f"result {index} ({item.get('id')}) fails {', '.join(f'{k}={filters[k]}' for k in failed)}",
            {k: filters[k] for k in failed}, item.get(shown), f"/results/{index}/{shown}", (obs,)))
    return out


def window_completeness(obs: Observation, reference: Reference, closing: Reference | None = None) -> Judgement:
    """The answer to a filtered query inside a window (the window's createdAt bounds and the run's
    pins ANDed with the filters, one page at limit 1000) holds exactly the campaigns of the
    window's one-page read ``reference`` that satisfy the filters.

    Without ``closing`` the data is taken to have held still (the provisional judgement that
    decides whether a closing read is worth a request).  With ``closing`` (the same window read
    again after the filtered query): if it matches ``reference`` the window held still and every
    difference is a violation; otherwise a missing campaign is a violation only if the closing
    read shows it unchanged (it was there, unchanged, when the filtered query ran), and the rest
    is set aside as movement.
    """
    if obs.status != 200:
        return Judgement()
    select = selector(obs.query)
    expected = {k.id: k for k in reference.keys if select(k)}
    got = {k.id: k for k in keys_of(obs.results)}
    missing = [i for i in expected if i not in got]
    window = {k.id for k in reference.keys}
    extra = [i for i, k in got.items() if i not in window and select(k)]
    if not missing and not extra:
        return Judgement()
    still = closing is None or closing.versions == reference.versions
    set_aside = 0
    if not still:
        unchanged = {i for i, v in closing.versions.items() if reference.versions.get(i) == v}
        set_aside = int(bool(extra) or any(i not in unchanged for i in missing))  # one finding, however many campaigns
        missing, extra = [i for i in missing if i in unchanged], []
    out = []
    if missing:
        sample = expected[missing[0]]
        out.append(Violation(
            "filters.completeness",
            f"{len(missing)} matching campaign(s) missing for {_describe(obs.query)}, e.g. {missing[0]} "
            f"(createdAt {format_ms(sample.created_ms)}, updatedAt {format_ms(sample.updated_ms)}, status {sample.status})",
            len(expected), len(expected) - len(missing), "/results", (obs,)))
    if extra:
        out.append(Violation(
            "filters.completeness",
            f"{len(extra)} campaign(s) returned for {_describe(obs.query)} that the same window without the filter does not list, e.g. {extra[0]}",
            len(expected), len(expected) + len(extra), "/results", (obs,)))
    return Judgement(out, still, set_aside)


def _describe(params: Mapping[str, Any]) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items() if k in filters_of(params)) or "no filter"


def _bracketed(total: int, before: int, after: int, check_message: str, obs: Sequence[Observation]) -> Judgement:
    """A count relation measured between two totals of the whole pinned set: exact when the two
    agree (the set held still); otherwise the pinned set shrank in between and the sum of parts
    measured in between must lie between them."""
    if before == after:
        if total == before:
            return Judgement()
        return Judgement([Violation("filters.metamorphic", f"{check_message}; together {total}, but the whole is {before}",
                                    before, total, "/metadata/totalItems", tuple(obs))])
    low, high = min(before, after), max(before, after)
    if low <= total <= high:
        return Judgement(still=False, set_aside=1)
    return Judgement([Violation("filters.metamorphic",
                                f"{check_message}; together {total}, outside the whole's {low}..{high} while the data moved",
                                f"{low}..{high}", total, "/metadata/totalItems", tuple(obs))], still=False)


def split_at(before: int, after: int, total_lt: int, total_ge: int, at: str, obs: Sequence[Observation] = ()) -> Judgement:
    """totalItems(createdAtLt=t) + totalItems(createdAtGe=t) = totalItems() ("less than" and
    "greater than or equal to" the same instant split the whole)."""
    return _bracketed(total_lt + total_ge, before, after,
                      f"createdAtLt={at} gives {total_lt}, createdAtGe={at} gives {total_ge}", obs)


def status_partition(before: int, after: int, by_status: Mapping[str, int], obs: Sequence[Observation] = ()) -> Judgement:
    """The statuses partition the whole: sum over status of totalItems(status=s) = totalItems()
    (every value the contract declares, and any other value seen served)."""
    return _bracketed(sum(by_status.values()), before, after, f"statuses sum to {sum(by_status.values())} ({dict(by_status)})", obs)


def monotone(tight: int, loose: int, what: str, obs: Sequence[Observation] = ()) -> list[Violation]:
    """A tighter filter never returns more.  Measured after the looser one, so movement (which
    only shrinks a pinned set) cannot make it fail."""
    if tight <= loose:
        return []
    return [Violation("filters.metamorphic", f"the tighter query {what} returns {tight} > {loose}",
                      f"<= {loose}", tight, "/metadata/totalItems", tuple(obs))]
