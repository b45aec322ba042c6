"""Stage ``counts``: relations over the whole organisation that need counts only (read totalItems
at limit 1): the split at an instant, the partition by each enum filter's values, and a tighter
filter never returning more.

Doc lines: "createdAtLt ... less than the specified value", "createdAtGe ... greater than or equal
to the specified value" (so the two split the whole at any instant); status selects by equality
over its declared values (so they partition the whole).  Every count is pinned, and the whole is
counted before and after the parts: when the two agree the data held still and the relation must
hold exactly; when they differ the parts must lie between them (a pinned set only shrinks), else
it is a violation; a relation that moved is measured once more, then set aside.  Cost: a dozen
requests, whatever the organisation's size.

The array family counts nothing (no totalItems): its relations are read from windows
(:mod:`...invariants.arrays`).  Inside a window whose read is complete, the reads of the window
with ``createdAtLt=t`` and with ``createdAtGe=t`` (each complete: a part of a complete read) hold
the window's items each once, and so do the reads with each declared value of an enum filter.  A
read that breaks it is confirmed by reading the window again (a pinned set only shrinks).

A listing without windows (no createdAt bound, so no pin: contacts) counts the whole and each value
of an enum filter (and, for a filter given several times, two values together: the two that most
items of a first read carry) in rounds, until
two rounds in a row give the same counts with the whole the same before and after: only then did
the data hold still for them, and the partition (and the values together) must hold exactly.  A
listing that never holds still in ``2 + 2 x rewalks`` rounds is noted and not judged (never a
bracket: without a pin the set may grow as well as shrink).
"""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext
from typing import Callable

from ...invariants import Judgement, Reference, arrays, filtering
from ...timeutil import format_ms
from ..engine.context import RunContext

# measure() -> (parts, judge(before, after, parts) -> Judgement, params) | None
Measure = Callable[[], "tuple | None"]


def _measured(ctx: RunContext, attempts: int, measure: Measure) -> None:
    """Run ``measure`` between two counts of the whole; again while the data moves (``attempts``
    at most)."""
    for attempt in range(attempts):
        with ctx.confirming() if attempt else nullcontext():
            before = ctx.total(ctx.pinned([]))
            result = measure()
            after = ctx.total(ctx.pinned([]))
        if before is None or after is None or result is None:
            return
        parts, judge, params = result
        judgement: Judgement = judge(before, after, parts)
        if judgement.still or judgement.violations or attempt == attempts - 1:
            ctx.settle(judgement, params)
            return
        ctx.reobserved()


def _split(ctx: RunContext, at: str):
    created = ctx.endpoint.created
    lt, ge = ctx.endpoint.bound_for(created, "lt"), ctx.endpoint.bound_for(created, "ge")
    below, above = ctx.total(ctx.pinned([(lt.param, at)])), ctx.total(ctx.pinned([(ge.param, at)]))
    if below is None or above is None:
        return None
    return ((below, above), lambda b, a, p: filtering.split_at(b, a, p[0], p[1], f"{lt.param}={at}", f"{ge.param}={at}"),
            [(lt.param, at), (ge.param, at)])


def _partition(ctx: RunContext, name: str, values: tuple[str, ...]):
    by_value = {v: ctx.total(ctx.pinned([(name, v)])) for v in values}
    if any(n is None for n in by_value.values()):
        return None
    return by_value, lambda b, a, p: filtering.partition(name, b, a, p), [(name, v) for v in values]


