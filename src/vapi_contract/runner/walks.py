"""Page walks that cost the same at 100 or 1,000,000 campaigns.

Doc lines: page "This is the page number to return. Defaults to 1."; limit "This is the maximum
number of items to return."; metadata totalItems; sortOrder "This is the sort order for
pagination. Defaults to 'DESC'." (by createdAt).

For each walk limit of the profile:

* the whole pinned listing, when it fits a few pages at that limit (a small organisation);
* otherwise a *window walk*: every page of a window of a few pages (see :mod:`.windows`), chosen
  so that campaigns sharing a createdAt straddle a page boundary, compared with the window's
  one-page read; plus the first pages of the whole listing, its last page reached directly,
  and the page past the end.

A walk during which the data moved (its pages disagree on totalItems) is walked again, at most
``rewalks`` times; if it never holds still, only what movement cannot explain is judged.
"""

from __future__ import annotations

from contextlib import nullcontext

from ..invariants import paging
from ..invariants.model import Judgement, Reference
from ..query import MAX_LIMIT
from .session import Params, Run
from .windows import Survey, straddling_window

WHOLE_CHECKS = {"pagination.total-stable", "pagination.walk-complete", "pagination.walk-ordered"}
MOVING_CHECKS = {"pagination.walk-ordered"}  # what a walk over moving data still exercises


def last_page(pages, limit: int) -> int | None:
    """The last page at ``limit`` by the first page's totalItems (None when it has none)."""
    total = pages[0].total_items if pages else None
    return None if total is None else max(1, -(-int(total) // limit))


def past_end(run: Run, params: Params, limit: int, pages) -> object | None:
    last = last_page(pages, limit)
    return None if last is None else run.observe([*params, ("limit", str(limit)), ("page", str(last + 1))])


def judged_walk(run: Run, params: Params, order: str, limit: int, reference: Reference | None = None,
                rewalks: int = 1, refresh=None) -> None:
    """Walk every page of ``params`` (pinned) at ``limit`` in ``order``, with the page past the
    end; judge it; re-walk while the data moves.  ``refresh()`` re-reads ``reference`` before a
    re-walk (a window's one-page read), so stillness is proven against a current read."""
    query = [*params, ("sortOrder", order)]
    attempts = []
    for attempt in range(1 + rewalks):
        if attempt:
            run.movement.rewalks += 1
            if refresh is not None:
                run.movement.reobservations += 1
                reference = refresh()
        with run.confirming() if attempt else nullcontext():
            pages = run.walk(query, limit)
            past = past_end(run, query, limit, pages)
        judgement = paging.walk(pages, order, past, whole=True, reference=reference)
        attempts.append(pages)
        exercised = set(WHOLE_CHECKS if judgement.still else MOVING_CHECKS)
        if len(pages) > 1:
            exercised.add("pagination.walk-disjoint")
        if past is not None:
            exercised.add("pagination.past-end")
        if judgement.still or attempt == rewalks:
            break
        run.recorder.add(judgement.violations)  # what movement cannot explain stands
    if not judgement.still and len(attempts) > 1:
        reproduced = paging.totals_reproduced(attempts[0], attempts[-1])
        if reproduced:
            exercised.add("pagination.total-stable")
            judgement = Judgement(judgement.violations + reproduced, False, 0)
    run.settle(judgement, exercised, params=[*params, ("limit", str(limit)), ("sortOrder", order), ("page", "1")])


def prefix_walk(run: Run, params: Params, order: str, limit: int, pages: int) -> None:
    """The first ``pages`` pages of the whole pinned listing: disjoint and ordered (and the same
    totalItems when the data held still); the last page reached directly; the page past the end."""
    query = [*params, ("sortOrder", order)]
    walked = run.walk(query, limit, max_pages=pages)
    judgement = paging.walk(walked, order, whole=False)
    exercised = {"pagination.walk-ordered", "pagination.walk-disjoint"} | ({"pagination.total-stable"} if judgement.still else set())
    run.settle(judgement, exercised, params=[*query, ("limit", str(limit)), ("page", "1")])
    last = last_page(walked, limit)
    if last is not None and last > pages:
        final = run.observe([*query, ("limit", str(limit)), ("page", str(last))])
        run.settle(paging.walk([final], order, past_end(run, query, limit, walked), whole=False), {"pagination.past-end"},
                   params=[*query, ("limit", str(limit)), ("page", str(last))])


def walk_at(run: Run, survey: Survey, limit: int, order: str, window_pages: int, rewalks: int, window_index: int = 0) -> None:
    """One walk limit: the whole listing if it fits ``window_pages`` pages, else a window walk
    (from window ``window_index``) and the prefix and end of the whole listing."""
    total = survey.total or 0
    if total <= window_pages * limit:
        head = survey.window(0)
        reference = head.reference if head is not None and head.window.after_ms is None and head.window.before_ms is None else None
        judged_walk(run, run.pinned([]), order, limit, reference=reference, rewalks=rewalks,
                    refresh=(lambda: run.read(run.pinned([]))[1]) if reference is not None else None)
        return
    part = survey.window(window_index) or survey.window(0)
    if part is None:
        return
    keys = list(part.reference.keys)
    chosen = straddling_window(keys, part.window, limit, window_pages, survey.rng)
    if chosen is not None:
        window, _size = chosen
        bounds = window.bounds()
        inside = [k for k in keys if (window.after_ms is None or k.created_ms > window.after_ms)
                  and (window.before_ms is None or k.created_ms < window.before_ms)]
        reference = Reference(tuple(inside), len(inside))
        params = run.pinned(bounds)
        run.scaffold(bounds)
        judged_walk(run, params, order, limit, reference=reference, rewalks=rewalks,
                    refresh=lambda: run.read(params)[1])
    if limit < MAX_LIMIT or total > MAX_LIMIT:
        prefix_walk(run, run.pinned([]), order, limit, pages=2)



def walks(run: Run, survey: Survey, profile, essential: bool) -> None:
    """Essential: one window walk at the profile's smallest limit (it exercises every walk
    check).  Deep: every (limit, order) of the profile, over successive windows."""
    plan = [(limit, order) for limit, orders in profile.walk_limits for order in orders]
    if essential:
        limit = min(limit for limit, _ in plan)
        walk_at(run, survey, limit, "DESC", profile.window_pages, profile.rewalks)
        return
    for index, (limit, order) in enumerate(plan):
        walk_at(run, survey, limit, order, profile.window_pages, profile.rewalks, window_index=index % max(1, profile.windows))
