"""Stage ``inputs``: out-of-contract values are rejected with 4xx; edge values inside it are
accepted.  Every value is generated from the checked operation's declared parameters: below a
minimum, above a maximum, not a number, outside an enum, not a date-time; and the edges: the
maximum and the smallest positive limit, the first page, each order value, an ancient and a far
future instant (the latter with a UTC offset).  About twenty requests, whatever the data.

Doc lines: the query parameters' types, ranges and enums (page >= 1, limit 0-1000, status and
sortOrder enums, date-time bounds).  Each answer is judged by the single-response checks
(``validation.rejects-invalid``, ``validation.accepts-valid``, ``validation.error-body``).
"""

from __future__ import annotations

from ..engine.context import RunContext

ANCIENT = "2000-01-01T00:00:00Z"
FAR_FUTURE = "2999-12-31T23:59:59.999+14:00"
NOT_A_DATE = "not-a-date"
NOT_A_NUMBER = "lots"


def bad_inputs(endpoint) -> list[list[tuple[str, str]]]:
    """Queries the contract rules out, one defect each (and one defect beside a valid filter)."""
    out: list[list[tuple[str, str]]] = []
    for p in endpoint.parameters:
        if p.numeric:
            if p.minimum is not None:
                out += [[(p.name, _number(p.minimum - 1))], [(p.name, _number(p.minimum - 2))]]
            if p.maximum is not None:
                out.append([(p.name, _number(p.maximum + 1))])
            out.append([(p.name, NOT_A_NUMBER)])
        elif p.enum:
            out.append([(p.name, f"not-{p.enum[0]}")])
        elif p.format == "date-time":
            out.append([(p.name, NOT_A_DATE)])
    if endpoint.identity_filter is not None:
        out.append([(endpoint.identity_filter.param, "")])  # undecided: only "no 5xx, valid shape"
    lower = endpoint.bound_for(endpoint.created, "gt")
    out.append([(lower.param, ANCIENT), (endpoint.limit.name, _number(endpoint.max_limit * 5))])
    return out


def valid_edges(endpoint) -> list[list[tuple[str, str]]]:
    """Queries at the edges of what the contract allows."""
    limit, page, order = endpoint.limit, endpoint.page, endpoint.order
    out = [[(limit.name, str(endpoint.max_limit))], [(limit.name, "1")], [(page.name, str(page.default)), (limit.name, "1")]]
    out += [[(order.name, v)] for v in order.enum if v != order.default]
    ge, lt = endpoint.bound_for(endpoint.created, "ge"), endpoint.bound_for(endpoint.updated, "lt")
    out += [[(ge.param, ANCIENT)]] + ([[(lt.param, FAR_FUTURE)]] if lt is not None else [])
    return out


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def run(ctx: RunContext, essential: bool) -> None:
    for params in bad_inputs(ctx.endpoint) + valid_edges(ctx.endpoint):
        ctx.observe(params)
