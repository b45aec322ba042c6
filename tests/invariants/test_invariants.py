"""The pure invariants on hand-made and generated responses: silent on conformant answers,
each one firing on the breakage it exists for."""

from __future__ import annotations

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from .answers import BASE, ENDPOINT, ITEMS, answer, campaign, item_lists, observation, stamps

from vapi_contract.invariants import Reference, access, filtering, inputs, paging, reliability, shape
from vapi_contract.invariants.response import judge
from vapi_contract.timeutil import format_ms


def in_force(obs):
    return paging.in_force(ENDPOINT, obs.query)


def page_findings(obs) -> list[str]:
    """The one-page pagination checks' findings on ``obs`` (the page's paging in force)."""
    p = in_force(obs)
    found = paging.limit_respected(obs, p) + paging.items_per_page(obs, p, "itemsPerPage") + \
        paging.current_page(obs, p, "currentPage") + paging.page_size(obs, p) + paging.page_order(obs, ENDPOINT.created, p)
    return [v.check for v in found]


def test_conformant_page_has_no_violation(validator):
    obs = answer(ITEMS, [("limit", "7"), ("page", "2")])
    found, exercised = judge(obs, ENDPOINT, validator, 10.0)
    assert found == []
    assert {"pagination.page-size", "pagination.order", "shape.body-schema"} <= exercised


def test_page_metadata_fires_on_each_field():
    good = answer(ITEMS, [("limit", "7"), ("page", "2")])
    for field, value, check in [("itemsPerPage", 100, "pagination.items-per-page"),
                                ("currentPage", 1, "pagination.current-page"),
                                ("totalItems", 3, "pagination.page-size")]:
        body = {"results": good.body["results"], "metadata": {**good.metadata, field: value}}
        assert page_findings(observation(good.params, 200, body)) == [check]
    too_many = {"results": good.body["results"] + [ITEMS[0]], "metadata": good.metadata}
    assert "pagination.limit-respected" in page_findings(observation(good.params, 200, too_many))
    reversed_ = {"results": list(reversed(good.body["results"])), "metadata": good.metadata}
    assert page_findings(observation(good.params, 200, reversed_)) == ["pagination.order"]


@settings(max_examples=60, deadline=None)
@given(items=item_lists, limit=st.integers(1, 12), order=st.sampled_from(["ASC", "DESC"]))
def test_walk_of_a_conformant_server_is_clean_and_a_dropped_or_repeated_item_is_caught(items, limit, order):
    pages, page = [], 1
    while True:
        pages.append(answer(items, [("sortOrder", order), ("limit", str(limit)), ("page", str(page))]))
        if len(pages[-1].results) < limit or page * limit >= len(items):
            break
        page += 1
    assert paging.walk(ENDPOINT, pages, ENDPOINT.created, order).violations == []
    if len(items) >= 2:
        first = pages[0]
        body = {"results": first.results[1:] + first.results[:1], "metadata": first.metadata}
        if limit >= 2 and first.results[0]["createdAt"] != first.results[-1]["createdAt"]:
            assert {v.check for v in paging.walk(ENDPOINT, [observation(first.params, 200, body), *pages[1:]], ENDPOINT.created, order).violations} >= {"pagination.walk-ordered"}
        dup = {"results": first.results + first.results[:1], "metadata": first.metadata}
        assert "pagination.walk-disjoint" in {v.check for v in paging.walk(ENDPOINT, [observation(first.params, 200, dup), *pages[1:]], ENDPOINT.created, order).violations}
        short = {"results": first.results[1:], "metadata": first.metadata}
        assert "pagination.walk-complete" in {v.check for v in paging.walk(ENDPOINT, [observation(first.params, 200, short), *pages[1:]], ENDPOINT.created, order).violations}


def test_past_end_and_unstable_total():
    page1 = answer(ITEMS, [("limit", "100"), ("page", "1")])
    past = answer(ITEMS, [("limit", "100"), ("page", "2")])
    assert paging.walk(ENDPOINT, [page1], ENDPOINT.created, "DESC", past).violations == []
    bad_past = observation(past.params, 200, {"results": ITEMS[:1], "metadata": past.metadata})
    assert {v.check for v in paging.walk(ENDPOINT, [page1], ENDPOINT.created, "DESC", bad_past).violations} == {"pagination.past-end"}
    # totals that differ between pages look like moving data: set aside on one walk ...
    moved = observation(past.params, 200, {"results": [], "metadata": {**past.metadata, "totalItems": 39}})
    judgement = paging.walk(ENDPOINT, [page1], ENDPOINT.created, "DESC", moved)
    assert not judgement.still and judgement.set_aside == 1 and judgement.violations == []
    # ... and a violation when a second walk replays the same varying totals
    page2 = answer(ITEMS, [("limit", "20"), ("page", "2")])
    varying = [page1, observation(page2.params, 200, {"results": page2.results, "metadata": {**page2.metadata, "totalItems": 20}})]
    assert [v.check for v in paging.totals_reproduced(varying, varying).violations] == ["pagination.total-stable"]
    assert paging.totals_reproduced([page1, page2], [page1, page2]).violations == []