def run(ctx: RunContext, essential: bool) -> None:
    """Essential: one split and the partition by each enum filter.  Deep: more split instants and
    the monotone tightening."""
    if ctx.endpoint.bare:
        _array(ctx, essential)
        return
    if not ctx.endpoint.supports("windows"):
        if essential:
            for f in ctx.endpoint.enum_filters:
                _counted_twice(ctx, f)
        return
    part = ctx.survey.window(0)
    if part is None or not part.reference.keys:
        return
    endpoint, profile, rng = ctx.endpoint, ctx.profile, ctx.rng
    keys = list(part.reference.keys)
    stamps = sorted(k.created_ms for k in keys)
    attempts = 1 + profile.rewalks
    for stamp in rng.sample(stamps, min(1 if essential else max(0, profile.count_instants - 1), len(stamps))):
        _measured(ctx, attempts, lambda at=format_ms(stamp): _split(ctx, at))
    if essential:
        for f in endpoint.enum_filters if endpoint.modification_seen else ():  # else a change could move one unseen
            index = endpoint.value_fields.index(f.param)
            served = {k.values[index] for k in keys if isinstance(k.values[index], str)} - set(f.values)
            if served:
                ctx.note(f"{f.param} values outside the contract served ({', '.join(sorted(served))}): "
                         f"the {f.param} partition was not judged")
            else:
                _measured(ctx, attempts, lambda f=f: _partition(ctx, f.param, f.values))
        return
    ge, le = endpoint.bound_for(endpoint.created, "ge"), endpoint.bound_for(endpoint.updated, "le")
    lo, hi = format_ms(stamps[len(stamps) // 3]), format_ms(stamps[2 * len(stamps) // 3])
    loose = ctx.total(ctx.pinned([(ge.param, lo)]))
    tight = ctx.total(ctx.pinned([(ge.param, lo), (le.param, hi)]))
    if loose is not None and tight is not None:
        ctx.settle(filtering.monotone(tight, loose, f"{ge.param}={lo}&{le.param}={hi}"), params=[(ge.param, lo), (le.param, hi)])


# -- a listing without windows: rounds of counts, judged when two agree --------------------------------
def _counted_twice(ctx: RunContext, f) -> None:
    """The partition by ``f``'s values (and two of them given together, for a repeated filter),
    judged on two rounds of counts that agree (see the module doc)."""
    queries = {v: [(f.param, v)] for v in f.values}
    pair = _most_served(ctx, f) if f.repeated else ()
    rounds: list[tuple] = []
    for attempt in range(2 + 2 * ctx.profile.rewalks):  # two alike; more while it moves (never a bracket)
        with ctx.confirming() if attempt > 1 else nullcontext():
            before = ctx.total([])
            parts = {v: ctx.total(q) for v, q in queries.items()}
            together = ctx.total([(f.param, v) for v in pair]) if pair else None
            after = ctx.total([])
        counts = (before, parts, together, after)
        if before is None or None in parts.values() or (pair and together is None):
            return
        if attempt > 1:
            ctx.reobserved(len(queries) + 2 + bool(pair))
        rounds.append(counts)
        if before == after and len(rounds) > 1 and rounds[-2] == counts:
            break
    else:
        ctx.note(f"{filtering.METAMORPHIC}: the counts by {f.param} moved between every two rounds "
                 f"({len(rounds)} rounds, the listing has no pin); not judged")
        ctx.settle(Judgement(still=False, set_aside=1))
        return
    ctx.settle(filtering.partition(f.param, before, after, parts), [(f.param, v) for v in f.values])
    if pair:
        ctx.settle(filtering.any_of(f.param, together, {v: parts[v] for v in pair}), [(f.param, v) for v in pair])


def _most_served(ctx: RunContext, f) -> tuple[str, ...]:
    """The two declared values of ``f`` the most items of one read at the maximum limit carry (a
    pair of values no item has would count nothing either way); () when fewer than two are seen."""
    endpoint = ctx.endpoint
    first = ctx.observe(ctx.at_limit([], endpoint.max_limit))
    index = endpoint.value_fields.index(f.field)
    seen = Counter(k.values[index] for k in first.keys(endpoint) if k.values[index] in f.values)
    chosen = sorted(seen, key=lambda v: (-seen[v], f.values.index(v)))[:2]
    return tuple(chosen) if len(chosen) == 2 else ()


# -- the array family: the relations as sets of complete window reads --------------------------------
def _array(ctx: RunContext, essential: bool) -> None:
    """Essential: one split of window 0 and the partition of it by each enum filter.  Deep: more
    split instants, over the survey's windows."""
    endpoint, profile, rng, survey = ctx.endpoint, ctx.profile, ctx.rng, ctx.survey
    lt, ge = endpoint.bound_for(endpoint.created, "lt"), endpoint.bound_for(endpoint.created, "ge")
    instants = 1 if essential else max(0, profile.count_instants - 1)
    for n in range(instants):
        part = survey.window(n % max(1, profile.windows)) or survey.window(0)
        if part is None or not part.reference.keys:
            return
        at = format_ms(rng.choice(sorted({k.created_ms for k in part.reference.keys})))
        _covered(ctx, part, {f"{lt.param}={at}": [(lt.param, at)], f"{ge.param}={at}": [(ge.param, at)]},
                 f"{lt.param}={at} and {ge.param}={at}", f"split by {lt.param} + {ge.param}")
    if not essential:
        return
    part = survey.window(0)
    if part is None or not part.reference.keys:
        return
    for f in endpoint.enum_filters:
        index = endpoint.value_fields.index(f.field)
        served = {k.values[index] for k in part.reference.keys if isinstance(k.values[index], str)} - set(f.values)
        if served:
            ctx.note(f"{f.param} values outside the contract served ({', '.join(sorted(served))}): "
                     f"the {f.param} partition was not judged")
            continue
        _covered(ctx, part, {f"{f.param}={v}": [(f.param, v)] for v in f.values}, f"the {f.param} values",
                 f"partition by {f.param}")


def _covered(ctx: RunContext, part, queries: dict, relation: str, locus: str) -> None:
    """Read the window ``part`` ANDed with each of ``queries`` (label -> filters) and judge that the
    reads hold its items each once (:func:`arrays.covers`); a finding is confirmed by a closing
    read of the window."""
    endpoint, limit = ctx.endpoint, ctx.endpoint.max_limit
    reads = {}
    for label, filters in queries.items():
        query = part.query(ctx, filters)
        if query is None:
            return
        obs = ctx.observe(ctx.at_limit(query, limit))
        if not arrays.complete(obs, limit):  # a part of a complete read is complete: the limit checks say why not
            ctx.note(f"{relation}: a read of {obs.served_count} items at limit {limit} inside {part.window.describe()}: "
                     "not judged")
            return
        reads[label] = Reference.of(obs, endpoint)
    params = [p for filters in queries.values() for p in filters]
    judgement = arrays.covers(part.reference, reads, relation, locus)
    if judgement.violations:
        with ctx.confirming():
            ctx.reobserved()
            closing = ctx.read(part.query(ctx, []))[1]
        judgement = arrays.covers(part.reference, reads, relation, locus, closing)
    ctx.settle(judgement, params)
