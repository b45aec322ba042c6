"""The reference target's storage: SQLite, queried with SQL.

One table ``campaign(org, id, created_ms, updated_ms, status, cost_cents, duration_s, body)``: the indexed columns are
integers / short texts, ``body`` is the campaign's JSON text as stored (GET /campaign pages are
built by joining these texts, never by re-serialising items).  Filters go in WHERE (ANDed), order
and paging in ORDER BY ... LIMIT/OFFSET, totalItems is COUNT(*) over the same WHERE.

Hidden columns: ``cost_cents`` and ``duration_s`` are what ``sortBy=cost | duration`` sorts by
(2026-08-18, natively; 2026-04-11 with the ``sortby-parameter`` drift variant); Campaign exposes
neither, so they are derived deterministically from the id (:func:`hidden_cost`,
:func:`hidden_duration`, with many ties) and never change.

Order: the sort column (``ORDER_COLUMNS``; createdAt by default) in the requested direction,
``id`` as tiebreak in the same direction: a total order, so paging never repeats or skips (the
same order as ``invariants.selection.expected_selection`` for createdAt).

Keyset (cursor) pages: ``Plan.after`` is a position (sort value, id); the page holds the items
strictly after it in the order, ``WHERE (col, id) < (?, ?)`` (DESC; ``>`` for ASC) ANDed with the
filters, LIMIT without OFFSET.  Every page is read with one look-ahead row (LIMIT n + 1): whether
a further item exists is known without counting (``PageRows.more``: nextCursor).

Indexes: (org, created_ms, id) serves unfiltered pages, createdAt ranges and createdAt keysets;
(org, status, created_ms, id) status filters; (org, cost_cents, id) and (org, duration_s, id) the
sortBy columns and their keysets; (org, updated_ms) updatedAt ranges; (id) the id filter.

Concurrency: one connection (in-memory by default, or a file), ``check_same_thread=False``,
every statement under one lock.  Counts are memoised per (WHERE clause, arguments) in a small
LRU; the mutation methods (:meth:`Store.update`, :meth:`Store.insert`, :meth:`Store.delete`, used by
the churn engine) clear the memo, so a count never outlives the data it counted.

Mutations keep the columns and the JSON text consistent: the caller passes the new body, and the
status / updated_ms columns are written in the same statement.  :meth:`Store.sample` picks a
random row in O(log n) (a random rowid, then the first matching row at or after it), never
loading the table.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .cursor import Position
from .seed import Record

COLUMNS = {"createdAt": "created_ms", "updatedAt": "updated_ms"}
# sortBy value -> SQL column (the documented default, createdAt, unless a query says otherwise)
ORDER_COLUMNS = {"createdAt": "created_ms", "updatedAt": "updated_ms", "cost": "cost_cents", "duration": "duration_s"}
SQL_OPS = {"gt": ">", "lt": "<", "ge": ">=", "le": "<="}


def hidden_cost(campaign_id: str) -> int:
    """The campaign's cost in cents (not served: Campaign has no cost field); 97 distinct values."""
    return int(campaign_id.replace("-", "")[:8], 16) % 97 * 25


def hidden_duration(campaign_id: str) -> int:
    """The campaign's total call duration in seconds (not served); 53 distinct values."""
    return int(campaign_id.replace("-", "")[8:16], 16) % 53 * 60


@dataclass
class Plan:
    """A listing request turned into SQL pieces (faults may rewrite it before it runs).

    ``conditions`` are (sql, args) pairs joined with ``joiner`` (documented: AND); the org
    condition is separate and always ANDed unless ``org`` is None (all organisations).  ``after``
    is a keyset position: the page holds the items strictly after it (totalItems is counted
    without it)."""

    org: str | None
    conditions: list[tuple[str, tuple]] = field(default_factory=list)
    joiner: str = "AND"
    descending: bool = True
    tiebreak_descending: bool | None = None  # None: same direction as the sort column
    limit: int = 100
    offset: int = 0
    order_column: str = "created_ms"  # ORDER_COLUMNS[sortBy]
    after: Position | None = None  # keyset: a cursor's position
    after_inclusive: bool = False  # (faults only) the position's own item is on the page too
    page_conditions: list[tuple[str, tuple]] | None = None  # (faults only) the page's, when not the count's

    @property
    def column(self) -> str:
        return self.order_column if self.order_column in ORDER_COLUMNS.values() else "created_ms"

    @property
    def tie_descending(self) -> bool:
        return self.descending if self.tiebreak_descending is None else self.tiebreak_descending

    def where(self, conditions: list[tuple[str, tuple]] | None = None, keyset: bool = False) -> tuple[str, tuple]:
        """The WHERE clause of ``conditions`` (default: the plan's), the org scope, and the keyset
        condition when ``keyset``."""
        conditions = self.conditions if conditions is None else conditions
        parts, args = [], []
        if self.org is not None:
            parts.append("org = ?")
            args.append(self.org)
        if conditions:
            parts.append("(" + f" {self.joiner} ".join(c for c, _ in conditions) + ")")
            for _, a in conditions:
                args.extend(a)
        if keyset and self.after is not None:
            sql, more = self.keyset()
            parts.append(sql)
            args.extend(more)
        return (" WHERE " + " AND ".join(parts)) if parts else "", tuple(args)

    def keyset(self) -> tuple[str, tuple]:
        """The condition "after ``self.after`` in this plan's order" (a row-value comparison, which
        SQLite answers from the (org, column, id) index)."""
        column, position = self.column, self.after
        main = "<" if self.descending else ">"
        tie = "<" if self.tie_descending else ">"
        equal = "=" if self.after_inclusive else ""
        if main == tie:
            return f"({column}, id) {main}{equal} (?, ?)", (position.value, position.id)
        return (f"({column} {main} ? OR ({column} = ? AND id {tie}{equal} ?))",
                (position.value, position.value, position.id))

    def order_by(self) -> str:
        main = "DESC" if self.descending else "ASC"
        return f" ORDER BY {self.column} {main}, id {'DESC' if self.tie_descending else 'ASC'}"


