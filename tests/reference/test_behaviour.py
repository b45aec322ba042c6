"""Documented behaviour of GET /campaign, and the target's choices where the docs are silent."""

from __future__ import annotations

import httpx
import pytest

from vapi_contract.contract.locate import contract_root
from vapi_contract.contract.validator import Validator
from suite_oracle import ENDPOINT

from vapi_contract.invariants.selection import expected_selection
from vapi_contract.reference.app import INVALID_KEY
from vapi_contract.reference.seed import ORG_B, ORG_IDS, ORG_KEYS
from vapi_contract.timeutil import format_ms, parse_ms


def ids(response) -> list[str]:
    return [c["id"] for c in response.json()["results"]]


def test_defaults(client, items):
    bare = client.get("/campaign")
    assert bare.status_code == 200
    assert bare.headers["content-type"] == "application/json; charset=utf-8"
    assert bare.json()["metadata"] == {"itemsPerPage": 100, "totalItems": len(items), "currentPage": 1}
    explicit = client.get("/campaign", params={"page": 1, "limit": 100, "sortOrder": "DESC"})
    assert bare.json() == explicit.json()
    assert ids(bare) == [c["id"] for c in expected_selection(ENDPOINT, items, {})[:100]]


def test_walk_is_total_order_both_directions(client, items):
    for order in ("ASC", "DESC"):
        seen = []
        for page in range(1, 100):
            r = client.get("/campaign", params={"page": page, "limit": 7, "sortOrder": order})
            if not r.json()["results"]:
                break
            seen += ids(r)
        assert len(seen) == len(items) > 7, "the walk crosses pages"
        assert seen == [c["id"] for c in expected_selection(ENDPOINT, items, {"sortOrder": order})]


def test_past_the_end_page(client, items):
    r = client.get("/campaign", params={"page": 1000, "limit": 100})
    assert r.status_code == 200 and r.json()["results"] == []
    assert r.json()["metadata"] == {"itemsPerPage": 100, "totalItems": len(items), "currentPage": 1000}
    huge = client.get("/campaign", params={"page": "1e300"})
    assert huge.status_code == 200 and huge.json()["results"] == []


def test_contradictory_bounds_give_empty_page(client, items):
    stamp = parse_ms(items[0]["createdAt"])
    r = client.get("/campaign", params={"createdAtGt": format_ms(stamp), "createdAtLt": format_ms(stamp)})
    assert r.status_code == 200
    assert r.json() == {"results": [], "metadata": {"itemsPerPage": 100, "totalItems": 0, "currentPage": 1}}


def test_limit_zero(client, items):
    r = client.get("/campaign", params={"limit": 0})
    assert r.status_code == 200
    assert r.json() == {"results": [], "metadata": {"itemsPerPage": 0, "totalItems": len(items), "currentPage": 1}}


def test_fractional_page_and_limit_are_floored(client, items):
    r = client.get("/campaign", params={"page": "2.9", "limit": "7.5"})
    assert r.status_code == 200
    assert r.json()["metadata"] == {"itemsPerPage": 7, "totalItems": len(items), "currentPage": 2}
    assert ids(r) == [c["id"] for c in expected_selection(ENDPOINT, items, {})[7:14]]
    assert client.get("/campaign", params={"limit": "1e1"}).json()["metadata"]["itemsPerPage"] == 10


def test_unknown_parameters_ignored(client):
    assert client.get("/campaign", params={"foo": "bar", "Limit": "5000"}).json() == client.get("/campaign").json()


