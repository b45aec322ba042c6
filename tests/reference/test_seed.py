"""Seed data: deterministic, realistic, valid, and containing what the contract checks need."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from vapi_contract.contract.locate import contract_root
from vapi_contract.contract.validator import Validator
from suite_oracle import SERVED, STATUSES

from vapi_contract.reference.seed import ENDED_REASONS, ORG_A, ORG_B, ORG_IDS, generate
from vapi_contract.timeutil import parse_ms


@pytest.fixture(scope="module")
def records():
    return generate(400, 7, SERVED.statuses)


def test_same_seed_same_data():
    assert generate(200, 3, SERVED.statuses) == generate(200, 3, SERVED.statuses)


def test_different_seed_different_data():
    a, b = generate(200, 3, SERVED.statuses), generate(200, 4, SERVED.statuses)
    assert {r.id for r in a}.isdisjoint({r.id for r in b})
    assert [r.created_ms for r in a] != [r.created_ms for r in b]


@pytest.mark.parametrize("seed", [0, 1, 2, 99])
def test_every_status_even_in_small_datasets(seed):
    records = generate(20, seed, SERVED.statuses)
    assert {r.status for r in records if r.org == ORG_A} | {r.status for r in records} >= set(STATUSES)
    assert set(STATUSES) <= {json.loads(r.body)["status"] for r in records}


def test_every_campaign_is_valid(records):
    validator = Validator.load(contract_root())
    assert len(records) == 400
    for r in records:
        campaign = json.loads(r.body)
        assert validator.violations(campaign, "Campaign") == [], r.id


def test_columns_match_bodies(records):
    assert records, "there are records to compare"
    for r in records:
        c = json.loads(r.body)
        assert (c["id"], c["status"], c["orgId"]) == (r.id, r.status, ORG_IDS[r.org])
        assert (parse_ms(c["createdAt"]), parse_ms(c["updatedAt"])) == (r.created_ms, r.updated_ms)


def test_documented_field_rules(records):
    campaigns = [json.loads(r.body) for r in records]
    for c in campaigns:
        assert ("endedReason" in c) == (c["status"] == "ended")
        if "endedReason" in c:
            assert c["endedReason"] in ENDED_REASONS
        assert ("phoneNumberId" in c) != ("dialPlan" in c)  # mutually exclusive, one present
        assert "customers" in c or "dialPlan" in c
        assert sum(k in c for k in ("assistantId", "workflowId", "squadId")) <= 1
        assert parse_ms(c["updatedAt"]) >= parse_ms(c["createdAt"])
        assert "earliestAt" in c["schedulePlan"]
    assert any(c["updatedAt"] == c["createdAt"] for c in campaigns)
    assert any(len(c["name"]) >= 300 for c in campaigns)
    assert any(not c["name"].isascii() for c in campaigns)
    assert sum(any("assistantOverrides" in cu for cu in c.get("customers", []) +
                   [x for e in c.get("dialPlan", []) for x in e["customers"]]) for c in campaigns) >= len(campaigns) // 12


def test_ties_and_neighbours_and_two_orgs(records):
    org_a = [r for r in records if r.org == ORG_A]
    stamps = Counter(r.created_ms for r in org_a)
    assert any(n >= 2 for n in stamps.values()), "no createdAt ties"
    ordered = sorted(stamps)
    assert any(b - a == 1 for a, b in zip(ordered, ordered[1:])), "no 1 ms neighbours"
    share = len(org_a) / len(records)
    assert 0.75 < share < 0.95
    assert any(r.org == ORG_B for r in records)
    span = max(ordered) - min(ordered)
    assert span > 365 * 86_400_000


def test_sizes_realistic():
    records = generate(1000, 1, SERVED.statuses)
    avg = sum(len(r.body.encode()) for r in records) / len(records)
    assert 700 < avg < 2500, avg
