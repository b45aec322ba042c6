"""Stage ``filters``: filter correctness inside windows — each filter ANDed with a window's bounds,
compared with the window's one-page read.  Two requests per filter at most, whatever the
organisation's size.

Doc lines: "createdAtGt: This will return items where the createdAt is greater than the specified
value." (Lt less than, Ge greater than or equal to, Le less than or equal to; the same four for
updatedAt); id and status select by equality; filters combine with AND.

Probes come from the window's own data: instants items really have (ties first), 1 ms either
side, the same instant written with a UTC offset, every declared value of every enum filter, ids,
values of other equality filters, ANDed combinations and a contradictory pair.  A filtered answer
that differs from the window's read is confirmed by reading the window once more (a *closing*
read): only a difference that the closing read shows was not caused by moving data is reported.
On still data nothing looks wrong and no closing read is made.

A listing without windows (no createdAt bound: ``Endpoint.no_windows``) has no window to compare
with: each equality probe is read once at the maximum limit and judged on its own answer
(``filters.membership``: every item returned satisfies the filter; for a filter given several times,
"Pass once or multiple times to filter on any of the provided statuses.", any of the values), the
values taken from the declared enum and from a first read of the listing.
"""

from __future__ import annotations

import random
import uuid

from ...invariants import ItemKey, Judgement, Reference, filtering
from ...timeutil import format_ms, with_offset
from ..engine.context import Params, RunContext
from ..engine.windows import Slice, sub_window

FILTER_WINDOW = 250  # items a filter is asked of: enough instants, ties and values; a quarter of the bytes


def probes(endpoint, keys: list[ItemKey], rng: random.Random, instants: int) -> list[list[tuple[str, str]]]:
    """Filters worth asking of a window, most valuable first."""
    if not keys:
        return []
    out: list[list[tuple[str, str]]] = []
    created, updated = endpoint.created, endpoint.updated
    by_field = {created: _instants([k.created_ms for k in keys], rng, instants),
                updated: _instants([k.updated_ms for k in keys], rng, instants)}
    for rank in range(instants):
        for bound in endpoint.bounds:
            stamps = by_field.get(bound.field, [])
            if rank < len(stamps):
                out += [[(bound.param, format_ms(stamps[rank] + delta))] for delta in (0, -1, 1)]
        if rank == 0:
            sample = rng.sample(keys, min(2, len(keys)))
            out += _equality_probes(endpoint, keys, sample, rng)
            out += _combinations(endpoint, keys, sample[0], by_field)
    return out


def _equality_probes(endpoint, keys: list[ItemKey], sample: list[ItemKey], rng: random.Random) -> list[list[tuple[str, str]]]:
    """Every declared value of every enum filter; two ids of the window (``sample``) and one
    nobody has; a value of each other equality filter the window's items carry."""
    out: list[list[tuple[str, str]]] = []
    positions = {name: i for i, name in enumerate(endpoint.value_fields)}
    ordered = [f for f in endpoint.filters if f.values] + [f for f in endpoint.filters if not f.values]
    nobody = str(uuid.UUID(int=rng.getrandbits(128)))
    for f in ordered:
        if f.values:
            out += [[(f.param, v)] for v in f.values]
            if f.repeated and len(f.values) > 1:  # given twice: any of the two values
                out.append([(f.param, v) for v in f.values[:2]])
        elif f.identity:
            out += [[(f.param, k.id)] for k in sample]
            out.append([(f.param, nobody)])
        elif f.listing:  # two values the window's items carry (and one nobody has), then one alone
            if f.field == endpoint.identity:
                seen = [k.id for k in sample]
            else:
                seen = _carried(keys, positions[f.field])
            if seen:
                out += [[(f.param, f.separator.join([*seen[:2], nobody]))], [(f.param, seen[-1])]]
        else:
            out += [[(f.param, v)] for v in _carried(keys, positions[f.field])[:2]]
    return out


def _carried(keys: list[ItemKey], position: int) -> list[str]:
    """The string values the window's items carry at ``position``, most shared first (a value
    many items share tests a filter on many items at once)."""
    counts: dict[str, int] = {}
    for k in keys:
        v = k.values[position]
        if isinstance(v, str):
            counts[v] = counts.get(v, 0) + 1
    return sorted(counts, key=lambda v: (-counts[v], v))


def _combinations(endpoint, keys: list[ItemKey], sampled: ItemKey, by_field: dict) -> list[list[tuple[str, str]]]:
    """Offsets, a range, every kind of filter ANDed, and a contradictory pair."""
    created, updated = endpoint.created, endpoint.updated
    out: list[list[tuple[str, str]]] = []
    ge, lt = endpoint.bound_for(created, "ge"), endpoint.bound_for(created, "lt")
    gt, le = endpoint.bound_for(created, "gt"), endpoint.bound_for(created, "le")
    updated_lt, updated_gt = endpoint.bound_for(updated, "lt"), endpoint.bound_for(updated, "gt")
    if ge is not None and by_field[created]:
        out.append([(ge.param, with_offset(by_field[created][0], 120))])
    if updated_lt is not None and by_field[updated]:
        out.append([(updated_lt.param, with_offset(by_field[updated][0], -330))])
    stamps = sorted(k.created_ms for k in keys)
    lo, hi = stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
    if ge is not None and lt is not None:
        out.append([(ge.param, format_ms(lo)), (lt.param, format_ms(hi))])
    anded: list[tuple[str, str]] = []
    enum = endpoint.enum_filters[0] if endpoint.enum_filters else None
    if enum is not None:
        anded.append((enum.param, sampled.values[endpoint.value_fields.index(enum.param)]))
    if le is not None and updated_gt is not None:
        anded += [(le.param, format_ms(hi)), (updated_gt.param, format_ms(lo))]
    if anded and endpoint.order_name is not None:
        other_order = next(v for v in endpoint.order.enum if v != endpoint.order.default)
        out.append([*anded, (endpoint.order.name, other_order)])
    elif anded:  # the array family: no order to ask for
        out.append(anded)
    if gt is not None and lt is not None:
        out.append([(gt.param, format_ms(hi)), (lt.param, format_ms(lo))])
    return [q for q in out if all(isinstance(v, str) for _, v in q)]


