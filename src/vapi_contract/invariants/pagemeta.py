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

from .model import Observation, Violation

TOTAL_PAGES = "pagination.total-pages"
HAS_NEXT_PAGE = "pagination.has-next-page"
SORT_ORDER_ECHO = "pagination.sort-order-echo"


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def expected_pages(endpoint, meta: dict) -> int | None:
    roles = endpoint.paging_meta
    total, per_page = _number(meta.get(roles.total_items)), _number(meta.get(roles.items_per_page))
    if total is None or not per_page or per_page <= 0:
        return None
    return math.ceil(total / per_page)


def total_pages(endpoint, obs: Observation) -> list[Violation]:
    """totalPages = ceil(totalItems / itemsPerPage) (as this page's own metadata states them)."""
    meta, roles = obs.metadata, endpoint.paging_meta
    name = roles.total_pages
    if obs.status != 200 or name not in meta:
        return []
    want = expected_pages(endpoint, meta)
    if want is None or meta[name] == want:
        return []
    return [Violation(TOTAL_PAGES, f"{name} {meta[name]!r} for {meta.get(roles.total_items)} items at "
                                   f"{meta.get(roles.items_per_page)} per page", want, meta[name],
                      obs.envelope.meta_pointer(name), (obs,), locus=_side(meta[name], want))]


def has_next_page(endpoint, obs: Observation) -> list[Violation]:
    """hasNextPage == (currentPage < ceil(totalItems / itemsPerPage))."""
    meta, roles = obs.metadata, endpoint.paging_meta
    name = roles.has_next_page
    if obs.status != 200 or name not in meta:
        return []
    pages, current = expected_pages(endpoint, meta), _number(meta.get(roles.current_page))
    if pages is None or current is None:
        return []
    want = current < pages
    if meta[name] is want:
        return []
    return [Violation(HAS_NEXT_PAGE, f"{name} {meta[name]!r} on page {current:g} of {pages}",
                      want, meta[name], obs.envelope.meta_pointer(name), (obs,),
                      locus=f"{meta[name]!r} " + ("before the last page" if want else "on the last page"))]


def sort_order_echo(endpoint, obs: Observation, sort_order: str) -> list[Violation]:
    """metadata.sortOrder is ``sort_order``, the order in force for the query."""
    meta = obs.metadata
    name = endpoint.paging_meta.sort_order
    if obs.status != 200 or name not in meta or meta[name] == sort_order:
        return []
    return [Violation(SORT_ORDER_ECHO, f"metadata.{name} {meta[name]!r} for {endpoint.order.name} {sort_order} in force",
                      sort_order, meta[name], obs.envelope.meta_pointer(name), (obs,), locus=f"for {sort_order}")]


def _side(actual: Any, expected: int) -> str:
    """``above`` / ``below`` the expected count, or ``not a number``."""
    number = _number(actual)
    return "not a number" if number is None else "above" if number > expected else "below"
