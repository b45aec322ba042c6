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


STAGES = [  # (stage, the passes run, checks it must exercise on a conformant target)
    (auth, (True,), {"auth.missing-key", "auth.wrong-key"}),
    (defaults, (True,), {"pagination.defaults"}),
    (walks, (False,), {"pagination.walk-disjoint", "pagination.walk-complete", "pagination.past-end"}),
    (filters, (False,), {"filters.completeness"}),
    (counts, (True, False), {"filters.metamorphic"}),
    (inputs, (True,), {"validation.rejects-invalid", "validation.accepts-valid"}),
    (fuzz, (False,), {"reliability.no-5xx"}),
]


@pytest.mark.parametrize("stage, passes, exercised", STAGES, ids=[s.__name__.rsplit(".", 1)[-1] for s, _, _ in STAGES])
def test_each_stage_is_clean_on_a_conformant_target(ctx, stage, passes, exercised):
    for essential in passes:
        stage.run(ctx, essential=essential)
    assert ctx.findings.violations == [], describe(ctx.findings.violations)
    assert exercised <= ctx.findings.exercised


@PROPERTY
@given(data=st.data(), limit=st.integers(1, 60), order=st.sampled_from(["ASC", "DESC"]))
def test_property_any_limit_walk_is_complete_disjoint_ordered(ctx, data, limit, order):
    pages = ctx.walk(ctx.pinned([("sortOrder", order)]), limit, max_pages=40)
    assert pages, "a walk reads at least one page"
    judgement = paging.walk(ctx.endpoint, pages, ctx.endpoint.created, order, whole=len(pages) < 40)
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
