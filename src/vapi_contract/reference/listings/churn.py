"""Live data for the generated listings: items change while a suite reads them (``serve --churn
RATE``), with the campaign listings' mix (``reference/churn.py``):

* status move (45%): an item's status (a filtered enum field named ``status``) moves on to the
  next value of its enum - the documented order read as a lifecycle, as the contacts' sortBy
  description reads it ("reads as a lifecycle: pending, dispatched, completed, ...") - e.g. a
  session active -> completed, a simulation run queued -> running -> ended; an item already at
  the last value, or a listing without a status, gets an update instead;
* update (20%): the item changes (its ``updatedAt`` moves; "last updated");
* creation (20%): a new item made exactly as the generator makes one (:mod:`.generate`), with
  references to existing items, createdAt = updatedAt = now, under a parent of its organisation
  for a listing under a path parameter (numbered after that parent's last item);
* deletion (15%): a random item disappears.

Each listing counts its own requests: after its n-th request, floor(n x RATE) changes have been
applied to the items it lists (its group), the primary organisation's or, at their 15% share,
org-b's.  A touched item's instants become "now": the wall clock in ms less the clock lag,
strictly increasing and after every stored instant.  Kinds, organisations, picked items and new
ids come from a stream of the seed of their own per listing: the same seed and request sequence
give the same changes; a new id is never an id stored before (it is drawn again).
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import Counter
from fractions import Fraction
from typing import Callable

from ..seed import ORG_A, ORG_B, _uuid
from .generate import Generator, Row, _column_value, _dig, _sort_value
from .groups import Group
from .values import instant
from .store import ListingStore

MIX = (("status_move", 45), ("update", 20), ("creation", 20), ("deletion", 15))
ORG_B_SHARE = 0.15
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class ListingChurn:
    """Applies ``rate`` changes per request of a generated listing to the items it lists."""

    def __init__(self, generator: Generator, store: ListingStore, rate: float, seed: int,
                 clock: Callable[[], float] = time.time, lag_ms: int = 0):
        if not (rate >= 0 and math.isfinite(rate)):
            raise ValueError(f"churn rate must be a finite number >= 0, not {rate!r}")
        self.generator = generator
        self.store = store
        self.rate = Fraction(repr(float(rate)))
        self.seed = seed
        self.clock = clock
        self.lag_ms = int(lag_ms)
        self.requests: Counter[str] = Counter()
        self.applied: Counter[str] = Counter()
        self.stats: Counter[str] = Counter()
        self._rngs: dict[str, random.Random] = {}
        self._created: Counter[str] = Counter()
        self._last_ms = store.newest_ms()

    def after_request(self, group: Group) -> list[tuple[str, str, str]]:
        """Count one request of ``group``'s listings; apply the changes now due.  Returns
        (kind, org, id) of each."""
        self.requests[group.key] += 1
        due = math.floor(self.requests[group.key] * self.rate) - self.applied[group.key]
        return [self.apply_one(group) for _ in range(due)]

    def _rng(self, group: Group) -> random.Random:
        if group.key not in self._rngs:
            self._rngs[group.key] = random.Random(f"churn:{self.seed}:{group.key}")
        return self._rngs[group.key]

    def _now(self) -> int:
        now = max(int(self.clock() * 1000) - self.lag_ms, self._last_ms + 1)
        self._last_ms = now
        return now

    def apply_one(self, group: Group) -> tuple[str, str, str]:
        rng = self._rng(group)
        kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        org = ORG_B if rng.random() < ORG_B_SHARE else ORG_A
        done = None
        if kind in ("status_move", "update"):
            done = self._change(group, rng, org, kind == "status_move")
        elif kind == "deletion":
            picked = self.store.sample(group, rng, org)
            if picked is not None and self.store.delete(group, picked[0]):
                done = ("deletion", org, picked[0])
        if done is None:
            done = self._creation(group, rng, org)
        self.applied[group.key] += 1
        self.stats[done[0]] += 1
        return done

    def _change(self, group: Group, rng: random.Random, org: str, move: bool) -> tuple[str, str, str] | None:
        picked = self.store.sample(group, rng, org)
        if picked is None:
            return None
        cid, parent, created, updated, seq, body = picked
        item = json.loads(body)
        kind = "update"
        status = group.fields.get("status") or {}
        values = [v for v in status.get("enum") or () if v is not None]
        if move and "status" in group.filters and item.get("status") in values[:-1]:
            item["status"] = values[values.index(item["status"]) + 1]
            kind = "status_move"
        now = max(self._now(), updated + 1)
        if "updatedAt" in item:
            item["updatedAt"] = instant(now)
        self.store.replace(group, self._row(group, item, org, cid, parent, created, now, seq))
        return kind, org, cid

    def _creation(self, group: Group, rng: random.Random, org: str) -> tuple[str, str, str]:
        parent = ""
        if group.parent is not None:
            parents = self.generator._parents(group)
            if not parents.get(org):
                org = ORG_A if org == ORG_B else ORG_B
            if parents.get(org):
                parent = parents[org][int(len(parents[org]) * rng.random() ** 2.5)][0]
        cid = _uuid(rng)
        while self.store.holds(self.store.tables[group.key], cid):
            cid = _uuid(rng)
        now = self._now()
        position = self.store.children(self.store.tables[group.key], parent) + 1
        self._created[group.key] += 1
        row = self.generator.row(group, rng, org, cid, now, now, parent, position, self._created[group.key])
        self.store.insert(group, row)
        return "creation", org, cid

    def _row(self, group: Group, item: dict, org: str, cid: str, parent: str, created: int, updated: int,
             seq: int) -> Row:
        """The stored row of a changed item: its columns read again from its body."""
        sorts = tuple(_sort_value(s, group, item, cid, created, updated, seq) for s in group.sorts)
        filters = tuple(_column_value(_dig(item, f)) for f in group.filters)
        search = " ".join(v for f in group.search if isinstance(v := item.get(f), str)).lower()
        flag = int(group.flag is not None and cid not in self.generator.listed_ids(group))
        return Row(org, cid, parent, created, updated, seq, sorts, filters, search, flag, _dumps(item))
