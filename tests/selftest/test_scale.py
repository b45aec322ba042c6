"""Power that does not shrink as the organisation grows, within fixed budgets.

At 5,000 campaigns (what CI affords; `benchmarks/scale.py` goes to 100,000 and 1,000,000) the
gate is complete within its 600 requests and still catches filter and pagination faults of every kind.
A budget too small to check everything is never a silent pass: it is incomplete and exits 4
(`--allow-incomplete`: 0, still incomplete).
A slow API cannot stretch the run past `--max-duration`: the most valuable checks run first and
the summary says what was skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from vapi_contract.runner.suite import run as run_suite
from vapi_contract.reference.faults import FAULTS
from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG
from vapi_contract.reference.server import running_target
from sampling import sample

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

LARGE = 5000


@pytest.fixture(scope="module")
def large_target():
    with running_target(campaigns=LARGE) as target:
        yield target


def test_gate_at_5000_campaigns_is_complete_within_its_budget(large_target, gate_config):
    outcome = run_suite(gate_config(), target=large_target)
    assert outcome.violations == [], [v.message for v in outcome.violations[:3]]
    assert outcome.verdict.complete and outcome.exit_code == 0, (outcome.coverage, outcome.findings.notes)
    assert outcome.traffic.requests <= 600
    # the windows it read were real slices of a large organisation, not the whole of it
    survey = [s for s in outcome.budget["stages"] if s["stage"] == "survey"][0]
    assert survey["requests"] == 2


# the filter and pagination faults of each kind the windows must still see at scale: an offset, a
# count, a tie order, a page size, a bound's edge, a bound on the wrong instant, an ignored filter,
# filters combined wrongly, lost precision (benchmarks/fault_catch.py --campaigns 100000: all of them)
AT_SCALE = ("page-off-by-one", "total-items-page-count", "unstable-tie-order", "limit-plus-one", "created-gt-inclusive",
            "updated-filter-on-created", "status-filter-ignored", "filters-or", "bound-truncated-to-seconds")


def test_the_faults_at_scale_are_filter_and_pagination_faults_of_every_surface():
    assert all(FAULTS[n].area in ("filters", "pagination") and not FAULTS[n].requires for n in AT_SCALE)
    assert {FAULTS[n].area for n in AT_SCALE} == {"filters", "pagination"}


# CI: the first (a page offset); make test-sweep: all of them
@pytest.mark.parametrize("name", sample(AT_SCALE, 1))
def test_gate_at_5000_campaigns_catches_filter_and_pagination_faults(name, gate_config):
    fault = FAULTS[name]
    outcome = run_suite(gate_config(), target_options={"fault": name, "campaigns": LARGE})
    assert outcome.exit_code == 1 and fault.area in {v.area for v in outcome.violations}, \
        f"{name} not caught at {LARGE} campaigns: " + "; ".join(v.message for v in outcome.violations[:3])
    assert outcome.traffic.requests <= 600


def run_cli(target, tmp_path, *args, env_extra=None, timeout=300):
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_BASE_URL",)}
    env.update({"VAPI_API_KEY": ORG_KEYS[PRIMARY_ORG], **(env_extra or {})})
    t0 = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "vapi_contract", "run", "--base-url", target.base_url, "--rate-limit", "0",
                             "--report-dir", str(tmp_path), "--quiet", *args], capture_output=True, text=True, env=env,
                            timeout=timeout)
    return result, time.monotonic() - t0, json.loads((tmp_path / "summary.json").read_text())


def test_a_budget_too_small_exits_4_unless_incomplete_is_allowed(tmp_path):
    with running_target() as target:
        strict, _, summary = run_cli(target, tmp_path / "strict", "--max-requests", "50")
        lenient, _, lenient_summary = run_cli(target, tmp_path / "lenient", "--max-requests", "50", "--allow-incomplete")
    assert strict.returncode == 4, strict.stdout + strict.stderr
    assert summary["verdict"] == "incomplete" and summary["complete"] is False and summary["requests"] <= 50
    assert any(s["outcome"] != "done" for s in summary["budget"]["stages"])
    assert summary["not_exercised"]  # what the budget left unchecked is named
    assert lenient.returncode == 0 and lenient_summary["complete"] is False  # allowed: exit 0, and it says so
    assert lenient_summary["verdict"] == "incomplete" and "INCOMPLETE" in lenient.stdout


def test_max_duration_bounds_a_slow_target_and_spends_the_time_on_cheap_checks_first(tmp_path, monkeypatch):
    """Every third answer takes 0.5 s: the gate cannot finish in 10 s.  It stops at the deadline,
    having run auth and input validation (cheap, size-independent) first, and says what it skipped."""
    monkeypatch.setenv("VAPI_TARGET_SLOW_SECONDS", "0.5")  # read by the target, which runs in this process
    with running_target(fault="slow-responses") as target:
        result, elapsed, summary = run_cli(target, tmp_path, "--max-duration", "10", "--max-response-time", "30")
    assert elapsed < 10 + 8, elapsed  # the deadline, one slow answer and the start-up
    assert result.returncode == 4, result.stdout + result.stderr
    stages = {(s["stage"], s["phase"]): s["outcome"] for s in summary["budget"]["stages"]}
    assert stages[("auth", "essential")] == "done" and stages[("inputs", "essential")] == "done"
    assert any(o != "done" for o in stages.values())
    assert any("stopped early" in n for n in summary["notes"])
