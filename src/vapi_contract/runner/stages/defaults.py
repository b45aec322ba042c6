"""Stage ``defaults``: no paging parameters == page, limit and sortOrder at their documented
defaults ("Defaults to 1.", "Defaults to 100.", "Defaults to 'DESC'.").

Both reads are pinned, so equal totals prove they saw the same items; a pair read while the data
moved is read again (:func:`.confirm.compare_pair`), then set aside.  The bare request (no parameter at
all) is judged on its own too: itemsPerPage the default limit, currentPage the first page,
newest first.  Three to five requests.

The array family (no page, no order, no count): "limit: ... Defaults to 100." alone.  The bare
request is judged on its own (never more than the default limit), and the same items are read
twice inside one window of fewer items than the default limit, once without ``limit`` and once
with it written out: both reads complete (:func:`...invariants.arrays.complete`), they hold the
same items (:func:`...invariants.arrays.same_items`); their order is not compared (none is
documented).
"""

from __future__ import annotations

from ...invariants import Reference, arrays, paging
from ..engine.context import RunContext
from ..engine import confirm
from ..engine.windows import Slice, sub_window


def run(ctx: RunContext, essential: bool) -> None:
    endpoint = ctx.endpoint
    if endpoint.bare:
        _array(ctx)
        return
    ctx.observe([])
    judgement = confirm.compare_pair(ctx, lambda: (ctx.observe(ctx.pinned([])), ctx.observe(ctx.pinned(endpoint.paging_defaults))),
                                     lambda bare, explicit: paging.defaults(endpoint, bare, explicit))
    if paging.DEFAULTS not in judgement.exercised:
        ctx.note(f"{paging.DEFAULTS}: the data moved during each comparison; not judged")


def _array(ctx: RunContext) -> None:
    """The array family's defaults: see the module doc."""
    endpoint = ctx.endpoint
    ctx.observe([])
    limit = int(endpoint.limit.default)
    part = ctx.survey.window(0)
    small = _below(part, limit) if part is not None else None
    if small is None:
        ctx.note(f"{paging.DEFAULTS}: no window of fewer than {limit} items (the default limit) to compare; not judged")
        return
    query = small.query(ctx, [])
    if query is None:
        return
    judgement = confirm.compare_pair(ctx, lambda: (ctx.observe(query), ctx.observe([*query, *endpoint.paging_defaults])),
                                     lambda bare, explicit: arrays.same_items(endpoint, bare, explicit, limit))
    if paging.DEFAULTS not in judgement.exercised:
        ctx.note(f"{paging.DEFAULTS}: the data moved during each comparison, or a read was cut; not judged")


def _below(part: Slice, limit: int) -> Slice | None:
    """``part`` when its read holds fewer than ``limit`` items, else its newest sub-window of about
    half that many with clean edges."""
    keys = list(part.reference.keys)
    if len(keys) < limit:
        return part
    size = max(1, limit // 2)
    for start in range(0, len(keys) - size, max(1, size // 4)):
        for end in (start + size, start + size - 1, start + size + 1):
            window = sub_window(keys, part.window, start, end)
            if window is not None and end - start < limit:
                inside = tuple(keys[start:end])
                return Slice(window, part.opening, Reference(inside, None))
    return None
