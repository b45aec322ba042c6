"""Documented behaviour of the default surface's listings (2026-08-18) over real HTTP, and the
target's choices where the docs are silent."""

from __future__ import annotations

import httpx
import pytest

from suite_oracle import ENDPOINT

from vapi_contract.invariants.selection import expected_selection
from vapi_contract.reference.app import INVALID_KEY
from vapi_contract.reference.seed import ORG_B, ORG_IDS, ORG_KEYS
from vapi_contract.timeutil import format_ms, parse_ms


PATHS = ("/campaign", "/v2/campaign")


def ids(response) -> list[str]:
    return [c["id"] for c in response.json()["results"]]


def meta(total: int, limit: int = 100, page: int = 1, order: str = "DESC") -> dict:
    """The metadata the 2026-08-18 surface answers, nextCursor left out (see test_cursor.py)."""
    pages = -(-total // limit) if limit else 0
    return {"itemsPerPage": limit, "totalItems": total, "currentPage": page, "totalPages": pages,
            "hasNextPage": page < pages, "sortOrder": order}


def without_cursor(body: dict) -> dict:
    return {k: v for k, v in body["metadata"].items() if k != "nextCursor"}


def test_defaults(client, items):
    bare = client.get("/campaign")
    assert bare.status_code == 200
    assert bare.headers["content-type"] == "application/json; charset=utf-8"
    assert without_cursor(bare.json()) == meta(len(items)) and len(items) > 100
    assert list(bare.json()["metadata"]) == ["itemsPerPage", "totalItems", "currentPage", "totalPages", "hasNextPage",
                                             "nextCursor", "sortOrder"]  # PaginationMeta's order
    explicit = client.get("/campaign", params={"page": 1, "limit": 100, "sortOrder": "DESC", "sortBy": "createdAt"})
    assert bare.json() == explicit.json()
    assert ids(bare) == [c["id"] for c in expected_selection(ENDPOINT, items, {})[:100]]


def test_typed_only_metadata_never_served(client):
    """itemsBeyondRetention, createdAtLe and createdAtGe: typed, optional, no documented meaning."""
    for path in PATHS:
        for params in ({}, {"limit": 1000}, {"createdAtLe": "2025-01-01T00:00:00Z", "createdAtGe": "2024-01-01T00:00:00Z"}):
            found = client.get(path, params=params).json()["metadata"]
            assert not {"itemsBeyondRetention", "createdAtLe", "createdAtGe"} & set(found), (path, params)


def test_walk_is_total_order_both_directions(client, items):
    for order in ("ASC", "DESC"):
        seen = []
        for page in range(1, 100):
            r = client.get("/campaign", params={"page": page, "limit": 7, "sortOrder": order})
            if not r.json()["results"]:
                break
            assert without_cursor(r.json()) == meta(len(items), 7, page, order)
            seen += ids(r)
        assert len(seen) == len(items) > 7, "the walk crosses pages"
        assert seen == [c["id"] for c in expected_selection(ENDPOINT, items, {"sortOrder": order})]


def test_past_the_end_page(client, items):
    r = client.get("/campaign", params={"page": 1000, "limit": 100})
    assert r.status_code == 200 and r.json()["results"] == []
    assert r.json()["metadata"] == meta(len(items), 100, 1000)
    huge = client.get("/campaign", params={"page": "1e300"})
    assert huge.status_code == 200 and huge.json()["results"] == []


def test_contradictory_bounds_give_empty_page(client, items):
    stamp = parse_ms(items[0]["createdAt"])
    r = client.get("/campaign", params={"createdAtGt": format_ms(stamp), "createdAtLt": format_ms(stamp)})
    assert r.status_code == 200
    assert r.json() == {"results": [], "metadata": meta(0)}


def test_limit_zero(client, items):
    """limit=0: no results, the true totalItems, no pages (totalPages 0), no nextCursor."""
    for path in PATHS:
        r = client.get(path, params={"limit": 0})
        assert r.status_code == 200
        assert r.json() == {"results": [], "metadata": meta(len(items), 0)}


def test_fractional_page_and_limit_are_floored(client, items):
    r = client.get("/campaign", params={"page": "2.9", "limit": "7.5"})
    assert r.status_code == 200
    assert without_cursor(r.json()) == meta(len(items), 7, 2)
    assert ids(r) == [c["id"] for c in expected_selection(ENDPOINT, items, {})[7:14]]
    assert client.get("/campaign", params={"limit": "1e1"}).json()["metadata"]["itemsPerPage"] == 10


def test_unknown_parameters_ignored(client):
    assert client.get("/campaign", params={"foo": "bar", "Limit": "5000"}).json() == client.get("/campaign").json()
    # includeCounters is GET /v2/campaign's: on GET /campaign it is an unknown parameter
    assert client.get("/campaign", params={"includeCounters": "maybe"}).json() == client.get("/campaign").json()


def test_limit_1000_max(client, items):
    r = client.get("/campaign", params={"limit": 1000})
    assert r.status_code == 200 and len(r.json()["results"]) == len(items)


STATUS_LIST = "scheduled, in-progress, ended, cancelled, archived"  # the document's enum order
INVALID = [
    ({"page": "0"}, "page must not be less than 1"),
    ({"page": "-3"}, "page must not be less than 1"),
    ({"page": "0.5"}, "page must not be less than 1"),
    ({"page": "abc"}, "page must be a number conforming to the specified constraints"),
    ({"page": ""}, "page must be a number conforming to the specified constraints"),
    ({"page": "NaN"}, "page must be a number conforming to the specified constraints"),
    ({"page": "Infinity"}, "page must be a number conforming to the specified constraints"),
    ({"page": "0x10"}, "page must be a number conforming to the specified constraints"),
    ({"limit": "1001"}, "limit must not be greater than 1000"),
    ({"limit": "-1"}, "limit must not be less than 0"),
    ({"limit": "ten"}, "limit must be a number conforming to the specified constraints"),
    ({"status": "paused"}, f"status must be one of the following values: {STATUS_LIST}"),
    ({"status": "ENDED"}, f"status must be one of the following values: {STATUS_LIST}"),
    ({"status": "canceled"}, f"status must be one of the following values: {STATUS_LIST}"),
    ({"sortOrder": "desc"}, "sortOrder must be one of the following values: ASC, DESC"),
    ({"sortBy": "name"}, "sortBy must be one of the following values: createdAt, duration, cost"),
    ({"sortBy": "updatedAt"}, "sortBy must be one of the following values: createdAt, duration, cost"),
    ({"cursor": "not a cursor"}, "cursor must be a valid cursor"),
    ({"cursor": ""}, "cursor must be a valid cursor"),
    ({"sortOrder": "random"}, "sortOrder must be one of the following values: ASC, DESC"),
    ({"createdAtGt": "yesterday"}, "createdAtGt must be a valid ISO 8601 date string"),
    ({"updatedAtLe": "2025-01-01"}, "updatedAtLe must be a valid ISO 8601 date string"),
    ({"createdAtLt": "2025-02-30T00:00:00Z"}, "createdAtLt must be a valid ISO 8601 date string"),
    ({"updatedAtGe": "2025-01-01T00:00:00+25:00"}, "updatedAtGe must be a valid ISO 8601 date string"),
    ({"createdAtGe": "1735689600000"}, "createdAtGe must be a valid ISO 8601 date string"),
]


@pytest.mark.parametrize(("params", "message"), INVALID, ids=[f"{k}={v!r}" for (p, _) in INVALID for k, v in p.items()])
def test_invalid_input_is_400(client, params, message, validator):
    for path in PATHS:
        r = client.get(path, params=params)
        assert r.status_code == 400, path
        body = r.json()
        assert body == {"message": [message], "error": "Bad Request", "statusCode": 400}
        assert validator.violations(body, "BadRequestError") == []


@pytest.mark.parametrize("value", ["TRUE", "1", "0", "yes", "", "null"])
def test_include_counters_is_a_boolean(client, value):
    r = client.get("/v2/campaign", params={"includeCounters": value})
    assert r.status_code == 400
    assert r.json() == {"message": ["includeCounters must be a boolean value"], "error": "Bad Request", "statusCode": 400}


def test_all_problems_listed_and_repeated_parameter(client):
    r = client.get("/campaign?limit=2000&status=x&page=1&page=2&createdAtLe=no&sortBy=x&cursor=!")
    assert r.status_code == 400
    assert r.json()["message"] == ["page must be a single value", "limit must not be greater than 1000",
                                   "sortBy must be one of the following values: createdAt, duration, cost",
                                   f"status must be one of the following values: {STATUS_LIST}",
                                   "createdAtLe must be a valid ISO 8601 date string",
                                   "cursor must be a valid cursor"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {ORG_KEYS['org-a']}"},
                                     {"Authorization": "Bearer"}, {"Authorization": ORG_KEYS["org-a"]}])
