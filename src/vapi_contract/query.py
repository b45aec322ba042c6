"""The documented meaning of GET /campaign's query parameters, as plain Python.

This is the oracle of the contract: which campaigns a query selects and in which order.  Both the
suite's invariants (every returned item satisfies the filters; nothing that matches is missing)
and the reference target's brute-force cross-check use it; the target itself answers with SQL.

Doc lines (List Campaigns, Query parameters):
  page      "This is the page number to return. Defaults to 1."            (double, >= 1)
  sortOrder "This is the sort order for pagination. Defaults to 'DESC'."   (ASC | DESC)
  limit     "This is the maximum number of items to return. Defaults to 100." (double, 0-1000)
  createdAtGt "This will return items where the createdAt is greater than the specified value."
  createdAtLt "... less than ...", createdAtGe "... greater than or equal to ...",
  createdAtLe "... less than or equal to ...", and the same four for updatedAt.
  id, status (ended | in-progress | scheduled): equality filters.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from .timeutil import parse_ms

DEFAULT_PAGE = 1
DEFAULT_LIMIT = 100
DEFAULT_SORT_ORDER = "DESC"
MAX_LIMIT = 1000
STATUSES = ("ended", "in-progress", "scheduled")
SORT_ORDERS = ("ASC", "DESC")


@dataclass(frozen=True)
class Bound:
    """One of the eight instant bounds, e.g. ``createdAtGe``: item.createdAt >= value."""

    param: str
    field: str
    op_name: str  # gt | lt | ge | le
    compare: Callable[[int, int], bool]

    @property
    def strict(self) -> bool:
        return self.op_name in ("gt", "lt")

    def holds(self, item_ms: int, bound_ms: int) -> bool:
        return self.compare(item_ms, bound_ms)


_OPS = {"gt": operator.gt, "lt": operator.lt, "ge": operator.ge, "le": operator.le}
BOUNDS: tuple[Bound, ...] = tuple(
    Bound(f"{field}{op.capitalize()}", field, op, fn)
    for field in ("createdAt", "updatedAt")
    for op, fn in _OPS.items()
)
BOUNDS_BY_PARAM: dict[str, Bound] = {b.param: b for b in BOUNDS}
EQUALITY_FILTERS = ("id", "status")
FILTER_PARAMS = EQUALITY_FILTERS + tuple(BOUNDS_BY_PARAM)
PAGING_PARAMS = ("page", "sortOrder", "limit")
ALL_PARAMS = ("id", "status", "page", "sortOrder", "limit") + tuple(BOUNDS_BY_PARAM)


def filters_of(params: Mapping[str, Any]) -> dict[str, Any]:
    """The filtering part of a query (drops paging parameters and unknown names)."""
    return {k: v for k, v in params.items() if k in FILTER_PARAMS and v is not None}


def item_matches(item: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
    """True when ``item`` satisfies every filter in ``params`` (filters are ANDed)."""
    for name, value in filters_of(params).items():
        if name in EQUALITY_FILTERS:
            if item.get(name) != value:
                return False
            continue
        bound = BOUNDS_BY_PARAM[name]
        if not bound.holds(parse_ms(item[bound.field]), parse_ms(value)):
            return False
    return True


def order_key(item: Mapping[str, Any]) -> int:
    """The documented order of a listing: by createdAt (ties may come in any order)."""
    return parse_ms(item["createdAt"])


def expected_selection(
    items: Iterable[Mapping[str, Any]], params: Mapping[str, Any]
) -> list[Mapping[str, Any]]:
    """All items matching the filters of ``params``, ordered by createdAt in the requested
    direction with ``id`` as tiebreak (the reference target's total order)."""
    desc = params.get("sortOrder", DEFAULT_SORT_ORDER) == "DESC"
    chosen = [it for it in items if item_matches(it, params)]
    chosen.sort(key=lambda it: (order_key(it), it["id"]), reverse=desc)
    return chosen
