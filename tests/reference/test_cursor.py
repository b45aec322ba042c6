"""Keyset cursors on the 2026-08-18 surface (PaginationMeta.nextCursor, the ``cursor`` parameter):
the design in ``reference/cursor.py``, checked in-process against the suite's reading of the
selection (``expected_selection``) and the reference's hidden sort columns."""

from __future__ import annotations

import base64
import json

import pytest

from suite_oracle import ENDPOINT

from local_target import local
from vapi_contract.invariants.selection import expected_selection
from vapi_contract.reference.cursor import MAX_VALUE, Position, decode, encode
from vapi_contract.reference.seed import ORG_A
from vapi_contract.reference.store import hidden_cost, hidden_duration
from vapi_contract.timeutil import format_ms, parse_ms

PATHS = ("/campaign", "/v2/campaign")
SORT_KEYS = {"createdAt": lambda c: parse_ms(c["createdAt"]), "cost": lambda c: hidden_cost(c["id"]),
             "duration": lambda c: hidden_duration(c["id"])}


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def ordered(items: list[dict], params: dict) -> list[dict]:
    """The documented selection of ``params`` in its order (sortBy's hidden columns included)."""
    chosen = expected_selection(ENDPOINT, items, params)
    key = SORT_KEYS[params.get("sortBy", "createdAt")]
    return sorted(chosen, key=lambda c: (key(c), c["id"]), reverse=params.get("sortOrder", "DESC") == "DESC")


def get(client, params: dict, path: str = "/campaign") -> dict:
    r = client.get(path, params=params)
    assert r.status_code == 200, (params, r.text)
    return r.json()


def cursor_walk(client, params: dict, path: str = "/campaign") -> list[dict]:
    """Page 1, then nextCursor after nextCursor: the bodies."""
    bodies = [get(client, params, path)]
    while "nextCursor" in bodies[-1]["metadata"]:
        bodies.append(get(client, {**params, "cursor": bodies[-1]["metadata"]["nextCursor"]}, path))
        assert len(bodies) < 1000, "the walk did not end"
    return bodies


# -- the text -----------------------------------------------------------------------------------
def test_encode_decode_round_trip():
    for position in (Position(1_735_689_600_000, "3f2a..."), Position(0, ""), Position(-5, "é"), Position(MAX_VALUE, "x")):
        text = encode(position)
        assert decode(text) == position
        assert text.isascii() and "=" not in text and "+" not in text and "/" not in text  # base64url, unpadded


@pytest.mark.parametrize("text", ["", "!", "not a cursor", "eyJ2Ijox", b64("[1, 2]"), b64('{"v": 1}'),
                                  b64('{"v": 1, "id": "a", "x": 2}'), b64('{"v": "1", "id": "a"}'),
                                  b64('{"v": 1.5, "id": "a"}'), b64('{"v": true, "id": "a"}'),
                                  b64('{"v": 1, "id": 7}'), b64(json.dumps({"v": 2**63, "id": "a"})),
                                  b64('{"v": 1, "id": "' + "x" * 201 + '"}'), "%%%"])
def test_malformed_texts(text):
    assert decode(text) is None


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("text", ["garbage", "", b64('{"v": "x", "id": 1}'), "eyJ2IjoxLCJpZCI6ImEifQ==="])
def test_malformed_cursor_is_400(app, path, text):
    r = app.client.get(path, params={"cursor": text})
    assert r.status_code == 400
    assert r.json() == {"message": ["cursor must be a valid cursor"], "error": "Bad Request", "statusCode": 400}


# -- walks ----------------------------------------------------------------------------------------
QUERIES = [
    {},
    {"sortOrder": "ASC"},
    {"sortBy": "cost"},
    {"sortBy": "duration", "sortOrder": "ASC"},
    {"status": "ended"},
    {"status": "cancelled", "sortOrder": "ASC"},
    {"createdAtGe": "2024-06-01T00:00:00.000Z", "updatedAtLt": "2025-06-01T00:00:00.000Z", "sortBy": "cost"},
]