@settings(max_examples=80, deadline=None)
@given(items=item_lists, bound=st.sampled_from(["createdAtGt", "createdAtLt", "createdAtGe", "createdAtLe",
                                                 "updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe"]),
       at=stamps, delta=st.sampled_from([-1, 0, 1]))
def test_filters_conformant_answer_is_clean_and_inclusive_exclusive_swap_is_caught(items, bound, at, delta):
    params = [(bound, format_ms(at + delta)), ("limit", "1000")]
    good = answer(items, params)
    reference = Reference.of(answer(items, [("limit", "1000")]), ENDPOINT)
    assert filtering.membership(ENDPOINT, good) == [] and filtering.window_completeness(ENDPOINT, good, reference).violations == []
    swapped = {"Gt": "Ge", "Ge": "Gt", "Lt": "Le", "Le": "Lt"}
    wrong_param = bound[:-2] + swapped[bound[-2:]]
    wrong = answer(items, [(wrong_param, format_ms(at + delta)), ("limit", "1000")])
    wrong = observation(tuple(params), 200, wrong.body)
    if {i["id"] for i in wrong.results} != {i["id"] for i in good.results}:
        assert filtering.membership(ENDPOINT, wrong) + filtering.window_completeness(ENDPOINT, wrong, reference).violations != []


def test_metamorphic_relations():
    assert filtering.split_at(10, 10, 4, 6, "lt", "ge").violations == []
    assert [v.check for v in filtering.split_at(10, 10, 4, 7, "lt", "ge").violations] == ["filters.metamorphic"]
    assert filtering.partition("status", 10, 10, {"a": 5, "b": 5}).violations == []
    assert filtering.partition("status", 10, 10, {"a": 5, "b": 6}).violations != []
    # the whole shrank from 10 to 8 while the parts were counted: parts between the two are set aside ...
    moved = filtering.split_at(10, 8, 4, 5, "lt", "ge")
    assert moved.violations == [] and not moved.still and moved.set_aside == 1
    # ... parts outside them are not explained by movement
    assert filtering.split_at(10, 8, 4, 7, "lt", "ge").violations != [] and filtering.split_at(10, 8, 3, 4, "lt", "ge").violations != []
    assert filtering.monotone(3, 4, "q").violations == [] and filtering.monotone(5, 4, "q").violations != []


def test_inputs_auth_tenancy_reliability():
    def verdict_findings(params, status):
        obs = observation(params, status)
        verdict = inputs.classify(ENDPOINT, params)
        return [v.check for v in inputs.rejects_invalid(obs, verdict) + inputs.accepts_valid(obs, verdict)]

    assert verdict_findings((("limit", "1001"),), 400) == []
    assert verdict_findings((("limit", "1001"),), 200) == ["validation.rejects-invalid"]
    assert verdict_findings((("limit", "10"),), 400) == ["validation.accepts-valid"]
    assert verdict_findings((("limit", "2.5"),), 400) == []  # the docs are silent
    assert verdict_findings((("limit", "2.5"),), 200) == []
    assert access.rejected(observation((), 401), "auth.missing-key").violations == []
    assert access.rejected(observation((), 200), "auth.missing-key").violations != []
    seen: dict = {}
    access.organisations("orgId", answer(ITEMS, [("limit", "10")]), seen)
    assert access.single_org(ENDPOINT, seen).violations == []
    access.organisations("orgId", answer([campaign(1, BASE, org="org-b")], [("limit", "10")]), seen)
    assert [v.check for v in access.single_org(ENDPOINT, seen).violations] == ["tenancy.single-org"]
    assert reliability.no_server_error(observation((), 503), "valid") != [] and reliability.no_server_error(observation((), 400), "valid") == []
    assert reliability.in_time(observation((), 200, elapsed=2.0), 1.0) != []


def test_shape_points_at_the_broken_value(validator):
    good = answer(ITEMS, [("limit", "5")])
    broken = {"results": [dict(good.results[0], createdAt="yesterday")] + good.results[1:], "metadata": good.metadata}
    found = shape.body_schema(observation(good.params, 200, broken), validator, ENDPOINT)
    assert [(v.check, v.pointer, v.actual) for v in found] == [("shape.body-schema", "/results/0/createdAt", "yesterday")]
    assert shape.content_type(observation((), 200, {}, "text/html")) != []
