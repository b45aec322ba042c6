"""The stage table tells the truth, on real runs: a run exercises a check only in a stage that
declares it (so ``--only`` never leaves out a stage that could have found something), every
applicable check is exercised, and ``--only CHECK`` runs just the stages that can exercise it."""

from __future__ import annotations

import pytest

from vapi_contract.runner.stages import STAGES
from vapi_contract.runner.suite import run as run_suite

pytestmark = pytest.mark.e2e

DECLARED = {s.name: set(s.checks) for s in STAGES}


@pytest.mark.parametrize("operation", ["GET /campaign", "GET /v2/campaign"])
def test_each_stage_exercises_only_what_it_declares(operation, gate_config):
    result = run_suite(gate_config(operation=operation))
    assert result.verdict.name == "pass", [(v.check, v.message) for v in result.violations[:3]]
    by_stage = result.findings.exercised_in
    assert set(by_stage) <= set(DECLARED) and by_stage
    for stage, exercised in by_stage.items():
        assert exercised <= DECLARED[stage], (stage, exercised - DECLARED[stage])
    assert set().union(*by_stage.values()) == set(result.coverage)  # every applicable check, each by a declaring stage


def test_only_cursor_end_sends_just_the_cursor_stage(gate_config):
    full = run_suite(gate_config())
    only = run_suite(gate_config(), only="pagination.cursor-end")
    stages = [s["stage"] for s in only.budget["stages"]]
    assert set(stages) == {"survey", "cursors"}, stages
    assert only.verdict.name == "pass" and only.coverage["pagination.cursor-end"] == "exercised"
    assert only.traffic.requests < full.traffic.requests / 2, (only.traffic.requests, full.traffic.requests)