@pytest.mark.parametrize("path", PATHS)
def test_401_without_a_valid_key(target, headers, path):
    r = httpx.get(target.base_url + path, headers=headers)
    assert r.status_code == 401
    assert r.json() == {"message": INVALID_KEY, "error": "Unauthorized", "statusCode": 401}


def test_401_before_validation(target):
    for path in PATHS:
        assert httpx.get(target.base_url + path + "?limit=5000&cursor=!").status_code == 401


def test_each_key_sees_only_its_org(target, items):
    for path in PATHS:
        for org, key in ORG_KEYS.items():
            r = httpx.get(target.base_url + path, params={"limit": 1000}, headers={"Authorization": f"Bearer {key}"})
            found = r.json()["results"]
            assert found and {c["orgId"] for c in found} == {ORG_IDS[org]}
            assert r.json()["metadata"]["totalItems"] == len(target.campaigns(org))
    assert len(target.campaigns(ORG_B)) < len(items)


@pytest.mark.parametrize("path", PATHS)
def test_head(client, path):
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_other_methods_405(client, method, path):
    r = client.request(method, path)
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    assert r.json() == {"message": f"Cannot {method} {path}", "error": "Method Not Allowed", "statusCode": 405}


@pytest.mark.parametrize("path", ["/", "/campaigns", "/campaign/abc", "/assistants", "/v2", "/v2/campaigns",
                                  "/v2/campaign/abc", "/v3/campaign", "/v1/campaign"])
def test_other_paths_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.json()["statusCode"] == 404


def test_trailing_slash_is_the_same_listing(client):
    for path in PATHS:
        assert client.get(path + "/", params={"limit": 3}).json() == client.get(path, params={"limit": 3}).json()


def test_method_counts(target):
    """Every method is counted, whichever path (the read-only self-tests read them)."""
    before = target.method_counts.copy()
    httpx.head(target.base_url + "/campaign")
    httpx.head(target.base_url + "/v2/campaign")
    httpx.delete(target.base_url + "/x")
    httpx.post(target.base_url + "/v2/campaign")
    after = target.method_counts
    assert after["HEAD"] == before["HEAD"] + 2 and after["DELETE"] == before["DELETE"] + 1
    assert after["POST"] == before["POST"] + 1


def test_offset_bounds_honoured(client, items):
    stamp = parse_ms(items[5]["createdAt"])
    from vapi_contract.timeutil import with_offset
    utc = client.get("/campaign", params={"createdAtGe": format_ms(stamp), "limit": 1000}).json()
    shifted = client.get("/campaign", params={"createdAtGe": with_offset(stamp, 120), "limit": 1000}).json()
    assert utc == shifted and utc["results"]