@dataclass(frozen=True)
class PageRows:
    """One page read: the items' JSON texts, their positions, and whether a further item exists
    after the page in the plan's order."""

    texts: list[str]
    positions: list[Position]
    more: bool


class Store:
    """Campaign storage with SQL listing.  ``Store.seeded(records)`` or ``Store.open(path)``."""

    def __init__(self, path: str = ":memory:"):
        self.path = path
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.lock = threading.Lock()
        self._counts: OrderedDict[tuple, int] = OrderedDict()
        with self.lock:
            self.conn.execute("PRAGMA journal_mode=OFF" if path == ":memory:" else "PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=OFF")
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS campaign (org TEXT NOT NULL, id TEXT NOT NULL, created_ms INTEGER NOT NULL,"
                " updated_ms INTEGER NOT NULL, status TEXT NOT NULL, cost_cents INTEGER NOT NULL DEFAULT 0,"
                " duration_s INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL)")

    # -- loading -----------------------------------------------------------------------------
    def load(self, records: Iterable[Record]) -> "Store":
        with self.lock:
            self.conn.execute("DELETE FROM campaign")
            self.conn.execute("BEGIN")
            self.conn.executemany(
                "INSERT INTO campaign (org, id, created_ms, updated_ms, status, cost_cents, duration_s, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ((r.org, r.id, r.created_ms, r.updated_ms, r.status, hidden_cost(r.id), hidden_duration(r.id), r.body)
                 for r in records))
            self.conn.execute("COMMIT")
            for ddl in ("CREATE INDEX IF NOT EXISTS by_created ON campaign (org, created_ms, id)",
                        "CREATE INDEX IF NOT EXISTS by_status ON campaign (org, status, created_ms, id)",
                        "CREATE INDEX IF NOT EXISTS by_cost ON campaign (org, cost_cents, id)",
                        "CREATE INDEX IF NOT EXISTS by_duration ON campaign (org, duration_s, id)",
                        "CREATE INDEX IF NOT EXISTS by_updated ON campaign (org, updated_ms)",
                        "CREATE INDEX IF NOT EXISTS by_id ON campaign (id)"):
                self.conn.execute(ddl)
            self.conn.execute("ANALYZE")
            self._counts.clear()
        return self

    def __len__(self) -> int:
        with self.lock:
            return self.conn.execute("SELECT COUNT(*) FROM campaign").fetchone()[0]

    def holds(self, campaign_id: str) -> bool:
        """Whether a campaign with this id is stored."""
        with self.lock:
            return self.conn.execute("SELECT 1 FROM campaign WHERE id = ?", (campaign_id,)).fetchone() is not None

    def owner(self, campaign_id: str) -> str | None:
        """The organisation of the campaign with this id, or None when there is none."""
        with self.lock:
            row = self.conn.execute("SELECT org FROM campaign WHERE id = ?", (campaign_id,)).fetchone()
        return row[0] if row else None

    def keys(self) -> dict[str, list[tuple[str, str, int]]]:
        """org -> [(id, status, created_ms)] of every stored campaign (what the generated listings
        refer to: a campaign's contacts, a call's campaignId)."""
        out: dict[str, list[tuple[str, str, int]]] = {}
        with self.lock:
            for org, cid, status, created in self.conn.execute(
                    "SELECT org, id, status, created_ms FROM campaign ORDER BY created_ms DESC, id DESC"):
                out.setdefault(org, []).append((cid, status, created))
        return out

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    # -- listing -----------------------------------------------------------------------------
    def count(self, plan: Plan) -> int:
        """How many items the plan's query selects (its filters; the keyset plays no part)."""
        return self._count(*plan.where())

    def count_after(self, plan: Plan) -> int:
        """How many items of the plan's query lie after its keyset position."""
        return self._count(*plan.where(keyset=True))

    def _count(self, where: str, args: tuple) -> int:
        key = (where, args)
        with self.lock:
            if key in self._counts:
                self._counts.move_to_end(key)
                return self._counts[key]
            n = self.conn.execute(f"SELECT COUNT(*) FROM campaign{where}", args).fetchone()[0]
            self._counts[key] = n
            if len(self._counts) > 4096:
                self._counts.popitem(last=False)
            return n

    def page(self, plan: Plan) -> PageRows:
        """One page: ``plan.limit`` items after ``plan.offset`` (and after ``plan.after``), read
        with one look-ahead row."""
        if plan.limit <= 0:
            return PageRows([], [], False)
        where, args = plan.where(plan.page_conditions, keyset=True)
        sql = f"SELECT body, {plan.column}, id FROM campaign{where}{plan.order_by()} LIMIT ?"
        args += (plan.limit + 1,)
        if plan.offset:  # a page-based page (a keyset page starts at its position: no OFFSET)
            sql += " OFFSET ?"
            args += (plan.offset,)
        with self.lock:
            rows = self.conn.execute(sql, args).fetchall()
        shown = rows[: plan.limit]
        return PageRows([r[0] for r in shown], [Position(r[1], r[2]) for r in shown], len(rows) > plan.limit)

    # -- mutation (the churn engine) -----------------------------------------------------------
    def insert(self, record: Record) -> None:
        with self.lock:
            self.conn.execute(
                "INSERT INTO campaign (org, id, created_ms, updated_ms, status, cost_cents, duration_s, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (record.org, record.id, record.created_ms, record.updated_ms, record.status, hidden_cost(record.id),
                 hidden_duration(record.id), record.body))
            self._counts.clear()

    def update(self, campaign_id: str, status: str, updated_ms: int, body: str) -> bool:
        """Replace a campaign's status, updatedAt and body (the body must say the same status and
        updatedAt).  False when no such campaign."""
        with self.lock:
            changed = self.conn.execute("UPDATE campaign SET status = ?, updated_ms = ?, body = ? WHERE id = ?",
                                        (status, updated_ms, body, campaign_id)).rowcount
            self._counts.clear()
        return changed > 0

    def delete(self, campaign_id: str) -> bool:
        with self.lock:
            changed = self.conn.execute("DELETE FROM campaign WHERE id = ?", (campaign_id,)).rowcount
            self._counts.clear()
        return changed > 0

    def sample(self, rng, org: str, statuses: Sequence[str] = ()) -> tuple[str, str] | None:
        """(id, body) of a random campaign of ``org`` (with one of ``statuses`` when given), or
        None when there is none.  Draws one random rowid and takes the first matching row at or
        after it (wrapping around): O(log n) per pick, deterministic for a given rng and data
        (rows after a gap of deleted rowids are a little likelier, which is harmless here)."""
        cond, args = "org = ?", [org]
        if statuses:
            cond += f" AND status IN ({', '.join('?' * len(statuses))})"
            args.extend(statuses)
        with self.lock:
            # two queries: SQLite answers a lone MIN() or MAX() from the b-tree, but scans for both at once
            low = self.conn.execute("SELECT MIN(rowid) FROM campaign").fetchone()[0]
            high = self.conn.execute("SELECT MAX(rowid) FROM campaign").fetchone()[0]
            if low is None:
                return None
            start = rng.randint(low, high)
            for bound in ("rowid >= ?", "rowid < ?"):  # NOT INDEXED: walk rowids, never a status index
                row = self.conn.execute(f"SELECT id, body FROM campaign NOT INDEXED WHERE {bound} AND {cond}"
                                        " ORDER BY rowid LIMIT 1", (start, *args)).fetchone()
                if row is not None:
                    return row[0], row[1]
        return None

    def newest_ms(self) -> int:
        """The latest createdAt / updatedAt stored (0 when empty)."""
        with self.lock:
            row = self.conn.execute("SELECT MAX(MAX(created_ms), MAX(updated_ms)) FROM campaign").fetchone()
        return row[0] or 0

    # -- inspection (tests, cross-checks) ----------------------------------------------------
    def campaigns(self, org: str | None = None) -> list[dict]:
        """Every stored campaign of ``org`` (all when None), parsed."""
        with self.lock:
            if org is None:
                rows = self.conn.execute("SELECT body FROM campaign").fetchall()
            else:
                rows = self.conn.execute("SELECT body FROM campaign WHERE org = ?", (org,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def orgs(self) -> Sequence[str]:
        with self.lock:
            return [r[0] for r in self.conn.execute("SELECT DISTINCT org FROM campaign ORDER BY org")]
