"""One authorised listing request's answer: parse, validate, plan, read, items, metadata, body.

The same pipeline serves every list operation of the surface (GET /campaign, GET /v2/campaign):
one store, one order, one count, so both listings answer the same ids in the same order with the
same totalItems for the same query; they differ only in what an item is (a whole campaign, or its
CampaignSummary projection, :mod:`.summary`) and in the parameters they read.

Documented behaviour implemented here:
  * 200 body ``{"results": [...], "metadata": {...}}``: itemsPerPage echoes the limit in force,
    totalItems counts every campaign matching the filters, currentPage echoes the page (on a
    cursor page: see :mod:`.cursor`);
  * where the surface serves them (2026-08-18), totalPages = ceil(totalItems / itemsPerPage) (0
    with limit=0), hasNextPage = currentPage < totalPages, sortOrder = the order in force, and
    nextCursor when a further item exists after the page (:mod:`.cursor`); the typed-only
    itemsBeyondRetention, createdAtLe and createdAtGe are never served (no documented meaning);
  * invalid input (see :mod:`.listing`) -> 400 NestJS validation body.
GET /campaign pages join the stored JSON texts (never re-serialised) unless a variant hooks items.

The active variants' hooks (:mod:`.variant`) are called at fixed points, each variant only on the
paths it is scoped to.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from . import cursor as cursors
from .listing import Query, parse, plan_for
from .store import PageRows, Plan, Store
from .summary import summary
from .surface import NEXT_CURSOR, Listing, Surface
from .variant import Fault

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def page_fields(total: int, limit: int, current_page: int, sort_order: str) -> dict[str, Any]:
    """totalPages, hasNextPage and sortOrder, as their names mean in Vapi's paginator."""
    pages = -(-total // limit) if limit > 0 else 0
    return {"totalPages": pages, "hasNextPage": current_page < pages, "sortOrder": sort_order}


class Hooks:
    """The hooks of the variants that apply to one list operation, in the variants' order."""

    def __init__(self, variants: Sequence[Fault], path: str):
        self.variants = [v for v in variants if not v.paths or path in v.paths]
        self.documented = {name: values for v in self.variants for name, values in v.params}  # e.g. sortBy

    def of(self, name: str) -> list:
        return [getattr(v, name) for v in self.variants if getattr(v, name) is not None]


def current_page(store: Store, plan: Plan, q: Query) -> int:
    """The page echoed: the page parameter, or on a cursor page the page number its first item has
    in the page walk of the same query and limit (see :mod:`.cursor`)."""
    if q.cursor is None or q.limit <= 0:
        return q.page
    return (store.count(plan) - store.count_after(plan)) // q.limit + 1


def metadata(surface: Surface, q: Query, total: int, page: int, rows: PageRows) -> dict[str, Any]:
    meta: dict[str, Any] = {"itemsPerPage": q.limit, "totalItems": total, "currentPage": page}
    if surface.page_metadata:
        meta.update(page_fields(total, q.limit, page, q.sort_order))
    if surface.cursors and rows.more and rows.positions:
        meta[NEXT_CURSOR] = cursors.encode(rows.positions[-1])
        if "sortOrder" in meta:  # the document's order of PaginationMeta's properties
            meta["sortOrder"] = meta.pop("sortOrder")
    return meta


def respond(store: Store, surface: Surface, listing: Listing, variants: Sequence[Fault], org: str,
            pairs: Sequence[tuple[str, str]]) -> tuple[int, str]:
    """(status, JSON text) of one authorised listing request of ``org``."""
    hooks = Hooks(variants, listing.path)
    query, problems = parse(pairs, surface, hooks.documented, listing)
    for hook in hooks.of("validate"):
        problems = hook(problems)
    if problems:
        return 400, _dumps({"message": [p.message for p in problems], "error": "Bad Request", "statusCode": 400})
    for hook in hooks.of("query"):
        query = hook(query)
    plan = plan_for(query, org)
    for hook in hooks.of("plan"):
        plan = hook(plan, query)
    total = store.count(plan)
    rows = store.page(plan)
    texts = rows.texts
    item_hooks, results_hooks = hooks.of("item"), hooks.of("results")
    if listing.summary or item_hooks or results_hooks:
        items = [json.loads(t) for t in texts]
        for hook in item_hooks:
            items = [hook(item) for item in items]
        if listing.summary:
            items = [summary(item, query.include_counters) for item in items]
        for hook in results_hooks:
            items = hook(items, query)
        texts = [_dumps(item) for item in items]
    meta = metadata(surface, query, total, current_page(store, plan, query), rows)
    for hook in hooks.of("metadata"):
        meta = hook(meta, query, len(texts))
    return 200, '{"results":[' + ",".join(texts) + '],"metadata":' + _dumps(meta) + "}"
