"""Optional page metadata later documents declare in PaginationMeta, checked on one page.

Each check applies only when the contract declares the field (``Endpoint.has_meta``) and the page
carries it.  The 2026-08-18 document types these fields without describing them; their meaning is
the one Vapi's paginator gives these names across its list operations (:mod:`..contract.conventions`):

  totalPages  = ceil(totalItems / itemsPerPage)
  hasNextPage = currentPage < totalPages
  sortOrder   = the sortOrder in force ("Defaults to 'DESC'.")

With itemsPerPage 0 (limit=0, which the docs leave open) the page count is undefined: no check.
"""

from __future__ import annotations

import math
from typing import Any

from ..contract import conventions as C
from .model import Observation, Violation

TOTAL_PAGES = "pagination.total-pages"
HAS_NEXT_PAGE = "pagination.has-next-page"
SORT_ORDER_ECHO = "pagination.sort-order-echo"


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def expected_pages(meta: dict) -> int | None:
    total, per_page = _number(meta.get(C.TOTAL_ITEMS)), _number(meta.get(C.ITEMS_PER_PAGE))
    if total is None or not per_page or per_page <= 0:
        return None
    return math.ceil(total / per_page)


def total_pages(obs: Observation) -> list[Violation]:
    """totalPages = ceil(totalItems / itemsPerPage) (as this page's own metadata states them)."""
    meta = obs.metadata
    if obs.status != 200 or C.TOTAL_PAGES not in meta:
        return []
    want = expected_pages(meta)
    if want is None or meta[C.TOTAL_PAGES] == want:
        return []
    return [Violation(TOTAL_PAGES, f"totalPages {meta[C.TOTAL_PAGES]!r} for {meta.get(C.TOTAL_ITEMS)} items at "
                                   f"{meta.get(C.ITEMS_PER_PAGE)} per page", want, meta[C.TOTAL_PAGES],
                      f"/{C.METADATA}/{C.TOTAL_PAGES}", (obs,))]


def has_next_page(obs: Observation) -> list[Violation]:
    """hasNextPage == (currentPage < ceil(totalItems / itemsPerPage))."""
    meta = obs.metadata
    if obs.status != 200 or C.HAS_NEXT_PAGE not in meta:
        return []
    pages, current = expected_pages(meta), _number(meta.get(C.CURRENT_PAGE))
    if pages is None or current is None:
        return []
    want = current < pages
    if meta[C.HAS_NEXT_PAGE] is want:
        return []
    return [Violation(HAS_NEXT_PAGE, f"hasNextPage {meta[C.HAS_NEXT_PAGE]!r} on page {current:g} of {pages}",
                      want, meta[C.HAS_NEXT_PAGE], f"/{C.METADATA}/{C.HAS_NEXT_PAGE}", (obs,))]


def sort_order_echo(obs: Observation, sort_order: str) -> list[Violation]:
    """metadata.sortOrder is ``sort_order``, the order in force for the query."""
    meta = obs.metadata
    if obs.status != 200 or C.SORT_ORDER_ECHO not in meta or meta[C.SORT_ORDER_ECHO] == sort_order:
        return []
    return [Violation(SORT_ORDER_ECHO, f"metadata.sortOrder {meta[C.SORT_ORDER_ECHO]!r} for sortOrder {sort_order} in force",
                      sort_order, meta[C.SORT_ORDER_ECHO], f"/{C.METADATA}/{C.SORT_ORDER_ECHO}", (obs,))]
