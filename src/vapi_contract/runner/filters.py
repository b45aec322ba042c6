"""Filter correctness inside windows: each filter ANDed with a window's bounds, compared with the
window's one-page read.  Two requests per filter at most, whatever the organisation's size.

Doc lines: "createdAtGt: This will return items where the createdAt is greater than the specified
value." (Lt less than, Ge greater than or equal to, Le less than or equal to; the same four for
updatedAt); id and status select by equality; filters combine with AND.

Probes come from the window's own data: instants campaigns really have (ties first), 1 ms either
side, the same instant written with a UTC offset, the window's statuses and ids, ANDed
combinations and a contradictory pair.  A filtered answer that differs from the window's read is
confirmed by reading the window once more (a *closing* read): only a difference that the closing
read shows was not caused by moving data is reported.  On still data nothing looks wrong and no
closing read is made.
"""

from __future__ import annotations

import random
import uuid

from ..invariants import filtering
from ..query import BOUNDS, STATUSES, CampaignKey
from ..timeutil import format_ms, with_offset
from .session import Params, Run
from ..invariants.model import Reference
from .windows import Slice, Survey, sub_window

COMPLETENESS = {"filters.completeness"}
FILTER_WINDOW = 250  # campaigns a filter is asked of: enough instants, ties and statuses; a quarter of the bytes


def probes(keys: list[CampaignKey], rng: random.Random, instants: int,
           statuses: tuple[str, ...] = STATUSES) -> list[list[tuple[str, str]]]:
    """Filters worth asking of a window, most valuable first (``statuses``: every value the
    checked contract declares)."""
    if not keys:
        return []
    out: list[list[tuple[str, str]]] = []
    by_field = {"createdAt": _instants([k.created_ms for k in keys], rng, instants),
                "updatedAt": _instants([k.updated_ms for k in keys], rng, instants)}
    for rank in range(instants):
        for bound in BOUNDS:
            stamps = by_field[bound.field]
            if rank < len(stamps):
                out += [[(bound.param, format_ms(stamps[rank] + delta))] for delta in (0, -1, 1)]
        if rank == 0:
            out += [[("status", s)] for s in statuses]
            sample = rng.sample(keys, min(2, len(keys)))
            out += [[("id", k.id)] for k in sample]
            out.append([("id", str(uuid.UUID(int=rng.getrandbits(128))))])
            created, updated = by_field["createdAt"][0], by_field["updatedAt"][0]
            out.append([("createdAtGe", with_offset(created, 120))])
            out.append([("updatedAtLt", with_offset(updated, -330))])
            stamps = sorted(k.created_ms for k in keys)
            lo, hi = stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
            out.append([("createdAtGe", format_ms(lo)), ("createdAtLt", format_ms(hi))])
            out.append([("status", sample[0].status), ("createdAtLe", format_ms(hi)), ("updatedAtGt", format_ms(lo)),
                        ("sortOrder", "ASC")])
            out.append([("createdAtGt", format_ms(hi)), ("createdAtLt", format_ms(lo))])
    return out


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


def check_window(run: Run, part: Slice, filters: list[Params]) -> None:
    """Ask each filter of the window; confirm suspicious answers with one closing read."""
    pending = []
    try:
        for params in filters:
            if tuple(params) in part.asked:
                continue
            part.asked.add(tuple(params))
            query = part.query(run, params)
            if query is None:
                continue
            obs = run.observe([*query, ("limit", "1000")])
            judgement = filtering.window_completeness(obs, part.reference)
            if judgement.violations:
                pending.append((obs, params))
            elif obs.status == 200:
                run.settle(judgement, COMPLETENESS, params)
    finally:
        if pending:
            _confirm(run, part, pending)


def _confirm(run: Run, part: Slice, pending) -> None:
    with run.confirming():
        run.movement.reobservations += 1
        closing = run.read(part.query(run, []))[1]
    if closing is None:
        run.movement.set_aside += len(pending)
        return
    unchanged = {i for i, v in closing.versions.items() if part.reference.versions.get(i) == v}
    run.movement.left(set(part.reference.versions) - unchanged)
    for obs, params in pending:
        run.settle(filtering.window_completeness(obs, part.reference, closing), COMPLETENESS, params)


def narrowed(part: Slice, rng: random.Random) -> Slice:
    """A sub-window of about FILTER_WINDOW campaigns of ``part`` (drawn with the run's rng), with
    the matching part of its read as its reference; ``part`` itself when it is that small."""
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


def filters(run: Run, survey: Survey, profile, rng: random.Random, essential: bool) -> None:
    """Essential: window 0 with one instant per bound.  Deep: more instants, more windows."""
    if essential:
        part = survey.window(0)
        if part is None or not part.reference.keys:
            run.note("no campaigns: filter correctness could not be checked")
            return
        part = survey.narrowed(0, lambda whole: narrowed(whole, rng))
        check_window(run, part, probes(list(part.reference.keys), rng, 1, run.statuses))
        return
    for index in range(profile.windows):
        # a small organisation has fewer windows than the profile asks: its windows are asked again,
        # with other instants (the same filter is never asked twice of one window)
        part = survey.window(index) or (survey.slices[index % len(survey.slices)] if survey.slices else None)
        if part is None or not part.reference.keys:
            return
        part = survey.narrowed(survey.slices.index(part), lambda whole: narrowed(whole, rng))
        check_window(run, part, probes(list(part.reference.keys), rng, profile.probe_instants, run.statuses))

__all__ = ["check_window", "filters", "probes"]
