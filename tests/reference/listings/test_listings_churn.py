"""Live data on the generated listings (`serve --churn RATE`): each listing's own requests move its
items with the campaigns' mix, deterministically per seed; ids stay unique and are never reused;
changed and created items stay valid; answers stay consistent snapshots."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from listing_oracle import body
from vapi_contract.reference.seed import ORG_A, ORG_B, ORG_KEYS
from vapi_contract.reference.server import build_service, local_client
from vapi_contract.timeutil import parse_ms

ITEMS = 60


@pytest.fixture
def churning(whole_contract):
    def build(seed=1, rate=1.0):
        return build_service(seed=seed, contract_root=whole_contract, items=ITEMS, churn=rate, campaigns=60)
    made = []

    def make(**options):
        made.append(build(**options))
        return made[-1]

    yield make
    for service in made:
        service.close()


def _all_ids(service, path):
    return [i["id"] for org in (ORG_A, ORG_B) for i in service.listings.items(path, org)]


def _requests(service, path, n, params=None):
    with local_client(service, ORG_KEYS[ORG_A]) as client:
        for _ in range(n):
            assert client.get(path, params=params or {"limit": 5}).status_code == 200


def test_churn_moves_the_requested_listing_with_the_mix(churning, suite_validator):
    service = churning(rate=1.5)
    before = {i["id"]: i for org in (ORG_A, ORG_B) for i in service.listings.items("/chat", org)}
    untouched = sorted(json.dumps(i, sort_keys=True) for i in service.listings.items("/call", ORG_A))
    _requests(service, "/chat", 120)
    churn = service.listings.churn
    assert churn.applied[service.listings.groups["/chat"].key] == 180  # floor(120 x 1.5)
    stats = churn.stats
    assert stats["creation"] and stats["deletion"] and stats["update"] and sum(stats.values()) == 180
    after = {i["id"]: i for org in (ORG_A, ORG_B) for i in service.listings.items("/chat", org)}
    created = set(after) - set(before)
    assert len(created) >= stats["creation"] - stats["deletion"]  # (a created chat may be deleted again)
    newest = max(parse_ms(i["updatedAt"]) for i in before.values())
    for cid in created:  # createdAt = updatedAt = now (or later, if it changed again), after everything before
        assert newest < parse_ms(after[cid]["createdAt"]) <= parse_ms(after[cid]["updatedAt"])
    assert any(after[cid]["createdAt"] == after[cid]["updatedAt"] for cid in created)
    changed = [cid for cid in set(before) & set(after) if after[cid] != before[cid]]
    assert changed and all(parse_ms(after[c]["updatedAt"]) > parse_ms(before[c]["updatedAt"]) for c in changed)
    for item in after.values():
        assert suite_validator.violations(item, "Chat") == [], item["id"]
    assert sorted(json.dumps(i, sort_keys=True) for i in service.listings.items("/call", ORG_A)) == untouched


def test_ids_stay_unique_and_are_never_reused(churning):
    service = churning(rate=2.0)
    seen = set(_all_ids(service, "/session"))
    for _ in range(6):
        _requests(service, "/session", 20)
        now = _all_ids(service, "/session")
        assert len(now) == len(set(now))  # an id is one item
        new = set(now) - seen
        assert not new & seen
        seen |= set(now)
    assert service.listings.churn.stats["deletion"] > 0 and service.listings.churn.stats["creation"] > 0


@pytest.mark.slow
def test_status_moves_follow_the_documented_order(churning):
    service = churning(rate=2.0)
    path = "/eval/simulation/run"
    before = {i["id"]: i["status"] for i in service.listings.items(path, ORG_A)}
    _requests(service, path, 60)
    order = ["queued", "running", "ended"]
    moved = {cid: (before[cid], i["status"]) for i in service.listings.items(path, ORG_A)
             if (cid := i["id"]) in before and i["status"] != before[cid]}
    assert moved and all(order.index(new) > order.index(old) for old, new in moved.values())  # forward only


@pytest.mark.slow
def test_same_seed_same_changes(churning):
    runs = []
    for _ in range(2):
        service = churning(seed=3, rate=1.0)
        _requests(service, "/chat", 50)
        _requests(service, "/v2/campaign/" + service.listings.parents("/v2/campaign/{id}/contacts", ORG_A)[0]
                  + "/contacts", 10)
        runs.append(({i["id"]: i.get("sessionId") for org in (ORG_A, ORG_B) for i in service.listings.items("/chat", org)},
                     Counter(i["status"] for i in service.listings.items("/v2/campaign/{id}/contacts", ORG_A))))
    assert runs[0] == runs[1]
    other = churning(seed=4, rate=1.0)
    _requests(other, "/chat", 50)
    assert {i["id"] for org in (ORG_A, ORG_B) for i in other.listings.items("/chat", org)} != set(runs[0][0])


@pytest.mark.slow
def test_every_answer_is_one_snapshot(churning):
    service = churning(rate=3.0)
    with local_client(service, ORG_KEYS[ORG_A]) as client:
        for _ in range(20):
            data = body(client.get("/chat", params={"limit": 1000}))
            assert data["metadata"]["totalItems"] == len(data["results"])
