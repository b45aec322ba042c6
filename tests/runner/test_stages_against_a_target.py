"""GET /campaign against the target: each stage of `vapi-contract run`, one by one, through the
same context and invariants, plus hypothesis properties over the target's own data."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vapi_contract.invariants import filtering, paging
from vapi_contract.runner.stages import auth, counts, defaults, filters, fuzz, inputs, walks
from vapi_contract.timeutil import format_ms, with_offset

pytestmark = pytest.mark.e2e  # a target, and every stage's requests


def describe(violations) -> str:
    """The first violations, one per line with their replayable curl, for an assertion message."""
    return "\n".join(f"{v.check}: {v.message}\n    {v.observations[0].curl if v.observations else ''}" for v in violations[:10])


PROPERTY = settings(max_examples=15, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def test_auth(ctx):
    auth.run(ctx, essential=True)
    assert ctx.findings.violations == [], describe(ctx.findings.violations)
    assert {"auth.missing-key", "auth.wrong-key"} <= ctx.findings.exercised


def test_defaults(ctx):
    defaults.run(ctx, essential=True)
    assert ctx.findings.violations == [], describe(ctx.findings.violations)
    assert "pagination.defaults" in ctx.findings.exercised


def test_walks_at_every_limit(ctx):
    walks.run(ctx, essential=False)
    assert ctx.findings.violations == [], describe(ctx.findings.violations)
    assert {"pagination.walk-disjoint", "pagination.walk-complete", "pagination.past-end"} <= ctx.findings.exercised


def test_filters_at_boundaries(ctx):
    filters.run(ctx, essential=False)
    assert ctx.findings.violations == [], describe(ctx.findings.violations)
    assert "filters.completeness" in ctx.findings.exercised


def test_metamorphic_relations(ctx):
    counts.run(ctx, essential=True)
    counts.run(ctx, essential=False)
    assert ctx.findings.violations == [], describe(ctx.findings.violations)
    assert "filters.metamorphic" in ctx.findings.exercised


def test_bad_input_rejected_valid_input_accepted(ctx):
    inputs.run(ctx, essential=True)
    assert ctx.findings.violations == [], describe(ctx.findings.violations)
    assert {"validation.rejects-invalid", "validation.accepts-valid"} <= ctx.findings.exercised


def test_schemathesis_positive_and_negative(ctx):
    fuzz.run(ctx, essential=False)
    assert ctx.findings.violations == [], describe(ctx.findings.violations)


@PROPERTY
@given(data=st.data(), limit=st.integers(1, 60), order=st.sampled_from(["ASC", "DESC"]))
def test_property_any_limit_walk_is_complete_disjoint_ordered(ctx, data, limit, order):
    pages = ctx.walk(ctx.pinned([("sortOrder", order)]), limit, max_pages=40)
    assert pages, "a walk reads at least one page"
    judgement = paging.walk(pages, ctx.endpoint.created, order, whole=len(pages) < 40)
    assert judgement.violations == [], describe(judgement.violations)


@PROPERTY
@given(data=st.data(), delta=st.sampled_from([-1, 0, 1]))
def test_property_split_at_any_instant(ctx, window_keys, data, delta):
    stamp = data.draw(st.sampled_from(sorted({k.created_ms for k in window_keys})))
    at = format_ms(stamp + delta)
    before = ctx.total(ctx.pinned([]))
    lt, ge = ctx.total(ctx.pinned([("createdAtLt", at)])), ctx.total(ctx.pinned([("createdAtGe", at)]))
    after = ctx.total(ctx.pinned([]))
    assert filtering.split_at(before, after, lt, ge, at, at).violations == []


@PROPERTY
@given(data=st.data(), bound=st.sampled_from(["createdAtGt", "createdAtLt", "createdAtGe", "createdAtLe",
                                               "updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe"]),
       delta=st.sampled_from([-1, 0, 1]), offset=st.sampled_from([0, 120, -330]))
def test_property_bound_selects_exactly_the_window_campaigns(ctx, data, bound, delta, offset):
    part = ctx.survey.window(0)
    field = "created_ms" if bound.startswith("created") else "updated_ms"
    stamp = data.draw(st.sampled_from(sorted({getattr(k, field) for k in part.reference.keys}))) + delta
    filters.check_window(ctx, part, [[(bound, with_offset(stamp, offset))]])
    assert ctx.findings.violations == [], describe(ctx.findings.violations)
