"""The generated listings of one contract behind one object: the app routes every path that is not
a campaign listing here (:mod:`..app`).

``Listings.build(root, ...)`` reads the contract under ``root`` (:mod:`.model`), generates the
items of every listing the campaign implementation does not serve (:mod:`.generate`: ``items``
per listing, the campaigns of the campaign store as the contacts' parents) into a store of their
own (:mod:`.store`), and answers requests (:mod:`.respond`) with the generic faults given
(:mod:`.faults`) and live data (:mod:`.churn`).  A small dataset (up to ``REMEMBERED_UP_TO`` items
in all) is generated once per process: tests start many targets of the same data.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

from ...contract.locate import CONTRACT_FILE
from ..store import Store
from ..variant import Interference
from . import model
from .churn import ListingChurn
from .faults import GenericFault
from .generate import DEFAULT_ITEMS, Generator, Row
from .groups import Group, groups
from .model import Listing
from .respond import respond
from .store import ListingStore

REMEMBERED_UP_TO = 20_000


@lru_cache(maxsize=8)
def listing_paths(root: Path) -> tuple[str, ...]:
    """The paths of ``root``'s contract whose GET answers a list of items (the contract document
    alone: no schema is read when there is nothing to generate)."""
    document = json.loads((root / CONTRACT_FILE).read_text(encoding="utf-8"))
    return tuple(x.path for x in model.read(root).listings) if _any_beyond(document) else ()


def _any_beyond(document: dict) -> bool:
    paths = document.get("paths") or {}
    return any(p not in ("/campaign", "/v2/campaign") and "get" in (item or {}) for p, item in paths.items())


def counts_key(items: int | Mapping[str, int]) -> tuple:
    return (items,) if isinstance(items, int) else tuple(sorted(items.items()))


class Listings:
    """The generated listings served beside the campaign ones."""

    def __init__(self, reading: model.ContractReading, served: Sequence[Listing], generator: Generator,
                 store: ListingStore, faults: Sequence[GenericFault] = (), churn: ListingChurn | None = None):
        self.reading = reading
        self.served = tuple(served)
        self.generator = generator
        self.store = store
        self.faults = [f for f in faults]
        self.churn = churn
        self.groups: dict[str, Group] = {x.path: generator.group_of(x.path) for x in served}
        self.requests = 0
        self._lock = threading.Lock()

    @classmethod
    def build(cls, root: Path | str, campaigns: Store, *, exclude: Sequence[str], seed: int,
              items: int | Mapping[str, int] = DEFAULT_ITEMS, faults: Sequence[GenericFault] = (),
              churn: float = 0.0, churn_seed: int | None = None, lag_ms: int = 0) -> "Listings | None":
        """The generated listings of the contract under ``root`` but those at ``exclude`` (the
        campaign listings), or None when there is none."""
        root = Path(root).resolve()
        paths = tuple(p for p in listing_paths(root) if p not in exclude)
        if not paths:
            return None
        reading = model.read(root)
        served = [x for x in reading.listings if x.path in paths]
        for f in faults:
            if not any(f.on(x) for x in served):
                raise ValueError(f"fault {f.label!r} applies to none of the listings served (see --list-faults)")
        keys = campaigns.keys()
        made = groups(reading, paths)
        generator = Generator(made, seed, items, keys)
        store = ListingStore()
        remembered = _remembered(root, paths, seed, counts_key(items), tuple((o, tuple(k)) for o, k in sorted(keys.items()))) \
            if _total(generator) <= REMEMBERED_UP_TO else None
        for g in generator.order():
            store.create(g)
            store.load(g, remembered[g.key] if remembered is not None else generator.rows(g))
        engine = ListingChurn(generator, store, churn, seed if churn_seed is None else churn_seed, lag_ms=lag_ms) \
            if churn else None
        return cls(reading, served, generator, store, faults, engine)

    # -- routing -------------------------------------------------------------------------------
    def match(self, path: str) -> tuple[Listing, dict[str, str]] | None:
        """The listing served at ``path`` and its path parameters' values, or None."""
        for listing in self.served:
            m = listing.pattern.match(path)
            if m:
                return listing, m.groupdict()
        return None

    def listing(self, path: str) -> Listing | None:
        return next((x for x in self.served if x.path == path), None)

    # -- hooks the app calls -------------------------------------------------------------------
    def authenticate(self, key: str | None, keys: Mapping[str, str]) -> str | None:
        for f in self.faults:
            if f.authenticate is not None:
                return f.authenticate(key, keys)
        return keys.get(key) if key else None

    def before(self) -> Interference | None:
        with self._lock:
            self.requests += 1
            n = self.requests
        for f in self.faults:
            if f.before is not None:
                found = f.before(n)
                if found is not None:
                    return found
        return None

    def answer(self, org: str, listing: Listing, path_values: Mapping[str, str],
               pairs: Sequence[tuple[str, str]], parent_exists) -> tuple[int, str]:
        faults = [f for f in self.faults if f.on(listing)]
        return respond(self.store, listing, self.groups[listing.path], org, path_values, pairs, faults, parent_exists)

    def after(self, listing: Listing) -> None:
        if self.churn is not None:
            self.churn.after_request(self.groups[listing.path])

    def exists(self, path: str, org: str, item_id: str) -> bool | None:
        """Whether ``item_id`` is an item of the generated listing at ``path`` in ``org`` (None:
        no such generated listing)."""
        group = self.generator.group_of(path)
        if group is None:
            return None
        table = self.store.tables[group.key]
        with self.store.lock:
            row = self.store.conn.execute(f"SELECT org FROM {table} WHERE id = ?", (item_id,)).fetchone()
        return row is not None and row[0] == org

    # -- inspection ------------------------------------------------------------------------------
    def items(self, path: str, org: str | None = None, parent: str | None = None) -> list[dict]:
        """The stored items the listing at ``path`` draws from (of ``org``; under ``parent``)."""
        return self.store.items(self.groups[path].key, org, parent)

    def parents(self, path: str, org: str) -> list[str]:
        """The parent ids under which the listing at ``path`` has items of ``org``."""
        table = self.store.tables[self.groups[path].key]
        with self.store.lock:
            rows = self.store.conn.execute(f"SELECT parent, COUNT(*) AS n FROM {table} WHERE org = ? GROUP BY parent"
                                           " ORDER BY n DESC, parent", (org,)).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        self.store.close()

    def text(self) -> str:
        """What ``serve --list-listings`` prints: each listing, its family, items and roles."""
        lines = []
        for x in self.served:
            group = self.groups[x.path]
            count = len(self.store.keys(group.key))
            roles = "; ".join(f"{role}: {', '.join(names)}" for role, names in x.roles().items() if role != "bound")
            bounds = len(x.having("bound"))
            lines.append(f"  {x.label:<42} {x.family:<9} {x.item_name or '(inline union)'}, {count} items"
                         f"{f', {bounds} bounds' if bounds else ''}; {roles}")
        return "\n".join(lines)


def _total(generator: Generator) -> int:
    return sum(len(ids) for keys in generator.keys.values() for ids in keys.ids.values())


@lru_cache(maxsize=8)
def _remembered(root: Path, paths: tuple[str, ...], seed: int, counts: tuple, campaigns: tuple) -> dict[str, tuple[Row, ...]]:
    reading = model.read(root)
    items = counts[0] if len(counts) == 1 and isinstance(counts[0], int) else dict(counts)
    generator = Generator(groups(reading, paths), seed, items, {org: list(k) for org, k in campaigns})
    return {g.key: tuple(generator.rows(g)) for g in generator.order()}
