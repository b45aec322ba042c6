"""GET /v2/campaign ("List Campaigns V2") on the 2026-08-18 surface: CampaignSummary items, the
includeCounters counters, and agreement with GET /campaign on the same query.  In-process."""

from __future__ import annotations

import json

import pytest

from suite_oracle import STATUSES, V2

from vapi_contract.contract.locate import SCHEMAS_SUBDIR, contract_root
from vapi_contract.reference.summary import CALL_METRICS, CONTACT_COUNTERS, SUMMARY_FIELDS, audience

COUNTERS = ("contactCounters", "callMetrics")
QUERIES = [{}, {"sortOrder": "ASC"}, {"sortBy": "cost"}, {"sortBy": "duration", "sortOrder": "ASC", "limit": 13},
           {"status": "archived"}, {"status": "in-progress", "limit": 5, "page": 2},
           {"createdAtGt": "2024-01-01T00:00:00Z", "updatedAtLe": "2025-03-01T00:00:00+02:00", "limit": 1000},
           *({"status": s, "limit": 1000} for s in STATUSES)]


def declared(name: str) -> dict:
    return json.loads((contract_root() / SCHEMAS_SUBDIR / f"{name}.json").read_text(encoding="utf-8"))["properties"]


def get(client, path: str, params: dict) -> dict:
    r = client.get(path, params=params)
    assert r.status_code == 200, (path, params, r.text)
    return r.json()


def test_the_summary_is_the_documents():
    """The reference's list of CampaignSummary fields is the pinned schema's (two readings agree)."""
    assert set(SUMMARY_FIELDS) | set(COUNTERS) == set(declared("CampaignSummary"))
    assert set(CONTACT_COUNTERS) == set(declared("CampaignContactCounters"))
    assert set(CALL_METRICS) == set(declared("CampaignCallMetrics"))
    assert [p.name for p in V2.parameters if p.name == "includeCounters"] == ["includeCounters"]


@pytest.mark.parametrize("params", QUERIES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "defaults")
def test_same_ids_order_and_metadata_as_get_campaign(app, params):
    v1 = get(app.client, "/campaign", params)
    v2 = get(app.client, "/v2/campaign", params)
    assert v1["results"], "the query selects something"
    assert [c["id"] for c in v2["results"]] == [c["id"] for c in v1["results"]]
    assert v2["metadata"] == v1["metadata"]  # totalItems, paging, and the same nextCursor


def test_items_are_projections_of_the_stored_campaigns(app, validator):
    stored = {c["id"]: c for c in app.campaigns()}
    body = get(app.client, "/v2/campaign", {"limit": 1000})
    assert stored and len(body["results"]) == len(stored)
    assert validator.page_violations(body, "CampaignSummaryPaginatedResponse", "CampaignSummary") == []
    allowed = set(declared("CampaignSummary"))
    for item in body["results"]:
        campaign = stored[item["id"]]
        assert set(item) <= allowed - set(COUNTERS)
        assert item == {k: campaign[k] for k in SUMMARY_FIELDS if k in campaign}
    left_out = {k for c in stored.values() for k in c} - allowed
    assert {"customers", "calls", "callsCounterEnded", "workflowId"} <= left_out | {"dialPlan"}


@pytest.mark.parametrize("value, present", [("true", True), ("false", False), (None, False)])
def test_include_counters(app, validator, value, present):
    params = {"limit": 1000, **({"includeCounters": value} if value else {})}
    body = get(app.client, "/v2/campaign", params)
    assert body["results"]
    assert validator.page_violations(body, "CampaignSummaryPaginatedResponse", "CampaignSummary") == []
    for item in body["results"]:
        assert all((k in item) == present for k in COUNTERS), item["id"]


def test_counters_follow_the_campaign(app):
    """Sum of contactCounters = the campaign's audience (its customers on GET /campaign);
    dialed = dispatched + completed; connected <= dialed; nothing pending once ended."""
    stored = {c["id"]: c for c in get(app.client, "/campaign", {"limit": 1000})["results"]}
    body = get(app.client, "/v2/campaign", {"limit": 1000, "includeCounters": "true"})
    by_status = {}
    for item in body["results"]:
        contacts, calls = item["contactCounters"], item["callMetrics"]
        assert sum(contacts.values()) == audience(stored[item["id"]]) > 0
        assert calls["dialed"] == contacts["dispatched"] + contacts["completed"]
        assert 0 <= calls["connected"] <= calls["dialed"]
        if item["status"] == "scheduled":
            assert contacts["pending"] == sum(contacts.values())
        if item["status"] in ("ended", "cancelled", "archived"):
            assert contacts["pending"] == contacts["dispatched"] == 0
        by_status.setdefault(item["status"], []).append(item)
    assert set(by_status) == set(STATUSES)
    running = by_status["in-progress"]
    assert any(i["contactCounters"]["dispatched"] for i in running) and any(i["contactCounters"]["pending"] for i in running)
    assert any(i["callMetrics"]["connected"] < i["callMetrics"]["dialed"] for i in body["results"])  # voicemail
    assert get(app.client, "/v2/campaign", {"limit": 1000, "includeCounters": "true"}) == body  # deterministic


def test_include_counters_does_not_change_the_selection(app):
    plain = get(app.client, "/v2/campaign", {"limit": 50, "status": "ended"})
    counted = get(app.client, "/v2/campaign", {"limit": 50, "status": "ended", "includeCounters": "true"})
    assert counted["metadata"] == plain["metadata"]
    assert [{k: v for k, v in c.items() if k not in COUNTERS} for c in counted["results"]] == plain["results"]
