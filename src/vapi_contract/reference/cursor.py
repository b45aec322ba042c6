"""Keyset cursors: the 2026-08-18 surface's ``nextCursor`` and ``cursor``.

Doc line (PaginationMeta.nextCursor): "Opaque cursor for the next page under keyset pagination
(PRO-3163). Pass it back as the `cursor` query param to fetch the next page without an OFFSET
scan. Present only when a further page likely exists."  The document declares no ``cursor`` query
parameter and says nothing more; what this server does, and where it chooses:

* **Position.**  A query's order is total: the sort column (createdAt, or the hidden cost /
  duration of ``sortBy``) in the requested direction, ``id`` as tiebreak in the same direction.
  An item's position in it is its key ``(value of the sort column, id)``; every sort column is an
  integer (ms, cents, seconds) and never changes for a campaign.
* **nextCursor.**  Every 200 listing page, page-based or cursor-based, carries ``nextCursor``
  exactly when a further item exists after this page in the query's order (its filters, sortBy
  and sortOrder): one look-ahead row (``LIMIT limit + 1``) tells.  The last page has none, nor has
  an empty page (past the end) or a ``limit=0`` answer (no page holds an item).
* **The text** is opaque: base64url without padding of the compact JSON ``{"v": value, "id":
  id}`` of the page's last item.  The server keeps no state: any copy of a cursor works any time.
* **cursor=C** answers the items strictly after C's position in the order of the query it is sent
  with, filters applied, ``limit`` of them: ``WHERE (col, id) < (?, ?)`` for DESC (``>`` for ASC),
  ANDed with the filters, served by the ``(org, col, id)`` indexes: no OFFSET scan.
* **page** is validated as always, and ignored when a cursor is given (the document is silent).
* **totalItems** is the count of the whole query (the cursor selects nothing out of it).
* **currentPage** on a cursor page (the document is silent): the page number its first item has
  in the page walk of the same query and limit, ``(items up to the cursor's position) // limit +
  1``; so a cursor walk from page 1 reports 1, 2, 3 ... as the page walk does, and ``hasNextPage``
  (currentPage < totalPages) agrees with ``nextCursor``.  With ``limit=0``: the page parameter's
  value.  It costs one COUNT over the index range before the cursor (memoised like totalItems).
* **A malformed cursor** (not base64url of such a JSON object) is a 400 with the NestJS body
  ``{"message": ["cursor must be a valid cursor"], "error": "Bad Request", "statusCode": 400}``.
* **A well-formed cursor from another query** (other filters, sortBy or sortOrder) is read as a
  position in this query: its value is compared with this query's sort column.  Never a 5xx.
* Surfaces without nextCursor (2026-04-11): ``cursor`` is an unknown parameter, ignored.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

MAX_VALUE = 2**62  # sort values are epoch ms, cents or seconds: far below; larger is malformed
MAX_ID = 200  # characters


@dataclass(frozen=True)
class Position:
    """An item's key in a query's order: (the sort column's value, id)."""

    value: int
    id: str


def encode(position: Position) -> str:
    raw = json.dumps({"v": position.value, "id": position.id}, separators=(",", ":"), ensure_ascii=True)
    return base64.urlsafe_b64encode(raw.encode("ascii")).decode("ascii").rstrip("=")


def decode(text: str) -> Position | None:
    """The position a cursor names; None when the text is not a cursor this server writes."""
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(data, dict) or set(data) != {"v", "id"}:
        return None
    value, cid = data["v"], data["id"]
    if type(value) is not int or not -MAX_VALUE <= value <= MAX_VALUE:
        return None
    if not isinstance(cid, str) or len(cid) > MAX_ID:
        return None
    return Position(value, cid)
