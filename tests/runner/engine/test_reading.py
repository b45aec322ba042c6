"""From an exchange to what is judged (runner/engine/reading.py), and what preflight makes of a
broken answer: the API broken (judged) or not the API at all (exit 2)."""

from __future__ import annotations

import json

import pytest

from vapi_contract.errors import ConfigError
from vapi_contract.http.exchange import Exchange
from vapi_contract.invariants import reliability
from vapi_contract.invariants.response import judge
from vapi_contract.runner.engine.preflight import check_is_the_api
from vapi_contract.runner.engine.reading import judged_items, observation

JSON = {"content-type": "application/json; charset=utf-8"}


def exchange(body: bytes, status=200, headers=JSON, defect=None, detail=""):
    return Exchange("GET", "https://api.vapi.ai/campaign", (("limit", "1"),), status, headers, 0.01, len(body),
                    body=body, defect=defect, defect_detail=detail)


def page(items, **meta) -> bytes:
    return json.dumps({"results": items, "metadata": {"itemsPerPage": 1, "totalItems": len(items), "currentPage": 1,
                                                      **meta}}).encode()


def findings(obs, endpoint, validator) -> dict[str, str]:
    found, _ = judge(obs, endpoint, validator, 10.0)
    return {v.check: v.message for v in found}


def test_a_page_of_too_many_items_is_judged_on_a_bounded_part_and_counted_whole(endpoint, validator):
    served = 200_000
    obs = observation(exchange(page([{"id": "x"}] * served)), (("limit", "1"),), endpoint)
    assert len(obs.body["results"]) == judged_items(endpoint) == endpoint.max_limit + 1
    assert obs.served == served and obs.served_count == served
    found = findings(obs, endpoint, validator)
    assert found["pagination.limit-respected"] == f"{served} results for limit 1"


@pytest.mark.parametrize("body, check, says", [
    (b'{"results":[],"metadata":{"itemsPerPage":1,"totalItems":NaN,"currentPage":1}}', reliability.WELL_FORMED_JSON,
     "NaN is not a JSON number"),
    (b'{"results":[],"metadata":{"totalItems":3,"currentPage":1,"totalItems":0,"itemsPerPage":1}}',
     reliability.WELL_FORMED_JSON, 'the name "totalItems" twice'),
    (b"[" * 1000 + b"]" * 1000, reliability.RESPONSE_BOUNDED, "nested more than 64 deep"),
    (b'{"results":[', reliability.WELL_FORMED_JSON, "not JSON"),
])
def test_a_body_the_reader_refuses_is_one_finding_and_nothing_else(endpoint, validator, body, check, says):
    obs = observation(exchange(body), (("limit", "1"),), endpoint)
    assert obs.body is None and obs.defect is not None
    found = findings(obs, endpoint, validator)
    assert set(found) == {check} and says in found[check], found  # no "2xx without a JSON body" besides


@pytest.mark.parametrize("defect, check", [("too-large", reliability.RESPONSE_BOUNDED),
                                           ("stalled", reliability.RESPONSE_COMPLETE),
                                           ("cut", reliability.RESPONSE_COMPLETE),
                                           ("undecodable", reliability.RESPONSE_COMPLETE)])
def test_a_body_not_read_whole_is_a_finding_of_its_check(endpoint, validator, defect, check):
    obs = observation(exchange(b'{"results":[', defect=defect, detail="what happened"), (("limit", "1"),), endpoint)
    found = findings(obs, endpoint, validator)
    assert set(found) == {check} and "what happened" in found[check]


def test_a_legitimate_answer_raises_no_new_finding(endpoint, validator):
    """Zero false alarms: a conformant error body and a conformant page pass the new checks."""
    error = exchange(b'{"message":["limit must not be greater than 1000"],"error":"Bad Request","statusCode":400}', 400)
    assert observation(error, (("limit", "1001"),), endpoint).defect is None
    html_502 = exchange(b"<html>Bad Gateway</html>", 502, {"content-type": "text/html"})
    obs = observation(html_502, (("limit", "1"),), endpoint)
    assert reliability.WELL_FORMED_JSON not in findings(obs, endpoint, validator)  # a 5xx page claims no JSON


@pytest.mark.parametrize("body, defect, is_the_api", [
    (b'{"results":{"id":"c1"},"metadata":{"totalItems":1}}', None, True),  # Vapi's envelope, wrong shape: judged
    (b'[{"id":"c1"}]', None, True),  # a bare list: the API, wrong shape
    (b'{"results":[],"metadata":{"totalItems":NaN}}', None, True),
    (b'{"results":[],"results":[],"metadata":{}}', None, True),
    (b'{"results":["\xff"],"metadata":{}}', None, True),
    (b'{"results":[{"id":"c1"},{"id":', None, True),  # a truncated 200: the API, broken
    (b"[" * 1000 + b"]" * 1000, None, True),
    (b'{"results":[{"id":"c1"}', "too-large", True),
    (b"", "undecodable", True),  # br: nothing to go by
    (b'{"status":"ok"}', None, False),  # JSON with neither results nor metadata
    (b"<html><title>Welcome</title></html>", None, False),
    (b"", None, False),  # an empty 200
    (b"<html>" + b"x" * 100, "too-large", False),
])
def test_preflight_tells_the_api_broken_from_not_the_api(endpoint, body, defect, is_the_api):
    got = exchange(body, defect=defect)
    obs = observation(got, (("limit", "1"),), endpoint)
    if is_the_api:
        check_is_the_api("https://api.vapi.ai", endpoint, obs, got)
    else:
        with pytest.raises(ConfigError) as error:
            check_is_the_api("https://api.vapi.ai", endpoint, obs, got)
        assert "is api.vapi.ai the Vapi API?" in error.value.message
