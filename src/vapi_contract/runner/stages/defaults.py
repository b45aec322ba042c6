"""Stage ``defaults``: no paging parameters == page, limit and sortOrder at their documented
defaults ("Defaults to 1.", "Defaults to 100.", "Defaults to 'DESC'.").

Both reads are pinned, so equal totals prove they saw the same items; a pair read while the data
moved is read again (:func:`.confirm.compare_pair`), then set aside.  The bare request (no parameter at
all) is judged on its own too: itemsPerPage the default limit, currentPage the first page,
newest first.  Three to five requests.
"""

from __future__ import annotations

from ...invariants import paging
from ..engine.context import RunContext
from ..engine import confirm


def run(ctx: RunContext, essential: bool) -> None:
    endpoint = ctx.endpoint
    ctx.observe([])
    judgement = confirm.compare_pair(ctx, lambda: (ctx.observe(ctx.pinned([])), ctx.observe(ctx.pinned(endpoint.paging_defaults))),
                                     lambda bare, explicit: paging.defaults(endpoint, bare, explicit))
    if paging.DEFAULTS not in judgement.exercised:
        ctx.note(f"{paging.DEFAULTS}: the data moved during each comparison; not judged")
