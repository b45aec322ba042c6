"""Brute-force cross-check: the target's answer to generated queries equals the documented
selection (the suite's ``invariants.selection.expected_selection``) over its own data, sliced by
page/limit, on both operations of the pin (GET /campaign, GET /v2/campaign), and a cursor walk
yields the whole selection in order.  Under ``sortBy=cost | duration`` the order is the
reference's hidden column (Campaign has no such field; the suite sees only the selection).

The slow searches go over real HTTP; the quick ones call the app in-process."""

from __future__ import annotations

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suite_oracle import BOUNDS, ENDPOINT, SORT_COLUMNS, STATUSES, V2

from vapi_contract.invariants.selection import expected_selection
from vapi_contract.reference.store import hidden_cost, hidden_duration
from vapi_contract.timeutil import format_ms, parse_ms, with_offset

SETTINGS = settings(max_examples=250, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SORT_KEYS = {"createdAt": lambda c: parse_ms(c["createdAt"]), "cost": lambda c: hidden_cost(c["id"]),
             "duration": lambda c: hidden_duration(c["id"])}


@st.composite
def filters(draw, items):
    """The filters of a query: bounds at seeded instants, +-1 ms, in various offsets; status; id."""
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
    return params


@st.composite
def queries(draw, items):
    """A query over every parameter of the pinned GET /campaign."""
    params = draw(filters(items))
    if draw(st.booleans()):
        params["sortOrder"] = draw(st.sampled_from(("ASC", "DESC")))
    if draw(st.integers(0, 2)) == 0:
        params["sortBy"] = draw(st.sampled_from(SORT_COLUMNS))
    if draw(st.booleans()):
        params["limit"] = str(draw(st.sampled_from((1, 2, 3, 7, 37, 100, 1000)) | st.integers(1, 1000)))
    if draw(st.booleans()):
        params["page"] = str(draw(st.integers(1, 6)))
    return params


def ordered(items, params) -> list[dict]:
    """expected_selection in the query's order (sortBy's hidden column, ties by id)."""
    chosen = expected_selection(ENDPOINT, items, params)
    key = SORT_KEYS[params.get("sortBy", "createdAt")]
    return sorted(chosen, key=lambda c: (key(c), c["id"]), reverse=params.get("sortOrder", "DESC") == "DESC")


def check(client, items, params):
    """One page of both operations against the oracle: ids, order, every metadata field."""
    selection = ordered(items, params)
    page, limit = int(params.get("page", ENDPOINT.page.default)), int(params.get("limit", ENDPOINT.limit.default))
    want = [c["id"] for c in selection[(page - 1) * limit: page * limit]]
    pages = -(-len(selection) // limit)
    bodies = []
    for path in ("/campaign", V2.path):
        r = client.get(path, params=params)
        assert r.status_code == 200, (path, params, r.text)
        body = r.json()
        assert [c["id"] for c in body["results"]] == want, (path, params)
        meta = dict(body["metadata"])
        assert ("nextCursor" in meta) == (page * limit < len(selection)), (path, params)  # a further item exists
        meta.pop("nextCursor", None)
        assert meta == {"itemsPerPage": limit, "totalItems": len(selection), "currentPage": page, "totalPages": pages,
                        "hasNextPage": page < pages, "sortOrder": params.get("sortOrder", "DESC")}, (path, params)
        bodies.append(body)
    assert bodies[0]["metadata"] == bodies[1]["metadata"]
    return bodies[0]


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
        ordered_stamps = sorted(counts)
        special = [s for s, n in counts.items() if n > 1][:6] + [b for a, b in zip(ordered_stamps, ordered_stamps[1:]) if b - a == 1][:6]
        assert special
        for bound in (b for b in BOUNDS if b.field == field):
            for stamp in special:
                for delta in (-1, 0, 1):
                    check(client, items, {bound.param: format_ms(stamp + delta), "limit": "1000"})


def test_served_bodies_validate(app, validator):
    items = app.campaigns()

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def run(data):
        body = check(app.client, items, data.draw(queries(items)))
        assert validator.page_violations(body, "CampaignPaginatedResponse", "Campaign") == []

    run()
    assert validator.page_violations(app.client.get("/campaign", params={"limit": 1000}).json(),
                                     "CampaignPaginatedResponse", "Campaign") == []


def test_cursor_walks_yield_the_whole_selection_in_order(app):
    """Following nextCursor from page 1 over generated queries: exactly ``expected_selection``, in
    the query's order, on both operations; the last page has no nextCursor."""
    items = app.campaigns()
    sizes = []

    @settings(max_examples=30, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def run(data):
        params = {**data.draw(filters(items)), "limit": str(data.draw(st.sampled_from((3, 17, 60)))),
                  "sortOrder": data.draw(st.sampled_from(("ASC", "DESC"))), "sortBy": data.draw(st.sampled_from(SORT_COLUMNS))}
        want = [c["id"] for c in ordered(items, params)]
        sizes.append(len(want))
        for path in ("/campaign", V2.path):
            seen, query = [], dict(params)
            for _ in range(len(want) + 2):
                body = app.client.get(path, params=query).json()
                seen += [c["id"] for c in body["results"]]
                if "nextCursor" not in body["metadata"]:
                    break
                query = {**params, "cursor": body["metadata"]["nextCursor"]}
            assert seen == want, (path, params)

    run()
    assert sum(1 for n in sizes if n > 17) > len(sizes) // 4  # mostly walks of several pages


def test_a_cursor_walk_over_the_whole_org_is_the_documented_order(app):
    items = app.campaigns()
    for order in ("DESC", "ASC"):
        seen, query = [], {"limit": "50", "sortOrder": order}
        while True:
            body = app.client.get("/campaign", params=query).json()
            seen += [c["id"] for c in body["results"]]
            if "nextCursor" not in body["metadata"]:
                break
            query = {"limit": "50", "sortOrder": order, "cursor": body["metadata"]["nextCursor"]}
        assert len(seen) == len(items) > 50
        assert seen == [c["id"] for c in expected_selection(ENDPOINT, items, {"sortOrder": order})]
