"""Stage ``counters`` (when the operation takes ``includeCounters``, GET /v2/campaign): window 0
read with ``includeCounters=true``.  Doc line: "When true, every campaign in the response includes
`contactCounters` and `callMetrics`."  The answer is judged by the single-response checks
(``shape.counters-included``, ``shape.connected-within-dialed``, the body's shape).  One request."""

from __future__ import annotations

from ..engine.context import RunContext


def run(ctx: RunContext, essential: bool) -> None:
    part = ctx.survey.window(0)
    flag = ctx.endpoint.counters
    if part is None or not part.reference.keys:
        ctx.note(f"{flag.param} not exercised: the window holds no item")
        return
    query = part.query(ctx, [(flag.param, "true")])
    if query is not None:
        ctx.observe(ctx.at_limit(query, ctx.endpoint.max_limit))
