"""Brute-force cross-check: over real HTTP, the target's answer to generated queries equals the
documented selection (the suite's ``invariants.selection.expected_selection``) over its own data,
sliced by page/limit."""

from __future__ import annotations

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vapi_contract.contract.locate import contract_root
from vapi_contract.contract.validator import Validator
from suite_oracle import BOUNDS, ENDPOINT, STATUSES

from vapi_contract.invariants.selection import expected_selection
from vapi_contract.timeutil import format_ms, parse_ms, with_offset

SETTINGS = settings(max_examples=250, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@st.composite
def queries(draw, items):
    """A query over all 13 parameters; bounds at seeded instants, +-1 ms, in various offsets."""
    params: dict[str, str] = {}
    for bound in BOUNDS:
        if draw(st.integers(0, 3)) == 0:  # each bound present in about a quarter of the queries
            stamp = parse_ms(draw(st.sampled_from(items))[bound.field]) + draw(st.sampled_from((0, 0, -1, 1)))
            offset = draw(st.sampled_from((0, 0, 120, -330, 345, -720)))
            params[bound.param] = format_ms(stamp) if offset == 0 else with_offset(stamp, offset)
    if draw(st.booleans()):
        params["status"] = draw(st.sampled_from(STATUSES))
    if draw(st.integers(0, 5)) == 0:
        params["id"] = draw(st.sampled_from(items))["id"] if draw(st.booleans()) else "0f0e0d0c-0000-4000-8000-000000000000"
    if draw(st.booleans()):
        params["sortOrder"] = draw(st.sampled_from(("ASC", "DESC")))
    if draw(st.booleans()):
        params["limit"] = str(draw(st.sampled_from((1, 2, 3, 7, 37, 100, 1000)) | st.integers(1, 1000)))
    if draw(st.booleans()):
        params["page"] = str(draw(st.integers(1, 6)))
    return params


def check(client, items, params):
    r = client.get("/campaign", params=params)
    assert r.status_code == 200, (params, r.text)
    body = r.json()
    selection = expected_selection(ENDPOINT, items, params)
    page, limit = int(params.get("page", ENDPOINT.page.default)), int(params.get("limit", ENDPOINT.limit.default))
    want = [c["id"] for c in selection[(page - 1) * limit: page * limit]]
    assert [c["id"] for c in body["results"]] == want, params
    assert body["metadata"] == {"itemsPerPage": limit, "totalItems": len(selection), "currentPage": page}, params
    return body


@pytest.mark.slow
def test_generated_queries_match_the_oracle(client, items):
    sizes = []

    @SETTINGS
    @given(data=st.data())
    def run(data):
        sizes.append(check(client, items, data.draw(queries(items)))["metadata"]["totalItems"])

    run()
    assert sum(1 for n in sizes if 0 < n < len(items)) > len(sizes) // 4  # mostly informative queries


@pytest.mark.slow
def test_every_bound_exactly_at_ties_and_neighbours(client, items):
    """Deterministic sweep: every bound at every tied / 1 ms-neighbour instant, +-1 ms."""
    from collections import Counter

    for field in ("createdAt", "updatedAt"):
        counts = Counter(parse_ms(c[field]) for c in items)
        ordered = sorted(counts)
        special = [s for s, n in counts.items() if n > 1][:6] + [b for a, b in zip(ordered, ordered[1:]) if b - a == 1][:6]
        assert special
        for bound in (b for b in BOUNDS if b.field == field):
            for stamp in special:
                for delta in (-1, 0, 1):
                    check(client, items, {bound.param: format_ms(stamp + delta), "limit": "1000"})


def test_served_bodies_validate(client, items):
    validator = Validator.load(contract_root())

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def run(data):
        body = check(client, items, data.draw(queries(items)))
        assert validator.page_violations(body, "CampaignPaginatedResponse", "Campaign") == []

    run()
    assert validator.page_violations(client.get("/campaign", params={"limit": 1000}).json(), "CampaignPaginatedResponse", "Campaign") == []


def test_bodies_validate_for_other_seeds():
    import httpx

    from vapi_contract.reference.server import running_target

    validator = Validator.load(contract_root())
    for seed in (2, 3, 4):
        with running_target(campaigns=250, seed=seed) as t:
            assert len(t.keys) == 2, "both organisations are asked"
            for org, key in t.keys.items():
                for params in ({"limit": 1000}, {"limit": 1000, "sortOrder": "ASC", "status": "ended"}):
                    r = httpx.get(t.base_url + "/campaign", params=params, headers={"Authorization": f"Bearer {key}"})
                    assert r.status_code == 200 and r.json()["results"]
                    assert validator.page_violations(r.json(), "CampaignPaginatedResponse", "Campaign") == []
