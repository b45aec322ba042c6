"""Stage ``walks``: page walks that cost the same at 100 or 1,000,000 items.

Doc lines: page "This is the page number to return. Defaults to 1."; limit "This is the maximum
number of items to return."; metadata totalItems; sortOrder "This is the sort order for
pagination. Defaults to 'DESC'." (by createdAt).

For each walk limit of the profile:

* the whole pinned listing, when it fits a few pages at that limit (a small organisation);
* otherwise a *window walk*: every page of a window of a few pages (see :mod:`.windows`), chosen
  so that items sharing a createdAt straddle a page boundary, compared with the window's one-page
  read; plus the first pages of the whole listing, its last page reached directly, and the page
  past the end.

A walk during which the data moved (its pages disagree on totalItems) is walked again, at most
``rewalks`` times; if it never holds still, only what movement cannot explain is judged.
:func:`judged_walk` is shared with the sort-column stage (:mod:`.sorting`).

A listing without windows (no createdAt bound: contacts) has no pin, so nothing proves a walk saw
one set of items but the listing read the same before and after it: :func:`still_walk` reads page 1
at the maximum limit, walks the pages, and reads page 1 again; the walk is judged only when the two
reads show the same totalItems and the same items in the same order (the data held still around
it), and a finding stands only when two such walks repeat it.  The whole listing is walked in
``window_pages`` pages when it fits (``limit`` raised to make it fit, up to the maximum), with the
page past the end; a larger one is walked over its first ``window_pages`` pages, compared with the
first read's items there, then its last page and the page past the end.  A listing that never holds
still is noted and its walk checks are not judged.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import Callable

from ...invariants import Judgement, Reference, cursors, paging
from ..engine.context import Params, RunContext
from ..engine import confirm
from ..engine.windows import Survey, straddling_window


def past_end(ctx: RunContext, params: Params, limit: int, pages) -> object | None:
    last = paging.last_page(ctx.endpoint, pages, limit)
    return None if last is None else ctx.observe([*ctx.at_limit(params, limit), (ctx.endpoint.page.name, str(last + 1))])


def judged_walk(ctx: RunContext, params: Params, order: str, limit: int, reference: Reference | None = None,
                rewalks: int = 1, refresh: Callable[[], Reference | None] | None = None, column: str | None = "",
                relabel: Callable[[Judgement], Judgement] = lambda j: j, by_cursor: bool = False) -> list:
    """Walk every page of ``params`` (pinned) at ``limit`` in ``order`` — by page number, with the
    page past the end, or (``by_cursor``) by following each page's nextCursor — and judge it
    (ordered by ``column``: the creation instant when not given; None: an order the results do
    not show); re-walk while the data moves.  ``refresh()`` re-reads ``reference`` before a
    re-walk (a window's one-page read), so stillness is proven against a current read.
    ``relabel`` names the judgement's checks (a walk under a sort column).  Returns the pages of
    the last walk."""
    endpoint = ctx.endpoint
    column = endpoint.created if column == "" else column
    query = [*params, (endpoint.order.name, order)]
    attempts: list[tuple[list, Judgement]] = []
    for attempt in range(1 + rewalks):
        if attempt:
            ctx.rewalked()
            if refresh is not None:
                ctx.reobserved()
                reference = refresh()
        with ctx.confirming() if attempt else nullcontext():
            if by_cursor:
                size = reference.total if reference is not None and reference.total is not None else limit
                pages, ended = ctx.cursor_walk(query, limit, max_pages=-(-size // limit) + 2)
                judgement = cursors.walk(endpoint, pages, column, order, limit, reference=reference, ended=ended)
            else:
                pages = ctx.walk(query, limit)
                past = past_end(ctx, query, limit, pages)
                judgement = paging.walk(endpoint, pages, column, order, past, whole=True, reference=reference)
        attempts.append((pages, judgement))
        if confirm.settled([j for _, j in attempts]):
            break
    judgement = confirm.decided([j for _, j in attempts])
    if not judgement.still and len(attempts) > 1:  # a varying totalItems that replays itself is no movement
        reproduced = paging.totals_reproduced(attempts[0][0], attempts[-1][0])
        if by_cursor:
            reproduced = cursors.as_cursor_walk(endpoint, reproduced)
        if reproduced.violations:
            judgement = replace(judgement, violations=judgement.violations + reproduced.violations, set_aside=0,
                                exercised=judgement.exercised | reproduced.exercised)
    first_page = () if by_cursor else ((endpoint.page.name, str(endpoint.first_page)),)
    ctx.settle(relabel(judgement), params=[*query, *ctx.at_limit((), limit), *first_page])
    return attempts[-1][0]


def prefix_walk(ctx: RunContext, params: Params, order: str, limit: int, pages: int) -> None:
    """The first ``pages`` pages of the whole pinned listing: disjoint and ordered (and the same
    totalItems when the data held still); the last page reached directly; the page past the end."""
    endpoint = ctx.endpoint
    query = [*params, (endpoint.order.name, order)]
    walked = ctx.walk(query, limit, max_pages=pages)
    first = (endpoint.page.name, str(endpoint.first_page))
    ctx.settle(paging.walk(endpoint, walked, endpoint.created, order, whole=False), params=[*ctx.at_limit(query, limit), first])
    last = paging.last_page(endpoint, walked, limit)
    if last is not None and last > pages:
        final = ctx.observe([*ctx.at_limit(query, limit), (endpoint.page.name, str(last))])
        ctx.settle(paging.walk(endpoint, [final], endpoint.created, order, past_end(ctx, query, limit, walked), whole=False),
                   params=[*ctx.at_limit(query, limit), (endpoint.page.name, str(last))])


@dataclass(frozen=True)
class Walkable:
    """A pinned query to walk whole, the one-page read it is compared with, and how to read that
    again (a re-walk proves stillness against a current read)."""

    params: list
    reference: Reference | None
    refresh: Callable[[], Reference | None] | None


def walkable(ctx: RunContext, survey: Survey, limit: int, window_pages: int, window_index: int = 0) -> Walkable | None:
    """What to walk at ``limit``: the whole pinned listing when it fits ``window_pages`` pages,
    else a window of about that many pages (from window ``window_index``) in which items sharing
    a createdAt straddle a page boundary; None when the organisation offers none."""
    if (survey.total or 0) <= window_pages * limit:
        head = survey.window(0)
        reference = head.reference if head is not None and head.window.unbounded else None
        return Walkable(ctx.pinned([]), reference, (lambda: ctx.read(ctx.pinned([]))[1]) if reference is not None else None)
    part = survey.window(window_index) or survey.window(0)
    if part is None:
        return None
    keys = list(part.reference.keys)
    chosen = straddling_window(keys, part.window, limit, window_pages, survey.rng)
    if chosen is None:
        return None
    window, _size = chosen
    bounds = window.bounds()
    inside = [k for k in keys if window.contains(k)]
    params = ctx.pinned(bounds)
    ctx.scaffold(bounds)
    return Walkable(params, Reference(tuple(inside), len(inside)), lambda: ctx.read(params)[1])


def walk_at(ctx: RunContext, survey: Survey, limit: int, order: str, window_pages: int, rewalks: int, window_index: int = 0) -> None:
    """One walk limit: the whole listing if it fits ``window_pages`` pages, else a window walk
    (from window ``window_index``) and the prefix and end of the whole listing."""
    target = walkable(ctx, survey, limit, window_pages, window_index)
    if target is not None:
        judged_walk(ctx, target.params, order, limit, reference=target.reference, rewalks=rewalks, refresh=target.refresh)
    total = survey.total or 0
    if total > window_pages * limit and (limit < ctx.endpoint.max_limit or total > ctx.endpoint.max_limit):
        prefix_walk(ctx, ctx.pinned([]), order, limit, pages=2)


def _read_still(ctx: RunContext):
    """Page 1 at the maximum limit: (totalItems, the ids in order) and the read's reference."""
    obs, reference = ctx.read([])
    if reference is None:
        return None, None
    return (reference.total, tuple(k.id for k in reference.keys)), reference


def still_walk(ctx: RunContext, smallest: int) -> None:
    """The walk of a listing without windows (see the module doc)."""
    endpoint, profile = ctx.endpoint, ctx.profile
    judgements: list[Judgement] = []
    for attempt in range(1 + profile.rewalks):
        if attempt:
            ctx.rewalked()
        with ctx.confirming() if attempt else nullcontext():
            before, reference = _read_still(ctx)
            if reference is None or reference.total is None:
                return
            total = reference.total
            fits = total <= profile.window_pages * endpoint.max_limit
            limit = min(endpoint.max_limit, max(smallest, -(-total // profile.window_pages))) if fits else \
                max(1, endpoint.max_limit // profile.window_pages)
            # a prefix: as many pages as the first read holds items for
            pages = ctx.walk([], limit, max_pages=None if fits else min(profile.window_pages, endpoint.max_limit // limit))
            last = paging.last_page(endpoint, pages, limit)
            final = [] if fits or last is None or last <= len(pages) else \
                [ctx.observe([*ctx.at_limit([], limit), (endpoint.page.name, str(last))])]
            past = past_end(ctx, [], limit, pages)
            after, _ = _read_still(ctx)
        judgement = paging.walk(endpoint, pages, None, "", past, whole=fits,
                                reference=reference if fits and total <= endpoint.max_limit else None)
        if not fits:  # a prefix: the first read's items there; the last page and past the end judged on their own
            judgement = paging.with_prefix(judgement, endpoint, pages, reference, limit * len(pages))
            judgement = paging.joined(judgement, paging.walk(endpoint, final, None, "", past, whole=False))
        judgements.append(judgement if before == after else replace(judgement, still=False))
        if confirm.settled(judgements):
            break
    stills = [j for j in judgements if j.still]
    if confirm.settled(judgements) or (len(judgements) == 1 and judgements[0].still):
        decided = judgements[-1]
    else:  # no pin: a finding on data that moved proves nothing, whatever it repeats
        decided = Judgement(still=False, set_aside=1)
        ctx.note(f"walks: the listing moved around every walk ({len(judgements)}, {len(stills)} still, none "
                 "repeated), and it has no pin; the walk checks were not judged")
    ctx.settle(decided, params=[*ctx.at_limit((), limit), (endpoint.page.name, str(endpoint.first_page))])


def run(ctx: RunContext, essential: bool) -> None:
    """Essential: one window walk at the profile's smallest limit, newest first (it exercises every
    walk check).  Deep: every (limit, order) of the profile, over successive windows.  Without
    windows: one still walk (essential; nothing deeper)."""
    profile = ctx.profile
    if not ctx.endpoint.supports("windows"):
        if essential:
            still_walk(ctx, min(limit for limit, _ in profile.walk_plan(ctx.endpoint)))
        return
    plan = profile.walk_plan(ctx.endpoint)
    if essential:
        limit = min(limit for limit, _ in plan)
        walk_at(ctx, ctx.survey, limit, ctx.endpoint.order.default, profile.window_pages, profile.rewalks)
        return
    for index, (limit, order) in enumerate(plan):
        walk_at(ctx, ctx.survey, limit, order, profile.window_pages, profile.rewalks, window_index=index % max(1, profile.windows))
