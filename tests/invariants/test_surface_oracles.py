"""The pure oracles of the contract surface later documents add: sorting and page metadata."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from vapi_contract.invariants import Reference, filtering, pagemeta, paging, sorting
from vapi_contract.invariants.inputs import INVALID, UNDECIDED, VALID, classify
from vapi_contract.timeutil import format_ms

from .answers import ENDPOINT, observation


def page(results, meta=None, params=(), status=200):
    return observation(tuple(params), status, {"results": results, "metadata": meta or {}})


def items_from(stamps):
    return [{"id": f"id-{i}", "createdAt": format_ms(s)} for i, s in enumerate(stamps)]


@given(st.lists(st.integers(0, 50), min_size=2, max_size=30), st.sampled_from(["ASC", "DESC"]))
def test_sorted_pages_have_no_order_breaks_and_reversed_ones_do(stamps, order):
    ordered = sorted(stamps, reverse=order == "DESC")
    assert paging.page_order(page(items_from(ordered)), "createdAt", paging.in_force(ENDPOINT, {"sortOrder": order}), check=sorting.ORDER) == []
    wrong = list(reversed(ordered))
    found = paging.page_order(page(items_from(wrong)), "createdAt", paging.in_force(ENDPOINT, {"sortOrder": order}), check=sorting.ORDER)
    assert bool(found) == (len(set(stamps)) > 1)


@given(st.integers(0, 5000), st.integers(1, 1000), st.integers(1, 20))
def test_total_pages_and_has_next_page(total, per_page, current):
    pages = math.ceil(total / per_page)
    good = {"totalItems": total, "itemsPerPage": per_page, "currentPage": current,
            "totalPages": pages, "hasNextPage": current < pages}
    assert pagemeta.total_pages(ENDPOINT, page([], good)) == [] and pagemeta.has_next_page(ENDPOINT, page([], good)) == []
    off = dict(good, totalPages=pages + 1)
    assert [v.check for v in pagemeta.total_pages(ENDPOINT, page([], off))] == ["pagination.total-pages"]
    flipped = dict(good, hasNextPage=not good["hasNextPage"])
    assert [v.check for v in pagemeta.has_next_page(ENDPOINT, page([], flipped))] == ["pagination.has-next-page"]


def test_sort_order_echo():
    assert pagemeta.sort_order_echo(ENDPOINT, page([], {"sortOrder": "ASC"}), "ASC") == []
    assert [v.check for v in pagemeta.sort_order_echo(ENDPOINT, page([], {"sortOrder": "DESC"}), "ASC")] == ["pagination.sort-order-echo"]
    assert pagemeta.sort_order_echo(ENDPOINT, page([], {}), "ASC") == []  # not served: not asserted (not exercised)


@settings(max_examples=50)
@given(st.lists(st.uuids().map(str), min_size=3, max_size=40, unique=True), st.integers(1, 10))
def test_a_walk_under_a_hidden_sort_column_is_judged_against_the_query_read_whole(ids, limit):
    """Under sortBy=cost (a column results do not show) a walk must hold the same items as the
    same query read whole, each once: paging.walk with the read as reference, relabelled."""
    items = [{"id": i} for i in ids]
    reference = Reference(tuple(ENDPOINT_KEY(i) for i in ids), len(ids))
    pages = [page(items[k:k + limit], {"totalItems": len(ids)}) for k in range(0, len(ids), limit)]
    clean = sorting.under_sort(paging.walk(ENDPOINT, pages, None, "ASC", reference=reference), "sortBy=cost")
    assert clean.violations == [] and sorting.WALK in clean.exercised and sorting.ORDER not in clean.exercised
    overlapping = [page(items[max(0, k - 1):k + limit], {"totalItems": len(ids)}) for k in range(0, len(ids), limit)]
    found = sorting.under_sort(paging.walk(ENDPOINT, overlapping, None, "ASC", reference=reference), "sortBy=cost").violations
    assert bool(found) == (len(overlapping) > 1)
    assert {v.check for v in found} <= {sorting.WALK}
    # the read whole holds one item more than the walk (same totalItems: the data held still)
    wider = Reference(reference.keys + (ENDPOINT_KEY("extra"),), len(ids))
    missing = sorting.under_sort(paging.walk(ENDPOINT, pages, None, "ASC", reference=wider), "sortBy=cost")
    assert missing.still and {v.check for v in missing.violations} == {sorting.WALK}


def ENDPOINT_KEY(ident):  # noqa: N802 — a key with only an identity (the walk compares ids)
    from vapi_contract.invariants import ItemKey

    return ItemKey(ident, 0, 0, ())


def test_reverse_apart_from_ties_hidden_and_exposed():
    items = items_from([5, 4, 4, 1])
    desc = [page(items)]
    # ties (the two 4s) may come in either order
    asc_ok = [page([items[3], items[1], items[2], items[0]])]
    assert sorting.reverse_apart_from_ties(ENDPOINT, desc, asc_ok, "createdAt", exposed=True).violations == []
    assert sorting.reverse_apart_from_ties(ENDPOINT, desc, desc, "createdAt", exposed=True).violations
    assert sorting.reverse_apart_from_ties(ENDPOINT, desc, [page(list(reversed(items)))], "cost", exposed=False).violations == []
    assert [v.check for v in sorting.reverse_apart_from_ties(ENDPOINT, desc, desc, "cost", exposed=False).violations] == \
        ["pagination.sort-by-reverse"]
    # walks that report different totals saw different data: nothing is judged
    moved = sorting.reverse_apart_from_ties(ENDPOINT, [page(items, {"totalItems": 4})], [page(items, {"totalItems": 3})], "cost", False)
    assert moved.violations == [] and not moved.still


def test_default_column():
    items = items_from([5, 4, 1])
    assert sorting.default_column(ENDPOINT, [page(items, {"totalItems": 3})], [page(items, {"totalItems": 3})], "createdAt", True).violations == []
    other = [page(list(reversed(items)), {"totalItems": 3})]
    assert sorting.default_column(ENDPOINT, [page(items, {"totalItems": 3})], other, "createdAt", True).violations


def test_partition_by_the_values_of_an_enum_filter():
    assert filtering.partition("status", 2, 2, {"cancelled": 1, "ended": 1}).violations == []
    assert filtering.partition("status", 3, 3, {"cancelled": 1, "ended": 1}).violations


def test_classify_follows_the_contract_model():
    """The pin (2026-08-18) declares five statuses and sortBy; an older contract (2026-04-11's
    surface: three statuses, no sortBy) classifies the same queries otherwise."""
    import copy

    from vapi_contract.contract.reading import Contract

    pinned = ENDPOINT
    assert classify(pinned, [("status", "cancelled")]).kind == VALID
    assert classify(pinned, [("sortBy", "cost")]).kind == VALID
    assert classify(pinned, [("sortBy", "price")]).kind == INVALID
    assert classify(pinned, [("cursor", "anything")]).kind == UNDECIDED  # a cursor: only a malformed one is ruled out
    document = copy.deepcopy(pinned.document)
    operation = document["paths"]["/campaign"]["get"]
    operation["parameters"] = [p for p in operation["parameters"] if p["name"] != "sortBy"]
    next(p for p in operation["parameters"] if p["name"] == "status")["schema"]["enum"] = ["ended", "in-progress", "scheduled"]
    older = Contract(document).endpoint("GET /campaign")
    assert classify(older, [("sortBy", "cost")]).kind == UNDECIDED  # not declared: the docs are silent
    assert classify(older, [("status", "cancelled")]).kind == INVALID
    assert older.sort is None and older.default_sort_column == "createdAt"
    assert pinned.sort.name == "sortBy" and pinned.equality("status").values[-1] == "archived"
