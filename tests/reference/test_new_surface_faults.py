"""Every fault of the 2026-08-18 surface breaks a rule read from the document's words, on the seeded
data, and the conformant target keeps every such rule: the faults are observable from the
documented contract alone.  The rules are judged here with the suite's reading of the selection
(``expected_selection``) and the reference's hidden sortBy columns.  In-process."""

from __future__ import annotations

from typing import Callable

import pytest

from suite_oracle import ENDPOINT, STATUSES

from local_target import local
from vapi_contract.invariants.selection import expected_selection
from vapi_contract.reference.faults import FAULTS
from vapi_contract.reference.store import hidden_cost, hidden_duration
from vapi_contract.timeutil import format_ms, parse_ms

SORT_KEYS = {"createdAt": lambda c: parse_ms(c["createdAt"]), "cost": lambda c: hidden_cost(c["id"]),
             "duration": lambda c: hidden_duration(c["id"])}


def ordered(items, params) -> list[str]:
    chosen = expected_selection(ENDPOINT, items, params)
    key = SORT_KEYS[params.get("sortBy", "createdAt")]
    return [c["id"] for c in sorted(chosen, key=lambda c: (key(c), c["id"]), reverse=params.get("sortOrder", "DESC") == "DESC")]


def middle(items) -> str:
    return format_ms(sorted(parse_ms(c["createdAt"]) for c in items)[len(items) // 2])


# -- rules: each returns the ways the target breaks it (empty: kept) -------------------------------
def cursor_walks(t) -> list[str]:
    """nextCursor, followed from page 1 with the same query, yields the query's selection in its
    order, `limit` items a page; "Present only when a further page likely exists": on the last page
    it is absent or leads to an empty page."""
    items, out = t.campaigns(), []
    for params in ({"limit": 40}, {"limit": 40, "sortOrder": "ASC"}, {"limit": 40, "status": "ended"},
                   {"limit": 40, "sortBy": "cost", "sortOrder": "ASC"}, {"limit": 25, "sortBy": "duration"},
                   {"limit": 10, "createdAtGe": middle(items), "status": "scheduled"}):
        want = ordered(items, params)
        assert len(want) > params["limit"], ("the walk crosses pages", params)
        seen, query, pages = [], dict(params), 0
        while True:
            body = t.client.get("/campaign", params=query).json()
            pages += 1
            if len(body["results"]) > params["limit"]:
                out.append(f"{params}: page {pages} holds {len(body['results'])} items")
            seen += [c["id"] for c in body["results"]]
            cursor = body["metadata"].get("nextCursor")
            if cursor is None or len(seen) > len(want):
                break
            query = {**params, "cursor": cursor}
            if not body["results"]:
                break
        if seen[: len(want)] != want or len(seen) > len(want):
            out.append(f"{params}: the cursor walk is not the selection in order")
        if cursor is not None:
            after = t.client.get("/campaign", params={**params, "cursor": cursor}).json()
            if after["results"]:
                out.append(f"{params}: the last page's nextCursor leads to {len(after['results'])} more items")
    return out


def malformed_cursor(t) -> list[str]:
    r = t.client.get("/campaign", params={"cursor": "not-a-cursor"})
    return [] if 400 <= r.status_code < 500 else [f"a malformed cursor answered {r.status_code}"]


def status_selection(t) -> list[str]:
    """status selects by equality, on both operations."""
    items, out = t.campaigns(), []
    for path in ("/campaign", "/v2/campaign"):
        for status in STATUSES:
            want = ordered(items, {"status": status})
            assert want, status
            body = t.client.get(path, params={"status": status, "limit": 1000}).json()
            if [c["id"] for c in body["results"]] != want:
                out.append(f"{path}?status={status}")
    return out


def v2_selection(t) -> list[str]:
    """GET /v2/campaign selects and orders as GET /campaign (its documented parameters are the same)."""
    items, out = t.campaigns(), []
    for params in ({"limit": 1000}, {"limit": 1000, "createdAtGe": middle(items)}, {"limit": 1000, "createdAtLt": middle(items)},
                   {"limit": 50}):
        body = t.client.get("/v2/campaign", params=params).json()
        want = ordered(items, params)[: params["limit"]]
        assert want, params
        if [c["id"] for c in body["results"]] != want:
            out.append(f"/v2/campaign {params}")
    return out


def schema(t, validator) -> list[str]:
    out = []
    for page in (1, 2):
        body = t.client.get("/campaign", params={"page": page}).json()
        out += [v.pointer for v in validator.page_violations(body, "CampaignPaginatedResponse", "Campaign")]
    return out


def counters(t) -> list[str]:
    """includeCounters=true: "every campaign in the response includes contactCounters and
    callMetrics"; connected ("the number of those calls a human picked up") <= dialed."""
    body = t.client.get("/v2/campaign", params={"includeCounters": "true", "limit": 1000}).json()
    assert body["results"]
    out = [c["id"] for c in body["results"] if not {"contactCounters", "callMetrics"} <= set(c)]
    out += [c["id"] for c in body["results"] if "callMetrics" in c and c["callMetrics"]["connected"] > c["callMetrics"]["dialed"]]
    return out


def page_metadata(t) -> list[str]:
    """totalPages = ceil(totalItems / itemsPerPage); hasNextPage = currentPage < totalPages."""
    out = []
    for params in ({"limit": 7, "page": p} for p in (1, 36, 37, 40)):
        m = t.client.get("/campaign", params=params).json()["metadata"]
        pages = -(-m["totalItems"] // m["itemsPerPage"])
        if m["totalPages"] != pages or m["hasNextPage"] != (m["currentPage"] < pages):
            out.append(f"{params}: {m}")
    return out


def sort_by_walks(t) -> list[str]:
    items, out = t.campaigns(), []
    for params in ({"sortBy": "cost", "sortOrder": "ASC"}, {"sortBy": "duration"}):
        seen = []
        for page in range(1, 60):
            results = t.client.get("/campaign", params={**params, "limit": 30, "page": page}).json()["results"]
            if not results:
                break
            seen += [c["id"] for c in results]
        want = ordered(items, params)
        assert len(want) > 30, params
        if seen != want:
            out.append(f"{params}")
    return out


RULES: dict[str, Callable] = {"cursor-walk": cursor_walks, "malformed-cursor": malformed_cursor,
                              "status-selection": status_selection, "v2-selection": v2_selection, "schema": schema,
                              "counters": counters, "page-metadata": page_metadata, "sort-by-walk": sort_by_walks}
BROKEN_BY = {
    "cursor-skips-one": "cursor-walk", "cursor-repeats-one": "cursor-walk", "cursor-ignores-filters": "cursor-walk",
    "cursor-ignores-sort-order": "cursor-walk", "cursor-ignores-sort-by": "cursor-walk",
    "cursor-ignores-limit": "cursor-walk", "next-cursor-on-last-page": "cursor-walk",
    "malformed-cursor-500": "malformed-cursor",
    "new-statuses-not-filtered": "status-selection", "archived-listed-as-cancelled": "status-selection",
    "cancelled-spelled-canceled": "schema",
    "v2-counters-missing": "counters", "v2-connected-above-dialed": "counters",
    "v2-ignores-created-bounds": "v2-selection", "v2-oldest-first": "v2-selection", "v2-hides-archived": "v2-selection",
    "total-pages-off-by-one": "page-metadata", "has-next-page-wrong": "page-metadata",
    "sortby-pages-overlap": "sort-by-walk", "sortby-sort-order-ignored": "sort-by-walk",
}


def judge(rule: str, t, validator) -> list[str]:
    return RULES[rule](t, validator) if rule == "schema" else RULES[rule](t)


def test_every_fault_an_older_surface_lacks_is_listed():
    assert BROKEN_BY
    assert set(BROKEN_BY) == {n for n, f in FAULTS.items() if f.requires}
    assert set(BROKEN_BY.values()) == set(RULES)


@pytest.mark.parametrize("name", sorted(BROKEN_BY))
def test_the_fault_breaks_its_documented_rule(name, validator):
    with local(fault=name) as faulty:
        assert judge(BROKEN_BY[name], faulty, validator), f"{name} keeps {BROKEN_BY[name]}"


@pytest.mark.parametrize("seed", [1, 4])
def test_the_conformant_target_keeps_every_rule(validator, seed):
    with local(seed=seed) as t:
        for rule in RULES:
            assert judge(rule, t, validator) == [], rule


IMPLYING = sorted(n for n, f in FAULTS.items() if f.implies)


@pytest.mark.parametrize("name", IMPLYING)
def test_on_the_old_surface_the_fault_and_its_drift_variant_break_the_rule(name, validator):
    """2026-04-11 lacks sortBy and the page metadata: the fault brings the drift variant serving
    them, and breaks the same rule there; the drift variants alone keep it."""
    with local(surface="2026-04-11", fault=name) as faulty:
        assert judge(BROKEN_BY[name], faulty, validator), name
    with local(surface="2026-04-11", drift="sortby-parameter,added-metadata-fields") as conformant:
        assert judge(BROKEN_BY[name], conformant, validator) == []
