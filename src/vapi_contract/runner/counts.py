"""Relations over the whole organisation that need counts only (``limit=1``, read totalItems):
the split at an instant, the status partition, and a tighter filter never returning more.

Doc lines: "createdAtLt ... less than the specified value", "createdAtGe ... greater than or equal
to the specified value" (so the two split the whole at any instant); status selects by equality
over its declared values.  Every count is pinned, and the whole is counted before and after the
parts: when the two agree the data held still and the relation must hold exactly; when they
differ the parts must lie between them (a pinned set only shrinks), else it is a violation; a
relation that moved is measured once more, then set aside.  Cost: a dozen requests, whatever
the organisation's size.
"""

from __future__ import annotations

import random
from contextlib import nullcontext

from ..invariants import filtering
from ..invariants.model import Judgement
from ..timeutil import format_ms
from .session import Run
from .windows import Survey

METAMORPHIC = {"filters.metamorphic"}


def _measured(run: Run, attempts: int, measure) -> None:
    """Run ``measure(before) -> (judgement, params)`` between two counts of the whole; again while
    the data moves (``attempts`` at most)."""
    for attempt in range(attempts):
        with run.confirming() if attempt else nullcontext():
            before = run.total(run.pinned([]))
            result = measure()
            after = run.total(run.pinned([]))
        if before is None or after is None or result is None:
            return
        parts, judge, params = result
        judgement: Judgement = judge(before, after, parts)
        if judgement.still or judgement.violations or attempt == attempts - 1:
            run.settle(judgement, METAMORPHIC, params)
            return
        run.movement.reobservations += 1


def counts(run: Run, survey: Survey, profile, rng: random.Random, essential: bool) -> None:
    """Essential: one split and the status partition.  Deep: more split instants and the
    monotone tightening."""
    part = survey.window(0)
    if part is None or not part.reference.keys:
        return
    keys = list(part.reference.keys)
    stamps = sorted(k.created_ms for k in keys)
    attempts = 1 + profile.rewalks
    for stamp in rng.sample(stamps, min(1 if essential else max(0, profile.count_instants - 1), len(stamps))):
        _measured(run, attempts, lambda at=format_ms(stamp): _split(run, at))
    if essential:
        served = {k.status for k in keys if isinstance(k.status, str)} - set(run.statuses)
        if served:
            run.note(f"statuses outside the contract served ({', '.join(sorted(served))}): the status partition was not judged")
        else:
            _measured(run, attempts, lambda: _partition(run))
        return
    lo, hi = format_ms(stamps[len(stamps) // 3]), format_ms(stamps[2 * len(stamps) // 3])
    loose = run.total(run.pinned([("createdAtGe", lo)]))
    tight = run.total(run.pinned([("createdAtGe", lo), ("updatedAtLe", hi)]))
    if loose is not None and tight is not None:
        run.judge(filtering.monotone(tight, loose, f"createdAtGe={lo}&updatedAtLe={hi}"), METAMORPHIC,
                  params=[("createdAtGe", lo), ("updatedAtLe", hi)])


def _split(run: Run, at: str):
    lt, ge = run.total(run.pinned([("createdAtLt", at)])), run.total(run.pinned([("createdAtGe", at)]))
    if lt is None or ge is None:
        return None
    return (lt, ge), (lambda b, a, p: filtering.split_at(b, a, p[0], p[1], at)), [("createdAtLt", at), ("createdAtGe", at)]


def _partition(run: Run):
    by_status = {s: run.total(run.pinned([("status", s)])) for s in run.statuses}
    if any(v is None for v in by_status.values()):
        return None
    return by_status, filtering.status_partition, [("status", s) for s in run.statuses]
