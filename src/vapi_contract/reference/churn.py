"""Live data that moves: the reference target's campaigns change while a suite reads them.

Modelled on how a real organisation's campaigns change between two reads of GET /campaign:
  * status move (45%): a campaign moves on one status, only into statuses the served surface has
    (:mod:`.lifecycle`): scheduled -> in-progress -> ended, and on 2026-08-18 also scheduled /
    in-progress -> cancelled and ended / cancelled -> archived; a campaign that ends gets an
    ``endedReason`` of the Campaign schema's enum ("explanation for how the campaign ended"),
    an archived one keeps its own;
  * counter bump (20%): a call of a campaign progresses, so one of its callsCounter* numbers
    grows (Vapi moves ``updatedAt`` on every update, counters included); status unchanged;
  * creation (20%): a new campaign, built exactly as the seed builds one
    (:class:`.seed.CampaignBuilder`), scheduled or in-progress, createdAt = updatedAt = now;
  * deletion (15%): a random campaign disappears.
Every touched campaign's ``updatedAt`` becomes "now": the wall clock in ms, made strictly
increasing across changes and never at or below any stored createdAt / updatedAt, so a change is
always the newest thing in the data.  Changes hit the primary organisation, and org-b at its share
of the data (15%).  A change whose kind has no candidate (no campaign that can move on left, an
empty organisation) becomes a creation, so every due change happens.

Clock lag (``lag_ms``, ``serve --clock-lag MS``): the instants written lag ``lag_ms`` behind the
wall clock, the one the server's ``Date`` header shows: a database clock behind the web tier, or a
write committed after a snapshot that began earlier.  A campaign changed "now" carries updatedAt
(and a created one createdAt) = now - lag_ms: still strictly increasing across changes, but
possibly earlier than a ``Date`` a client has already seen, so a client that pins its reads to
"changed at or before the Date it saw" can still see the change.  Without churn nothing is written
and the lag shows nowhere.

Why: a contract suite reading live data must not raise a false alarm when the data moves between
(never within) its requests; the target applies changes after each listing response is computed.

Rate and determinism: ``rate`` is data changes per listing request (0.2: one change every 5
requests; 2.0: two per request).  After request n, floor(n * rate) changes have been applied
(exact: the rate is read as a decimal fraction).  Kinds, organisations, picked campaigns and new
ids come from their own stream of ``seed`` (not the seed data's: a new id is never an old one, and it is
drawn again if it ever were), so the same seed and request sequence give the same changes;
only the timestamps follow the real clock.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from ..timeutil import format_ms, parse_ms
from . import lifecycle
from .seed import ORG_A, ORG_B, CampaignBuilder, _light_pool, _uuid
from .store import Store
from .surface import Surface

MIX = (("status_move", 45), ("counter_bump", 20), ("creation", 20), ("deletion", 15))
KIND_STATS = {"status_move": "status_moves", "counter_bump": "counter_bumps", "creation": "created",
              "deletion": "deleted"}
STATS_KEYS = ("status_moves", "counter_bumps", "created", "deleted", "total")
ORG_B_SHARE = 0.15
COUNTERS = ("callsCounterEnded", "callsCounterEndedVoicemail", "callsCounterQueued", "callsCounterInProgress",
            "callsCounterScheduled")
HISTORY = 10_000  # changes remembered in ``history`` (for tests and debugging)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def mix_text() -> str:
    """The change mix, for help texts: "status move 45%, counter bump 20%, ..."."""
    return ", ".join(f"{kind.replace('_', ' ')} {share}%" for kind, share in MIX)


@dataclass(frozen=True)
class Change:
    """One applied change: its kind (a MIX name), the organisation and campaign id, and detail
    (the new status, the counter bumped, or "")."""

    kind: str
    org: str
    id: str
    detail: str = ""


class Churn:
    """Applies ``rate`` data changes per listing request to ``store`` (see the module doc)."""

    def __init__(self, store: Store, rate: float, seed: int, surface: Surface,
                 clock: Callable[[], float] = time.time, lag_ms: int = 0):
        if not (rate >= 0 and math.isfinite(rate)):
            raise ValueError(f"churn rate must be a finite number >= 0, not {rate!r}")
        if not lag_ms >= 0:
            raise ValueError(f"clock lag must be >= 0 ms, not {lag_ms!r}")
        self.store = store
        self.rate = rate
        self.surface = surface
        self.statuses = surface.statuses
        self.lag_ms = int(lag_ms)
        self._rate = Fraction(repr(float(rate)))
        self.rng = random.Random(f"churn:{seed}")  # its own stream: Random(seed) would replay the seed's ids
        self.clock = clock
        self.requests = 0
        self.applied = 0
        self.history: deque[Change] = deque(maxlen=HISTORY)
        self._counts = dict.fromkeys(KIND_STATS.values(), 0)
        self._builder: CampaignBuilder | None = None
        self._last_ms = store.newest_ms() if rate else 0
        self._created = len(store) if rate else 0  # index of the next created campaign (names, depth)

    @property
    def active(self) -> bool:
        return self.rate > 0

    @property
    def stats(self) -> dict[str, int]:
        """Changes applied so far: status_moves, counter_bumps, created, deleted, total."""
        return {**self._counts, "total": self.applied}

    def after_request(self) -> list[Change]:
        """Count one listing request and apply the changes now due (floor(requests * rate) in all)."""
        self.requests += 1
        due = math.floor(self.requests * self._rate) - self.applied
        return [self.apply_one() for _ in range(due)]

    def apply_one(self) -> Change:
        kinds = [k for k, _ in MIX]
        kind = self.rng.choices(kinds, weights=[w for _, w in MIX])[0]
        org = ORG_B if self.rng.random() < ORG_B_SHARE else ORG_A
        change = {"status_move": self._status_move, "counter_bump": self._counter_bump,
                  "deletion": self._deletion}.get(kind, self._creation)(org) or self._creation(org)
        self.applied += 1
        self._counts[KIND_STATS[change.kind]] += 1
        self.history.append(change)
        return change

    # -- the clock ---------------------------------------------------------------------------
    def _now(self, floor: int = 0) -> int:
        """The wall clock in ms less the lag, strictly after every earlier change and after ``floor``."""
        now = max(int(self.clock() * 1000) - self.lag_ms, self._last_ms + 1, floor + 1)
        self._last_ms = now
        return now

    # -- the four kinds ----------------------------------------------------------------------
    def _status_move(self, org: str) -> Change | None:
        picked = self.store.sample(self.rng, org, lifecycle.movable(self.statuses))
        if picked is None:
            return None
        cid, text = picked
        campaign = json.loads(text)
        status, reason = lifecycle.move(self.rng, campaign["status"], self.statuses)
        updated = self._now(_updated_ms(campaign))
        head = {"status": status}
        if reason is not None:
            head["endedReason"] = reason
        body = {**head, **{k: v for k, v in campaign.items() if k not in head}, "updatedAt": format_ms(updated)}
        self.store.update(cid, status, updated, _dumps(body))
        return Change("status_move", org, cid, status)

    def _counter_bump(self, org: str) -> Change | None:
        picked = self.store.sample(self.rng, org, ("in-progress",)) or self.store.sample(self.rng, org)
        if picked is None:
            return None
        cid, text = picked
        campaign = json.loads(text)
        counter = self.rng.choice(COUNTERS)
        campaign[counter] = campaign.get(counter, 0) + 1
        if counter == "callsCounterEndedVoicemail":  # a voicemail call is an ended call too
            campaign["callsCounterEnded"] = campaign.get("callsCounterEnded", 0) + 1
        updated = self._now(_updated_ms(campaign))
        campaign["updatedAt"] = format_ms(updated)
        self.store.update(cid, campaign["status"], updated, _dumps(campaign))
        return Change("counter_bump", org, cid, counter)

    def _creation(self, org: str) -> Change:
        if self._builder is None:
            self._builder = CampaignBuilder(_light_pool(random.Random(self.rng.getrandbits(64))), self.surface)
        status = "scheduled" if self.rng.random() < 0.7 else "in-progress"
        # the id is drawn here (not inside the builder) so that it is fresh whatever the builder draws
        cid = _uuid(self.rng)
        while self.store.holds(cid):  # an id is an id: never a second campaign under one
            cid = _uuid(self.rng)
        now = self._now()
        record = self._builder.record(self.rng, self._created, now, org=org, status=status, cid=cid, updated=now)
        self._created += 1
        self.store.insert(record)
        return Change("creation", org, cid, status)

    def _deletion(self, org: str) -> Change | None:
        picked = self.store.sample(self.rng, org)
        if picked is None:
            return None
        self.store.delete(picked[0])
        return Change("deletion", org, picked[0])


def _updated_ms(campaign: dict) -> int:
    return parse_ms(campaign["updatedAt"])
