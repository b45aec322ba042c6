"""The generated listings answer per the docs, as read by the small oracle of `listing_oracle`:
filters ANDed, bounds at millisecond precision, paging, sortOrder, sortBy, cursors, metadata,
both families, path parameters, 400 for invalid input, 401 without or with a wrong key, tenancy."""

from __future__ import annotations

import math

import pytest

from listing_oracle import body, bound_holds, created, cursor_walk, dig, ids, ordered, page_walk, results, select
from vapi_contract.reference.seed import ORG_A, ORG_B
from vapi_contract.reference.server import local_client
from vapi_contract.timeutil import format_ms, parse_ms, with_offset

CHAT, SESSION, CALL = "/chat", "/session", "/call"
CONTACTS = "/v2/campaign/{id}/contacts"
RUN_ITEMS = "/eval/simulation/run/{id}/item"


def _desc_by_created(items):
    return ordered(items, created)


# -- GET /chat: the paginated family -------------------------------------------------------------------
def test_chat_defaults_page_walk_and_metadata(client, listings):
    chats = listings.items(CHAT, ORG_A)
    data = body(client.get(CHAT))
    meta = data["metadata"]
    assert meta["itemsPerPage"] == 100 and meta["totalItems"] == len(chats) and meta["currentPage"] == 1
    assert meta["totalPages"] == math.ceil(len(chats) / 100) and meta["hasNextPage"] is True
    assert meta["sortOrder"] == "DESC" and "nextCursor" in meta
    assert not {"itemsBeyondRetention", "createdAtLe", "createdAtGe"} & set(meta)  # typed only: never served
    assert [i["id"] for i in data["results"]] == _desc_by_created(chats)[:100]
    walk = page_walk(client, CHAT, {}, 7)  # ties straddle page boundaries: complete, disjoint, ordered
    assert walk == _desc_by_created(chats)
    last = body(client.get(CHAT, params={"limit": 7, "page": math.ceil(len(chats) / 7)}))["metadata"]
    assert last["hasNextPage"] is False and "nextCursor" not in last
    assert results(client.get(CHAT, params={"limit": 7, "page": 10_000})) == []
    empty = body(client.get(CHAT, params={"limit": 0}))
    assert empty["results"] == [] and empty["metadata"]["totalPages"] == 0 and empty["metadata"]["totalItems"] == len(chats)


def test_chat_sort_order_and_sort_by(client, listings):
    chats = listings.items(CHAT, ORG_A)
    assert page_walk(client, CHAT, {"sortOrder": "ASC"}, 50) == ordered(chats, created, descending=False)
    by_cost = page_walk(client, CHAT, {"sortBy": "cost", "sortOrder": "ASC"}, 50)  # a column the item carries
    assert by_cost == ordered(chats, lambda c: c["cost"], descending=False)
    by_duration = page_walk(client, CHAT, {"sortBy": "duration"}, 50)  # Chat has no duration: a hidden column
    assert sorted(by_duration) == sorted(c["id"] for c in chats) and len(set(by_duration)) == len(chats)
    assert by_duration != _desc_by_created(chats)
    asc = page_walk(client, CHAT, {"sortBy": "duration", "sortOrder": "ASC"}, 50)
    assert asc == by_duration[::-1]  # ties by id in the same direction: exactly the reverse


@pytest.mark.parametrize("param", ["id", "assistantId", "squadId", "sessionId", "previousChatId"])
def test_chat_equality_filters(client, listings, param):
    chats = listings.items(CHAT, ORG_A)
    values = [c[param] for c in chats if param in c]
    value = max(set(values), key=values.count)  # the most shared value
    expected = select(chats, lambda c: c.get(param) == value)
    assert ids(client.get(CHAT, params={param: value, "limit": 1000})) == _desc_by_created(expected)
    assert results(client.get(CHAT, params={param: "no-such-value"})) == []


