"""What a query selects, as the docs define it: the oracle of every filter check.

Doc lines (List Campaigns, Query parameters): "createdAtGt: This will return items where the
createdAt is greater than the specified value." (Lt "less than", Ge "greater than or equal to",
Le "less than or equal to"; the same four for updatedAt); ``id``, ``status`` and every parameter
named after a string item field select by equality ("assistantId: This is the unique identifier for
the assistant to filter by"); ``<field>Any`` by any of its comma-separated values ("idAny: Filter by
multiple chat IDs. Provide as comma-separated values."); filters combine with AND.  Instants compare at millisecond precision, UTC offsets honoured.

Every function takes the :class:`~vapi_contract.contract.endpoint.Endpoint` whose filters it
reads; none of them sends a request.  The reference target answers with SQL; its cross-check
compares that answer with :func:`expected_selection`.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

from ..timeutil import parse_ms
from .model import ItemKey, keys_of


def filters_of(endpoint, params: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """The filtering part of a query (drops paging parameters and names that are no filter).
    ``params``: a mapping, or the query's (name, value) pairs as sent, where a filter given once or
    repeated ("Pass once or multiple times to filter on any of the provided statuses.") holds the
    tuple of every value given."""
    if not isinstance(params, Mapping):
        written: dict[str, Any] = {}
        for k, v in params:
            f = endpoint.equality(k)
            written[k] = (*written.get(k, ()), str(v)) if f is not None and f.repeated else v
        params = written
    return {k: v for k, v in params.items() if v is not None and endpoint.is_filter(k)}


def selector(endpoint, params: Mapping[str, Any]) -> Callable[[ItemKey], bool]:
    """The documented meaning of the filters of ``params`` as a predicate on item keys."""
    tests: list[Callable[[ItemKey], bool]] = []
    positions = {name: i for i, name in enumerate(endpoint.value_fields)}
    for name, value in filters_of(endpoint, params).items():
        bound = endpoint.bound(name)
        if bound is None:
            f = endpoint.equality(name)
            if f.field == endpoint.identity:
                tests.append(lambda k, f=f, v=_written(value): f.holds(k.id, v))
            else:
                tests.append(lambda k, i=positions[f.field], f=f, v=_written(value): f.holds(k.values[i], v))
            continue
        at = parse_ms(value)
        if bound.field == endpoint.created:
            tests.append(lambda k, b=bound, t=at: b.holds(k.created_ms, t))
        else:
            tests.append(lambda k, b=bound, t=at: b.holds(k.updated_ms, t))
    return lambda key: all(test(key) for test in tests)


def _written(value: Any) -> str | tuple[str, ...]:
    """A filter's value as written: a string, or every value given of a repeated filter."""
    return tuple(str(v) for v in value) if isinstance(value, tuple) else str(value)


def failing_filters(endpoint, params: Mapping[str, Any], key: ItemKey) -> list[str]:
    """The names of the filters of ``params`` that ``key`` fails."""
    return [name for name, value in filters_of(endpoint, params).items() if not selector(endpoint, {name: value})(key)]


def field_of(endpoint, param: str) -> str:
    """The item field a filter parameter is about (createdAtGt -> createdAt, status -> status,
    idAny -> id)."""
    bound = endpoint.bound(param)
    return bound.field if bound is not None else endpoint.equality(param).field


def expected_selection(endpoint, items: Iterable[Mapping[str, Any]], params: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """All ``items`` matching the filters of ``params``, in the documented order (the creation
    instant in the requested direction, the identity as tiebreak: the reference target's total
    order)."""
    select = selector(endpoint, params)
    order = endpoint.order
    descending = str(params.get(order.name, order.default)) == endpoint.descending
    chosen = [(key, item) for item in items for key in keys_of(endpoint, [item]) if select(key)]
    chosen.sort(key=lambda pair: (pair[0].created_ms, pair[0].id), reverse=descending)
    return [item for _, item in chosen]
