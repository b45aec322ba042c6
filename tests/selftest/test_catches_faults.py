"""The suite catches every fault of the reference target's catalogue, and raises no false alarm
on the conformant target, over 20 different data seeds.

Each test runs the real `gate` profile (the same code path as `vapi-contract run --profile gate`)
against a freshly started reference target and looks at the violations it reports.
"""

from __future__ import annotations

import pytest

from vapi_contract.runner.suite import run as run_suite
from vapi_contract.reference.faults import FAULTS
from sampling import sample

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

SLOW_RUN_SECONDS = 8  # the slow-response fault is caught within its first answers; every third is slow, so bound its run
SLOW_SECONDS = "0.6"  # the slow-response fault's delay in these tests; the run's limit is 0.4 s


# faults of the surface later documents add need a contract that declares it: tests/selftest/test_surface.py
PINNED_FAULTS = sorted(name for name, fault in FAULTS.items() if not fault.requires)


# CI: one fault of each area; make test-sweep: the whole catalogue (tests/sampling.py)
@pytest.mark.parametrize("name", sample(PINNED_FAULTS, 1, group=lambda name: FAULTS[name].area))
def test_gate_catches_fault_in_its_area(name, gate_config, monkeypatch):
    monkeypatch.setenv("VAPI_TARGET_SLOW_SECONDS", SLOW_SECONDS)
    fault = FAULTS[name]
    outcome = run_suite(gate_config(max_response_time=0.4, max_duration=SLOW_RUN_SECONDS if name == "slow-responses" else None), target_options={"fault": name})
    areas = {v.area for v in outcome.violations}
    assert outcome.exit_code == 1, f"{name} ({fault.description}) not caught"
    assert fault.area in areas, f"{name}: reported areas {sorted(areas)}, expected {fault.area}: " + \
        "; ".join(f"{v.check}: {v.message}" for v in outcome.violations[:5])


@pytest.mark.parametrize("seed", sample(range(20), 1))  # CI: seed 0; make test-sweep: 20
def test_conformant_target_no_false_alarm(seed, gate_config):
    outcome = run_suite(gate_config(), target_options={"seed": seed})
    assert outcome.violations == [], "; ".join(f"{v.check}: {v.message} :: {v.observations[0].curl if v.observations else ''}"
                                              for v in outcome.violations[:5])
    assert outcome.exit_code == 0
    assert outcome.traffic.requests <= 600
    assert set(outcome.traffic.methods) <= {"GET", "HEAD"}
