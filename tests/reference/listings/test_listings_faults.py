"""Each generic fault changes exactly what it says, on at least two listings: a probe shows the
documented rule broken where the conformant target keeps it, a control query is answered as by
the conformant target.  And the catalogue: names, areas, NAME=PARAM, serve's refusals."""

from __future__ import annotations

import pytest

from listing_oracle import created, ids, results
from vapi_contract.reference.listings.faults import CATALOGUE, lookup
from vapi_contract.reference.seed import ORG_A, ORG_B
from vapi_contract.reference.server import build_service, local_client
from vapi_contract.areas import AREAS
from vapi_contract.timeutil import format_ms

CHAT, CALL, SESSION, SQUAD = "/chat", "/call", "/session", "/squad"
PERSONALITY = "/eval/simulation/personality"


def _shared(listings, path, field):
    values = [i[field] for i in listings.items(path, ORG_A) if field in i]
    return max(set(values), key=values.count)


def _tie(listings, path):
    stamps = [created(i) for i in listings.items(path, ORG_A)]
    return format_ms(next(s for s in sorted(stamps) if stamps.count(s) >= 2))


def _both(client, with_faults, fault, path, params, key=True):
    """(conformant answer, faulty answer) to one request."""
    clean = client.get(path, params=params)
    with with_faults(fault):
        faulty = client.get(path, params=params)
    return clean, faulty


def _same(client, with_faults, fault, path, params):
    clean, faulty = _both(client, with_faults, fault, path, params)
    assert (faulty.status_code, faulty.json()) == (clean.status_code, clean.json()), (fault, path, params)


@pytest.mark.parametrize("path, field", [(CHAT, "sessionId"), (CALL, "assistantId"), (SESSION, "assistantId")])
def test_equality_filter_ignored(client, listings, with_faults, path, field):
    value = _shared(listings, path, field)
    clean, faulty = _both(client, with_faults, "generic-equality-filter-ignored", path, {field: value, "limit": 1000})
    assert {i.get(field) for i in results(clean)} == {value}
    assert {i.get(field) for i in results(faulty)} != {value}
    assert ids(faulty) == ids(client.get(path, params={"limit": 1000}))  # as if not asked
    _same(client, with_faults, "generic-equality-filter-ignored", path, {"limit": 20})


def test_equality_filter_ignored_aimed_at_one_parameter(client, listings, with_faults):
    session, assistant = _shared(listings, CHAT, "sessionId"), _shared(listings, CHAT, "assistantId")
    clean, faulty = _both(client, with_faults, "generic-equality-filter-ignored=sessionId", CHAT,
                          {"sessionId": session, "limit": 1000})
    assert len(results(faulty)) > len(results(clean))
    _same(client, with_faults, "generic-equality-filter-ignored=sessionId", CHAT, {"assistantId": assistant, "limit": 1000})


# /chat's idAny: a string, "Provide as comma-separated values."; /squad's: an array, repeated
@pytest.mark.parametrize("path, param, repeated", [(CHAT, "idAny", False), (SQUAD, "idAny", True),
                                                   (CHAT, "assistantIdAny", False)])
def test_list_filter_first_only(client, listings, with_faults, path, param, repeated):
    field = param[:-3]
    values = sorted({i[field] for i in listings.items(path, ORG_A) if field in i})[:3]
    params = [(param, v) for v in values] if repeated else [(param, ",".join(values))]
    clean, faulty = _both(client, with_faults, "generic-list-filter-first-only", path, params + [("limit", "1000")])
    assert {i[field] for i in results(clean)} == set(values)
    assert {i[field] for i in results(faulty)} == {values[0]}
    _same(client, with_faults, "generic-list-filter-first-only", path, {"limit": 30})


