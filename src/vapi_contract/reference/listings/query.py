"""A generated listing's query parameters as the reference reads them: validation, defaults, and
the SQL plan (the roles: :mod:`.model`).

Filters are ANDed.  Instants are compared at millisecond precision with UTC offsets honoured
(``timeutil.parse_ms``): Gt/Lt strict, Ge/Le inclusive.  The order:

* a ``sortBy`` listing: the column asked for (default: the documented one) in ``sortOrder``'s
  direction (default: its documented DESC; ascending where no ``sortOrder`` is declared:
  contacts come in upload order), ties by id in the same direction;
* an array listing without ``sortBy`` (GET /call, /assistant, /squad, /tool, /phone-number,
  /v2/knowledge-base: the docs state no order): **by id, ascending** - deliberately not by
  createdAt, so that a client assuming an order the docs do not state is caught; ``limit`` keeps
  the first items of that order.

Rejected with 400 and a NestJS body listing every problem (what the campaign listings do, see
``reference/listing.py``): a number outside its range or not a number (``page``, ``limit``), a
value outside an enum (``sortOrder``, ``sortBy``, ``status``, a path parameter: ``provider``), a
malformed date-time bound, a boolean other than true / false, a string longer than its
``maxLength``, a malformed uuid where the parameter's format is uuid, a parameter given twice
that is not an array, a malformed cursor.  Unknown parameters are ignored; a fractional page or
limit is floored; ``limit=0`` answers no items.  The docs leave GET /v2/knowledge-base's limit
without a default: 100 here, like every other listing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

from ...timeutil import InvalidInstant, parse_ms
from .. import cursor as cursors
from ..cursor import Position
from ..listing import Problem
from .groups import Group
from .model import Listing, Param
from .store import INSTANT_COLUMNS, SQL_OPS, Plan

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DEFAULT_LIMIT = 100
MAX_OFFSET = 2**62


@dataclass(frozen=True)
class Query:
    """A validated request of one listing (defaults applied)."""

    page: int = 1
    limit: int = DEFAULT_LIMIT
    order: str = "DESC"
    sort: str | None = None  # the sortBy column, when the listing has one
    cursor: Position | None = None
    equal: tuple[tuple[Param, Any], ...] = ()  # (parameter, value)
    lists: tuple[tuple[Param, tuple], ...] = ()  # (parameter, values)
    bounds: tuple[tuple[Param, int], ...] = ()  # (parameter, ms)
    flags: tuple[Param, ...] = ()  # flags asked for (true)
    search: str | None = None
    given: frozenset[str] = field(default_factory=frozenset)

    def with_(self, **changes) -> "Query":
        return replace(self, **changes)


def _number(p: Param, text: str, problems: list[Problem]) -> float | None:
    if not _NUMBER.match(text) or math.isinf(float(text)):
        problems.append(Problem(p.name, "number", f"{p.name} must be a number conforming to the specified constraints"))
        return None
    value = float(text)
    if p.minimum is not None and value < p.minimum:
        problems.append(Problem(p.name, "range", f"{p.name} must not be less than {p.minimum:g}"))
        return None
    if p.maximum is not None and value > p.maximum:
        problems.append(Problem(p.name, "range", f"{p.name} must not be greater than {p.maximum:g}"))
        return None
    return value


def typed(p: Param, text: str, problems: list[Problem]) -> Any:
    """``text`` as a value of ``p`` (its type, enum, format, length), or None with a problem."""
    if p.enum is not None:
        if text not in [str(v) for v in p.enum]:
            problems.append(Problem(p.name, "enum", f"{p.name} must be one of the following values: "
                                                    f"{', '.join(str(v) for v in p.enum)}"))
            return None
        return next(v for v in p.enum if str(v) == text)
    if p.type == "boolean":
        if text not in ("true", "false"):
            problems.append(Problem(p.name, "boolean", f"{p.name} must be a boolean value"))
            return None
        return text == "true"
    if p.type in ("number", "integer"):
        return _number(p, text, problems)
    if p.format == "date-time":
        try:
            return parse_ms(text)
        except InvalidInstant:
            problems.append(Problem(p.name, "date", f"{p.name} must be a valid ISO 8601 date string"))
            return None
    if p.format == "uuid" and not _UUID.match(text):
        problems.append(Problem(p.name, "uuid", f"{p.name} must be a UUID"))
        return None
    if p.max_length is not None and len(text) > p.max_length:
        problems.append(Problem(p.name, "length", f"{p.name} must be shorter than or equal to {p.max_length} characters"))
        return None
    if p.min_length is not None and len(text) < p.min_length:
        problems.append(Problem(p.name, "length", f"{p.name} must be longer than or equal to {p.min_length} characters"))
        return None
    return text


def parse(listing: Listing, pairs: Sequence[tuple[str, str]]) -> tuple[Query, list[Problem]]:
    """The query of ``listing`` and its problems (empty: valid)."""
    problems: list[Problem] = []
    by_name = {p.name: p for p in listing.params}
    seen: dict[str, list[str]] = {}
    for name, text in pairs:
        p = by_name.get(name)
        if p is None:
            continue  # unknown parameters are ignored
        if name in seen and not p.repeated:
            if not any(q.param == name and q.kind == "repeated" for q in problems):
                problems.append(Problem(name, "repeated", f"{name} must be a single value"))
            continue
        seen.setdefault(name, []).append(text)
    limit_param = next(iter(listing.having("limit")), None)
    default_limit = int(limit_param.default) if limit_param is not None and limit_param.default is not None else DEFAULT_LIMIT
    q = Query(limit=default_limit, order=listing.default_order if listing.orders else "ASC",
              sort=listing.default_sort, given=frozenset(seen))
    equal, lists, bounds, flags = [], [], [], []
    for name, texts in seen.items():
        p = by_name[name]
        first = texts[0]
        if p.role in ("page", "limit"):
            value = _number(p, first, problems)
            if value is not None:
                q = q.with_(**{p.role: math.floor(value)})
        elif p.role in ("order", "sort"):
            value = typed(p, first, problems)
            if value is not None:
                q = q.with_(**{p.role: value})
        elif p.role == "bound":
            value = typed(p, first, problems)
            if value is not None:
                bounds.append((p, value))
        elif p.role == "equality":
            value = typed(p, first, problems)
            if value is not None:
                equal.append((p, value))
        elif p.role == "list":
            raw = [v for t in texts for v in (t.split(",") if p.comma else [t])]
            values = tuple(typed(p, v, problems) for v in raw)
            if None not in values:
                lists.append((p, values))
        elif p.role == "flag":
            if typed(p, first, problems):
                flags.append(p)
        elif p.role == "search":
            value = typed(p, first, problems)
            if value is not None:
                q = q.with_(search=value)
        elif p.role == "cursor":
            position = cursors.decode(first)
            if position is None:
                problems.append(Problem(name, "cursor", f"{name} must be a valid cursor"))
            q = q.with_(cursor=position)
        else:  # typed only: validated, no effect
            for t in texts:
                typed(p, t, problems)
    return q.with_(equal=tuple(equal), lists=tuple(lists), bounds=tuple(bounds), flags=tuple(flags)), problems


def path_problems(listing: Listing, values: Mapping[str, str]) -> list[Problem]:
    """The problems of the path parameters' values (an enum's other value, a malformed uuid)."""
    problems: list[Problem] = []
    for p in listing.path_params:
        text = values.get(p.name, "")
        if p.enum is not None or p.format == "uuid":
            typed(p, text, problems)
    return problems


def _sql_value(v: Any) -> Any:
    return int(v) if isinstance(v, bool) else v


def plan_for(listing: Listing, group: Group, table: str, q: Query, org: str, parent: str | None,
             path_fields: Mapping[str, str]) -> Plan:
    """The SQL plan of a valid query of ``listing`` for ``org`` (under ``parent``)."""
    conditions: list[tuple[str, tuple]] = []
    for name, value in path_fields.items():
        conditions.append((f"{group.column(name)} = ?", (value,)))
    for p, value in q.equal:
        conditions.append((f"{group.column(p.field)} = ?", (_sql_value(value),)))
    for p, values in q.lists:
        conditions.append((f"{group.column(p.field)} IN ({', '.join('?' * len(values))})",
                           tuple(_sql_value(v) for v in values)))
    for p, ms in q.bounds:
        conditions.append((f"{INSTANT_COLUMNS.get(p.field, 'created_ms')} {SQL_OPS[p.op]} ?", (ms,)))
    for _ in q.flags:
        conditions.append(("flag = 1", ()))
    if q.search is not None:
        needle = q.search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(("search LIKE ? ESCAPE '\\'", (f"%{needle}%",)))
    if q.sort is not None:
        column = group.sort(q.sort).column
        descending = q.order == "DESC"
    else:  # no documented order: by id (see the module doc)
        column, descending = "id", False
    offset = 0 if q.cursor is not None else (q.page - 1) * q.limit
    # the parent is always in the WHERE ('' for a listing without one): the (org, parent, column, id)
    # indexes then give every order without sorting
    return Plan(table, org, parent or "", conditions, column=column, descending=descending, limit=q.limit,
                offset=min(max(offset, 0), MAX_OFFSET), after=q.cursor)
