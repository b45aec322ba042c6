"""Response drift on hand-made bodies: each kind of change is noted at its generalised pointer,
once per response, breaking or not as ``vapi-contract diff`` classifies it."""

from __future__ import annotations

import sys
from pathlib import Path

from vapi_contract.drift import DriftCollector

sys.path.insert(0, str(Path(__file__).parents[1]))
from invariants.answers import ENDPOINT, ITEMS, answer  # noqa: E402  (the invariants' hand-made answers)


def collect(validator, *bodies) -> dict:
    drift = DriftCollector(validator.schemas, ENDPOINT)
    for body in bodies:
        drift.observe_page(body)
    return {(f["pointer"], f["change"]): f for f in drift.results()}, drift


def page(items, **meta):
    good = answer(ITEMS, [("limit", "5")])
    return {"results": items, "metadata": {**good.metadata, **meta}}


def test_a_conformant_page_shows_no_drift(validator):
    found, drift = collect(validator, page([dict(i) for i in ITEMS[:5]]))
    assert found == {} and not drift.breaking and drift.responses == 1


def test_each_kind_of_change_at_its_pointer(validator):
    items = [dict(i) for i in ITEMS[:5]]
    items[0]["maxRetries"] = 2
    del items[1]["callsCounterQueued"]
    items[2]["callsCounterEnded"] = "3"
    items[3]["status"] = "paused"
    found, drift = collect(validator, page(items, pageCount=1))
    assert set(found) == {("/results/*/maxRetries", "property-added"), ("/metadata/pageCount", "metadata-field-added"),
                          ("/results/*/callsCounterQueued", "required-property-removed"),
                          ("/results/*/callsCounterEnded", "type-changed"), ("/results/*/status", "enum-widened")}
    assert {k[1] for k, f in found.items() if f["breaking"]} == {"required-property-removed", "type-changed", "enum-widened"}
    assert drift.breaking and found[("/results/*/maxRetries", "property-added")]["example"] == 2


def test_responses_are_counted_once_each_and_an_item_version_is_walked_once(validator):
    items = [dict(i) for i in ITEMS[:5]]
    items[0]["maxRetries"] = 2
    found, drift = collect(validator, page(items), page(items), page([dict(i) for i in ITEMS[:5]]))
    assert found[("/results/*/maxRetries", "property-added")]["responses"] == 2 and drift.responses == 3
    assert len(drift.walked) == 6  # five items, the first in two versions: each version walked at full depth once


def test_a_union_alternative_is_told_by_a_property_type(validator, pin_root):
    """ScorecardMetric.conditions: anyOf [NumberComparator..., BooleanComparator...], alike but for
    the type of ``value``: a boolean condition is the boolean alternative, no type change."""
    from vapi_contract.contract.reading import Contract

    scorecard = Contract.load(pin_root).endpoint("GET /observability/scorecard")
    drift = DriftCollector(validator.schemas, scorecard)
    item = {"id": "s1", "orgId": "o", "name": "n", "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z",
            "metrics": [{"structuredOutputId": "x", "conditions": [
                {"type": "comparator", "comparator": "=", "value": False, "points": 10},
                {"type": "comparator", "comparator": ">", "value": 3, "points": 5}]}]}
    drift.observe_page({"results": [item], "metadata": {"itemsPerPage": 1, "totalItems": 1, "currentPage": 1}})
    assert [f for f in drift.results() if f["change"] == "type-changed"] == []
