"""Optional page metadata a later document may declare in PaginationMeta, checked on one page.

Each check applies only when the contract declares the field (``EndpointModel.has_meta``), and
asserts only what the field's description fixes:

  totalPages  "This is the total number of pages."          = ceil(totalItems / itemsPerPage)
  hasNextPage "This is true when a page follows this one."  = currentPage < totalPages
  sortOrder   "This is the sort order of the results."      = the sortOrder in force
                                                              ("Defaults to 'DESC'.")

With itemsPerPage 0 (limit=0, which the docs leave open) the page count is undefined: no check.
"""

from __future__ import annotations

import math
from typing import Any

from .model import Observation, Violation

TOTAL_PAGES = "pagination.total-pages"
HAS_NEXT_PAGE = "pagination.has-next-page"
SORT_ORDER_ECHO = "pagination.sort-order-echo"


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def expected_pages(meta: dict) -> int | None:
    total, per_page = _number(meta.get("totalItems")), _number(meta.get("itemsPerPage"))
    if total is None or not per_page or per_page <= 0:
        return None
    return math.ceil(total / per_page)


def total_pages(obs: Observation) -> list[Violation]:
    """totalPages = ceil(totalItems / itemsPerPage) (as this page's own metadata states them)."""
    meta = obs.metadata
    if obs.status != 200 or "totalPages" not in meta:
        return []
    want = expected_pages(meta)
    if want is None or meta["totalPages"] == want:
        return []
    return [Violation(TOTAL_PAGES, f"totalPages {meta['totalPages']!r} for {meta.get('totalItems')} items at "
                                   f"{meta.get('itemsPerPage')} per page", want, meta["totalPages"],
                      "/metadata/totalPages", (obs,))]


def has_next_page(obs: Observation) -> list[Violation]:
    """hasNextPage == (currentPage < ceil(totalItems / itemsPerPage))."""
    meta = obs.metadata
    if obs.status != 200 or "hasNextPage" not in meta:
        return []
    pages, current = expected_pages(meta), _number(meta.get("currentPage"))
    if pages is None or current is None:
        return []
    want = current < pages
    if meta["hasNextPage"] is want:
        return []
    return [Violation(HAS_NEXT_PAGE, f"hasNextPage {meta['hasNextPage']!r} on page {current:g} of {pages}",
                      want, meta["hasNextPage"], "/metadata/hasNextPage", (obs,))]


def sort_order_echo(obs: Observation, sort_order: str) -> list[Violation]:
    """metadata.sortOrder is ``sort_order``, the order in force for the query."""
    meta = obs.metadata
    if obs.status != 200 or "sortOrder" not in meta or meta["sortOrder"] == sort_order:
        return []
    return [Violation(SORT_ORDER_ECHO, f"metadata.sortOrder {meta['sortOrder']!r} for sortOrder {sort_order} in force",
                      sort_order, meta["sortOrder"], "/metadata/sortOrder", (obs,))]


def applicable(obs: Observation, fields: set[str]) -> set[str]:
    """The ids among these checks that this page exercises (the field is declared and present)."""
    meta = obs.metadata
    out = set()
    if "totalPages" in fields and "totalPages" in meta and expected_pages(meta) is not None:
        out.add(TOTAL_PAGES)
    if "hasNextPage" in fields and "hasNextPage" in meta and expected_pages(meta) is not None:
        out.add(HAS_NEXT_PAGE)
    if "sortOrder" in fields and "sortOrder" in meta:
        out.add(SORT_ORDER_ECHO)
    return out
