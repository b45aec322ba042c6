"""The generated listings' storage: SQLite, one table per group of listings (:mod:`.generate`).

Table ``g<N>(org, id, parent, created_ms, updated_ms, seq, <sort columns>, f0.., search, flag,
body)``: the columns the queries read, and ``body``, the item's JSON text exactly as served (a
page is built by joining these texts).  ``parent`` is the id of the item owning it (a campaign's
contacts, a run's items; '' otherwise); ``f<i>`` the value of the group's i-th filtered field;
``search`` the lowercased text the search parameter matches; ``flag`` the flag parameter's
reading (standaloneOnly).

Filters go in WHERE (ANDed), order and paging in ORDER BY ... LIMIT/OFFSET, or a keyset condition
``(col, id) > (?, ?)`` for a cursor; totalItems is COUNT(*) over the same WHERE (memoised per
clause, cleared by every write).  One connection per store, every statement under one lock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..cursor import Position
from .generate import Row
from .groups import Group

SQL_OPS = {"gt": ">", "lt": "<", "ge": ">=", "le": "<="}
INSTANT_COLUMNS = {"createdAt": "created_ms", "updatedAt": "updated_ms"}


@dataclass
class Plan:
    """One listing request as SQL pieces (the generic faults may rewrite it before it runs)."""

    table: str
    org: str | None  # None: every organisation
    parent: str | None = None  # the path parameter's parent id ('' for a listing without one; None: any)
    conditions: list[tuple[str, tuple]] = field(default_factory=list)
    joiner: str = "AND"
    column: str = "created_ms"  # the order column
    descending: bool = True
    limit: int = 100
    offset: int = 0
    after: Position | None = None  # keyset: a cursor's position
    page_conditions: list[tuple[str, tuple]] | None = None  # (faults only) the page's, when not the count's

    def where(self, conditions: list[tuple[str, tuple]] | None = None, keyset: bool = False) -> tuple[str, tuple]:
        conditions = self.conditions if conditions is None else conditions
        parts: list[str] = []
        args: list = []
        if self.org is not None:
            parts.append("org = ?")
            args.append(self.org)
        if self.parent is not None:
            parts.append("parent = ?")
            args.append(self.parent)
        if conditions:
            parts.append("(" + f" {self.joiner} ".join(c for c, _ in conditions) + ")")
            for _, a in conditions:
                args.extend(a)
        if keyset and self.after is not None:
            parts.append(f"({self.column}, id) {'<' if self.descending else '>'} (?, ?)")
            args.extend((self.after.value, self.after.id))
        return (" WHERE " + " AND ".join(parts)) if parts else "", tuple(args)

    def order_by(self) -> str:
        direction = "DESC" if self.descending else "ASC"
        return f" ORDER BY {self.column} {direction}, id {direction}"


@dataclass(frozen=True)
class Page:
    texts: list[str]
    positions: list[Position]
    more: bool  # a further item exists after the page in the plan's order


class ListingStore:
    """The tables of the generated listings."""

    def __init__(self, path: str = ":memory:"):
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.lock = threading.Lock()
        self.tables: dict[str, str] = {}  # group key -> table
        self.columns: dict[str, tuple[str, ...]] = {}  # table -> its sort columns (beyond the instants)
        self._counts: OrderedDict[tuple, int] = OrderedDict()
        with self.lock:
            self.conn.execute("PRAGMA journal_mode=OFF" if path == ":memory:" else "PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=OFF")

    def create(self, group: Group) -> str:
        table = f"g{len(self.tables)}"
        self.tables[group.key] = table
        sorts = tuple(s.column for s in group.sorts if s.column not in INSTANT_COLUMNS.values())
        self.columns[table] = sorts
        filters = [f"f{i}" for i in range(len(group.filters))]
        columns = ["org TEXT NOT NULL", "id TEXT NOT NULL", "parent TEXT NOT NULL", "created_ms INTEGER NOT NULL",
                   "updated_ms INTEGER NOT NULL", "seq INTEGER NOT NULL", *(f"{c} INTEGER" for c in sorts),
                   *filters, "search TEXT", "flag INTEGER", "body TEXT NOT NULL"]
        with self.lock:
            self.conn.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
        return table

    def load(self, group: Group, rows: Iterable[Row]) -> None:
        table = self.tables[group.key]
        sql = self._insert_sql(table, group)
        with self.lock:
            self.conn.execute("BEGIN")
            self.conn.executemany(sql, (self._values(group, r) for r in rows))
            self.conn.execute("COMMIT")
            index = [("by_created", "org, parent, created_ms, id"), ("by_updated", "org, parent, updated_ms"),
                     ("by_id", "id"), ("by_order", "org, parent, id")]
            index += [(f"by_{c}", f"org, parent, {c}, id") for c in self.columns[table]]
            index += [(f"by_f{i}", f"org, f{i}") for i in range(len(group.filters))]
            for name, cols in index:
                self.conn.execute(f"CREATE INDEX {table}_{name} ON {table} ({cols})")
            self.conn.execute(f"ANALYZE {table}")
            self._counts.clear()

    def _insert_sql(self, table: str, group: Group) -> str:
        n = 6 + len(self.columns[table]) + len(group.filters) + 3
        return f"INSERT INTO {table} VALUES ({', '.join('?' * n)})"

    def _values(self, group: Group, r: Row) -> tuple:
        extra = tuple(v for s, v in zip(group.sorts, r.sorts) if s.column not in INSTANT_COLUMNS.values())
        return (r.org, r.id, r.parent, r.created_ms, r.updated_ms, r.seq, *extra, *r.filters, r.search, r.flag, r.body)

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    # -- reading -------------------------------------------------------------------------------
    def count(self, plan: Plan, keyset: bool = False) -> int:
        where, args = plan.where(keyset=keyset)
        key = (plan.table, where, args)
        with self.lock:
            if key in self._counts:
                self._counts.move_to_end(key)
                return self._counts[key]
            n = self.conn.execute(f"SELECT COUNT(*) FROM {plan.table}{where}", args).fetchone()[0]
            self._counts[key] = n
            if len(self._counts) > 4096:
                self._counts.popitem(last=False)
            return n

    def page(self, plan: Plan) -> Page:
        """``plan.limit`` items after ``plan.offset`` (and after ``plan.after``), with one
        look-ahead row."""
        if plan.limit <= 0:
            return Page([], [], False)
        where, args = plan.where(plan.page_conditions, keyset=True)
        sql = f"SELECT body, {plan.column}, id FROM {plan.table}{where}{plan.order_by()} LIMIT ?"
        args += (plan.limit + 1,)
        if plan.offset:
            sql += " OFFSET ?"
            args += (plan.offset,)
        with self.lock:
            rows = self.conn.execute(sql, args).fetchall()
        shown = rows[: plan.limit]
        return Page([r[0] for r in shown], [Position(r[1], r[2]) for r in shown], len(rows) > plan.limit)

    def holds(self, table: str, item_id: str) -> bool:
        with self.lock:
            return self.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (item_id,)).fetchone() is not None

    def items(self, group_key: str, org: str | None = None, parent: str | None = None) -> list[dict]:
        """Every stored item of a group (of ``org``, under ``parent``), parsed (tests, cross-checks)."""
        table = self.tables[group_key]
        where, args = Plan(table, org, parent).where()
        with self.lock:
            rows = self.conn.execute(f"SELECT body FROM {table}{where}", args).fetchall()
        return [json.loads(r[0]) for r in rows]

    def keys(self, group_key: str) -> list[tuple]:
        """(org, id, parent, created_ms, updated_ms) of every item of a group."""
        table = self.tables[group_key]
        with self.lock:
            return self.conn.execute(f"SELECT org, id, parent, created_ms, updated_ms FROM {table}").fetchall()

    def __len__(self) -> int:
        with self.lock:
            return sum(self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in self.tables.values())

    # -- writing (churn) -------------------------------------------------------------------------
    def insert(self, group: Group, row: Row) -> None:
        table = self.tables[group.key]
        with self.lock:
            self.conn.execute(self._insert_sql(table, group), self._values(group, row))
            self._counts.clear()

    def replace(self, group: Group, row: Row) -> bool:
        """Rewrite a stored item (same id) with ``row``'s columns and body."""
        table = self.tables[group.key]
        with self.lock:
            changed = self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (row.id,)).rowcount
            if changed:
                self.conn.execute(self._insert_sql(table, group), self._values(group, row))
            self._counts.clear()
        return changed > 0

    def delete(self, group: Group, item_id: str) -> bool:
        table = self.tables[group.key]
        with self.lock:
            changed = self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (item_id,)).rowcount
            self._counts.clear()
        return changed > 0

    def sample(self, group: Group, rng, org: str) -> tuple | None:
        """A random stored row of ``org`` as (id, parent, created_ms, updated_ms, seq, body), or None
        (a random rowid, then the first row of the org at or after it: O(log n))."""
        table = self.tables[group.key]
        with self.lock:
            low = self.conn.execute(f"SELECT MIN(rowid) FROM {table}").fetchone()[0]
            high = self.conn.execute(f"SELECT MAX(rowid) FROM {table}").fetchone()[0]
            if low is None:
                return None
            start = rng.randint(low, high)
            for bound in ("rowid >= ?", "rowid < ?"):
                row = self.conn.execute(f"SELECT id, parent, created_ms, updated_ms, seq, body FROM {table} NOT INDEXED"
                                        f" WHERE {bound} AND org = ? ORDER BY rowid LIMIT 1", (start, org)).fetchone()
                if row is not None:
                    return row
        return None

    def newest_ms(self) -> int:
        with self.lock:
            values = [self.conn.execute(f"SELECT MAX(MAX(created_ms), MAX(updated_ms)) FROM {t}").fetchone()[0] or 0
                      for t in self.tables.values()]
        return max(values, default=0)

    def children(self, table: str, parent: str) -> int:
        with self.lock:
            return self.conn.execute(f"SELECT COALESCE(MAX(seq), -1) FROM {table} WHERE parent = ?", (parent,)).fetchone()[0]


def load_all(store: ListingStore, groups: Sequence[Group], rows_of) -> None:
    """Create and fill the table of every group (``rows_of(group)``: its rows)."""
    for g in groups:
        store.create(g)
        store.load(g, rows_of(g))
