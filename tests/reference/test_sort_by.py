"""sortBy on the 2026-08-18 surface: "This is the column to sort by. Defaults to 'createdAt'."
(createdAt | duration | cost).  cost and duration are hidden columns (Campaign has neither field):
the order is checked against the reference's own hidden values, the selection against the suite's
reading (``expected_selection``).  In-process."""

from __future__ import annotations

from collections import Counter

import pytest

from suite_oracle import ENDPOINT, SORT_COLUMNS

from vapi_contract.invariants.selection import expected_selection
from vapi_contract.reference.store import hidden_cost, hidden_duration
from vapi_contract.timeutil import parse_ms

KEYS = {"createdAt": lambda c: parse_ms(c["createdAt"]), "cost": lambda c: hidden_cost(c["id"]),
        "duration": lambda c: hidden_duration(c["id"])}


def test_the_sort_columns_are_the_documents():
    assert set(SORT_COLUMNS) == set(KEYS) and ENDPOINT.sort.default == "createdAt"


def walk(client, params: dict, limit: int = 37) -> tuple[list[dict], set[int]]:
    """Every page of a query: the items, and the totalItems seen."""
    items, totals = [], set()
    for page in range(1, 1000):
        body = client.get("/campaign", params={**params, "limit": limit, "page": page}).json()
        totals.add(body["metadata"]["totalItems"])
        if not body["results"]:
            return items, totals
        items += body["results"]
    raise AssertionError("the walk did not end")


def expected(items: list[dict], params: dict, column: str, order: str) -> list[str]:
    chosen = expected_selection(ENDPOINT, items, params)
    return [c["id"] for c in sorted(chosen, key=lambda c: (KEYS[column](c), c["id"]), reverse=order == "DESC")]


@pytest.mark.parametrize("column", sorted(KEYS))
@pytest.mark.parametrize("order", ["ASC", "DESC"])
@pytest.mark.parametrize("status", [None, "ended"])
def test_walk_in_the_column_order_ties_by_id(app, column, order, status):
    items = app.campaigns()
    params = {"sortBy": column, "sortOrder": order, **({"status": status} if status else {})}
    walked, totals = walk(app.client, params)
    want = expected(items, params, column, order)
    assert len(want) > 37, "the walk crosses pages"
    assert [c["id"] for c in walked] == want
    assert totals == {len(want)}


def test_hidden_columns_have_ties(app):
    """Ties by id matter only if there are ties: the seeded data has many."""
    items = app.campaigns()
    for column in ("cost", "duration"):
        assert max(Counter(KEYS[column](c) for c in items).values()) >= 3, column


def test_default_is_created_at(app):
    for order in ("ASC", "DESC"):
        bare = app.client.get("/campaign", params={"sortOrder": order, "limit": 50}).json()
        named = app.client.get("/campaign", params={"sortOrder": order, "limit": 50, "sortBy": "createdAt"}).json()
        assert bare == named and bare["results"]
        assert [c["id"] for c in bare["results"]] == [c["id"] for c in expected_selection(
            ENDPOINT, app.campaigns(), {"sortOrder": order})[:50]]


def test_sort_order_echoed_under_sort_by(app):
    for order in ("ASC", "DESC"):
        body = app.client.get("/campaign", params={"sortBy": "cost", "sortOrder": order}).json()
        assert body["metadata"]["sortOrder"] == order


def test_the_old_surface_sorts_only_with_its_drift_variant():
    """2026-04-11 has no sortBy (ignored); the sortby-parameter drift variant serves the 2026-04-14
    reading: the same columns and order, its own enum order in the 400."""
    from local_target import local

    with local(surface="2026-04-11") as plain:
        assert plain.client.get("/campaign", params={"sortBy": "cost"}).json() == plain.client.get("/campaign").json()
    with local(surface="2026-04-11", drift="sortby-parameter") as t:
        items = t.campaigns()
        walked, totals = walk(t.client, {"sortBy": "cost", "sortOrder": "ASC"})
        assert [c["id"] for c in walked] == expected(items, {}, "cost", "ASC") and totals == {len(items)}
        r = t.client.get("/campaign", params={"sortBy": "name"})
        assert r.status_code == 400
        assert r.json()["message"] == ["sortBy must be one of the following values: cost, createdAt, duration"]
