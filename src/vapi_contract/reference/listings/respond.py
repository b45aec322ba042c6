"""One authorised request to a generated listing: path parameters, parse, validate, plan, read,
items, metadata, body.

* **paginated**: ``{"results": [...], "metadata": {...}}`` with the metadata fields the schema
  declares and this server knows: ``itemsPerPage`` (the limit in force), ``totalItems`` (every item
  matching the filters), ``currentPage`` (the page; on a cursor page the page number its first
  item has in the page walk, as the campaign listings do: ``reference/cursor.py``),
  ``totalPages`` = ceil(totalItems / itemsPerPage) (0 with limit 0), ``hasNextPage`` =
  currentPage < totalPages, ``sortOrder`` (the order in force), and ``nextCursor`` exactly when a
  further item exists after the page ("Present only when a further page likely exists.");
  ``itemsBeyondRetention``, ``createdAtLe`` and ``createdAtGe`` are typed only: never served;
* **array**: a bare array of at most ``limit`` items (:mod:`.query` for their order);
* a path parameter naming a parent (``/v2/campaign/{id}/contacts``): a malformed id is a 400
  ("id must be a UUID": the parameter's format is uuid), an id that is no item of the parent
  listing in the caller's organisation a 404 (the document declares no 404 here and says nothing
  of an unknown id: a listing under something that does not exist is not an empty page of it);
  an enum path parameter (``/provider/{provider}/...``) with another value: 400.
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

from .. import cursor as cursors
from .faults import GenericFault
from .groups import Group
from .model import PAGINATED, Listing
from .query import Query, parse, path_problems, plan_for
from .store import ListingStore, Page, Plan

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def bad_request(messages: list[str]) -> tuple[int, str]:
    return 400, _dumps({"message": messages, "error": "Bad Request", "statusCode": 400})


def not_found(what: str) -> tuple[int, str]:
    return 404, _dumps({"message": f"{what} not found", "error": "Not Found", "statusCode": 404})


def metadata(listing: Listing, q: Query, total: int, current: int, page: Page) -> dict[str, Any]:
    pages = -(-total // q.limit) if q.limit > 0 else 0
    known = {"itemsPerPage": q.limit, "totalItems": total, "currentPage": current, "totalPages": pages,
             "hasNextPage": current < pages, "sortOrder": q.order}
    if page.more and page.positions:
        known["nextCursor"] = cursors.encode(page.positions[-1])
    return {name: known[name] for name in listing.metadata if name in known}


def respond(store: ListingStore, listing: Listing, group: Group, org: str, path_values: Mapping[str, str],
            pairs: Sequence[tuple[str, str]], faults: Sequence[GenericFault], parent_exists) -> tuple[int, str]:
    """(status, JSON text) of one authorised request of ``org`` to ``listing``."""
    problems = path_problems(listing, path_values)
    if problems:
        return bad_request([p.message for p in problems])
    parent = listing.parent
    parent_id = path_values.get(parent.name) if parent is not None else None
    if parent is not None and not parent_exists(parent.field, org, parent_id):
        return not_found(f"{parent.field.rstrip('/').rsplit('/', 1)[-1].replace('-', ' ').capitalize()} {parent_id}")
    query, problems = parse(listing, pairs)
    for f in faults:
        if f.validate is not None:
            problems = f.validate(problems, listing)
    if problems:
        return bad_request([p.message for p in problems])
    for f in faults:
        if f.query is not None:
            query = f.query(query, listing, f.target)
    path_fields = {p.field: path_values[p.name] for p in listing.path_params if p.role == "field" and p.field}
    plan: Plan = plan_for(listing, group, store.tables[group.key], query, org, parent_id, path_fields)
    for f in faults:
        if f.plan is not None:
            plan = f.plan(plan, query, listing)
    page = store.page(plan)
    texts = page.texts
    hooked = [f for f in faults if f.items is not None]
    if hooked:
        items = [json.loads(t) for t in texts]
        for f in hooked:
            items = f.items(items, query, listing, f.target)
        texts = [_dumps(item) for item in items]
    if listing.family != PAGINATED:
        return 200, "[" + ",".join(texts) + "]"
    total = store.count(plan)
    if query.cursor is not None and query.limit > 0:
        current = (total - store.count(plan, keyset=True)) // query.limit + 1
    else:
        current = query.page
    meta = metadata(listing, query, total, current, page)
    for f in faults:
        if f.metadata is not None:
            meta = f.metadata(meta, query, len(texts))
    return 200, '{"results":[' + ",".join(texts) + '],"metadata":' + _dumps(meta) + "}"
