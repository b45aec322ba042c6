"""The Endpoint read from the pin: every element has the role Vapi's conventions give it, the
engine's requirements are named when missing, and the operations know their siblings."""

from __future__ import annotations

import copy

import pytest

from vapi_contract.contract.endpoint import ContractModelError
from vapi_contract.contract.reading import Contract
from vapi_contract.errors import ConfigError


@pytest.fixture(scope="module")
def contract(pin_root):
    return Contract.load(pin_root)


def _edited(endpoint, edit):
    """The endpoint as a contract edited by ``edit(operation, document)`` would declare it."""
    document = copy.deepcopy(endpoint.document)
    edit(document["paths"][endpoint.path]["get"], document)
    return Contract(document).endpoint(endpoint.label)


def test_list_campaigns_roles(contract):
    e = contract.endpoint("GET /campaign")
    assert (e.page.name, e.limit.name, e.order.name, e.sort.name) == ("page", "limit", "sortOrder", "sortBy")
    assert e.first_page == 1 and e.max_limit == 1000 and e.directions == ("DESC", "ASC")
    assert e.other_direction("DESC") == "ASC" and e.default_sort_column == "createdAt"
    assert {p: e.role(p) for p in ("page", "limit", "sortOrder", "sortBy", "id", "status", "createdAtGt")} == {
        "page": "page-number", "limit": "page-size", "sortOrder": "order", "sortBy": "sort", "id": "equality",
        "status": "equality", "createdAtGt": "bound"}
    assert len(e.bounds) == 8 and {b.field for b in e.bounds} == {"createdAt", "updatedAt"}
    assert [b.param for b in e.pins] == ["createdAtLe", "updatedAtLe"]
    assert e.identity_filter.param == "id" and e.identity_filter.pattern.match("2b6f7a44-5c1e-4d8a-9e33-0a1b2c3d4e5f")
    assert e.equality("status").values == ("scheduled", "in-progress", "ended", "cancelled", "archived")
    assert e.value_fields == ("status",)
    assert (e.identity, e.created, e.updated, e.organisation) == ("id", "createdAt", "updatedAt", "orgId")
    assert (e.cursor.meta, e.cursor.param) == ("nextCursor", "cursor") and e.role("cursor") == "cursor"
    assert e.counters is None and e.call_metrics is None
    assert (e.envelope.results, e.envelope.metadata, e.envelope.total) == ("results", "metadata", "totalItems")
    assert e.meta_name("total-pages") == "totalPages" and e.meta_name("next-cursor") == "nextCursor"
    assert e.no_oracle() == [] and e.unusable == () and e.require() is e
    assert e.siblings == ("GET /v2/campaign",)


def test_v2_counters_and_call_metrics(contract):
    e = contract.endpoint("GET /v2/campaign")
    assert e.counters.param == "includeCounters" and set(e.counters.fields) == {"contactCounters", "callMetrics"}
    assert (e.call_metrics.field, e.call_metrics.dialed, e.call_metrics.connected) == ("callMetrics", "dialed", "connected")
    assert e.role("includeCounters") == "counters" and e.siblings == ("GET /campaign",)
    assert e.supports("counters") and e.supports("field:call-metrics") and not contract.endpoint("GET /campaign").supports("counters")


def test_supports_speaks_the_requires_vocabulary(contract):
    e = contract.endpoint("GET /campaign")
    assert all(e.supports(x) for x in ("sort", "filters", "enum-filter", "cursor", "sibling", "organisation",
                                        "meta:total-pages", "meta:has-next-page", "meta:sort-order"))
    assert not any(e.supports(x) for x in ("counters", "field:call-metrics", "meta:no-such-role", "nonsense"))
    plain = _edited(e, lambda op, _: op.update(parameters=[p for p in op["parameters"] if p["name"] not in ("status", "id")]))
    assert plain.supports("filters") and not plain.supports("enum-filter")  # the bounds remain filters


@pytest.mark.parametrize("edit, named", [
    (lambda op, _: op.update(parameters=[p for p in op["parameters"] if p["name"] != "limit"]), "'limit'"),
    (lambda op, _: next(p for p in op["parameters"] if p["name"] == "limit")["schema"].pop("maximum"), "no maximum"),
    (lambda op, _: next(p for p in op["parameters"] if p["name"] == "page")["schema"].update(type="string"), "'page' as 'string'"),
    (lambda op, _: op.update(parameters=[p for p in op["parameters"] if p["name"] != "createdAtLt"]), "createdAtLt"),
    (lambda op, d: d["components"]["schemas"]["PaginationMeta"]["properties"].pop("totalItems"), "'totalItems'"),
])
def test_what_the_engine_relies_on_is_named_when_missing(contract, edit, named):
    broken = _edited(contract.endpoint("GET /campaign"), edit)
    with pytest.raises(ContractModelError) as info:
        broken.require()
    assert named in str(info.value) and "GET /campaign" in str(info.value)


def test_an_element_without_oracle_is_named(contract):
    e = _edited(contract.endpoint("GET /campaign"),
                lambda op, _: op["parameters"].append({"name": "colour", "in": "query", "schema": {"type": "string"}}))
    assert e.role("colour") is None and e.no_oracle() == ["query parameter colour"]


def test_an_unknown_operation_names_those_declared(contract):
    with pytest.raises(ConfigError) as info:
        contract.endpoint("GET /chat/{id}")
    assert "GET /campaign" in str(info.value) and "GET /v2/campaign" in str(info.value) and "GET /chat," in str(info.value)
    assert contract.default_operation == "GET /campaign"
