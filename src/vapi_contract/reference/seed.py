"""Deterministic seed data for the reference target: realistic campaigns, valid against the schemas.

Doc lines honoured (Campaign schema): status one of the served surface's statuses; endedReason (enum)
"explanation for how the campaign ended", set exactly on campaigns that have ended (ended,
cancelled, archived: see :mod:`.lifecycle`); "phoneNumberId and
dialPlan are mutually exclusive", customers "required if dialPlan is not provided"; "Only one of
assistantId, workflowId, or squadId can be used"; schedulePlan earliestAt (required) / latestAt;
calls (map of call ids) and the five callsCounter* numbers (required).

The same ``seed`` gives the same data (``random.Random(seed)`` drives every choice, ids included).
What the data is made to contain, because contract checks need it: every status of the served
surface (the first campaigns hold one of each, so even a tiny dataset has them all); createdAt spread
over two years with exact ties (2-4 campaigns sharing one instant) and 1 ms neighbours; updatedAt
>= createdAt, some equal; unicode and 300-character names; two organisations ("org-a" holding
~85%, "org-b").  About 1 campaign in 10 is full depth (customers with assistantOverrides carrying a
transcriber, voice and model: the fragments of the served document, :mod:`.fragments`).

Speed: 100,000 campaigns in a few seconds.  The heavy parts (customers / dialPlan) come from a
pool of pre-serialised JSON fragments; each campaign serialises only its own small fields and the
fragment is spliced into its JSON text.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator

from ..timeutil import format_ms
from .fragments import pool
from .lifecycle import SEEDED_REASONS
from .surface import Surface

ORG_A = "org-a"  # the primary organisation (about 85% of the campaigns)
ORG_B = "org-b"
# Fixed, documented bearer keys of the two organisations (the target is a local test double).
ORG_KEYS = {
    ORG_A: "vapi-target-key-org-a-3f8e1c52",
    ORG_B: "vapi-target-key-org-b-9d04a7e6",
}
PRIMARY_ORG = ORG_A
ORG_IDS = {ORG_A: "2b6f7a44-5c1e-4d8a-9e33-0a1b2c3d4e5f", ORG_B: "7c1d9e20-8f3a-4b6c-a5d7-1e2f3a4b5c6d"}

# how often each status is drawn (a status the surface does not serve is never drawn)
STATUS_WEIGHTS = {"ended": 5, "in-progress": 2, "scheduled": 3, "cancelled": 1, "archived": 1}
EPOCH_END_MS = 1_748_736_000_000  # 2025-06-01T00:00:00.000Z: the newest createdAt (fixed, not "now")
SPAN_MS = 2 * 365 * 24 * 3600 * 1000  # two years
FULL_DEPTH_EVERY = 10

_NAMES = (
    "Q2 Sales Campaign", "Renewals – EMEA", "Recordatorios de citas", "Überfällige Rechnungen",
    "お客様アンケート", "客户回访 第三季度", "Отзывы клиентов", "حملة التجديد", "Café ☕ follow-ups",
    "🚀 Launch outreach", "Win-back (churned)", "NPS survey — wave 3", "Demo no-shows",
    "Appointment reminders", "Collections: 30 days", "Webinar invites",
)
_FIRST = ("Ada", "Grace", "Linus", "Zoë", "José", "Søren", "Mei", "Ngozi", "Priya", "Łukasz")


@dataclass(frozen=True)
class Record:
    """One stored campaign: the indexed columns and its JSON text."""

    org: str  # ORG_A | ORG_B
    id: str
    created_ms: int
    updated_ms: int
    status: str
    body: str  # the campaign's JSON text, exactly as served


def _uuid(rng: random.Random) -> str:
    """``str(uuid.UUID(int=rng.getrandbits(128), version=4))``, twice as fast (the seed draws
    about four ids per campaign)."""
    n = rng.getrandbits(128) & ~(0xC000 << 48) & ~(0xF000 << 64) | (0x8000 << 48) | (0x4 << 76)
    h = "%032x" % n
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _light_customers(rng: random.Random, count: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(count):
        first = rng.choice(_FIRST)
        customer = {"number": f"+1415555{rng.randrange(10000):04d}", "name": f"{first} {rng.choice('ABCDEFGHJK')}."}
        if rng.random() < 0.5:
            customer["email"] = f"{first.lower().encode('ascii', 'ignore').decode() or 'c'}{rng.randrange(999)}@example.com"
        if rng.random() < 0.3:
            customer["externalId"] = f"crm-{rng.randrange(10**6):06d}"
        out.append(customer)
    return out


def _light_pool(rng: random.Random) -> list[tuple[str, str]]:
    out = []
    for index in range(32):
        if index % 4 == 3:
            plan = [{"phoneNumberId": _uuid(rng), "customers": _light_customers(rng, rng.randint(1, 3))}
                    for _ in range(rng.randint(1, 2))]
            out.append(("dialPlan", json.dumps(plan, ensure_ascii=False, separators=(",", ":"))))
        else:
            out.append(("customers", json.dumps(_light_customers(rng, rng.randint(1, 5)), ensure_ascii=False,
                                                separators=(",", ":"))))
    return out


def _created_stamps(rng: random.Random, n: int) -> list[int]:
    """n instants over two years: mostly random, with tie groups and 1 ms neighbours."""
    stamps: list[int] = []
    while len(stamps) < n:
        base = EPOCH_END_MS - rng.randrange(SPAN_MS)
        roll = rng.random()
        if roll < 0.12:  # exact tie: 2-4 campaigns created in the same millisecond
            stamps.extend([base] * rng.randint(2, 4))
        elif roll < 0.20:  # 1 ms neighbours
            stamps.extend([base, base + 1] + ([base + 2] if rng.random() < 0.3 else []))
        else:
            stamps.append(base)
    stamps = stamps[:n]
    rng.shuffle(stamps)
    return stamps


def _name(rng: random.Random, i: int) -> str:
    roll = rng.random()
    if roll < 0.03:
        unit = "Very long campaign name for the quarterly renewal outreach – "
        return (unit * 6)[:300]
    base = rng.choice(_NAMES)
    return f"{base} #{i}" if roll < 0.8 else base


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class CampaignBuilder:
    """Builds one campaign record the way the seed does: also used by the churn engine
    (:mod:`.churn`) to create campaigns while the target runs, so created campaigns look like
    (and validate like) seeded ones.

    ``light`` is the pool of light customers / dialPlan fragments (drawn from an rng once); the
    full-depth fragments are the served document's (:mod:`.fragments`), shared and cached."""

    def __init__(self, light: list[tuple[str, str]], surface: Surface):
        self.rich = pool(surface.date)
        self.light = light
        self.statuses = surface.statuses
        self.weights = tuple(STATUS_WEIGHTS.get(s, 1) for s in self.statuses)

    def record(self, rng: random.Random, i: int, created: int, *, org: str | None = None, status: str | None = None,
               cid: str | None = None, updated: int | None = None) -> Record:
        """Campaign number ``i`` created at ``created`` (ms).  Every argument left None is drawn
        from ``rng`` (in a fixed order, so the seed's data never changes); ``cid`` / ``updated``
        given: that id / updatedAt."""
        if org is None:
            org = ORG_B if rng.random() < 0.15 else ORG_A
        if status is None:
            # the first campaigns: one of each status, so even a tiny dataset has every status
            statuses = self.statuses
            status = statuses[i] if i < len(statuses) else rng.choices(statuses, weights=self.weights)[0]
        roll = rng.random()
        if updated is None:
            updated = created if roll < 0.25 else created + (1 if roll < 0.3 else rng.randrange(1, 90 * 86_400_000))
        head: dict[str, Any] = {"status": status}
        if status in SEEDED_REASONS:
            head["endedReason"] = rng.choice(SEEDED_REASONS[status])
        head["name"] = _name(rng, i)
        which = rng.random()
        if which < 0.6:
            head["assistantId"] = _uuid(rng)
        elif which < 0.75:
            head["workflowId"] = _uuid(rng)
        elif which < 0.85:
            head["squadId"] = _uuid(rng)
        rich, light = self.rich, self.light
        kind, fragment = rich[i % len(rich)] if i % FULL_DEPTH_EVERY == 0 else light[rng.randrange(len(light))]
        if kind == "customers":
            head["phoneNumberId"] = _uuid(rng)
        earliest = created + rng.randrange(0, 7 * 86_400_000)
        plan = {"earliestAt": format_ms(earliest)}
        if rng.random() < 0.6:
            plan["latestAt"] = format_ms(earliest + rng.randrange(3_600_000, 14 * 86_400_000))
        head["schedulePlan"] = plan
        drawn = _uuid(rng)
        cid = drawn if cid is None else cid
        ended = rng.randrange(0, 400) if status != "scheduled" else 0
        calls = {_uuid(rng): {"status": rng.choice(("ended", "in-progress", "queued"))}
                 for _ in range(rng.randint(0, 3) if status != "scheduled" else 0)}
        tail = {
            "id": cid, "orgId": ORG_IDS[org], "createdAt": format_ms(created), "updatedAt": format_ms(updated),
            "calls": calls,
            "callsCounterScheduled": rng.randrange(0, 500),
            "callsCounterQueued": rng.randrange(0, 50) if status == "in-progress" else 0,
            "callsCounterInProgress": rng.randrange(0, 20) if status == "in-progress" else 0,
            "callsCounterEndedVoicemail": rng.randrange(0, ended + 1),
            "callsCounterEnded": ended,
        }
        body = f'{_dumps(head)[:-1]},"{kind}":{fragment},{_dumps(tail)[1:]}'
        return Record(org, cid, created, updated, status, body)


