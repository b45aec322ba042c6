"""Stage ``sorting``: what a sort-column parameter (``sortBy``) must do, when the contract declares one.

Doc line (2026-04-14 on): sortBy "This is the column to sort by. Defaults to 'createdAt'."

Over window 0 of the survey (the newest page's interior, read whole in one pinned request: the
same window the filters and walks use), for each declared column and both orders, the window is
walked at about a third of its size (so every walk crosses page boundaries) and judged like every
walk (:func:`.walks.judged_walk`: pinned, re-walked while the data moves, compared with the
window's read): complete, disjoint, same totalItems, same items; ordered by the column when
results expose it.  Then, on pairs of one-page reads of the window sent back to back (read again
while the data moves), ASC is the reverse of DESC apart from ties, and no sortBy is the documented
default column.  A value outside the enum is rejected.  Where the items carry no modification
instant (GET /eval/run), a column other than the identity and the creation instant may change
unseen between two reads: it is judged on one answer (``pagination.sort-by-order``), not walked.  On a contract without a sort column this
stage is not in the table.

Cost per column: 2 walks of 3-4 pages, 1 pair of reads (up to 4 while the data moves); then 1 pair
for the default and 1 rejected request.
"""

from __future__ import annotations

import math

from ...invariants import sorting
from ..engine.context import RunContext
from ..engine import confirm
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
    for column in sort.enum or ():
        exposed = column in endpoint.item_fields
        if exposed and not endpoint.modification_seen and column not in (endpoint.identity, endpoint.created):
            # a column that may change unseen (no modification instant): judged within one answer only
            ctx.observe([*params, (sort.name, column), (endpoint.limit.name, str(limit))])
            ctx.note(f"{sort.name}={column}: judged within one answer only (its items carry no modification "
                     "instant, so a change of the column between reads could not be told from a fault)")
            continue
        for order in endpoint.order.enum:
            label = f"{sort.name}={column}&{endpoint.order.name}={order}"
            judged_walk(
                ctx, [*params, (sort.name, column)], order, limit, reference=part.reference, rewalks=ctx.profile.rewalks,
                refresh=refresh, column=column if exposed else None, relabel=lambda j, label=label: sorting.under_sort(j, label))
        pair = [[*params, (sort.name, column), (endpoint.order.name, o)]
                for o in (endpoint.order.default, endpoint.other_direction(endpoint.order.default))]
        confirm.compare_pair(ctx, lambda pair=pair: (ctx.read(pair[0])[0], ctx.read(pair[1])[0]),
                             lambda d, a, c=column, e=exposed: sorting.reverse_apart_from_ties(endpoint, [d], [a], c, e),
                             params=[(sort.name, column), (endpoint.order.name, endpoint.other_direction(endpoint.order.default))])
    default = endpoint.default_sort_column
    if default in (sort.enum or ()):
        order = (endpoint.order.name, endpoint.order.default)
        confirm.compare_pair(ctx, lambda: (ctx.read([*params, order])[0], ctx.read([*params, (sort.name, default), order])[0]),
                             lambda bare, explicit: sorting.default_column(endpoint, [bare], [explicit], default,
                                                                           default in endpoint.item_fields),
                             params=[(sort.name, default)])
    else:
        ctx.note(f"not exercised: the documented default of {sort.name} ({default!r}) is not one of its values")
    ctx.observe(ctx.at_limit([(sort.name, INVALID_VALUE)], 1))  # outside the enum: must be rejected
