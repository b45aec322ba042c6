"""A failure re-runs as a failure (issue 18, item 8): the re-run command printed for a finding,
run as printed, reproduces it."""

from __future__ import annotations

import json
import subprocess

import pytest
from misbehaving import run_cli

pytestmark = pytest.mark.e2e


def test_a_response_time_failure_reruns_as_fail(tmp_path):
    first = run_cli(["run", "--only", "reliability.response-time", "--max-response-time", "0.000001",
                     "--report-dir", str(tmp_path / "first")], tmp_path)
    assert first.returncode == 1, first.stdout + first.stderr[-2000:]
    violation = json.loads((tmp_path / "first" / "summary.json").read_text())["violations"][0]
    assert violation["check"] == "reliability.response-time"
    again = subprocess.run(violation["rerun"] + f" --report-dir {tmp_path / 'again'}", shell=True, capture_output=True,
                           text=True, timeout=180, cwd=tmp_path)
    assert again.returncode == 1, violation["rerun"] + "\n" + again.stdout + again.stderr[-2000:]
    assert json.loads((tmp_path / "again" / "summary.json").read_text())["verdict"] == "fail"
