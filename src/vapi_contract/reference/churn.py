"""Live data that moves: the reference target's campaigns change while a suite reads them.

Modelled on how a real organisation's campaigns change between two reads of GET /campaign:
  * status move (45%): a scheduled or in-progress campaign advances one status (scheduled ->
    in-progress -> ended); on ``ended`` it gets an ``endedReason`` (the Campaign schema's
    "explanation for how the campaign ended", as the seed sets it only on ended campaigns);
  * counter bump (20%): a call of a campaign progresses, so one of its callsCounter* numbers
    grows (Vapi moves ``updatedAt`` on every update, counters included); status unchanged;
  * creation (20%): a new campaign, built exactly as the seed builds one
    (:class:`.seed.CampaignBuilder`), scheduled or in-progress, createdAt = updatedAt = now;
  * deletion (15%): a random campaign disappears.
Every touched campaign's ``updatedAt`` becomes "now": the wall clock in ms, made strictly
increasing across changes and never at or below any stored createdAt / updatedAt, so a change is
always the newest thing in the data.  Changes hit the primary organisation, and org-b at its share
of the data (15%).  A change whose kind has no candidate (no scheduled / in-progress campaign left,
an empty organisation) becomes a creation, so every due change happens.

Why: a contract suite reading live data must not raise a false alarm when the data moves between
(never within) its requests; the target applies changes after each listing response is computed.

Rate and determinism: ``rate`` is data changes per listing request (0.2: one change every 5
requests; 2.0: two per request).  After request n, floor(n * rate) changes have been applied
(exact: the rate is read as a decimal fraction).  Kinds, organisations, picked campaigns and new
ids come from ``random.Random(seed)``, so the same seed and request sequence give the same changes;
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
from .seed import ORG_A, ORG_B, CampaignBuilder, _light_pool, _uuid
from .store import Store

MIX = (("status_move", 45), ("counter_bump", 20), ("creation", 20), ("deletion", 15))
KIND_STATS = {"status_move": "status_moves", "counter_bump": "counter_bumps", "creation": "created",
              "deletion": "deleted"}
STATS_KEYS = ("status_moves", "counter_bumps", "created", "deleted", "total")
ORG_B_SHARE = 0.15
NEXT_STATUS = {"scheduled": "in-progress", "in-progress": "ended"}
# endedReason of a campaign that was running when it ended (seed.ENDED_REASONS minus the
# scheduled one: these campaigns had started)
RUN_ENDED_REASONS = ("campaign.ended.success", "campaign.in-progress.ended-by-user")
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

    def __init__(self, store: Store, rate: float, seed: int, statuses: tuple[str, ...],
                 clock: Callable[[], float] = time.time):
        if not (rate >= 0 and math.isfinite(rate)):
            raise ValueError(f"churn rate must be a finite number >= 0, not {rate!r}")
        self.store = store
        self.rate = rate
        self.statuses = statuses
        self._rate = Fraction(repr(float(rate)))
        self.rng = random.Random(seed)
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
        """The wall clock in ms, strictly after every earlier change and after ``floor``."""
        now = max(int(self.clock() * 1000), self._last_ms + 1, floor + 1)
        self._last_ms = now
        return now

    # -- the four kinds ----------------------------------------------------------------------
    def _status_move(self, org: str) -> Change | None:
        picked = self.store.sample(self.rng, org, tuple(NEXT_STATUS))
        if picked is None:
            return None
        cid, text = picked
        campaign = json.loads(text)
        status = NEXT_STATUS[campaign["status"]]
        updated = self._now(_updated_ms(campaign))
        head = {"status": status}
        if status == "ended":
            head["endedReason"] = self.rng.choice(RUN_ENDED_REASONS)
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
            self._builder = CampaignBuilder(_light_pool(random.Random(self.rng.getrandbits(64))), self.statuses)
        status = "scheduled" if self.rng.random() < 0.7 else "in-progress"
        # the id is drawn here (not inside the builder) so that it is fresh whatever the builder draws
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