def _instants(values: list[int], rng: random.Random, count: int) -> list[int]:
    """Tied values first (a bound exactly at a shared instant), then 1 ms neighbours, then random."""
    distinct = sorted(set(values))
    if not distinct:
        return []
    seen: dict[int, int] = {}
    for v in values:
        seen[v] = seen.get(v, 0) + 1
    ties = [v for v in distinct if seen[v] > 1]
    neighbours = [b for a, b in zip(distinct, distinct[1:]) if b - a == 1]
    chosen = ties[:1] + neighbours[:1] + rng.sample(distinct, min(len(distinct), count))
    out: list[int] = []
    for v in chosen:
        if v not in out:
            out.append(v)
    return out[:count]


def check_window(ctx: RunContext, part: Slice, filters: list[Params]) -> None:
    """Ask each filter of the window; confirm suspicious answers with one closing read."""
    pending = []
    endpoint = ctx.endpoint
    try:
        for params in filters:
            if tuple(params) in part.asked:
                continue
            part.asked.add(tuple(params))
            query = part.query(ctx, params)
            if query is None:
                continue
            obs = ctx.observe(ctx.at_limit(query, endpoint.max_limit))
            judgement = filtering.window_completeness(endpoint, obs, part.reference, scaffolding=ctx.scaffolding)
            if judgement.violations:
                pending.append((obs, params))
            elif obs.status == 200:
                ctx.settle(judgement, params)
    finally:
        if pending:
            _confirm(ctx, part, pending)


def _confirm(ctx: RunContext, part: Slice, pending) -> None:
    with ctx.confirming():
        ctx.reobserved()
        closing = ctx.read(part.query(ctx, []))[1]
    if closing is None:
        ctx.settle(Judgement(still=False, set_aside=len(pending)))
        return
    unchanged = {i for i, v in closing.versions.items() if part.reference.versions.get(i) == v}
    ctx.left_snapshot(set(part.reference.versions) - unchanged)
    for obs, params in pending:
        ctx.settle(filtering.window_completeness(ctx.endpoint, obs, part.reference, closing, ctx.scaffolding), params)


def narrowed(part: Slice, rng: random.Random) -> Slice:
    """A sub-window of about FILTER_WINDOW items of ``part`` (drawn with the run's rng), with the
    matching part of its read as its reference; ``part`` itself when it is that small."""
    keys = list(part.reference.keys)
    if len(keys) <= FILTER_WINDOW:
        return part
    for _ in range(20):
        start = rng.randrange(0, len(keys) - FILTER_WINDOW + 1)
        window = sub_window(keys, part.window, start, start + FILTER_WINDOW)
        if window is not None:
            inside = tuple(keys[start:start + FILTER_WINDOW])
            return Slice(window, part.opening, Reference(inside, len(inside)))
    return part


def answer_by_answer(ctx: RunContext) -> None:
    """A listing without windows: every equality probe, at the maximum limit, judged on its answer."""
    endpoint = ctx.endpoint
    first = ctx.observe(ctx.at_limit([], endpoint.max_limit))
    keys = first.keys(endpoint) if first.status == 200 else []
    sample = ctx.rng.sample(keys, min(2, len(keys)))
    for params in _equality_probes(endpoint, keys, sample, ctx.rng):
        ctx.observe(ctx.at_limit(params, endpoint.max_limit))


def run(ctx: RunContext, essential: bool) -> None:
    """Essential: window 0 with one instant per bound.  Deep: more instants, more windows.  Without
    windows: every equality probe once (essential; the deep pass has nothing more to read)."""
    if not ctx.endpoint.supports("windows"):
        if essential:
            answer_by_answer(ctx)
        return
    survey, rng = ctx.survey, ctx.rng
    if essential:
        part = survey.window(0)
        if part is None or not part.reference.keys:
            ctx.note("no items: filter correctness could not be checked")
            return
        part = survey.narrowed(0, lambda whole: narrowed(whole, rng))
        check_window(ctx, part, probes(ctx.endpoint, list(part.reference.keys), rng, 1))
        return
    for index in range(ctx.profile.windows):
        # a small organisation has fewer windows than the profile asks: its windows are asked again,
        # with other instants (the same filter is never asked twice of one window)
        part = survey.window(index) or (survey.slices[index % len(survey.slices)] if survey.slices else None)
        if part is None or not part.reference.keys:
            return
        part = survey.narrowed(survey.slices.index(part), lambda whole: narrowed(whole, rng))
        check_window(ctx, part, probes(ctx.endpoint, list(part.reference.keys), rng, ctx.profile.probe_instants))
