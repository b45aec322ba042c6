"""Live data (``churn``): the reference target's campaigns move between responses, never within one,
along the status lifecycle of the served surface, and every served body stays valid.  Most tests
call the app in-process; the moving-data walk and the clock lag go over real HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime

import httpx
import pytest

from suite_oracle import OLD, SERVED, STATUSES

from local_target import local
from sampling import sample
from vapi_contract.reference.churn import MIX, STATS_KEYS, Churn, mix_text
from vapi_contract.reference.faults import DRIFTS, FAULTS, SLOW_ENV
from vapi_contract.reference.lifecycle import MOVE_REASONS, MOVES, has_ended
from vapi_contract.reference.seed import ORG_A, generate
from vapi_contract.reference.server import running_target
from vapi_contract.reference.store import Store, hidden_cost, hidden_duration
from vapi_contract.timeutil import parse_ms

CAMPAIGNS = 200
ALLOWED = {(old, new) for old, moves in MOVES.items() for new, _ in moves}


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


def check_move(old: dict, new: dict) -> None:
    """A status move follows the lifecycle, and endedReason goes with it."""
    assert (old["status"], new["status"]) in ALLOWED, (old["status"], new["status"])
    assert ("endedReason" in new) == has_ended(new["status"])
    reasons = MOVE_REASONS.get((old["status"], new["status"]))
    if reasons is not None:
        assert new["endedReason"] in reasons
    elif "endedReason" in old:
        assert new["endedReason"] == old["endedReason"]  # archived keeps it


def test_without_churn_nothing_changes(validator):
    with local(campaigns=CAMPAIGNS) as t:
        first = listing(t.client, validator)
        for _ in range(15):
            assert listing(t.client, validator) == first
        assert t.service.churn is None


@pytest.mark.parametrize("rate, requests", [(0.2, 50), (2.0, 20), (0.35, 40)])
def test_stats_add_up_to_requests_times_rate(rate, requests):
    with local(campaigns=CAMPAIGNS, churn=rate) as t:
        for i in range(requests):
            t.client.get(("/campaign", "/v2/campaign")[i % 2], params={"limit": 3})  # both listings count
        stats = t.service.churn.stats
    assert set(stats) == set(STATS_KEYS)
    assert stats["total"] == int(requests * rate + 1e-9)  # floor(requests * rate), exactly
    assert sum(stats[k] for k in STATS_KEYS if k != "total") == stats["total"]


def test_unauthorised_requests_do_not_move_data():
    with local(campaigns=CAMPAIGNS, churn=1.0) as t, t.client_for(None) as anonymous:
        for path in ("/campaign", "/v2/campaign"):
            for _ in range(5):
                assert anonymous.get(path).status_code == 401
        assert t.service.churn.stats["total"] == 0


@pytest.mark.slow  # a long property/whole-document test: in `make test`, not the fast loop
def test_moving_data_as_seen_through_listings(validator):
    """Over many requests (real HTTP): status moves follow the lifecycle with a fresh updatedAt,
    creations are newer than everything seeded, deletions vanish (also from id= lookups), every
    response is valid."""
    with running_target(campaigns=CAMPAIGNS, churn=1.5, churn_seed=3) as t, client_for(t) as c:
        seeded_newest = newest_ms(t.campaigns())
        before = {x["id"]: x for x in listing(c, validator)["results"]}
        moved, created, deleted = [], 0, 0
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
                        moved.append((old["status"], item["status"]))
                        check_move(old, item)
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
    assert {new for _, new in moved} >= {"cancelled", "archived"}, moved  # the new statuses move too
    # org-a sees about 85% of the changes; every one it saw was counted by the engine
    assert created <= stats["created"] and deleted <= stats["deleted"] and len(moved) <= stats["status_moves"]


@pytest.mark.parametrize("surface", [SERVED, OLD], ids=lambda s: s.name)
def test_status_moves_follow_the_lifecycle_of_the_surface(surface, validator):
    store = Store().load(generate(150, 5, surface))
    seeded = {x["id"]: x for x in store.campaigns()}
    churn = Churn(store, 1.0, seed=2, surface=surface, clock=lambda: 0.0)  # a clock stuck in 1970: still increasing
    stamps, seen = [], set()
    for _ in range(300):
        change = churn.apply_one()
        if change.kind == "status_move":
            item = next(x for x in store.campaigns() if x["id"] == change.id)
            old = seeded.get(change.id)
            assert item["status"] == change.detail and item["status"] in surface.statuses
            if old is not None:
                check_move(old, item)
                seen.add((old["status"], item["status"]))
            stamps.append(parse_ms(item["updatedAt"]))
            seeded[change.id] = item
    assert stamps and stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert seen == {m for m in ALLOWED if set(m) <= set(surface.statuses)}, seen  # every move the surface allows
    if surface is SERVED:
        valid = validator
        for item in store.campaigns():
            assert valid.violations(item, "Campaign") == []


def test_store_columns_follow_the_body_and_counts_are_not_stale(validator):
    store = Store().load(generate(120, 9, SERVED))
    churn = Churn(store, 1.0, seed=4, surface=SERVED)
    counted = {s: store.conn.execute("SELECT COUNT(*) FROM campaign WHERE status = ?", (s,)).fetchone()[0]
               for s in STATUSES}
    for _ in range(80):
        churn.apply_one()
    rows = store.conn.execute("SELECT id, org, created_ms, updated_ms, status, cost_cents, duration_s, body"
                              " FROM campaign").fetchall()
    for cid, org, created, updated, status, cost, duration, body in rows:
        item = json.loads(body)
        assert (item["id"], item["status"], parse_ms(item["createdAt"]), parse_ms(item["updatedAt"])) == (
            cid, status, created, updated)
        assert (cost, duration) == (hidden_cost(cid), hidden_duration(cid))  # created ones too: sortBy sees them
        assert validator.violations(item, "Campaign") == []
    after = {s: sum(1 for r in rows if r[4] == s) for s in STATUSES}
    assert after != counted  # the data did move
    assert churn.stats["created"] and len(rows) == 120 + churn.stats["created"] - churn.stats["deleted"]


@pytest.mark.parametrize("seed", [0, 3, 9])
def test_a_created_campaign_never_takes_an_existing_id(seed):
    """Churn seeded like the data must not replay the data's ids: a second row under one id
    would serve one campaign twice, out of createdAt order (seen in a gate run at churn 1.0)."""
    store = Store().load(generate(CAMPAIGNS, seed, SERVED))
    churn = Churn(store, 1.0, seed=seed, surface=SERVED)
    for _ in range(400):
        churn.apply_one()
    ids = [r[0] for r in store.conn.execute("SELECT id FROM campaign")]
    assert churn.stats["created"] > 50 and len(ids) == len(set(ids))


def test_a_drawn_id_that_exists_is_drawn_again():
    store = Store().load(generate(20, 1, SERVED))
    taken = store.conn.execute("SELECT id FROM campaign LIMIT 1").fetchone()[0]
    churn = Churn(store, 1.0, seed=1, surface=SERVED)
    draws = iter([taken])
    import vapi_contract.reference.churn as churn_module
    real = churn_module._uuid
    churn_module._uuid = lambda rng: next(draws, None) or real(rng)
    try:
        while not churn.stats["created"]:
            churn.apply_one()
    finally:
        churn_module._uuid = real
    ids = [r[0] for r in store.conn.execute("SELECT id FROM campaign")]
    assert len(ids) == len(set(ids)) and store.holds(taken)


def test_filters_stay_consistent_within_each_response(validator):
    with local(campaigns=CAMPAIGNS, churn=2.0) as t:
        for i in range(30):
            status = STATUSES[i % len(STATUSES)]
            body = listing(t.client, validator, status=status)
            assert {x["status"] for x in body["results"]} <= {status}
            paged = t.client.get("/campaign", params={"limit": 7, "page": 2}).json()
            assert validator.page_violations(paged, "CampaignPaginatedResponse", "Campaign") == []
            assert len(paged["results"]) == min(7, max(0, paged["metadata"]["totalItems"] - 7))
        assert t.service.churn.stats["total"] == 120


def test_same_seed_same_changes(validator):
    def run(churn_seed):
        with local(campaigns=CAMPAIGNS, churn=1.3, churn_seed=churn_seed) as t:
            for i in range(25):
                t.client.get("/campaign", params={"limit": 5, "page": 1 + i % 3})
            ids = [x["id"] for x in listing(t.client, validator)["results"]]
            return list(t.service.churn.history), ids

    first, second, other = run(11), run(11), run(12)
    assert len(first[0]) == 33 and {c.kind for c in first[0]} == {k for k, _ in MIX}
    assert first == second
    assert first[0] != other[0]


def test_memoised_count_is_invalidated_by_every_mutation():
    from vapi_contract.reference.listing import parse, plan_for

    records = generate(60, 2, SERVED)
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

    store = Store().load(generate(300, 1, SERVED))
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    for org, statuses in ((ORG_A, ()), ("org-b", ("in-progress",)), (ORG_A, ("scheduled", "in-progress", "ended"))):
        assert store.sample(random.Random(1), org, statuses) is not None
    store.conn.set_trace_callback(None)
    assert statements
    for sql in statements:
        plan = " ".join(row[-1] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "SEARCH" in plan and "SCAN" not in plan, (sql, plan)


# -- clock lag ----------------------------------------------------------------------------------
def test_clock_lag_writes_instants_behind_the_clock():
    """Churn with lag L writes now - L, strictly increasing, whatever the clock does."""
    store = Store().load(generate(80, 3, SERVED))
    seeded_newest = store.newest_ms()
    clock = [1_900_000_000.0]
    churn = Churn(store, 1.0, seed=5, surface=SERVED, clock=lambda: clock[0], lag_ms=3000)
    written = []
    for step in range(40):
        clock[0] += 0.0005 if step % 2 else 0.25  # sometimes less than a millisecond later
        change = churn.apply_one()
        if change.kind == "deletion":
            continue
        item = next(x for x in store.campaigns() if x["id"] == change.id)
        expected = max(int(clock[0] * 1000) - 3000, written[-1] + 1 if written else 0)
        written.append(parse_ms(item["updatedAt"]))
        assert written[-1] == expected
    assert written and written == sorted(written) and len(set(written)) == len(written)
    assert written[0] == int(1_900_000_000.25 * 1000) - 3000 > seeded_newest
    assert max(written) < int(clock[0] * 1000) - 2000  # behind the clock by about the lag


def test_clock_lag_behind_the_date_header():
    """Over real HTTP: with --clock-lag 5000, a campaign changed after a response carries an
    instant about 5 s before that response's Date header (the snapshot a client would take), so
    a client pinning its reads to "at or before the Date it saw" still sees the change."""
    lag = 5000
    with running_target(campaigns=60, churn=1.0, churn_seed=1, clock_lag_ms=lag) as t, client_for(t) as c:
        assert t.clock_lag_ms == lag
        checked = 0
        for _ in range(12):
            r = c.get("/campaign", params={"limit": 1})  # one change applied after this response
            date_ms = int(parsedate_to_datetime(r.headers["date"]).timestamp() * 1000)  # whole seconds
            time.sleep(0.01)
            change = t.service.churn.history[-1]
            if change.kind == "deletion":
                continue
            item = next(x for x in t.campaigns(change.org) if x["id"] == change.id)
            written = parse_ms(item["updatedAt"])
            # the Date header is whole seconds, refreshed every 100 ms: written is Date - lag, give or take that
            assert date_ms - lag - 300 <= written <= date_ms + 1300 - lag, (date_ms, written)
            assert written < date_ms  # earlier than the instant the client was shown
            checked += 1
        assert checked >= 6


def test_clock_lag_must_not_be_negative():
    with pytest.raises(ValueError, match="clock lag"):
        local(churn=1.0, clock_lag_ms=-1).__enter__()


VARIANTS = [("fault", "intermittent-5xx"), *(("fault", n) for n in FAULTS if n != "intermittent-5xx"),
            *(("drift", n) for n in DRIFTS)]


# the fast loop: the 5xx fault and the first drift; make test: every variant
@pytest.mark.parametrize("kind, name", sample(VARIANTS, 1, group=lambda v: v[0], mark=pytest.mark.slow),
                         ids=[name for _, name in VARIANTS])
def test_churn_works_with_every_variant(kind, name, monkeypatch):
    monkeypatch.setenv(SLOW_ENV, "0.01")
    with local(campaigns=60, churn=2.0, **{kind: name}) as t:
        statuses = [t.client.get(path, params={"limit": 10}).status_code
                    for path in ("/campaign", "/v2/campaign") for _ in range(3)]
        assert t.service.churn.stats["total"] == 12
    assert set(statuses) <= ({200, 500} if name == "intermittent-5xx" else {200})


def test_serve_rejects_negative_churn_and_clock_lag():
    for args, message in ((["--churn", "-1"], "--churn must be"), (["--clock-lag", "-5"], "--clock-lag must be")):
        result = subprocess.run([sys.executable, "-m", "vapi_contract", "serve", *args, "--port", "0"],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2
        assert result.stderr.startswith(f"vapi-contract: error: {message}") and result.stderr.count("\n") == 1


def test_serve_help_states_rate_mix_and_lag():
    result = subprocess.run([sys.executable, "-m", "vapi_contract", "serve", "--help"], capture_output=True,
                            text=True, timeout=60)
    text = " ".join(result.stdout.split())
    assert "RATE data changes per listing request" in text and mix_text() in text
    assert "--clock-lag MS" in text and "lag MS milliseconds behind the wall clock the Date header shows" in text


def test_serve_banner_shows_churn_and_lag():
    proc = subprocess.Popen([sys.executable, "-m", "vapi_contract", "serve", "--port", "0", "--campaigns", "30",
                             "--churn", "0.5", "--clock-lag", "3000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(7)]  # the generated listings' line before it
        assert any(f"churn: 0.5 data changes per listing request ({mix_text()}); instants 3000 ms behind the Date"
                   f" header" in line for line in lines), lines
    finally:
        proc.terminate()
        proc.wait(timeout=10)
