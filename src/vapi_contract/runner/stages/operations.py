"""Stage ``operations`` (when the contract declares another list operation: GET /campaign and GET
/v2/campaign): the same pinned query read by this operation and by each other one must give the
same totalItems, the same items and the same order (:func:`...invariants.operations.agree`); a
difference is believed when a second pair of reads repeats it on still data (:mod:`.confirm`).

Queries: window 0 read whole, and the same window under a filter (the first enum filter's value
its items carry).  Two reads whose totals differ saw the data move between them: both are read
again (``rewalks`` times at most), then set aside.  Two to a few requests per query; the other
operation's answers are compared, not judged (its own run judges them).
"""

from __future__ import annotations

from ...invariants import operations
from ..engine.context import RunContext
from ..engine import confirm


def run(ctx: RunContext, essential: bool) -> None:
    endpoint = ctx.endpoint
    part = ctx.survey.window(0)
    if part is None or not part.reference.keys:
        return
    queries = [[]]
    if endpoint.enum_filters:
        f = endpoint.enum_filters[0]
        index = endpoint.value_fields.index(f.param)
        values = sorted({k.values[index] for k in part.reference.keys if isinstance(k.values[index], str)})
        if values:
            queries.append([(f.param, values[0])])
    for label, other in ctx.siblings.items():
        for filters in queries:
            query = part.query(ctx, filters)
            if query is not None:
                _compare(ctx, ctx.at_limit(query, endpoint.max_limit), label, other, filters)


def _compare(ctx: RunContext, query, label: str, other, filters) -> None:
    confirm.compare_pair(ctx, lambda: (ctx.observe(query), ctx.fetch(query, endpoint=other)),
                         lambda mine, theirs: operations.agree(ctx.endpoint, mine, theirs, label,
                                                               ctx.endpoint.default_sort_column),
                         params=filters, attempts=1 + ctx.profile.rewalks)
