"""The two surfaces the reference target serves: 2026-08-18 (the default, Vapi's API today) and
2026-04-11 (GET /campaign as first published).  Each is compared with the suite's reading of its
document, and every body it serves validates against that document's derived schemas."""

from __future__ import annotations

import httpx
import pytest

from suite_oracle import CONTRACT, METADATA, PARAMETERS, V2

from local_target import local
from vapi_contract.reference.seed import ORG_KEYS
from vapi_contract.reference.server import build_service, running_target
from vapi_contract.reference.surface import DEFAULT_SURFACE, SURFACES, Surface, surface

NEW = SURFACES["2026-08-18"]
OLD = SURFACES["2026-04-11"]
QUERIES = [{"limit": 1000}, {"limit": 1000, "sortOrder": "ASC", "status": "ended"}, {"limit": 20, "page": 2},
           {"limit": 1000, "updatedAtGe": "2025-01-01T00:00:00Z"}]


def test_names_and_default():
    assert set(SURFACES) == {"2026-04-11", "2026-08-18"}
    assert DEFAULT_SURFACE == "2026-08-18" and surface(None) is NEW
    assert surface("2026-04-11") is OLD and surface(OLD) is OLD
    with pytest.raises(KeyError, match="known: 2026-04-11, 2026-08-18"):
        surface("2026-05-01")


def test_the_new_surface_is_the_pins_reading():
    """Parameters, metadata, statuses and operations agree with the suite's model of the pin
    (``cursor`` is read too: nextCursor's description names it; the document lists no parameter)."""
    v1, v2 = NEW.listings
    assert (v1.path, v2.path, v2.summary) == ("/campaign", "/v2/campaign", True)
    assert set(NEW.parameters_of(v1)) == set(PARAMETERS) | {"cursor"}
    assert set(NEW.parameters_of(v2)) == set(V2.parameter_names) | {"cursor"}
    assert set(NEW.metadata_fields) == set(METADATA)
    assert [x.label for x in NEW.listings] == list(CONTRACT.campaign_listings)
    from suite_oracle import ENDPOINT

    assert NEW.statuses == ENDPOINT.equality("status").values
    assert NEW.sort_columns == ENDPOINT.sort.enum


def test_the_old_surface_is_its_documents_reading(contract_0411):
    from vapi_contract.contract.reading import Contract

    old = Contract.load(contract_0411)
    endpoint = old.endpoint("GET /campaign")
    assert list(old.operations) == ["GET /campaign"] and len(OLD.listings) == 1
    assert set(OLD.parameters) == set(endpoint.parameter_names)
    assert set(OLD.metadata_fields) == set(endpoint.documented_metadata)
    assert OLD.statuses == endpoint.equality("status").values


def test_elements():
    assert {"sortBy", "nextCursor", "totalPages", "status=archived", "GET /v2/campaign", "includeCounters"} <= NEW.elements
    assert "cursor" not in NEW.elements  # undocumented: the element a contract declares is nextCursor
    assert not {"sortBy", "nextCursor", "totalPages", "status=archived", "GET /v2/campaign"} & OLD.elements
    assert {"status=ended", "GET /campaign", "createdAtGt", "itemsPerPage"} <= OLD.elements
    narrowed = OLD.without("status", "id")
    assert not {e for e in narrowed.elements if e.startswith("status")} and "id" not in narrowed.elements
    assert narrowed.date == "2026-04-11" and narrowed.name == "2026-04-11-without-status-id"


