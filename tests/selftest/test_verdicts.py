"""One verdict per run, the same everywhere (issue 18, item 1): a run that did not exercise every
check is ``incomplete`` on the console, in summary.json, report.html, junit.xml and the history
line, and exits 4 unless ``--allow-incomplete`` says otherwise; it is never printed as PASS."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from misbehaving import run_cli

from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG
from vapi_contract.reference.server import running_target

pytestmark = pytest.mark.e2e

KEY = ORG_KEYS[PRIMARY_ORG]


def outputs(report_dir) -> dict[str, str]:
    """The verdict as each file of the run shows it."""
    summary = json.loads((report_dir / "summary.json").read_text())
    junit = ET.parse(report_dir / "junit.xml").getroot()
    prop = next(p.get("value") for p in junit.iter("property") if p.get("name") == "verdict")
    (line,) = (report_dir / "history.jsonl").read_text().splitlines()
    return {"summary": summary["verdict"], "junit": prop, "history": json.loads(line)["verdict"],
            "exit_code": summary["exit_code"], "html": (report_dir / "report.html").read_text()}


def test_a_budget_of_one_request_against_a_faulty_target_is_incomplete_everywhere(tmp_path):
    with running_target(fault="page-off-by-one") as target:
        result = run_cli(["run", "--base-url", target.base_url, "--rate-limit", "0", "--max-requests", "1",
                          "--report-dir", str(tmp_path / "out")], tmp_path, {"VAPI_API_KEY": KEY})
    assert result.returncode == 4, result.stdout + result.stderr[-2000:]
    first = result.stdout.splitlines()[0]
    assert ": INCOMPLETE (" in first and "PASS" not in result.stdout, first
    seen = outputs(tmp_path / "out")
    assert (seen["summary"], seen["junit"], seen["history"], seen["exit_code"]) == ("incomplete",) * 3 + (4,)
    assert "INCOMPLETE" in seen["html"]


def test_allow_incomplete_exits_0_and_still_says_incomplete(tmp_path):
    result = run_cli(["run", "--max-requests", "1", "--allow-incomplete", "--report-dir", str(tmp_path / "out")], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert ": INCOMPLETE (" in result.stdout.splitlines()[0] and "PASS" not in result.stdout
    seen = outputs(tmp_path / "out")
    assert (seen["summary"], seen["junit"], seen["history"], seen["exit_code"]) == ("incomplete",) * 3 + (0,)


def test_require_complete_is_still_accepted_and_is_the_default(tmp_path):
    result = run_cli(["run", "--max-requests", "1", "--require-complete", "--report-dir", str(tmp_path / "out")], tmp_path)
    assert result.returncode == 4, result.stdout + result.stderr[-2000:]
    assert outputs(tmp_path / "out")["summary"] == "incomplete"


def test_an_only_run_carries_only_in_its_summary_and_is_partial_in_the_history(tmp_path):
    result = run_cli(["run", "--only", "auth.missing-key", "--report-dir", str(tmp_path / "out")], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    line = json.loads((tmp_path / "out" / "history.jsonl").read_text())
    assert summary["only"] == "auth.missing-key" and summary["verdict"] == "pass"
    assert (line["partial"], line["only"]) == (True, "auth.missing-key")
