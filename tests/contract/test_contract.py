"""GET /campaign against the target: each area of the contract, through the same scenarios and
invariants as `vapi-contract run`, plus hypothesis properties over the target's own data."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vapi_contract.invariants import filtering, paging
from vapi_contract.runner import scenarios
from vapi_contract.runner.fuzz import fuzz
from vapi_contract.timeutil import format_ms, parse_ms


def describe(violations) -> str:
    """The first violations, one per line with their replayable curl, for an assertion message."""
    return "\n".join(f"{v.check}: {v.message}\n    {v.observations[0].curl if v.observations else ''}" for v in violations[:10])


PROPERTY = settings(max_examples=15, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def test_auth(run):
    scenarios.auth(run)
    assert run.recorder.violations == [], describe(run.recorder.violations)


def test_defaults(run):
    scenarios.defaults(run)
    assert run.recorder.violations == [], describe(run.recorder.violations)


def test_walks_at_every_limit(run, reference_items):
    scenarios.walks(run, run.config.profile)
    assert run.recorder.violations == [], describe(run.recorder.violations)
    assert "pagination.walk-disjoint" in run.recorder.exercised


def test_filters_at_boundaries(run, reference_items, rng):
    scenarios.filters(run, reference_items, run.config.profile, rng)
    assert run.recorder.violations == [], describe(run.recorder.violations)


def test_metamorphic_relations(run, reference_items, rng):
    scenarios.metamorphic(run, reference_items, rng)
    assert run.recorder.violations == [], describe(run.recorder.violations)


def test_bad_input_rejected_valid_input_accepted(run):
    scenarios.inputs(run)
    assert run.recorder.violations == [], describe(run.recorder.violations)


def test_schemathesis_positive_and_negative(run):
    fuzz(run, 25, 0, True)
    assert run.recorder.violations == [], describe(run.recorder.violations)


@PROPERTY
@given(data=st.data(), limit=st.integers(1, 60), order=st.sampled_from(["ASC", "DESC"]))
def test_property_any_limit_walk_is_complete_disjoint_ordered(run, reference_items, data, limit, order):
    pages = run.walk(run.pinned([("sortOrder", order)]), limit, max_pages=40)
    found = paging.walk(pages, order)
    if len(pages) == 40:  # not walked to the end: only what a prefix can show
        found = [v for v in found if v.check in ("pagination.walk-disjoint", "pagination.walk-ordered")]
    assert found == [], describe(found)


@PROPERTY
@given(data=st.data(), delta=st.sampled_from([-1, 0, 1]))
def test_property_split_at_any_instant(run, reference_items, data, delta):
    stamp = data.draw(st.sampled_from(sorted({parse_ms(i["createdAt"]) for i in reference_items})))
    at = format_ms(stamp + delta)
    whole = run.total(run.pinned([]))
    lt, ge = run.total(run.pinned([("createdAtLt", at)])), run.total(run.pinned([("createdAtGe", at)]))
    assert filtering.split_at(whole, lt, ge, at) == []


@PROPERTY
@given(data=st.data(), bound=st.sampled_from(["createdAtGt", "createdAtLt", "createdAtGe", "createdAtLe",
                                               "updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe"]),
       delta=st.sampled_from([-1, 0, 1]), offset=st.sampled_from([0, 120, -330]))
def test_property_bound_selects_exactly_the_matching_campaigns(run, reference_items, data, bound, delta, offset):
    from vapi_contract.timeutil import with_offset

    field = "createdAt" if bound.startswith("created") else "updatedAt"
    stamp = data.draw(st.sampled_from(sorted({parse_ms(i[field]) for i in reference_items}))) + delta
    pages = run.walk(run.pinned([(bound, with_offset(stamp, offset))]), 1000)
    found = filtering.completeness(pages, reference_items, run.snapshot_ms) + \
        [v for p in pages for v in filtering.membership(p)]
    assert found == [], describe(found)