def test_the_old_surface_serves_what_it_documented(validator_0411):
    with local(surface="2026-04-11") as t:
        body = t.client.get("/campaign", params={"limit": 10}).json()
        assert set(body["metadata"]) == {"itemsPerPage", "totalItems", "currentPage"}
        assert {c["status"] for c in t.campaigns()} == {"ended", "in-progress", "scheduled"}
        # 2026-08-18's parameters are unknown here: ignored
        for extra in ({"cursor": "garbage"}, {"sortBy": "cost"}, {"sortBy": "nope"}, {"includeCounters": "x"}):
            assert t.client.get("/campaign", params={"limit": 10, **extra}).json() == body, extra
        r = t.client.get("/campaign", params={"status": "cancelled"})
        assert r.status_code == 400
        assert r.json()["message"] == ["status must be one of the following values: ended, in-progress, scheduled"]
        assert t.client.get("/v2/campaign").status_code == 404
        assert validator_0411.violations(r.json(), "BadRequestError") == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_body_of_the_new_surface_validates(validator, seed):
    with local(campaigns=250, seed=seed) as t:
        checked = 0
        for key in ORG_KEYS.values():
            with t.client_for(key) as c:
                for params in QUERIES:
                    for path, page, item in (("/campaign", "CampaignPaginatedResponse", "Campaign"),
                                             ("/v2/campaign", "CampaignSummaryPaginatedResponse", "CampaignSummary")):
                        for extra in ({}, {"includeCounters": "true"}) if path == "/v2/campaign" else ({},):
                            r = c.get(path, params={**params, **extra})
                            assert r.status_code == 200 and r.json()["results"], (path, params)
                            assert validator.page_violations(r.json(), page, item) == [], (path, params)
                            checked += 1
        assert checked == 2 * len(QUERIES) * 3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_body_of_the_old_surface_validates_against_its_document(validator_0411, seed):
    with local(campaigns=250, seed=seed, surface="2026-04-11") as t:
        for key in ORG_KEYS.values():
            with t.client_for(key) as c:
                for params in QUERIES:
                    r = c.get("/campaign", params=params)
                    assert r.status_code == 200 and r.json()["results"], params
                    assert validator_0411.page_violations(r.json(), "CampaignPaginatedResponse", "Campaign") == []


def test_the_new_surfaces_full_depth_data_is_not_valid_on_the_old_document(validator_0411, validator):
    """Why each surface serves its own document's fragments: 2026-08-18's providers and enums
    break the 2026-04-11 schemas."""
    with local(campaigns=100) as t:
        body = t.client.get("/campaign", params={"limit": 1000, "status": "ended"}).json()
        assert validator.page_violations(body, "CampaignPaginatedResponse", "Campaign") == []
        old_statuses = [c for c in t.campaigns() if c["status"] in OLD.statuses]
        page = {"results": old_statuses, "metadata": {"itemsPerPage": 1000, "totalItems": 1, "currentPage": 1}}
        assert validator_0411.page_violations(page, "CampaignPaginatedResponse", "Campaign")


def test_a_narrowed_surface_serves_without_its_filters():
    """``Surface.without``: the self-test that serves a listing without status / id."""
    narrowed = OLD.without("status", "id")
    service = build_service(60, 1, surface=narrowed)
    assert service.surface is narrowed
    with local(campaigns=60, surface=narrowed) as t:
        full = t.client.get("/campaign", params={"limit": 1000}).json()
        assert full["results"]
        assert t.client.get("/campaign", params={"limit": 1000, "status": "ended", "id": "x"}).json() == full


def test_running_target_takes_a_surface_by_name_or_value():
    for chosen in ("2026-04-11", OLD, None):
        with running_target(campaigns=30, surface=chosen) as t:
            r = httpx.get(t.base_url + "/campaign?limit=5", headers={"Authorization": f"Bearer {t.api_key}"})
            assert r.status_code == 200
            assert ("nextCursor" in r.json()["metadata"]) == (chosen is None)
            assert t.surface is surface(chosen)


def test_a_surface_of_another_shape_by_value():
    custom = Surface("2026-08-18", statuses=("ended",), document="2026-08-18")
    with local(campaigns=20, surface=custom) as t:
        assert {c["status"] for c in t.campaigns()} == {"ended"}


def test_the_reference_reads_the_docs_on_its_own():
    """No module of the reference target imports the suite's model of the contract or its oracles
    (two independent readings, compared by these tests)."""
    import ast
    from pathlib import Path

    import vapi_contract.reference as package

    modules = sorted(Path(package.__file__).parent.glob("*.py"))
    assert len(modules) >= 10
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                name = ("." * node.level) + (node.module or "")
                assert "invariants" not in name and not name.endswith("contract.endpoint"), (module.name, name)
                assert not (name in ("..contract", "vapi_contract.contract") and "endpoint" in {a.name for a in node.names})
            if isinstance(node, ast.Import):
                assert not any("invariants" in a.name or a.name.endswith("contract.endpoint") for a in node.names)