def iter_records(campaigns: int, seed: int, surface: Surface) -> Iterator[Record]:
    """The records of :func:`generate`, one at a time (so a large store is loaded without holding
    every record in a Python list)."""
    rng = random.Random(seed)
    builder = CampaignBuilder(_light_pool(rng), surface)
    stamps = _created_stamps(rng, campaigns)
    for i in range(campaigns):
        yield builder.record(rng, i, stamps[i])


REMEMBERED_UP_TO = 2000  # campaigns: datasets this small are generated once per process


def records(campaigns: int, seed: int, surface: Surface) -> Iterable[Record]:
    """The records of :func:`iter_records`; a small dataset is generated once per process and
    remembered (records are immutable): tests and self-tests start many targets of the same data."""
    if campaigns <= REMEMBERED_UP_TO:
        return _remembered(campaigns, seed, surface)
    return iter_records(campaigns, seed, surface)


@lru_cache(maxsize=8)
def _remembered(campaigns: int, seed: int, surface: Surface) -> tuple[Record, ...]:
    return tuple(iter_records(campaigns, seed, surface))


def generate(campaigns: int, seed: int, surface: Surface) -> list[Record]:
    """``campaigns`` records (both organisations) of ``surface``'s document, deterministic in ``seed``."""
    return list(iter_records(campaigns, seed, surface))
