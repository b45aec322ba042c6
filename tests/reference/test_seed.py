"""Seed data: deterministic, realistic, valid, and containing what the contract checks need."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from suite_oracle import OLD, SERVED, STATUSES

from vapi_contract.contract.locate import contract_root
from vapi_contract.reference import fragments
from vapi_contract.reference.lifecycle import SEEDED_REASONS, has_ended
from vapi_contract.reference.seed import ORG_A, ORG_B, ORG_IDS, generate
from vapi_contract.timeutil import parse_ms


@pytest.fixture(scope="module")
def records():
    return generate(400, 7, SERVED)


def test_same_seed_same_data():
    assert generate(200, 3, SERVED) == generate(200, 3, SERVED)


def test_different_seed_different_data():
    a, b = generate(200, 3, SERVED), generate(200, 4, SERVED)
    assert {r.id for r in a}.isdisjoint({r.id for r in b})
    assert [r.created_ms for r in a] != [r.created_ms for r in b]


@pytest.mark.parametrize("surface", [SERVED, OLD], ids=lambda s: s.name)
@pytest.mark.parametrize("seed", [0, 1, 2, 99])
def test_every_status_even_in_small_datasets(seed, surface):
    records = generate(len(surface.statuses), seed, surface)
    assert [r.status for r in records] == list(surface.statuses)  # the first campaigns: one of each
    assert [json.loads(r.body)["status"] for r in records] == list(surface.statuses)
    assert {r.status for r in generate(20, seed, surface)} == set(surface.statuses)


def test_the_default_surface_has_the_pins_five_statuses(records):
    assert set(STATUSES) == {"scheduled", "in-progress", "ended", "cancelled", "archived"}
    assert {r.status for r in records} == set(STATUSES)


def test_every_campaign_is_valid(records, validator):
    assert len(records) == 400
    for r in records:
        campaign = json.loads(r.body)
        assert validator.violations(campaign, "Campaign") == [], r.id


def test_every_campaign_of_the_old_surface_is_valid_against_its_document(validator_0411):
    records = generate(400, 7, OLD)
    assert {r.status for r in records} == set(OLD.statuses)
    for r in records:
        assert validator_0411.violations(json.loads(r.body), "Campaign") == [], r.id


def test_the_old_surfaces_data_is_what_it_always_was():
    """The 2026-04-11 surface serves, byte for byte, the data it served while its document was the
    pin (commit 94253ca): the seed draws as it did, and its fragments are its document's."""
    import hashlib

    records = generate(300, 1, OLD)
    assert (records[0].id, records[0].status) == ("2af346e9-a370-4225-89a7-3b97448563f0", "ended")
    digest = hashlib.sha256("".join(r.body for r in records).encode()).hexdigest()
    assert digest == "75fce256abec3e04316bf1baa037b86ef7661d08d081e5cf26088b0c03aa3f71"


def test_kept_fragments_are_the_pinned_documents():
    """fragments/2026-08-18.json is what the pin's schemas build (regenerate after re-pinning)."""
    assert fragments.text(fragments.build(contract_root())) == fragments.path_of(SERVED.date).read_text(encoding="utf-8")


def test_kept_fragments_are_the_old_documents(contract_0411):
    assert fragments.text(fragments.build(contract_0411)) == fragments.path_of(OLD.date).read_text(encoding="utf-8")


def test_columns_match_bodies(records):
    assert records, "there are records to compare"
    for r in records:
        c = json.loads(r.body)
        assert (c["id"], c["status"], c["orgId"]) == (r.id, r.status, ORG_IDS[r.org])
        assert (parse_ms(c["createdAt"]), parse_ms(c["updatedAt"])) == (r.created_ms, r.updated_ms)


def test_documented_field_rules(records):
    campaigns = [json.loads(r.body) for r in records]
    for c in campaigns:
        assert ("endedReason" in c) == has_ended(c["status"])
        if "endedReason" in c:
            assert c["endedReason"] in SEEDED_REASONS[c["status"]]
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
    records = generate(1000, 1, SERVED)
    avg = sum(len(r.body.encode()) for r in records) / len(records)
    assert 700 < avg < 2500, avg


def test_small_datasets_are_generated_once():
    from vapi_contract.reference.seed import REMEMBERED_UP_TO, records

    small = records(120, 6, SERVED)
    assert records(120, 6, SERVED) is small and list(small) == generate(120, 6, SERVED)
    large = records(REMEMBERED_UP_TO + 1, 6, SERVED)
    assert not isinstance(large, (list, tuple))  # generated as it is loaded, never held whole


def test_ids_are_version_4_uuids_as_the_uuid_module_writes_them():
    import random
    import uuid

    from vapi_contract.reference.seed import _uuid

    ours, theirs = random.Random(5), random.Random(5)
    drawn = [_uuid(ours) for _ in range(5000)]
    assert drawn == [str(uuid.UUID(int=theirs.getrandbits(128), version=4)) for _ in range(5000)]
