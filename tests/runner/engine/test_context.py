"""The run context: what a stage sends goes through it, is judged once, and is recorded as the
engine reads it at the end (findings with their loci, checks exercised per stage, the pins as
scaffolding), within the stage's limits."""

from __future__ import annotations

import pytest

from vapi_contract.drift import DriftCollector
from vapi_contract.http import ContractClient
from vapi_contract.reference.app import create_app
from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG
from vapi_contract.reference.server import LOCAL_BASE_URL, InProcessTransport, build_service
from vapi_contract.runner.config import PROFILES
from vapi_contract.runner.engine.context import StageOutcome, RunContext, StageExhausted


def context(endpoint, validator, fault=None) -> RunContext:
    service = build_service(campaigns=60, seed=2, fault=fault)
    client = ContractClient(LOCAL_BASE_URL, ORG_KEYS[PRIMARY_ORG], rate_limit=0,
                            transport=InProcessTransport(create_app(service)))
    return RunContext(endpoint=endpoint, validator=validator, client=client, profile=PROFILES["gate"], seed=0,
                      max_response_time=30.0, drift=DriftCollector(validator.schemas, endpoint), siblings={})


def test_an_answer_is_judged_once_and_what_it_exercised_is_the_stage_s(endpoint, validator):
    ctx = context(endpoint, validator)
    with ctx.limits(None, None, stage="walks"):
        obs, response = ctx.observe_response([("limit", "7"), ("page", "2")])
    assert obs.status == 200 and len(obs.results) == 7 and response.status_code == 200
    assert obs.envelope is endpoint.envelope
    assert ctx.findings.violations == []
    assert {"pagination.page-size", "shape.body-schema"} <= ctx.findings.exercised_in["walks"]
    assert ctx.findings.exercised_with["limit"] >= {"pagination.limit-respected"}


def test_a_finding_carries_its_locus(endpoint, validator):
    ctx = context(endpoint, validator, fault="limit-plus-one")
    ctx.observe([("limit", "7")])
    (found,) = [v for v in ctx.findings.violations if v.check == "pagination.limit-respected"]
    assert found.locus == "limit given" and found.observations[0].params == (("limit", "7"),)


def test_pins_are_scaffolding_and_limits_stop_a_stage(endpoint, validator):
    ctx = context(endpoint, validator)
    ctx.fix_snapshot(1_900_000_000_000)
    pinned = ctx.pinned([("status", "ended")])
    assert [k for k, _ in pinned] == ["status", "createdAtLe", "updatedAtLe"]
    assert set(pinned[1:]) <= ctx.scaffolding and ("status", "ended") not in ctx.scaffolding
    with ctx.limits(2, None, stage="filters"):
        ctx.fetch([("limit", "1")])
        ctx.fetch([("limit", "1")])
        with pytest.raises(StageExhausted) as info:
            ctx.fetch([("limit", "1")])
        assert info.value.outcome is StageOutcome.REQUEST_SHARE
        with ctx.confirming():  # confirming a finding is not cut off half-way
            ctx.fetch([("limit", "1")])
    assert ctx.requests == 3


def test_the_survey_is_the_context_s_own(endpoint, validator):
    ctx = context(endpoint, validator)
    ctx.fix_snapshot(1_900_000_000_000)
    part = ctx.survey.window(0)
    total = ctx.total([])  # the primary organisation's share of the 60 campaigns
    assert part is not None and ctx.survey.total == len(part.reference.keys) == total > 40
