"""The oracles of today's surface on hand-made answers: cursor walks, counters, two operations.

A conformant keyset listing is modelled over the items (page 1, then each page after the last
item's position); the faults the reference target has are modelled too, and each is caught."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vapi_contract.contract.reading import Contract
from vapi_contract.contract.locate import contract_root
from vapi_contract.invariants import Reference, counters, cursors, operations, paging
from vapi_contract.invariants.selection import expected_selection

from .answers import ENDPOINT as V1, item_lists, observation

V2 = Contract.load(contract_root()).endpoint("GET /v2/campaign")


def cursor_pages(items, params, limit, skip=0, repeat=False, endless=False):
    """page 1 and each page its cursor leads to, as a conformant keyset server answers (with
    ``skip``: a cursor page starts that many items late; ``repeat``: it starts one item early;
    ``endless``: the last page carries a cursor back to the start)."""
    chosen = expected_selection(V1, items, dict(params))
    pages, start, looped = [], 0, False
    while True:
        page = chosen[start:start + limit]
        more = start + limit < len(chosen)
        meta = {"itemsPerPage": limit, "totalItems": len(chosen), "currentPage": 1}
        if more:
            meta["nextCursor"] = f"after-{start + limit}"
        elif endless and not looped:  # the last page leads back to the start, once
            meta["nextCursor"], looped = "after-0", True
        query = (*params, ("limit", str(limit))) + ((("cursor", f"after-{start}"),) if pages else ())
        pages.append(observation(query, 200, {"results": page, "metadata": meta}))
        if "nextCursor" not in meta:
            return pages, True
        if len(pages) > len(chosen) // max(1, limit) + 3:
            return pages, False
        start = 0 if meta["nextCursor"] == "after-0" else start + limit + skip - (1 if repeat else 0)


def judge(items, order, limit, **fault):
    reference = Reference.of(observation((), 200, {"results": expected_selection(V1, items, {"sortOrder": order}),
                                                   "metadata": {"totalItems": len(items)}}), V1)
    pages, ended = cursor_pages(items, [("sortOrder", order)], limit, **fault)
    return cursors.walk(V1, pages, V1.created, order, limit, reference=reference, ended=ended)


def test_the_endpoints_know_the_cursor_and_the_counters():
    assert V1.cursor.meta == "nextCursor" and V1.cursor.param == "cursor"
    assert V2.counters.param == "includeCounters" and V1.counters is None
    assert V1.siblings == ("GET /v2/campaign",) and V2.siblings == ("GET /campaign",)


@settings(max_examples=80, deadline=None)
@given(items=item_lists, limit=st.integers(1, 9), order=st.sampled_from(["ASC", "DESC"]))
def test_a_conformant_cursor_walk_is_clean_and_each_fault_is_caught(items, limit, order):
    clean = judge(items, order, limit)
    assert clean.violations == [] and clean.still
    assert {cursors.WALK, cursors.END} <= clean.exercised
    if len(items) > limit:  # a second page exists: a cursor fault shows
        assert {v.check for v in judge(items, order, limit, skip=1).violations} >= {cursors.WALK}
        assert cursors.WALK in {v.check for v in judge(items, order, limit, repeat=True).violations}
    if items:
        assert cursors.END in {v.check for v in judge(items, order, limit, endless=True).violations}


def test_a_page_above_the_limit_and_an_unended_chain_are_violations():
    page = observation((("limit", "2"),), 200, {"results": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
                                                "metadata": {"totalItems": 3, "nextCursor": "x"}})
    found = {v.check for v in cursors.walk(V1, [page], None, "DESC", 2, reference=None, ended=False).violations}
    assert found == {cursors.WALK, cursors.END}


def test_a_malformed_cursor_must_be_a_4xx_with_a_message():
    assert cursors.rejected(observation((), 400, {"message": ["cursor must be a valid cursor"]})).violations == []
    for status, body in ((500, {"message": "boom"}), (200, {"results": []}), (400, None)):
        assert [v.check for v in cursors.rejected(observation((), status, body)).violations] == [cursors.MALFORMED]


def test_counters_are_included_when_asked_and_connected_never_exceeds_dialed():
    item = {"id": "a", "contactCounters": {"pending": 1}, "callMetrics": {"dialed": 3, "connected": 2}}
    asked = observation((("includeCounters", "true"),), 200, {"results": [item, {"id": "b"}]})
    assert counters.asked(V2, asked) and not counters.asked(V2, observation((("includeCounters", "false"),), 200))
    assert [v.pointer for v in counters.included(V2, asked)] == ["/results/1/contactCounters"]
    above = observation((), 200, {"results": [dict(item, callMetrics={"dialed": 3, "connected": 4})]})
    assert [v.check for v in counters.connected_within_dialed(V2, above)] == [counters.WITHIN_DIALED]
    assert counters.connected_within_dialed(V2, asked) == []


def test_two_operations_agree_apart_from_the_order_inside_a_tie():
    a = [{"id": "1", "createdAt": "t2"}, {"id": "2", "createdAt": "t1"}, {"id": "3", "createdAt": "t1"}]
    b = [a[0], a[2], a[1]]  # the tie in another order: fine
    one = observation((), 200, {"results": a, "metadata": {"totalItems": 3}})
    assert operations.agree(V1, one, observation((), 200, {"results": b, "metadata": {"totalItems": 3}}),
                            "GET /v2/campaign", "createdAt").violations == []
    swapped = observation((), 200, {"results": [a[1], a[0], a[2]], "metadata": {"totalItems": 3}})
    assert operations.agree(V1, one, swapped, "y", "createdAt").violations
    moved = operations.agree(V1, one, observation((), 200, {"results": a[:2], "metadata": {"totalItems": 2}}), "y", "createdAt")
    assert moved.violations == [] and not moved.still


def test_a_cursor_walk_over_still_data_equals_the_page_walk():
    """The same items in the same order as the page walk of the same query (both judged clean)."""
    from .answers import ITEMS, answer

    pages, ended = cursor_pages(ITEMS, [("sortOrder", "DESC")], 7)
    by_page = [answer(ITEMS, [("sortOrder", "DESC"), ("limit", "7"), ("page", str(p))]) for p in range(1, 7)]
    assert [i["id"] for p in pages for i in p.results] == [i["id"] for p in by_page for i in p.results]
    assert paging.walk(V1, by_page, V1.created, "DESC").violations == [] and ended
