"""Stage ``sorting``: what a sort-column parameter (``sortBy``) must do, when the contract declares one.

Doc line (2026-04-14 on): sortBy "This is the column to sort by. Defaults to 'createdAt'."

Over window 0 of the survey (the newest page's interior, read whole in one pinned request: the
same window the filters and walks use), for each declared column and both orders, the window is
walked at about a third of its size (so every walk crosses page boundaries) and judged like every
walk (:func:`.walks.judged_walk`: pinned, re-walked while the data moves, compared with the
window's read): complete, disjoint, same totalItems, same items; ordered by the column when
results expose it.  Then ASC is the reverse of DESC apart from ties, no sortBy is the documented
default column, and a value outside the enum is rejected.  On a contract without a sort column
this stage is not in the table.

Cost: 3 x 2 x (pages per walk, 3-4) per column + 1, never more than the window allows.
"""

from __future__ import annotations

import math

from ...invariants import sorting
from ..engine.context import RunContext
from .walks import judged_walk

PAGES_PER_WALK = 3  # a walk of the window under a column takes about this many pages
INVALID_VALUE = "notADocumentedColumn"


def run(ctx: RunContext, essential: bool) -> None:
    endpoint = ctx.endpoint
    sort = endpoint.sort
    part = ctx.survey.window(0)
    if part is None or len(part.reference.keys) < 2:
        ctx.note(f"{sort.name} not exercised: the window holds fewer than 2 items")
        return
    bounds = part.window.bounds()
    params = ctx.pinned(bounds)
    ctx.scaffold(bounds)
    size = len(part.reference.keys)
    limit = max(1, math.ceil(size / PAGES_PER_WALK))
    refresh = lambda: ctx.read(params)[1]  # noqa: E731
    walks: dict[tuple[str, str], list] = {}
    for column in sort.enum or ():
        exposed = column in endpoint.item_fields
        for order in endpoint.order.enum:
            label = f"{sort.name}={column}&{endpoint.order.name}={order}"
            walks[(column, order)] = judged_walk(
                ctx, [*params, (sort.name, column)], order, limit, reference=part.reference, rewalks=ctx.profile.rewalks,
                refresh=refresh, column=column if exposed else None, relabel=lambda j, label=label: sorting.under_sort(j, label))
        desc, asc = (walks[(column, o)] for o in (endpoint.order.default, _other(endpoint)))
        ctx.settle(sorting.reverse_apart_from_ties(desc, asc, column, exposed), params=[(sort.name, column), (endpoint.order.name, _other(endpoint))])
    default = endpoint.default_sort_column
    if (default, endpoint.order.default) in walks:
        bare = ctx.walk([*params, (endpoint.order.name, endpoint.order.default)], limit)
        ctx.settle(sorting.default_column(bare, walks[(default, endpoint.order.default)], default, default in endpoint.item_fields),
                   params=[(sort.name, default)])
    else:
        ctx.note(f"not exercised: the documented default of {sort.name} ({default!r}) is not one of its values")
    ctx.observe(ctx.at_limit([(sort.name, INVALID_VALUE)], 1))  # outside the enum: must be rejected


def _other(endpoint) -> str:
    return next(v for v in endpoint.order.enum if v != endpoint.order.default)
