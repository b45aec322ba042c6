"""Stage ``cursors``: keyset pagination, walked like pages (when the contract declares a
next-page cursor: ``nextCursor``, passed back as ``cursor``).

Doc line (PaginationMeta.nextCursor): "Opaque cursor for the next page under keyset pagination.
Pass it back as the `cursor` query param to fetch the next page without an OFFSET scan. Present
only when a further page likely exists."

Each cursor walk is one pinned query: page 1, then the pages its cursors lead to, judged like a
page walk against the same window's one-page read (:func:`.walks.judged_walk` with
``by_cursor``): the same items, each once, in order; nothing above the limit; the chain ends.
Re-walked while the data moves, over windows of a few pages, so the cost does not grow with the
organisation.

* essential: one walk at the profile's smallest limit, newest first; one with a filter (a value
  of the first enum filter the window's items carry) at a larger limit; a malformed cursor (it
  must be a 4xx that says why);
* deep: both orders at the profile's smallest limits, each sort column (a hidden one too), a bound
  filter, and a well-formed cursor sent with another query (the document says nothing of it: only
  no 5xx and a valid shape are asserted, by every answer's checks).
"""

from __future__ import annotations

from ...invariants import Reference, cursors
from ...invariants.selection import selector
from ...timeutil import format_ms
from ..engine.context import RunContext
from .walks import judged_walk, walkable

MALFORMED = "%%not-a-cursor%%"


def run(ctx: RunContext, essential: bool) -> None:
    endpoint, profile = ctx.endpoint, ctx.profile
    limits = sorted({limit for limit, _ in profile.walk_plan(endpoint)})
    smallest = limits[0]
    if essential:
        _walk(ctx, smallest, endpoint.order.default)
        _filtered_walk(ctx, limits[min(1, len(limits) - 1)])
        ctx.settle(cursors.rejected(ctx.observe(ctx.at_limit([(endpoint.cursor.param, MALFORMED)], 1))),
                   params=[(endpoint.cursor.param, MALFORMED)])
        return
    for order in endpoint.order.enum:
        _walk(ctx, smallest, order, window_index=1)
    for column in endpoint.sort_columns:
        _walk(ctx, limits[min(1, len(limits) - 1)], endpoint.order.default, sort=column)
    _filtered_walk(ctx, smallest, bound=True)
    _foreign_cursor(ctx, smallest)


def _walk(ctx: RunContext, limit: int, order: str, window_index: int = 0, sort: str | None = None) -> None:
    endpoint, profile = ctx.endpoint, ctx.profile
    target = walkable(ctx, ctx.survey, limit, profile.window_pages, window_index)
    if target is None:
        return
    params, column = list(target.params), ""
    if sort is not None:
        params.append((endpoint.sort.name, sort))
        column = sort if sort in endpoint.item_fields else None
    judged_walk(ctx, params, order, limit, reference=target.reference, rewalks=profile.rewalks, refresh=target.refresh,
                column=column, by_cursor=True)


def _filtered_walk(ctx: RunContext, limit: int, bound: bool = False) -> None:
    """A cursor walk of window 0 under a filter (an enum filter's value the window's items carry,
    or a createdAt bound in the middle of the window), compared with the window's read filtered."""
    endpoint = ctx.endpoint
    part = ctx.survey.window(0)
    if part is None or not part.reference.keys:
        return
    keys = part.reference.keys
    if bound:
        ge = endpoint.bound_for(endpoint.created, "ge")
        stamps = sorted(k.created_ms for k in keys)
        chosen = (ge.param, format_ms(stamps[len(stamps) // 2]))
    elif endpoint.enum_filters:
        f = endpoint.enum_filters[0]
        index = endpoint.value_fields.index(f.param)
        values = sorted({k.values[index] for k in keys if isinstance(k.values[index], str)})
        if not values:
            return
        chosen = (f.param, values[len(values) // 2])
    else:
        return
    query = part.query(ctx, [chosen])
    if query is None:
        return
    select = selector(endpoint, dict([chosen]))
    inside = tuple(k for k in keys if select(k))
    if not inside:
        return

    def refresh() -> Reference | None:
        read = ctx.read(part.query(ctx, []))[1]
        return None if read is None else Reference(tuple(k for k in read.keys if select(k)), sum(1 for k in read.keys if select(k)))

    judged_walk(ctx, query, endpoint.order.default, limit, reference=Reference(inside, len(inside)),
                rewalks=ctx.profile.rewalks, refresh=refresh, by_cursor=True)


def _foreign_cursor(ctx: RunContext, limit: int) -> None:
    """A cursor issued for one query, sent with another (the other order): the document says
    nothing of it; the answer is judged by every answer's checks (no 5xx, a valid shape)."""
    endpoint = ctx.endpoint
    first = ctx.observe(ctx.at_limit(ctx.pinned([]), limit))
    token = cursors.next_cursor(first, endpoint)
    if token is not None:
        other = next(v for v in endpoint.order.enum if v != endpoint.order.default)
        ctx.observe([*ctx.at_limit(ctx.pinned([(endpoint.order.name, other)]), limit), (endpoint.cursor.param, token)])
