"""The multi-request invariants on an organisation that moves while it is read.

A pinned query (``updatedAtLe=S``) only loses campaigns while a run reads it: a campaign changed
or created after the snapshot has a later updatedAt, a deleted one is gone.  So the model here is
a conformant server over a set that shrinks between requests, by a schedule hypothesis draws.
Properties: no false alarm, whatever the schedule; the same fault still caught when the data
held still, and, for a campaign the closing read proves unchanged, while it moves.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vapi_contract.invariants import Observation, Reference, filtering, paging
from vapi_contract.invariants.selection import expected_selection

from .answers import BASE, ENDPOINT, STATUSES, campaign, observation

ORG = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3000), st.sampled_from(STATUSES)),
               min_size=1, max_size=40).map(lambda rows: [campaign(i, BASE + c * 500, BASE + c * 500 + d, s)
                                                           for i, (c, d, s) in enumerate(rows)])


class MovingOrg:
    """A conformant GET /campaign over a set of campaigns that only loses members."""

    def __init__(self, items):
        self.items = list(items)

    def remove(self, picks) -> None:
        for pick in picks:
            if self.items:
                self.items.pop(pick % len(self.items))

    def answer(self, params, offset_fault: int = 0, drop: str | None = None) -> Observation:
        paging_ = paging.in_force(ENDPOINT, dict(params))
        chosen = [c for c in expected_selection(ENDPOINT, self.items, dict(params)) if c["id"] != drop]
        start = paging_.offset + offset_fault
        body = {"results": chosen[start: start + paging_.limit],
                "metadata": {"itemsPerPage": paging_.limit, "totalItems": len(chosen), "currentPage": paging_.page}}
        return observation(tuple(params), 200, body, "application/json")


def walk(org: MovingOrg, limit: int, order: str, schedule, offset_fault: int = 0):
    """Read pages 1.. (and the page past the end), removing ``schedule[k]`` before page k."""
    pages, page = [], 1
    while True:
        org.remove(schedule[page - 1] if page - 1 < len(schedule) else [])
        obs = org.answer([("sortOrder", order), ("limit", str(limit)), ("page", str(page))], offset_fault)
        pages.append(obs)
        total = obs.metadata["totalItems"]
        if len(obs.results) < limit or page * limit >= total or page > 60:
            break
        page += 1
    past = org.answer([("sortOrder", order), ("limit", str(limit)), ("page", str(-(-pages[0].metadata["totalItems"] // limit) + 1))])
    return pages, past


removals = st.lists(st.lists(st.integers(0, 1000), max_size=2), max_size=12)


@settings(max_examples=150, deadline=None)
@given(items=ORG, limit=st.integers(1, 9), order=st.sampled_from(["ASC", "DESC"]), schedule=removals)
def test_a_walk_over_shrinking_data_never_raises_a_false_alarm(items, limit, order, schedule):
    org = MovingOrg(items)
    reference = Reference.of(org.answer([("sortOrder", order), ("limit", "1000")]), ENDPOINT)
    pages, past = walk(org, limit, order, schedule)
    judgement = paging.walk(ENDPOINT, pages, ENDPOINT.created, order, past, reference=reference)
    assert judgement.violations == [], [v.message for v in judgement.violations]
    if not any(schedule):
        assert judgement.still


@settings(max_examples=150, deadline=None)
@given(items=ORG, limit=st.integers(1, 9), order=st.sampled_from(["ASC", "DESC"]))
def test_a_page_off_by_one_is_caught_on_still_data(items, limit, order):
    org = MovingOrg(items)
    reference = Reference.of(org.answer([("sortOrder", order), ("limit", "1000")]), ENDPOINT)
    pages, past = walk(org, limit, order, [], offset_fault=limit)
    judgement = paging.walk(ENDPOINT, pages, ENDPOINT.created, order, past, reference=reference)
    assert judgement.still
    assert "pagination.walk-complete" in {v.check for v in judgement.violations}


@settings(max_examples=200, deadline=None)
@given(items=ORG, before=st.lists(st.integers(0, 1000), max_size=4), after=st.lists(st.integers(0, 1000), max_size=4),
       data=st.data())
def test_a_window_filter_over_moving_data_never_raises_a_false_alarm_and_a_dropped_still_campaign_is_caught(
        items, before, after, data):
    org = MovingOrg(items)
    reference = Reference.of(org.answer([("limit", "1000")]), ENDPOINT)
    status = data.draw(st.sampled_from(STATUSES))
    org.remove(before)
    params = [("status", status), ("limit", "1000")]
    good = org.answer(params)
    org.remove(after)
    closing = Reference.of(org.answer([("limit", "1000")]), ENDPOINT)
    assert filtering.window_completeness(ENDPOINT, good, reference, closing).violations == []
    # the server drops one matching campaign that the closing read shows unchanged: caught, moving or not
    position = ENDPOINT.value_fields.index("status")
    still_matching = [k.id for k in closing.keys if k.values[position] == status]
    if still_matching:
        victim = data.draw(st.sampled_from(still_matching))
        faulty = observation(good.params, 200, {"results": [c for c in good.results if c["id"] != victim],
                                                "metadata": good.metadata})
        found = filtering.window_completeness(ENDPOINT, faulty, reference, closing)
        assert [v.check for v in found.violations] == ["filters.completeness"]


@settings(max_examples=200, deadline=None)
@given(items=ORG, schedule=st.lists(st.lists(st.integers(0, 1000), max_size=3), min_size=5, max_size=5),
       cut=st.integers(0, 50), leak=st.integers(1, 5))
def test_counts_between_two_counts_of_the_whole_never_false_alarm_and_a_double_count_is_caught(items, schedule, cut, leak):
    org = MovingOrg(items)
    at = campaign(0, BASE + cut * 500)["createdAt"]

    def total(params):
        return org.answer([*params, ("limit", "1")]).metadata["totalItems"]

    org.remove(schedule[0])
    before = total([])
    org.remove(schedule[1])
    lt = total([("createdAtLt", at)])
    org.remove(schedule[2])
    ge = total([("createdAtGe", at)])
    org.remove(schedule[3])
    after = total([])
    assert filtering.split_at(before, after, lt, ge, at, at).violations == []
    # campaigns exactly at the instant counted on both sides (createdAtLt read as <=), more than moved
    if before == after:
        assert filtering.split_at(before, after, lt + leak, ge, at, at).violations != []
    assert filtering.split_at(before, after, lt + (before - after) + leak, ge, at, at).violations != []
