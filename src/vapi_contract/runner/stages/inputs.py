"""Stage ``inputs``: out-of-contract values are rejected with 4xx; edge values inside it are
accepted.  Every value is generated from the checked operation's declared parameters: below a
minimum, above a maximum, not a number, outside an enum, not a date-time; and the edges: the
maximum and the smallest positive limit, the first page, each order value, an ancient and a far
future instant (the latter with a UTC offset); every typed-only parameter (and sort column the
items do not carry) with a value of its type.  About twenty requests (and one or two per
typed-only parameter), whatever the data.  A listing without windows (no createdAt bound: no
sorting stage walks its columns) also reads each sort column its items carry once, judged on that
answer (``pagination.sort-by-order``).

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
NOT_A_BOOLEAN = "perhaps"


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
    if lower is not None:
        out.append([(lower.param, ANCIENT), (endpoint.limit.name, _number(endpoint.max_limit * 5))])
    return out


def valid_edges(endpoint) -> list[list[tuple[str, str]]]:
    """Queries at the edges of what the contract allows."""
    limit = endpoint.limit
    out = [[(limit.name, str(endpoint.max_limit))], [(limit.name, "1")]]
    if endpoint.page_name is not None:  # the array family has neither a page nor an order
        out += [[(endpoint.page.name, str(endpoint.page.default)), (limit.name, "1")]]
    if endpoint.order_name is not None:
        order = endpoint.order
        out += [[(order.name, v)] for v in order.enum if v != order.default]
    ge, lt = endpoint.bound_for(endpoint.created, "ge"), endpoint.bound_for(endpoint.updated, "lt")
    out += ([[(ge.param, ANCIENT)]] if ge is not None else []) + ([[(lt.param, FAR_FUTURE)]] if lt is not None else [])
    if endpoint.sort is not None and not endpoint.supports("windows"):  # no sorting stage: each column on one answer
        carried = [c for c in endpoint.sort_columns if c not in endpoint.typed_only_sort_columns]
        out += [[(endpoint.sort.name, column), (limit.name, str(endpoint.max_limit))] for column in carried]
    return out + typed_only(endpoint)


def typed_only(endpoint) -> list[list[tuple[str, str]]]:
    """Each typed-only parameter (conventions: a documented meaning no oracle judges) with a value
    of its type, and a boolean one with a value that is none; the sort columns the items do not
    carry.  Their answers are judged by the single-response checks only (shape, validation)."""
    out: list[list[tuple[str, str]]] = []
    for name in endpoint.typed_only_parameters:
        p = endpoint.param(name)
        out.append([(name, _typed_value(p))])
        if p.type == "boolean":
            out.append([(name, NOT_A_BOOLEAN)])
    if endpoint.sort is not None:
        out += [[(endpoint.sort.name, column)] for column in endpoint.typed_only_sort_columns]
    return out


def _typed_value(p) -> str:
    """A value of ``p``'s declared type: its default or first enum value, true, its minimum, a
    UUID for format uuid, else a word of a length its schema allows."""
    if p.default is not None and not isinstance(p.default, (dict, list)):
        return str(p.default).lower() if isinstance(p.default, bool) else str(p.default)
    if p.enum:
        return p.enum[0]
    if p.type == "boolean":
        return "true"
    if p.numeric:
        return _number(p.minimum if p.minimum is not None else 1)
    if p.format == "uuid":
        return "00000000-0000-4000-8000-000000000000"
    word = "vapi-contract"[:p.max_length] if p.max_length else "vapi-contract"
    return word.ljust(p.min_length or 0, "x")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def run(ctx: RunContext, essential: bool) -> None:
    for params in bad_inputs(ctx.endpoint) + valid_edges(ctx.endpoint):
        ctx.observe(params)
