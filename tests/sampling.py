"""What CI runs of a sweep, and what ``make test-sweep`` adds to it.

A sweep (20 data seeds, a whole fault catalogue) proves a property over many cases; CI has a
12-minute budget and cannot afford every case of every sweep on each push.  A sweep's parameters
go through :func:`sample`: the first ``keep`` cases (or the first ``keep`` of each group, such as a
fault's area) run in ``make test`` and CI; every other case carries the ``sweep`` mark and runs in
``make test-sweep``, with the benchmarks.  The case ids stay the same either way, so a failure seen
in the sweep reruns by its id.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

import pytest


def sample(cases: Iterable, keep: int, group: Callable[[object], Hashable] | None = None,
           mark: pytest.MarkDecorator = pytest.mark.sweep) -> list:
    """``cases`` as pytest parameters: the first ``keep`` of them (of each ``group(case)`` when a
    group is given) plain, the others marked ``mark``: ``sweep`` (``make test-sweep``), or ``slow``
    for a unit-level catalogue sweep that ``make test`` runs whole and ``make test-fast`` samples.
    A tuple case is several arguments."""
    seen: dict[Hashable, int] = {}
    out = []
    for case in cases:
        key = group(case) if group is not None else None
        seen[key] = seen.get(key, 0) + 1
        values = case if isinstance(case, tuple) else (case,)
        out.append(pytest.param(*values) if seen[key] <= keep else pytest.param(*values, marks=mark))
    return out
