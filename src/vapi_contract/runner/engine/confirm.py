"""Confirmation by reproduction: what a relation over several reads found is believed only when a
second read repeats it on data that held still.

A relation read over live data (a walk, two listings of one query) may see the data move between
its reads.  Its judgement says whether the data held still (``Judgement.still``: equal totals,
no item in two versions).  The stage reads again while it does not; :func:`settled` says when it
may stop, :func:`decided` what stands when it must stop without having settled.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from typing import Callable, Sequence

from ...invariants import Judgement, Observation

PAIR_READS = 4  # pairs of reads a comparison takes at most while the data moves (2 requests each)


def settled(judgements: Sequence[Judgement]) -> bool:
    """Nothing more to read: the last read is clean on still data, or it repeats on still data
    what the read before it found (the same checks fired)."""
    last = judgements[-1]
    if last.still and not last.violations:
        return True
    if len(judgements) < 2 or not last.still:
        return False
    before = judgements[-2]
    return before.still and {v.check for v in before.violations} == {v.check for v in last.violations}


def decided(judgements: Sequence[Judgement]) -> Judgement:
    """What stands after these reads: all of the last when :func:`settled`; otherwise only the
    checks that fired on every read (a fault replays, movement does not), the rest set aside.
    A single read on still data stands as it is (nothing to compare it with)."""
    last = judgements[-1]
    if settled(judgements) or (len(judgements) == 1 and last.still):
        return last
    everywhere = set.intersection(*({v.check for v in j.violations} for j in judgements))
    kept = [v for v in last.violations if v.check in everywhere]
    return replace(last, violations=kept, still=False, set_aside=max(1, last.set_aside))


def compare_pair(ctx, read_pair: Callable[[], tuple[Observation, Observation]],
                 relation: Callable[[Observation, Observation], Judgement], params=(),
                 attempts: int = PAIR_READS) -> Judgement:
    """Judge ``relation`` over two reads sent back to back (``read_pair()``), and read the pair
    again while the data moves, until :func:`settled` (at most ``attempts`` pairs); record what
    :func:`decided` on ``ctx`` and return it.  Re-reads confirm: the stage's limits do not cut
    them off half-way."""
    judgements = []
    for attempt in range(attempts):
        if attempt:
            ctx.reobserved(2)
        with ctx.confirming() if attempt else nullcontext():
            first, second = read_pair()
        judgements.append(relation(first, second))
        if settled(judgements):
            break
    judgement = decided(judgements)
    ctx.settle(judgement, params=params)
    return judgement