@pytest.mark.parametrize("path", [CHAT, PERSONALITY, SESSION])
def test_page_off_by_one(client, with_faults, path):
    for page in (1, 2):
        clean_next = client.get(path, params={"limit": 10, "page": page + 1})
        clean, faulty = _both(client, with_faults, "generic-page-off-by-one", path, {"limit": 10, "page": page})
        assert ids(faulty) == ids(clean_next) != ids(clean)
        if isinstance(clean.json(), dict):  # the metadata is the page asked for's (nextCursor: the items')
            def meta(r):
                return {k: v for k, v in r.json()["metadata"].items() if k != "nextCursor"}
            assert meta(faulty) == meta(clean)


@pytest.mark.parametrize("path", [CHAT, CALL])
def test_limit_ignored(client, with_faults, path):
    clean, faulty = _both(client, with_faults, "generic-limit-ignored", path, {"limit": 5})
    assert len(results(clean)) == 5 and len(results(faulty)) == 100
    _same(client, with_faults, "generic-limit-ignored", path, {})  # the default: nothing changes


@pytest.mark.parametrize("path", [CHAT, CALL])
def test_bound_inclusive(client, listings, with_faults, path):
    tie = _tie(listings, path)
    clean, faulty = _both(client, with_faults, "generic-bound-inclusive", path, {"createdAtGt": tie, "limit": 1000})
    assert tie not in {i["createdAt"] for i in results(clean)}
    assert tie in {i["createdAt"] for i in results(faulty)}
    _same(client, with_faults, "generic-bound-inclusive", path, {"createdAtGe": tie, "limit": 1000})


@pytest.mark.parametrize("path", [CHAT, SESSION])
def test_sort_column_ignored(client, with_faults, path):
    clean, faulty = _both(client, with_faults, "generic-sort-column-ignored", path, {"sortBy": "cost", "limit": 1000})
    costs = [i["cost"] for i in results(clean)]
    assert costs == sorted(costs, reverse=True)
    assert ids(faulty) == ids(client.get(path, params={"limit": 1000})) != ids(clean)  # by createdAt
    _same(client, with_faults, "generic-sort-column-ignored", path, {"sortBy": "createdAt", "limit": 50})


@pytest.mark.parametrize("path", [CHAT, PERSONALITY])
def test_sort_order_ignored(client, with_faults, path):
    clean, faulty = _both(client, with_faults, "generic-sort-order-ignored", path, {"sortOrder": "ASC", "limit": 1000})
    assert ids(faulty) == ids(client.get(path, params={"limit": 1000})) == ids(clean)[::-1]
    _same(client, with_faults, "generic-sort-order-ignored", path, {"sortOrder": "DESC", "limit": 40})


@pytest.mark.parametrize("path, schema, field", [(CHAT, "Chat", "orgId"), (SQUAD, "Squad", "members"),
                                                 ("/reporting/board", "Board", "layout")])
def test_missing_required_field(client, with_faults, suite_validator, path, schema, field):
    clean, faulty = _both(client, with_faults, "generic-missing-required-field", path, {"limit": 20})
    assert all(field in i for i in results(clean)) and not any(field in i for i in results(faulty))
    assert [{k: v for k, v in i.items() if k != field} for i in results(clean)] == results(faulty)  # nothing else
    assert all(suite_validator.violations(i, schema) for i in results(faulty))
    assert not any(suite_validator.violations(i, schema) for i in results(clean))


@pytest.mark.parametrize("path", [CHAT, "/eval/run"])
def test_total_items_page_count(client, with_faults, path):
    clean, faulty = _both(client, with_faults, "generic-total-items-page-count", path, {"limit": 5})
    assert clean.json()["metadata"]["totalItems"] > 5 and faulty.json()["metadata"]["totalItems"] == 5
    assert results(faulty) == results(clean)


