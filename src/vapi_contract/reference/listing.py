"""The listings' query parameters as the reference target reads them: validation, defaults, and
the SQL plan.  What is accepted is the served :class:`~.surface.Surface` and list operation (the
docs' parameters, ranges, enums and defaults, read independently of the suite).

Filters are ANDed.  Instants are compared at millisecond precision with UTC offsets honoured
(:func:`timeutil.parse_ms`); contradictory bounds simply select nothing.

Anything outside the documented types, ranges and enums is a 400 with a NestJS (class-validator)
body listing every problem.  Where the docs are silent, this target chooses:
  * fractional page / limit (e.g. ``2.7``): accepted when in range, floored; the floored value is
    echoed in metadata (range checks apply to the value as sent: ``page=0.5`` is a 400);
  * ``limit=0``: 200 with no results, itemsPerPage 0 and the true totalItems;
  * numbers are decimal text (``12``, ``2.5``, ``1e2``); empty, ``NaN``, ``Infinity``, hex: 400;
  * an empty ``status`` / ``sortOrder`` / bound: 400 (not in the enum / not a date-time);
  * unknown query parameters: ignored;
  * a documented parameter given more than once: 400 ("page must be a single value");
  * a page so far out that its offset exceeds 2**62: 200 with no results;
  * ``includeCounters`` (GET /v2/campaign, boolean): ``true`` or ``false``; anything else is a 400
    ("includeCounters must be a boolean value");
  * ``cursor`` (where nextCursor is served): see :mod:`.cursor`; a malformed one is a 400
    ("cursor must be a valid cursor"), and ``page`` is ignored beside a valid one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

from ..timeutil import InvalidInstant, parse_ms
from . import cursor as cursors
from .cursor import Position
from .store import COLUMNS, ORDER_COLUMNS, SQL_OPS, Plan
from .surface import CURSOR, INCLUDE_COUNTERS, SORT_BY, Listing, Surface

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
MAX_OFFSET = 2**62


@dataclass(frozen=True)
class Problem:
    """One reason a query is rejected (its message goes into the 400 body)."""

    param: str
    kind: str  # number | range | enum | date | repeated | boolean | cursor
    message: str


@dataclass(frozen=True)
class BoundFilter:
    """``field`` ``op`` ``ms`` (e.g. createdAt >= 1735689600000), as parsed from ``param=text``."""

    param: str
    field: str  # createdAt | updatedAt
    op: str  # gt | lt | ge | le
    ms: int
    text: str


@dataclass(frozen=True)
class Query:
    """A validated listing request (defaults applied)."""

    page: int
    limit: int
    sort_order: str
    sort_by: str = "createdAt"  # the sort column (sortBy; createdAt where the surface has none)
    cursor: Position | None = None  # a valid cursor's position: the page starts after it
    include_counters: bool = False  # GET /v2/campaign's includeCounters
    id: str | None = None
    status: str | None = None
    bounds: tuple[BoundFilter, ...] = ()
    given: frozenset[str] = field(default_factory=frozenset)  # documented params present in the request
    undocumented: tuple[tuple[str, str], ...] = ()  # other params: ignored (only a drift variant reads them)
    documented: tuple[tuple[str, str], ...] = ()  # validated params a variant documents (e.g. sortBy)

    def extra(self, name: str) -> str | None:
        return dict(self.documented).get(name)

    def with_(self, **changes) -> "Query":
        return replace(self, **changes)


def _number(name: str, text: str, low: float, high: float, problems: list[Problem]) -> int | None:
    if not _NUMBER.match(text):
        problems.append(Problem(name, "number", f"{name} must be a number conforming to the specified constraints"))
        return None
    value = float(text)
    if math.isinf(value):
        problems.append(Problem(name, "number", f"{name} must be a number conforming to the specified constraints"))
        return None
    if value < low:
        problems.append(Problem(name, "range", f"{name} must not be less than {low:g}"))
        return None
    if value > high:
        problems.append(Problem(name, "range", f"{name} must not be greater than {high:g}"))
        return None
    return math.floor(value)


def _enum(name: str, values: Sequence[str], problems: list[Problem]) -> None:
    problems.append(Problem(name, "enum", f"{name} must be one of the following values: {', '.join(values)}"))


def parse(pairs: Sequence[tuple[str, str]], surface: Surface, extra: Mapping[str, tuple[str, ...]] | None = None,
          listing: Listing | None = None) -> tuple[Query, list[Problem]]:
    """The query of ``listing`` (default: GET /campaign) and its problems (empty = valid).  On
    problems the query holds best-effort values (invalid ones replaced by defaults / dropped),
    which only a fault would ever use.  ``extra``: enum parameters a variant documents beyond the
    surface (name -> values), validated like the documented enums."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    unknown: list[tuple[str, str]] = []
    accepted = set(surface.parameters_of(listing or surface.listings[0]))
    extra = {name: values for name, values in (extra or {}).items() if name not in accepted}
    for name, value in pairs:
        if name not in accepted and name not in extra:
            unknown.append((name, value))
            continue  # unknown parameters are ignored
        if name in seen:
            if not any(p.param == name and p.kind == "repeated" for p in problems):
                problems.append(Problem(name, "repeated", f"{name} must be a single value"))
            continue
        seen[name] = value
    documented = []
    for name, values in extra.items():
        if name in seen:
            if seen[name] in values:
                documented.append((name, seen[name]))
            else:
                _enum(name, values, problems)
    q = Query(surface.first_page, surface.default_limit, surface.default_order, surface.default_sort, given=frozenset(seen),
              undocumented=tuple(unknown), documented=tuple(documented))
    if "page" in seen:
        page = _number("page", seen["page"], surface.first_page, math.inf, problems)
        q = q.with_(page=page if page is not None else surface.first_page)
    if "limit" in seen:
        limit = _number("limit", seen["limit"], 0, surface.max_limit, problems)
        if limit is None and _NUMBER.match(seen["limit"]) and float(seen["limit"]) > surface.max_limit:
            limit = math.floor(float(seen["limit"]))  # kept for faults that accept it
        q = q.with_(limit=limit if limit is not None else surface.default_limit)
    if "sortOrder" in seen:
        if seen["sortOrder"] in surface.orders:
            q = q.with_(sort_order=seen["sortOrder"])
        else:
            _enum("sortOrder", surface.orders, problems)
    if SORT_BY in seen and SORT_BY in accepted:  # (else a variant's: validated above)
        if seen[SORT_BY] in surface.sort_columns:
            q = q.with_(sort_by=seen[SORT_BY])
        else:
            _enum(SORT_BY, surface.sort_columns, problems)
    if "status" in seen:
        if seen["status"] in surface.statuses:
            q = q.with_(status=seen["status"])
        else:
            _enum("status", surface.statuses, problems)
    if "id" in seen:
        q = q.with_(id=seen["id"])
    bounds = []
    for name, (field_name, op) in surface.bounds.items():
        if name not in seen:
            continue
        try:
            bounds.append(BoundFilter(name, field_name, op, parse_ms(seen[name]), seen[name]))
        except InvalidInstant:
            problems.append(Problem(name, "date", f"{name} must be a valid ISO 8601 date string"))
    if INCLUDE_COUNTERS in seen:
        if seen[INCLUDE_COUNTERS] in ("true", "false"):
            q = q.with_(include_counters=seen[INCLUDE_COUNTERS] == "true")
        else:
            problems.append(Problem(INCLUDE_COUNTERS, "boolean", f"{INCLUDE_COUNTERS} must be a boolean value"))
    if CURSOR in seen:
        position = cursors.decode(seen[CURSOR])
        if position is None:
            problems.append(Problem(CURSOR, "cursor", f"{CURSOR} must be a valid cursor"))
        q = q.with_(cursor=position)
    return q.with_(bounds=tuple(bounds)), problems


def plan_for(q: Query, org: str) -> Plan:
    """The SQL plan of a valid query for one organisation."""
    conditions: list[tuple[str, tuple]] = []
    if q.id is not None:
        conditions.append(("id = ?", (q.id,)))
    if q.status is not None:
        conditions.append(("status = ?", (q.status,)))
    for b in q.bounds:
        conditions.append((f"{COLUMNS[b.field]} {SQL_OPS[b.op]} ?", (b.ms,)))
    offset = 0 if q.cursor is not None else (q.page - 1) * q.limit  # beside a cursor, page is ignored
    return Plan(org=org, conditions=conditions, descending=q.sort_order == "DESC", limit=q.limit,
                offset=min(max(offset, 0), MAX_OFFSET), order_column=ORDER_COLUMNS[q.sort_by], after=q.cursor)
