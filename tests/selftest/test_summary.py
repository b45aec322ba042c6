"""summary.json: valid against schemas/run-summary.schema.json for passing, failing, drifting and
error runs, its response-time figures, and its coverage matrix says what the run really exercised."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from vapi_contract.runner.suite import run as run_suite
from vapi_contract.runner.command import contract_info
from vapi_contract.runner.output.summary import build_summary

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end


@pytest.fixture(scope="module")
def summary_schema(repo_root):
    schema = json.loads((repo_root / "schemas" / "run-summary.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _errors(validator, summary) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(summary)]


@pytest.mark.parametrize("options", [{}, {"fault": "page-off-by-one"}, {"drift": "added-campaign-field"}],
                         ids=["pass", "fault", "drift"])
def test_summary_matches_its_schema(options, gate_config, summary_schema):
    outcome = run_suite(gate_config(), target_options=options)
    summary = json.loads(json.dumps(build_summary(outcome, contract_info(outcome.config))))
    assert _errors(summary_schema, summary) == []
    assert summary["verdict"] == ("fail" if "fault" in options else "pass")
    assert summary["operation"] == "GET /campaign" and summary["only"] is None
    assert summary["contract"]["sha256"] and len(summary["contract"]["sha256"]) == 64
    if "fault" in options:
        assert all(v["request"].startswith("curl ") for v in summary["violations"])
    latency = summary["latency_ms"]
    assert latency["overall"]["count"] == summary["requests"]  # every response measured
    assert 0 < latency["page1_limit1000"]["count"] < latency["overall"]["count"]
    for figures in latency.values():
        assert 0 < figures["p50"] <= figures["p95"] <= figures["max"], figures


def test_latency_figures_are_checked_by_the_schema(gate_config, summary_schema):
    result = run_suite(gate_config())
    summary = json.loads(json.dumps(build_summary(result, contract_info(result.config))))
    assert _errors(summary_schema, summary) == []
    broken = json.loads(json.dumps(summary))
    del broken["latency_ms"]["overall"]["p95"]
    assert any("p95" in e for e in _errors(summary_schema, broken))
    broken = json.loads(json.dumps(summary))
    broken["latency_ms"]["page1_limit1000"] = {"count": 3, "p50": None, "p95": None, "max": None}
    assert _errors(summary_schema, broken)  # figures are null only when nothing was measured
    broken = json.loads(json.dumps(summary))
    del broken["latency_ms"]
    assert _errors(summary_schema, broken)


def test_error_summary_matches_its_schema(tmp_path, summary_schema):
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL")}
    env["VAPI_API_KEY"] = "sk-summary-test-123456"
    result = subprocess.run([sys.executable, "-m", "vapi_contract", "run", "--base-url", "http://127.0.0.1:9",
                             "--report-dir", str(tmp_path), "--rate-limit", "0"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 3, result.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert _errors(summary_schema, summary) == []
    assert summary["verdict"] == "error" and summary["complete"] is False
    assert summary["latency_ms"] is None


def test_coverage_matrix_of_a_gate_run(gate_config, endpoint):
    """Against the embedded target the gate exercises every parameter in every kind of check that
    concerns it; a null cell is one where no check of that kind concerns the field."""
    summary = build_summary(run_suite(gate_config()), {})
    rows = {(r["kind"], r["name"]): r for r in summary["coverage_matrix"]["rows"]}  # sortOrder: a parameter and a metadata field
    parameters = [r["name"] for r in summary["coverage_matrix"]["rows"] if r["kind"] == "parameter"]
    assert parameters == list(endpoint.parameter_names) and len(parameters) == 14  # April's 13 + sortBy (cursor is no declared parameter)
    for name in parameters:
        cells = rows[("parameter", name)]["cells"]
        assert cells["shape"] and cells["validation"], (name, cells)
        paging = name in ("page", "limit", "sortOrder", "sortBy")
        assert (cells["pagination"] is True) if paging else (cells["pagination"] is None), (name, cells)
        assert (cells["filters"] is None) if paging else (cells["filters"] is True), (name, cells)
    assert rows[("metadata", "itemsPerPage")]["cells"]["filters"] is None
    assert rows[("metadata", "totalItems")]["cells"] == {"shape": True, "pagination": True, "filters": True, "validation": None}
    assert summary["complete"] is True and summary["not_exercised"] == []


def test_only_one_check_is_reported(gate_config):
    outcome = run_suite(gate_config(), only="pagination.current-page", target_options={"fault": "current-page-zero-based"})
    assert {v.check for v in outcome.violations} == {"pagination.current-page"}
    assert outcome.exit_code == 1
