"""GET /campaign against the target: each area of the contract, through the same stages and
invariants as `vapi-contract run`, plus hypothesis properties over the target's own data."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vapi_contract.invariants import filtering, paging
from vapi_contract.runner import basics
from vapi_contract.runner.counts import counts
from vapi_contract.runner.filters import check_window, filters
from vapi_contract.runner.fuzz import fuzz
from vapi_contract.runner.walks import walks
from vapi_contract.timeutil import format_ms, with_offset


def describe(violations) -> str:
    """The first violations, one per line with their replayable curl, for an assertion message."""
    return "\n".join(f"{v.check}: {v.message}\n    {v.observations[0].curl if v.observations else ''}" for v in violations[:10])


PROPERTY = settings(max_examples=15, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def test_auth(run):
    basics.auth(run)
    assert run.recorder.violations == [], describe(run.recorder.violations)


def test_defaults(run):
    basics.defaults(run)
    assert run.recorder.violations == [], describe(run.recorder.violations)
    assert "pagination.defaults" in run.recorder.exercised


def test_walks_at_every_limit(run, survey):
    walks(run, survey, run.config.profile, essential=False)
    assert run.recorder.violations == [], describe(run.recorder.violations)
    assert {"pagination.walk-disjoint", "pagination.walk-complete", "pagination.past-end"} <= run.recorder.exercised


def test_filters_at_boundaries(run, survey):
    filters(run, survey, run.config.profile, random.Random(1), essential=False)
    assert run.recorder.violations == [], describe(run.recorder.violations)
    assert "filters.completeness" in run.recorder.exercised


def test_metamorphic_relations(run, survey):
    counts(run, survey, run.config.profile, random.Random(2), essential=True)
    counts(run, survey, run.config.profile, random.Random(2), essential=False)
    assert run.recorder.violations == [], describe(run.recorder.violations)
    assert "filters.metamorphic" in run.recorder.exercised


def test_bad_input_rejected_valid_input_accepted(run):
    basics.inputs(run)
    assert run.recorder.violations == [], describe(run.recorder.violations)


def test_schemathesis_positive_and_negative(run):
    fuzz(run, 25, 0, True)
    assert run.recorder.violations == [], describe(run.recorder.violations)


@PROPERTY
@given(data=st.data(), limit=st.integers(1, 60), order=st.sampled_from(["ASC", "DESC"]))
def test_property_any_limit_walk_is_complete_disjoint_ordered(run, data, limit, order):
    pages = run.walk(run.pinned([("sortOrder", order)]), limit, max_pages=40)
    judgement = paging.walk(pages, order, whole=len(pages) < 40)
    assert judgement.violations == [], describe(judgement.violations)


@PROPERTY
@given(data=st.data(), delta=st.sampled_from([-1, 0, 1]))
def test_property_split_at_any_instant(run, window_keys, data, delta):
    stamp = data.draw(st.sampled_from(sorted({k.created_ms for k in window_keys})))
    at = format_ms(stamp + delta)
    before = run.total(run.pinned([]))
    lt, ge = run.total(run.pinned([("createdAtLt", at)])), run.total(run.pinned([("createdAtGe", at)]))
    after = run.total(run.pinned([]))
    assert filtering.split_at(before, after, lt, ge, at).violations == []


@PROPERTY
@given(data=st.data(), bound=st.sampled_from(["createdAtGt", "createdAtLt", "createdAtGe", "createdAtLe",
                                               "updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe"]),
       delta=st.sampled_from([-1, 0, 1]), offset=st.sampled_from([0, 120, -330]))
def test_property_bound_selects_exactly_the_window_campaigns(run, survey, data, bound, delta, offset):
    part = survey.window(0)
    field = "created_ms" if bound.startswith("created") else "updated_ms"
    stamp = data.draw(st.sampled_from(sorted({getattr(k, field) for k in part.reference.keys}))) + delta
    check_window(run, part, [[(bound, with_offset(stamp, offset))]])
    assert run.recorder.violations == [], describe(run.recorder.violations)
