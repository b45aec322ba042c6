"""Live data moves: the suite against a reference target whose campaigns change while it is read
(`serve --churn`: status moves with a new updatedAt, counter bumps, creations, deletions).

Zero false alarms over 20 data seeds for the gate and the nightly, every fault whose area moving
data could explain away (pagination, filters, tenancy) still caught in its own area, and the
movement reported.  Churn 0.2 is one change every 5 listing
requests: the heaviest movement of issue 10's table (a status change every 5 requests and a new
campaign every 20).
"""

from __future__ import annotations

import json

import pytest

from vapi_contract.areas import MOVING_DATA_AREAS
from vapi_contract.runner.suite import run as run_suite
from vapi_contract.reference.faults import FAULTS
from vapi_contract.reference.server import running_target
from sampling import sample

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

CHURN = 0.2
NIGHTLY_CUT = 500  # requests: the nightly profile's stages and depths, cut to fit CI (benchmarks run it whole)


def described(outcome) -> str:
    return "; ".join(f"{v.check}: {v.message} :: {v.observations[0].curl if v.observations else ''}"
                     for v in outcome.violations[:5])


def moved(outcome) -> int:
    m = outcome.movement
    return m["campaigns_changed"] + m["campaigns_created"] + m["campaigns_left_pinned_set"]


@pytest.mark.parametrize("seed", sample(range(20), 2))  # CI: 2 seeds; make test-sweep: 20
def test_gate_under_churn_raises_no_false_alarm(seed, gate_config):
    with running_target(seed=seed, churn=CHURN) as target:
        outcome = run_suite(gate_config(), target=target)
        changes = target.churn_stats["total"]
    assert outcome.violations == [], described(outcome)
    assert outcome.exit_code == 0 and outcome.verdict.complete, outcome.findings.notes
    assert changes >= outcome.traffic.requests * CHURN * 0.9  # the data really moved while the run read it ...
    assert moved(outcome) > 0  # ... and the run saw it
    assert set(outcome.traffic.methods) <= {"GET", "HEAD"}


@pytest.mark.parametrize("seed", sample(range(20), 1))  # CI: seed 0; make test-sweep: 20
def test_nightly_under_churn_raises_no_false_alarm(seed, tmp_path):
    from vapi_contract.runner.config import resolve

    config = resolve(None, "nightly", seed, str(tmp_path), None, NIGHTLY_CUT, 5.0, environ={})
    with running_target(seed=seed, churn=CHURN) as target:
        outcome = run_suite(config, target=target)
    assert outcome.violations == [], described(outcome)
    assert outcome.exit_code == 0 and outcome.verdict.complete, outcome.findings.notes
    assert moved(outcome) > 0


# faults whose area moving data could explain away (the engine re-reads before believing them); a
# 5xx, a slow answer, a wrong status or a malformed body is judged the moment it is seen, moving or
# not (test_catches_faults.py catches those)
MOVABLE_FAULTS = sorted(n for n, f in FAULTS.items() if not f.requires and f.area in MOVING_DATA_AREAS)


def test_the_churn_sweep_covers_every_area_movement_can_hide():
    assert {FAULTS[n].area for n in MOVABLE_FAULTS} == set(MOVING_DATA_AREAS) and len(MOVABLE_FAULTS) >= 18


# CI: one fault of each area movement could hide; make test-sweep: all of them
@pytest.mark.parametrize("name", sample(MOVABLE_FAULTS, 1, group=lambda name: FAULTS[name].area))
def test_gate_under_churn_catches_every_fault_in_its_area(name, gate_config):
    fault = FAULTS[name]
    outcome = run_suite(gate_config(), target_options={"fault": name, "churn": CHURN, "seed": 3})
    areas = {v.area for v in outcome.violations}
    assert outcome.exit_code == 1, f"{name} ({fault.description}) not caught while the data moved"
    assert fault.area in areas, f"{name}: reported areas {sorted(areas)}, expected {fault.area}: " + described(outcome)


def test_confirmation_costs_nothing_on_still_data(gate_config):
    """On a target whose data holds still nothing looks wrong, so nothing is re-observed."""
    outcome = run_suite(gate_config())
    assert outcome.violations == []
    assert outcome.movement["reobservations"] == 0 and outcome.movement["rewalks"] == 0
    assert outcome.movement["findings_set_aside"] == 0 and moved(outcome) == 0


def test_movement_is_reported_in_summary_console_and_report(tmp_path):
    """The summary's movement figures, the console's note and the report all say how much moved."""
    import os
    import subprocess
    import sys

    from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG

    with running_target(churn=1.0) as target:
        env = {**{k: v for k, v in os.environ.items() if k != "VAPI_BASE_URL"}, "VAPI_API_KEY": ORG_KEYS[PRIMARY_ORG]}
        result = subprocess.run([sys.executable, "-m", "vapi_contract", "run", "--base-url", target.base_url, "--rate-limit", "0",
                                 "--report-dir", str(tmp_path), "--quiet"], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    summary = json.loads((tmp_path / "summary.json").read_text())
    movement = summary["movement"]
    assert movement["campaigns_changed"] + movement["campaigns_created"] > 0
    assert movement["reobservations"] > 0
    assert "data moved during the run" in result.stdout
    assert "data moved during the run" in (tmp_path / "report.html").read_text()

