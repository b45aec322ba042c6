"""Live data (``churn``): the reference target's campaigns move between responses, never within one,
and every served body stays valid.  Real HTTP against ``running_target(churn=...)``."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from suite_oracle import SERVED

from vapi_contract.reference.churn import MIX, STATS_KEYS, Churn, mix_text
from vapi_contract.reference.faults import DRIFTS, FAULTS, SLOW_ENV
from vapi_contract.reference.seed import ORG_A, generate
from vapi_contract.reference.server import running_target
from vapi_contract.reference.store import Store
from vapi_contract.timeutil import parse_ms

CAMPAIGNS = 200
ORDER = {"scheduled": 0, "in-progress": 1, "ended": 2}


def client_for(target) -> httpx.Client:
    return httpx.Client(base_url=target.base_url, headers={"Authorization": f"Bearer {target.api_key}"}, timeout=30)


def listing(client, validator, **params) -> dict:
    """One full page of the primary organisation (checked: 200, valid, self-consistent)."""
    r = client.get("/campaign", params={"limit": 1000, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert validator.page_violations(body, "CampaignPaginatedResponse", "Campaign") == []
    assert body["metadata"]["totalItems"] == len(body["results"])  # one snapshot: count and items agree
    return body


def newest_ms(campaigns) -> int:
    return max(max(parse_ms(c["createdAt"]), parse_ms(c["updatedAt"])) for c in campaigns)


def test_without_churn_nothing_changes(validator):
    with running_target(campaigns=CAMPAIGNS) as t, client_for(t) as c:
        first = listing(c, validator)
        for _ in range(15):
            assert listing(c, validator) == first
        assert t.churn_stats == dict.fromkeys(STATS_KEYS, 0)
        assert t.service.churn is None


@pytest.mark.parametrize("rate, requests", [(0.2, 50), (2.0, 20), (0.35, 40)])
def test_stats_add_up_to_requests_times_rate(validator, rate, requests):
    with running_target(campaigns=CAMPAIGNS, churn=rate) as t, client_for(t) as c:
        for _ in range(requests):
            c.get("/campaign", params={"limit": 3})
        stats = t.churn_stats
    assert set(stats) == set(STATS_KEYS)
    assert stats["total"] == int(requests * rate + 1e-9)  # floor(requests * rate), exactly
    assert sum(stats[k] for k in STATS_KEYS if k != "total") == stats["total"]


def test_unauthorised_requests_do_not_move_data():
    with running_target(campaigns=CAMPAIGNS, churn=1.0) as t:
        for _ in range(5):
            assert httpx.get(f"{t.base_url}/campaign", timeout=10).status_code == 401
        assert t.churn_stats["total"] == 0


def test_moving_data_as_seen_through_listings(validator):
    """Over many requests: status moves go forward with a fresh updatedAt, creations are newer than
    everything seeded, deletions vanish (also from id= lookups), every response is valid."""
    with running_target(campaigns=CAMPAIGNS, churn=1.5, churn_seed=3) as t, client_for(t) as c:
        seeded_newest = newest_ms(t.campaigns())
        before = {x["id"]: x for x in listing(c, validator)["results"]}
        moved = created = deleted = 0
        for _ in range(60):
            now = {x["id"]: x for x in listing(c, validator)["results"]}
            previous_newest = newest_ms(before.values())
            for cid, item in now.items():
                old = before.get(cid)
                if old is None:  # created since the previous response
                    created += 1
                    assert parse_ms(item["createdAt"]) == parse_ms(item["updatedAt"]) > seeded_newest
                    assert parse_ms(item["createdAt"]) > previous_newest
                    assert item["status"] in ("scheduled", "in-progress")
                elif item != old:  # updated since the previous response
                    assert parse_ms(item["updatedAt"]) > parse_ms(old["updatedAt"])
                    assert parse_ms(item["updatedAt"]) > previous_newest
                    assert item["createdAt"] == old["createdAt"]
                    if item["status"] != old["status"]:
                        moved += 1
                        assert ORDER[item["status"]] == ORDER[old["status"]] + 1
                        assert ("endedReason" in item) == (item["status"] == "ended")
                    else:
                        counters = [k for k in item if k.startswith("callsCounter") and item[k] != old[k]]
                        assert counters and all(item[k] > old[k] for k in counters)
            gone = set(before) - set(now)
            for cid in gone:
                deleted += 1
                found = listing(c, validator, id=cid)
                assert found["results"] == [] and found["metadata"]["totalItems"] == 0
            before = {x["id"]: x for x in listing(c, validator)["results"]}
        stats = t.churn_stats
    assert moved and created and deleted
    # org-a sees about 85% of the changes; every one it saw was counted by the engine
    assert created <= stats["created"] and deleted <= stats["deleted"] and moved <= stats["status_moves"]


def test_filters_stay_consistent_within_each_response(validator):
    with running_target(campaigns=CAMPAIGNS, churn=2.0) as t, client_for(t) as c:
        for i in range(30):
            status = ("scheduled", "in-progress", "ended")[i % 3]
            body = listing(c, validator, status=status)
            assert {x["status"] for x in body["results"]} <= {status}
            paged = c.get("/campaign", params={"limit": 7, "page": 2}).json()
            assert validator.page_violations(paged, "CampaignPaginatedResponse", "Campaign") == []
            assert len(paged["results"]) == min(7, max(0, paged["metadata"]["totalItems"] - 7))
        assert t.churn_stats["total"] == 120


def test_same_seed_same_changes(validator):
    def run(churn_seed):
        with running_target(campaigns=CAMPAIGNS, churn=1.3, churn_seed=churn_seed) as t, client_for(t) as c:
            for i in range(25):
                c.get("/campaign", params={"limit": 5, "page": 1 + i % 3})
            ids = [x["id"] for x in listing(c, validator)["results"]]
            return list(t.service.churn.history), ids

    first, second, other = run(11), run(11), run(12)
    assert len(first[0]) == 33 and {c.kind for c in first[0]} == {k for k, _ in MIX}
    assert first == second
    assert first[0] != other[0]


def test_status_move_sets_a_later_status_and_a_newer_updated_at():
    store = Store().load(generate(50, 5, SERVED.statuses))
    seeded = {x["id"]: x for x in store.campaigns()}
    churn = Churn(store, 1.0, seed=2, statuses=SERVED.statuses, clock=lambda: 0.0)  # a clock stuck in 1970: still strictly increasing
    stamps = []
    for _ in range(40):
        change = churn.apply_one()
        if change.kind == "status_move":
            item = next(x for x in store.campaigns() if x["id"] == change.id)
            old = seeded.get(change.id)
            if old is not None:
                assert ORDER[item["status"]] > ORDER[old["status"]]
            assert item["status"] == change.detail
            stamps.append(parse_ms(item["updatedAt"]))
    assert stamps and stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert min(stamps) > newest_ms(seeded.values())


def test_store_columns_follow_the_body_and_counts_are_not_stale(validator):
    store = Store().load(generate(120, 9, SERVED.statuses))
    churn = Churn(store, 1.0, seed=4, statuses=SERVED.statuses)
    counted = {s: store.conn.execute("SELECT COUNT(*) FROM campaign WHERE status = ?", (s,)).fetchone()[0]
               for s in ORDER}
    for _ in range(80):
        churn.apply_one()
    rows = store.conn.execute("SELECT id, org, created_ms, updated_ms, status, body FROM campaign").fetchall()
    for cid, org, created, updated, status, body in rows:
        item = json.loads(body)
        assert (item["id"], item["status"], parse_ms(item["createdAt"]), parse_ms(item["updatedAt"])) == (
            cid, status, created, updated)
        assert validator.violations(item, "Campaign") == []
    after = {s: sum(1 for r in rows if r[4] == s) for s in ORDER}
    assert after != counted  # the data did move
    assert len(rows) == 120 + churn.stats["created"] - churn.stats["deleted"]


def test_memoised_count_is_invalidated_by_every_mutation():
    from vapi_contract.reference.listing import parse, plan_for

    records = generate(60, 2, SERVED.statuses)
    store = Store().load(records)
    plan = plan_for(parse([("status", "scheduled")], SERVED)[0], ORG_A)
    n = store.count(plan)
    assert store.count(plan) == n  # memoised
    victim, other = [r for r in records if r.org == ORG_A and r.status == "scheduled"][:2]
    assert store.delete(victim.id)
    assert store.count(plan) == n - 1
    store.insert(victim)
    assert store.count(plan) == n
    moved = other.body.replace('"status":"scheduled"', '"status":"in-progress"', 1)
    assert store.update(other.id, "in-progress", other.updated_ms + 1, moved)
    assert store.count(plan) == n - 1
    assert not store.delete("no-such-id") and not store.update("no-such-id", "ended", 1, "{}")
    assert victim.id in {x["id"] for x in store.campaigns(ORG_A)}


def test_random_pick_never_scans_the_table():
    """Every statement of Store.sample is a b-tree search (O(log n) at 100,000 campaigns), never a
    SCAN (e.g. MIN(rowid), MAX(rowid) in one query scans the whole table)."""
    import random

    store = Store().load(generate(300, 1, SERVED.statuses))
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    for org, statuses in ((ORG_A, ()), ("org-b", ("in-progress",)), (ORG_A, ("scheduled", "in-progress"))):
        assert store.sample(random.Random(1), org, statuses) is not None
    store.conn.set_trace_callback(None)
    assert statements
    for sql in statements:
        plan = " ".join(row[-1] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "SEARCH" in plan and "SCAN" not in plan, (sql, plan)


@pytest.mark.parametrize("variant", [("fault", n) for n in FAULTS] + [("drift", n) for n in DRIFTS],
                         ids=lambda v: v[1])
def test_churn_works_with_every_variant(variant, monkeypatch):
    monkeypatch.setenv(SLOW_ENV, "0.01")
    kind, name = variant
    with running_target(campaigns=60, churn=2.0, **{kind: name}) as t, client_for(t) as c:
        statuses = [c.get("/campaign", params={"limit": 10}).status_code for _ in range(6)]
        assert t.churn_stats["total"] == 12
    assert set(statuses) <= ({200, 500} if name == "intermittent-5xx" else {200})


def test_serve_rejects_negative_churn():
    result = subprocess.run([sys.executable, "-m", "vapi_contract", "serve", "--churn", "-1", "--port", "0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("vapi-contract: error: --churn must be") and result.stderr.count("\n") == 1


def test_serve_help_states_rate_and_mix():
    result = subprocess.run([sys.executable, "-m", "vapi_contract", "serve", "--help"], capture_output=True,
                            text=True, timeout=60)
    text = " ".join(result.stdout.split())
    assert "RATE data changes per listing request" in text and mix_text() in text


def test_serve_banner_shows_churn():
    proc = subprocess.Popen([sys.executable, "-m", "vapi_contract", "serve", "--port", "0", "--campaigns", "30",
                             "--churn", "0.5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(5)]
        assert any(f"churn: 0.5 data changes per listing request ({mix_text()})" in line for line in lines), lines
    finally:
        proc.terminate()
        proc.wait(timeout=10)