@pytest.mark.parametrize("params", QUERIES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "defaults")
@pytest.mark.parametrize("limit", [7, 20])
def test_cursor_walk_equals_the_documented_selection_and_the_page_walk(app, params, limit):
    query = {**params, "limit": limit}
    want = [c["id"] for c in ordered(app.campaigns(), params)]
    assert len(want) > limit, "the walk crosses pages"
    bodies = cursor_walk(app.client, query)
    assert [c["id"] for b in bodies for c in b["results"]] == want
    for k, body in enumerate(bodies, start=1):
        page = get(app.client, {**query, "page": k})
        assert body == page, f"cursor page {k} differs from page {k}"  # items and metadata, nextCursor too
        assert body["metadata"]["currentPage"] == k and body["metadata"]["totalItems"] == len(want)
        assert len(body["results"]) == limit or k == len(bodies)
    assert [("nextCursor" in b["metadata"]) for b in bodies] == [True] * (len(bodies) - 1) + [False]
    assert [b["metadata"]["hasNextPage"] for b in bodies] == [True] * (len(bodies) - 1) + [False]


def test_next_cursor_exactly_when_a_further_item_exists(app):
    total = len(app.campaigns())
    divisors = [d for d in range(2, 60) if total % d == 0]
    assert divisors, "a limit that ends the data exactly on a full page"
    for limit in (divisors[-1], 37):
        for page in range(1, total // limit + 3):
            meta = get(app.client, {"limit": limit, "page": page})["metadata"]
            assert ("nextCursor" in meta) == (page * limit < total), (limit, page)


@pytest.mark.parametrize("path", PATHS)
def test_both_operations_walk_by_cursor(app, path):
    bodies = cursor_walk(app.client, {"limit": 40, "status": "ended"}, path)
    assert len(bodies) > 1
    assert [c["id"] for b in bodies for c in b["results"]] == [c["id"] for c in ordered(app.campaigns(), {"status": "ended"})]


# -- choices where the document is silent ---------------------------------------------------------
def test_page_is_ignored_beside_a_cursor(app):
    first = get(app.client, {"limit": 10})
    cursor = first["metadata"]["nextCursor"]
    assert get(app.client, {"limit": 10, "cursor": cursor, "page": 7}) == get(app.client, {"limit": 10, "cursor": cursor})
    assert app.client.get("/campaign", params={"cursor": cursor, "page": 0}).status_code == 400  # still validated


def test_limit_zero_beside_a_cursor(app):
    cursor = get(app.client, {"limit": 10})["metadata"]["nextCursor"]
    body = get(app.client, {"limit": 0, "cursor": cursor, "page": 3})
    assert body["results"] == [] and "nextCursor" not in body["metadata"]
    assert body["metadata"]["currentPage"] == 3 and body["metadata"]["totalPages"] == 0


def test_cursor_of_the_last_item_gives_an_empty_page(app):
    last = ordered(app.campaigns(), {})[-1]
    total = len(app.campaigns())
    body = get(app.client, {"limit": 10, "cursor": encode(Position(parse_ms(last["createdAt"]), last["id"]))})
    assert body["results"] == [] and "nextCursor" not in body["metadata"]
    assert body["metadata"]["totalItems"] == total and body["metadata"]["currentPage"] == total // 10 + 1


@pytest.mark.parametrize("origin, used", [
    ({"sortBy": "cost"}, {}),
    ({}, {"sortBy": "duration"}),
    ({"status": "ended"}, {"status": "scheduled"}),
    ({"sortOrder": "DESC"}, {"sortOrder": "ASC"}),
])
def test_a_cursor_from_another_query_is_a_position_in_this_one(app, validator, origin, used):
    """The document says nothing: the cursor's (value, id) is read in this query's order."""
    cursor = get(app.client, {**origin, "limit": 30})["metadata"]["nextCursor"]
    position = decode(cursor)
    body = get(app.client, {**used, "limit": 30, "cursor": cursor})
    assert validator.page_violations(body, "CampaignPaginatedResponse", "Campaign") == []
    key = SORT_KEYS[used.get("sortBy", "createdAt")]
    after = [c for c in ordered(app.campaigns(), used)
             if ((key(c), c["id"]) < (position.value, position.id)) == (used.get("sortOrder", "DESC") == "DESC")
             and (key(c), c["id"]) != (position.value, position.id)]
    assert [c["id"] for c in body["results"]] == [c["id"] for c in after[:30]]


def test_a_well_formed_cursor_far_outside_the_data_never_fails(app):
    for value in (MAX_VALUE, -MAX_VALUE, 0):
        for order in ("ASC", "DESC"):
            r = app.client.get("/campaign", params={"cursor": encode(Position(value, "zzz")), "sortOrder": order})
            assert r.status_code == 200


def test_the_cursor_item_deleted_meanwhile():
    """A cursor is a position, not an item: it works after its item is gone."""
    with local(campaigns=120) as t:
        first = get(t.client, {"limit": 10})
        before = get(t.client, {"limit": 10, "cursor": first["metadata"]["nextCursor"]})
        assert t.store.delete(first["results"][-1]["id"])
        after = get(t.client, {"limit": 10, "cursor": first["metadata"]["nextCursor"]})
        assert after["results"] == before["results"]
        assert after["metadata"]["totalItems"] == before["metadata"]["totalItems"] - 1


def test_keyset_pages_are_index_searches_without_offset(app):
    """"without an OFFSET scan": the page statement of a cursor request has no OFFSET and is a
    SEARCH of an index in the order asked (no temporary sort)."""
    store = app.store
    queries = [{}, {"sortOrder": "ASC"}, {"sortBy": "cost"}, {"sortBy": "duration", "sortOrder": "ASC"}, {"status": "ended"}]
    for params in queries:
        cursor = get(app.client, {**params, "limit": 5})["metadata"]["nextCursor"]
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        try:
            get(app.client, {**params, "limit": 5, "cursor": cursor})
        finally:
            store.conn.set_trace_callback(None)
        pages = [s for s in statements if s.startswith("SELECT body")]
        assert len(pages) == 1, statements
        assert "OFFSET" not in pages[0] and "LIMIT" in pages[0]
        plan = " ".join(row[-1] for row in store.conn.execute("EXPLAIN QUERY PLAN " + pages[0]))
        assert "SEARCH" in plan and "USING INDEX" in plan and "TEMP B-TREE" not in plan, (params, plan)
        assert ", id) <" in pages[0] or ", id) >" in pages[0], pages[0]


def test_an_org_sees_only_its_campaigns_through_a_cursor(app):
    """A cursor is a position in the asking organisation's query: org-b's cursor used by org-a
    lists org-a's campaigns."""
    from vapi_contract.reference.seed import ORG_B, ORG_KEYS

    with app.client_for(ORG_KEYS[ORG_B]) as other:
        cursor = get(other, {"limit": 5})["metadata"]["nextCursor"]
    body = get(app.client, {"limit": 1000, "cursor": cursor})
    assert body["results"] and {c["id"] for c in body["results"]} <= {c["id"] for c in app.campaigns(ORG_A)}


def test_bounds_and_cursor_together(app):
    items = app.campaigns()
    stamp = sorted(parse_ms(c["createdAt"]) for c in items)[len(items) // 2]
    params = {"createdAtLe": format_ms(stamp), "limit": 9}
    bodies = cursor_walk(app.client, params)
    want = [c["id"] for c in ordered(items, {"createdAtLe": format_ms(stamp)})]
    assert len(bodies) > 2 and [c["id"] for b in bodies for c in b["results"]] == want