@pytest.mark.parametrize("path, field", [(CHAT, "sessionId"), (CALL, "phoneNumberId")])
def test_filters_or(client, listings, with_faults, path, field):
    value = _shared(listings, path, field)
    tie = _tie(listings, path)
    params = {field: value, "createdAtLe": tie, "limit": 1000}
    clean, faulty = _both(client, with_faults, "generic-filters-or", path, params)
    either = set(ids(client.get(path, params={field: value, "limit": 1000}))) | \
        set(ids(client.get(path, params={"createdAtLe": tie, "limit": 1000})))
    assert set(ids(faulty)) == either != set(ids(clean))
    _same(client, with_faults, "generic-filters-or", path, {field: value, "limit": 1000})


@pytest.mark.parametrize("path", [CHAT, CALL])
def test_limit_over_max_accepted(client, with_faults, path):
    clean, faulty = _both(client, with_faults, "generic-limit-over-max-accepted", path, {"limit": 1001})
    assert clean.status_code == 400 and faulty.status_code == 200
    _same(client, with_faults, "generic-limit-over-max-accepted", path, {"page": 0} if path == CHAT else {"limit": "x"})


@pytest.mark.parametrize("path", [CHAT, CALL])
def test_malformed_date_500(client, with_faults, path):
    clean, faulty = _both(client, with_faults, "generic-malformed-date-500", path, {"createdAtGt": "last tuesday"})
    assert clean.status_code == 400 and faulty.status_code == 500
    _same(client, with_faults, "generic-malformed-date-500", path, {"limit": 9999})


@pytest.mark.parametrize("path", [CHAT, CALL])
def test_missing_key_accepted(service, client, with_faults, path):
    with local_client(service, None) as anonymous:
        clean = anonymous.get(path)
        with with_faults("generic-missing-key-accepted"):
            faulty = anonymous.get(path)
            with local_client(service, "wrong-key") as wrong:
                assert wrong.get(path).status_code == 401  # a wrong key is still refused
    assert clean.status_code == 401 and faulty.status_code == 200
    assert faulty.json() == client.get(path).json()  # served as the primary organisation


@pytest.mark.parametrize("path", [CHAT, CALL])
def test_tenant_leak(client, listings, with_faults, path):
    clean, faulty = _both(client, with_faults, "generic-tenant-leak", path, {"limit": 1000})
    others = {i["id"] for i in listings.items(path, ORG_B)}
    assert not others & set(ids(clean)) and others & set(ids(faulty))
    assert set(ids(clean)) <= set(ids(faulty))  # its own items as well


@pytest.mark.parametrize("path", [CHAT, CALL])
def test_intermittent_5xx(client, with_faults, path):
    with with_faults("generic-intermittent-5xx"):
        statuses = [client.get(path, params={"limit": 1}).status_code for _ in range(10)]
    assert sorted(statuses) == [200] * 8 + [500] * 2
    assert [client.get(path, params={"limit": 1}).status_code for _ in range(10)] == [200] * 10


def test_the_catalogue_names_an_area_a_rule_and_listings(listings):
    assert len(CATALOGUE) >= 8 and all(f.area in AREAS for f in CATALOGUE.values())
    assert all(name.startswith("generic-") and f.rule and f.doc for name, f in CATALOGUE.items())
    for f in CATALOGUE.values():  # every fault shows on at least two listings of the whole document
        assert sum(f.on(x) for x in listings.served) >= 2, f.name
    assert lookup("generic-bound-inclusive=createdAtGt").target == "createdAtGt"
    assert lookup("page-off-by-one") is None  # a campaign fault
    with pytest.raises(KeyError, match="unknown fault 'generic-nope'"):
        lookup("generic-nope")


def test_a_fault_no_listing_can_show_is_refused(whole_contract, april_contract):
    with pytest.raises(ValueError, match="applies to none of the listings served"):
        build_service(contract_root=whole_contract, fault="generic-equality-filter-ignored=noSuchParameter", items=10)
    with pytest.raises(ValueError, match="give a contract root"):
        build_service(contract_root=april_contract, fault="generic-tenant-leak")  # campaign listings only