def test_limit_1000_max(client, items):
    r = client.get("/campaign", params={"limit": 1000})
    assert r.status_code == 200 and len(r.json()["results"]) == len(items)


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
    ({"status": "paused"}, "status must be one of the following values: ended, in-progress, scheduled"),
    ({"status": "ENDED"}, "status must be one of the following values: ended, in-progress, scheduled"),
    ({"sortOrder": "desc"}, "sortOrder must be one of the following values: ASC, DESC"),
    ({"sortOrder": "random"}, "sortOrder must be one of the following values: ASC, DESC"),
    ({"createdAtGt": "yesterday"}, "createdAtGt must be a valid ISO 8601 date string"),
    ({"updatedAtLe": "2025-01-01"}, "updatedAtLe must be a valid ISO 8601 date string"),
    ({"createdAtLt": "2025-02-30T00:00:00Z"}, "createdAtLt must be a valid ISO 8601 date string"),
    ({"updatedAtGe": "2025-01-01T00:00:00+25:00"}, "updatedAtGe must be a valid ISO 8601 date string"),
    ({"createdAtGe": "1735689600000"}, "createdAtGe must be a valid ISO 8601 date string"),
]


@pytest.mark.parametrize(("params", "message"), INVALID, ids=[f"{k}={v!r}" for (p, _) in INVALID for k, v in p.items()])
def test_invalid_input_is_400(client, params, message):
    r = client.get("/campaign", params=params)
    assert r.status_code == 400
    body = r.json()
    assert body == {"message": [message], "error": "Bad Request", "statusCode": 400}
    assert Validator.load(contract_root()).violations(body, "BadRequestError") == []


def test_all_problems_listed_and_repeated_parameter(client):
    r = client.get("/campaign?limit=2000&status=x&page=1&page=2&createdAtLe=no")
    assert r.status_code == 400
    assert r.json()["message"] == ["page must be a single value", "limit must not be greater than 1000",
                                   "status must be one of the following values: ended, in-progress, scheduled",
                                   "createdAtLe must be a valid ISO 8601 date string"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {ORG_KEYS['org-a']}"},
                                     {"Authorization": "Bearer"}, {"Authorization": ORG_KEYS["org-a"]}])
def test_401_without_a_valid_key(target, headers):
    r = httpx.get(target.base_url + "/campaign", headers=headers)
    assert r.status_code == 401
    assert r.json() == {"message": INVALID_KEY, "error": "Unauthorized", "statusCode": 401}


def test_401_before_validation(target):
    assert httpx.get(target.base_url + "/campaign?limit=5000").status_code == 401


def test_each_key_sees_only_its_org(target, items):
    for org, key in ORG_KEYS.items():
        r = httpx.get(target.base_url + "/campaign", params={"limit": 1000}, headers={"Authorization": f"Bearer {key}"})
        found = r.json()["results"]
        assert found and {c["orgId"] for c in found} == {ORG_IDS[org]}
        assert r.json()["metadata"]["totalItems"] == len(target.campaigns(org))
    assert len(target.campaigns(ORG_B)) < len(items)


def test_head(client):
    get = client.get("/campaign")
    head = client.head("/campaign")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_other_methods_405(client, method):
    r = client.request(method, "/campaign")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    assert r.json() == {"message": f"Cannot {method} /campaign", "error": "Method Not Allowed", "statusCode": 405}


@pytest.mark.parametrize("path", ["/", "/campaigns", "/campaign/abc", "/assistant"])
def test_other_paths_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.json()["statusCode"] == 404


def test_method_counts(target):
    before = target.method_counts.copy()
    httpx.head(target.base_url + "/campaign")
    httpx.delete(target.base_url + "/x")
    after = target.method_counts
    assert after["HEAD"] == before["HEAD"] + 1 and after["DELETE"] == before["DELETE"] + 1


def test_offset_bounds_honoured(client, items):
    stamp = parse_ms(items[5]["createdAt"])
    from vapi_contract.timeutil import with_offset
    utc = client.get("/campaign", params={"createdAtGe": format_ms(stamp), "limit": 1000}).json()
    shifted = client.get("/campaign", params={"createdAtGe": with_offset(stamp, 120), "limit": 1000}).json()
    assert utc == shifted and utc["results"]