def test_chat_list_filters_and_filters_combined(client, listings):
    chats = listings.items(CHAT, ORG_A)
    assistants = sorted({c["assistantId"] for c in chats if "assistantId" in c})[:3]
    expected = select(chats, lambda c: c.get("assistantId") in assistants)
    got = ids(client.get(CHAT, params={"assistantIdAny": ",".join(assistants), "limit": 1000}))
    assert got == _desc_by_created(expected)  # "Provide as comma-separated values."
    some = [c["id"] for c in chats[:5]]
    assert sorted(ids(client.get(CHAT, params={"idAny": ",".join(some), "limit": 1000}))) == sorted(some)
    session = next(c["sessionId"] for c in chats if "sessionId" in c)
    middle = sorted(created(c) for c in chats)[len(chats) // 2]
    both = select(chats, lambda c: c.get("sessionId") == session, lambda c: created(c) >= middle)
    got = ids(client.get(CHAT, params={"sessionId": session, "createdAtGe": format_ms(middle), "limit": 1000}))
    assert got == _desc_by_created(both)  # ANDed


def test_bounds_at_millisecond_precision_with_offsets(client, listings):
    chats = listings.items(CHAT, ORG_A) + []
    stamps = sorted({created(c) for c in chats})
    tie = next(s for s in stamps if sum(created(c) == s for c in chats) >= 2)  # an instant shared by chats
    for op in ("Gt", "Lt", "Ge", "Le"):
        for field in ("createdAt", "updatedAt"):
            anchor = tie if field == "createdAt" else parse_ms(chats[3]["updatedAt"])
            for text in (format_ms(anchor), with_offset(anchor, 120), with_offset(anchor, -330)):
                name = field + op
                expected = select(chats, lambda c: bound_holds(c, name, text))
                got = ids(client.get(CHAT, params={name: text, "limit": 1000}))
                assert got == _desc_by_created(expected), (name, text)
    neighbours = [s for s in stamps if s + 1 in stamps]
    assert neighbours
    start = neighbours[0]
    got = ids(client.get(CHAT, params={"createdAtGt": format_ms(start), "createdAtLt": format_ms(start + 2)}))
    assert got == _desc_by_created(select(chats, lambda c: created(c) == start + 1))


def test_chat_cursor_walks_are_the_page_walks(client, listings):
    for params in ({}, {"sortOrder": "ASC"}, {"sortBy": "cost"}, {"sortBy": "duration", "sortOrder": "ASC"},
                   {"assistantIdAny": ",".join(sorted({c["assistantId"] for c in listings.items(CHAT, ORG_A)
                                                       if "assistantId" in c})[:4])}):
        assert cursor_walk(client, CHAT, params, 9) == page_walk(client, CHAT, params, 9), params
    first = body(client.get(CHAT, params={"limit": 9}))
    second = body(client.get(CHAT, params={"limit": 9, "cursor": first["metadata"]["nextCursor"]}))
    assert second["metadata"]["currentPage"] == 2 and second["metadata"]["totalItems"] == first["metadata"]["totalItems"]
    assert client.get(CHAT, params={"cursor": "not a cursor"}).status_code == 400


# -- GET /session: filters on the customer, lists as repeated values ------------------------------------
def test_session_filters_on_the_customer_and_repeated_lists(client, listings):
    sessions = listings.items(SESSION, ORG_A)
    numbers = [dig(s, "customer.number") for s in sessions if dig(s, "customer.number")]
    number = numbers[0]
    assert ids(client.get(SESSION, params={"number": number, "limit": 1000})) == \
        _desc_by_created(select(sessions, lambda s: dig(s, "customer.number") == number))
    chosen = sorted(set(numbers))[:3]
    got = ids(client.get(SESSION, params={"customerNumberAny": ",".join(chosen), "limit": 1000}))
    assert got == _desc_by_created(select(sessions, lambda s: dig(s, "customer.number") in chosen))
    phones = sorted({s["phoneNumberId"] for s in sessions if "phoneNumberId" in s})[:2]
    got = ids(client.get(SESSION, params=[("phoneNumberIdAny", p) for p in phones] + [("limit", "1000")]))
    assert got == _desc_by_created(select(sessions, lambda s: s.get("phoneNumberId") in phones))
    name = next(s["name"] for s in sessions if "name" in s and "#" not in s["name"])  # a name sessions share
    assert ids(client.get(SESSION, params={"name": name, "limit": 1000})) == \
        _desc_by_created(select(sessions, lambda s: s.get("name") == name))
    assert client.get(SESSION, params={"workflowId": "anything"}).status_code == 200  # typed only: no effect
    assert body(client.get(SESSION, params={"workflowId": "x"}))["metadata"]["totalItems"] == len(sessions)


# -- GET /call: the array family -------------------------------------------------------------------------
def test_call_answers_a_bare_array_in_no_createdat_order(client, listings):
    calls = listings.items(CALL, ORG_A)
    answer = body(client.get(CALL))
    assert isinstance(answer, list) and len(answer) == 100  # "Defaults to 100."
    assert [c["id"] for c in answer] == sorted(c["id"] for c in calls)[:100]  # by id: the order chosen
    stamps = [created(c) for c in answer]
    assert stamps != sorted(stamps) and stamps != sorted(stamps, reverse=True)  # not by createdAt
    assert len(body(client.get(CALL, params={"limit": 3}))) == 3
    assert len(body(client.get(CALL, params={"limit": 1000}))) == len(calls)  # complete below the limit
    phone = next(c["phoneNumberId"] for c in calls if "phoneNumberId" in c)
    window = sorted(created(c) for c in calls)[len(calls) // 3]
    expected = select(calls, lambda c: c.get("phoneNumberId") == phone, lambda c: created(c) < window)
    got = ids(client.get(CALL, params={"phoneNumberId": phone, "createdAtLt": format_ms(window), "limit": 1000}))
    assert sorted(got) == sorted(c["id"] for c in expected)


def test_array_listings_with_page_and_sort_honour_them(client, listings):
    path = "/eval/simulation/personality"
    items = listings.items(path, ORG_A)
    assert page_walk(client, path, {}, 11) == _desc_by_created(items)
    assert page_walk(client, path, {"sortOrder": "ASC"}, 11) == ordered(items, created, descending=False)
    assert isinstance(body(client.get(path)), list)


# -- every listing, one sweep -------------------------------------------------------------------------------
def _url(listings, listing, org=ORG_A):
    """The listing's URL with its path parameters filled: the parent with the most items, the
    first enum values."""
    path = listing.path
    for p in listing.path_params:
        if p.role == "parent":
            value = listings.parents(listing.path, org)[0]
        else:
            value = p.enum[0]
        path = path.replace("{" + p.name + "}", value)
    return path


def test_every_listing_answers_its_family_filters_and_bounds(client, listings):
    for listing in listings.served:
        url = _url(listings, listing)
        parent = listings.parents(listing.path, ORG_A)[0] if listing.parent else None
        stored = listings.items(listing.path, ORG_A, parent)
        if listing.path.startswith("/provider/"):
            stored = [i for i in stored if i["provider"] == "cartesia" and i["resourceName"] == "pronunciation-dictionary"]
        answer = body(client.get(url, params={"limit": 1000}))
        got = answer["results"] if listing.family == "paginated" else answer
        assert isinstance(answer, dict if listing.family == "paginated" else list), listing.path
        assert sorted(i["id"] for i in got) == sorted(i["id"] for i in stored), listing.path
        assert len(results(client.get(url, params={"limit": 2}))) == min(2, len(stored))
        for p in listing.having("equality"):
            if "." in p.field:
                continue  # covered by the session test
            values = [dig(i, p.field) for i in stored if dig(i, p.field) is not None]
            if not values:
                continue
            value = values[len(values) // 2]
            text = str(value).lower() if isinstance(value, bool) else str(value)
            expected = sorted(i["id"] for i in stored if dig(i, p.field) == value)
            assert sorted(ids(client.get(url, params={p.name: text, "limit": 1000}))) == expected, (listing.path, p.name)
        if listing.having("bound"):
            middle = sorted(created(i) for i in stored)[len(stored) // 2]
            expected = sorted(i["id"] for i in stored if created(i) <= middle)
            got = sorted(ids(client.get(url, params={"createdAtLe": format_ms(middle), "limit": 1000})))
            assert got == expected, listing.path


# -- path parameters ----------------------------------------------------------------------------------------
def test_contacts_of_a_campaign_in_upload_order(client, service, listings):
    campaign = listings.parents(CONTACTS, ORG_A)[0]
    url = f"/v2/campaign/{campaign}/contacts"
    contacts = listings.items(CONTACTS, ORG_A, campaign)
    data = body(client.get(url))
    assert data["metadata"]["itemsPerPage"] == 50  # "Defaults to 50."
    assert data["metadata"]["totalItems"] == len(contacts)
    walk = page_walk(client, url, {}, 4)
    assert sorted(walk) == sorted(c["id"] for c in contacts) and len(set(walk)) == len(walk)
    assert cursor_walk(client, url, {}, 4) == walk
    order = ["contact.pending", "contact.dispatched", "contact.completed", "contact.failed", "contact.skipped",
             "contact.predial-failed"]
    by_status = [c["status"] for c in results(client.get(url, params={"sortBy": "status", "limit": 1000}))]
    assert by_status == sorted(by_status, key=order.index)  # "sorts by the enum's declaration order"
    statuses = sorted({c["status"] for c in contacts})[:2]
    got = ids(client.get(url, params=[("status", s) for s in statuses] + [("limit", "1000")]))
    assert sorted(got) == sorted(c["id"] for c in contacts if c["status"] in statuses)  # "Pass once or multiple times"
    assert client.get(url, params={"limit": 0}).status_code == 400  # minimum 1
    other_org = service.store.keys()[ORG_B][0][0]
    for unknown in ("00000000-0000-4000-8000-000000000000", other_org):
        assert client.get(f"/v2/campaign/{unknown}/contacts").status_code == 404
    assert client.get("/v2/campaign/not-a-uuid/contacts").status_code == 400


def test_provider_resources_by_enum_path_values(client, listings):
    stored = listings.items("/provider/{provider}/{resourceName}", ORG_A)
    for provider in ("cartesia", "11labs"):
        got = ids(client.get(f"/provider/{provider}/pronunciation-dictionary", params={"limit": 1000}))
        assert sorted(got) == sorted(i["id"] for i in stored if i["provider"] == provider)
    assert client.get("/provider/elevenlabs/pronunciation-dictionary").status_code == 400
    assert client.get("/provider/cartesia/voices").status_code == 400


def test_run_items_of_the_runs_the_run_listing_lists(client, listings):
    runs = ids(client.get("/eval/simulation/run", params={"limit": 1000}))
    parents = listings.parents(RUN_ITEMS, ORG_A)
    assert set(parents) <= set(runs)
    items = listings.items(RUN_ITEMS, ORG_A, parents[0])
    got = ids(client.get(f"/eval/simulation/run/{parents[0]}/item", params={"limit": 1000}))
    assert got == _desc_by_created(items)
    childless = next(r for r in runs if r not in parents)
    assert body(client.get(f"/eval/simulation/run/{childless}/item")) == []


# -- input, keys, tenancy --------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, params", [
    (CHAT, {"limit": "1001"}), (CHAT, {"limit": "-1"}), (CHAT, {"page": "0"}), (CHAT, {"page": "two"}),
    (CHAT, {"sortOrder": "UP"}), (CHAT, {"sortBy": "name"}), (CHAT, {"createdAtGt": "yesterday"}),
    (CHAT, [("page", "1"), ("page", "2")]), (CALL, {"limit": "5000"}), (CALL, {"updatedAtLe": "2025-13-01T00:00:00Z"}),
    ("/eval/simulation/run", {"status": "paused"}), ("/eval/simulation/run", {"targetId": "not-a-uuid"}),
    ("/eval/simulation", {"standaloneOnly": "yes"}), ("/v2/phone-number", {"search": "x" * 101}),
])
def test_invalid_input_is_a_400_naming_it(client, path, params):
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    data = response.json()
    assert data["statusCode"] == 400 and data["error"] == "Bad Request" and data["message"]


def test_a_key_is_needed_and_sees_its_own_organisation(service, client_b, listings):
    for key in (None, "not-a-key"):
        with local_client(service, key) as anonymous:
            response = anonymous.get(CHAT)
            assert response.status_code == 401 and response.json()["statusCode"] == 401
    got = ids(client_b.get(CHAT, params={"limit": 1000}))
    assert sorted(got) == sorted(c["id"] for c in listings.items(CHAT, ORG_B))
    assert set(got).isdisjoint(c["id"] for c in listings.items(CHAT, ORG_A))


def test_search_is_a_case_insensitive_partial_match(client, listings):
    numbers = listings.items("/v2/phone-number", ORG_A)
    name = next(n["name"] for n in numbers if "name" in n)
    needle = name[2:6].upper()

    def found(n):
        return any(needle.lower() in str(n.get(f, "")).lower() for f in ("name", "number", "sipUri"))
    got = ids(client.get("/v2/phone-number", params={"search": needle, "limit": 1000}))
    assert got and sorted(got) == sorted(n["id"] for n in numbers if found(n))
    assert results(client.get("/v2/phone-number", params={"search": "%"})) == []  # a literal, not a wildcard


def test_standalone_only_keeps_the_simulations_no_suite_lists(client, listings):
    listed = {s for suite in listings.items("/eval/simulation/suite", ORG_A) for s in suite["simulationIds"]}
    everything = listings.items("/eval/simulation", ORG_A)
    got = ids(client.get("/eval/simulation", params={"standaloneOnly": "true", "limit": 1000}))
    assert got and sorted(got) == sorted(s["id"] for s in everything if s["id"] not in listed)
    assert len(ids(client.get("/eval/simulation", params={"standaloneOnly": "false", "limit": 1000}))) == len(everything)


def test_contacts_of_a_contract_without_the_campaign_listings(whole_document, tmp_path):
    """`derive --operation "GET /v2/campaign/{id}/contacts"` alone: the campaigns its path names are
    still the campaign listings' (served whatever the contract)."""
    from vapi_contract.contract.derive import derive, write
    from vapi_contract.contract.source import load_source
    from vapi_contract.reference.server import build_service

    write(derive(load_source(str(whole_document)), [f"GET {CONTACTS}"]), tmp_path)
    service = build_service(contract_root=tmp_path, items=40)
    try:
        with local_client(service, service.keys and next(k for k, o in service.keys.items() if o == ORG_A)) as client:
            campaign = service.listings.parents(CONTACTS, ORG_A)[0]
            assert body(client.get(f"/v2/campaign/{campaign}/contacts"))["metadata"]["totalItems"] == \
                len(service.listings.items(CONTACTS, ORG_A, campaign))
            assert client.get("/v2/campaign/00000000-0000-4000-8000-000000000000/contacts").status_code == 404
    finally:
        service.close()
