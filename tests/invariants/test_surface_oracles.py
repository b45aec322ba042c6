"""The pure oracles of the contract surface later documents add: sorting and page metadata."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from vapi_contract.contract.endpoint import EndpointModel
from vapi_contract.invariants import pagemeta, sorting
from vapi_contract.invariants.model import Observation
from vapi_contract.query import INVALID, UNDECIDED, VALID, classify
from vapi_contract.timeutil import format_ms


def page(results, meta=None, params=(), status=200):
    return Observation(tuple(params), status, {"results": results, "metadata": meta or {}})


def items_from(stamps):
    return [{"id": f"id-{i}", "createdAt": format_ms(s)} for i, s in enumerate(stamps)]


@given(st.lists(st.integers(0, 50), min_size=2, max_size=30), st.sampled_from(["ASC", "DESC"]))
def test_sorted_pages_have_no_order_breaks_and_reversed_ones_do(stamps, order):
    ordered = sorted(stamps, reverse=order == "DESC")
    assert sorting.page_order(page(items_from(ordered)), "createdAt", order) == []
    wrong = list(reversed(ordered))
    found = sorting.page_order(page(items_from(wrong)), "createdAt", order)
    assert bool(found) == (len(set(stamps)) > 1)


@given(st.integers(0, 5000), st.integers(1, 1000), st.integers(1, 20))
def test_total_pages_and_has_next_page(total, per_page, current):
    pages = math.ceil(total / per_page)
    good = {"totalItems": total, "itemsPerPage": per_page, "currentPage": current,
            "totalPages": pages, "hasNextPage": current < pages}
    assert pagemeta.total_pages(page([], good)) == [] and pagemeta.has_next_page(page([], good)) == []
    off = dict(good, totalPages=pages + 1)
    assert [v.check for v in pagemeta.total_pages(page([], off))] == ["pagination.total-pages"]
    flipped = dict(good, hasNextPage=not good["hasNextPage"])
    assert [v.check for v in pagemeta.has_next_page(page([], flipped))] == ["pagination.has-next-page"]


def test_sort_order_echo():
    assert pagemeta.sort_order_echo(page([], {"sortOrder": "ASC"}), "ASC") == []
    assert [v.check for v in pagemeta.sort_order_echo(page([], {"sortOrder": "DESC"}), "ASC")] == ["pagination.sort-order-echo"]
    assert pagemeta.sort_order_echo(page([], {}), "ASC") == []  # not served: not asserted (not exercised)


@settings(max_examples=50)
@given(st.lists(st.uuids().map(str), min_size=3, max_size=40, unique=True), st.integers(1, 10))
def test_walk_matches_baseline(ids, limit):
    items = [{"id": i} for i in ids]
    pages = [page(items[k:k + limit], {"totalItems": len(ids)}) for k in range(0, len(ids), limit)]
    assert sorting.walk_matches_baseline(pages, ids, len(ids), "sortBy=cost") == []
    overlapping = [page(items[max(0, k - 1):k + limit], {"totalItems": len(ids)}) for k in range(0, len(ids), limit)]
    found = sorting.walk_matches_baseline(overlapping, ids, len(ids), "sortBy=cost")
    assert bool(found) == (len(overlapping) > 1)
    missing = sorting.walk_matches_baseline(pages, ids + ["extra"], len(ids) + 1, "sortBy=cost")
    assert {v.check for v in missing} == {"pagination.sort-by-walk"}


def test_reverse_apart_from_ties_hidden_and_exposed():
    items = items_from([5, 4, 4, 1])
    desc = [page(items)]
    # ties (the two 4s) may come in either order
    asc_ok = [page([items[3], items[1], items[2], items[0]])]
    assert sorting.reverse_apart_from_ties(desc, asc_ok, "createdAt", exposed=True) == []
    assert sorting.reverse_apart_from_ties(desc, desc, "createdAt", exposed=True)
    assert sorting.reverse_apart_from_ties(desc, [page(list(reversed(items)))], "cost", exposed=False) == []
    assert [v.check for v in sorting.reverse_apart_from_ties(desc, desc, "cost", exposed=False)] == ["pagination.sort-by-reverse"]


def test_default_column():
    items = items_from([5, 4, 1])
    assert sorting.default_column([page(items, {"totalItems": 3})], [page(items, {"totalItems": 3})], "createdAt", True) == []
    other = [page(list(reversed(items)), {"totalItems": 3})]
    assert sorting.default_column([page(items, {"totalItems": 3})], other, "createdAt", True)


def test_enum_filter_and_partition():
    window = [{"id": "a", "status": "cancelled"}, {"id": "b", "status": "ended"}]
    assert sorting.enum_filter(page([window[0]], {"totalItems": 1}), window, "status", "cancelled") == []
    assert sorting.enum_filter(page(window, {"totalItems": 2}), window, "status", "cancelled")
    assert sorting.enum_partition("status", 2, {"cancelled": 1, "ended": 1}) == []
    assert sorting.enum_partition("status", 3, {"cancelled": 1, "ended": 1})


def test_classify_follows_the_contract_model():
    from dataclasses import replace

    pinned = EndpointModel.pinned()
    assert classify([("sortBy", "cost")], pinned).kind == UNDECIDED  # not declared by the pin
    status = replace(pinned.param("status"), enum=("ended", "in-progress", "scheduled", "cancelled"))
    sort_by = replace(pinned.param("sortOrder"), name="sortBy", enum=("cost", "createdAt", "duration"), default="createdAt",
                      description="This is the column to sort by. Defaults to 'createdAt'.")
    later = replace(pinned, parameters=tuple(status if p.name == "status" else p for p in pinned.parameters) + (sort_by,))
    assert classify([("status", "cancelled")], later).kind == VALID
    assert classify([("status", "cancelled")], pinned).kind == INVALID
    assert classify([("sortBy", "cost")], later).kind == VALID
    assert classify([("sortBy", "price")], later).kind == INVALID
    assert later.sort_param.name == "sortBy" and later.default_sort_column == "createdAt"
    assert later.enum_values("status")[-1] == "cancelled"
