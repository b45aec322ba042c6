"""A night is never lost (issue 18, items 3 and 4): a published document that cannot be fetched
is reported in the spec section while the contract checks still run, and a run stopped by
SIGTERM or SIGINT writes every report with the verdict ``interrupted`` and the budget so far."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest
from misbehaving import run_cli

from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG
from vapi_contract.reference.server import running_target

pytestmark = pytest.mark.e2e

KEY = ORG_KEYS[PRIMARY_ORG]
SECRET = "tok-lost-night-9c2e"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreadable_published_spec_is_reported_and_the_checks_still_run(tmp_path):
    spec = f"http://127.0.0.1:{_closed_port()}/api-json?token={SECRET}"
    out = tmp_path / "out"
    result = run_cli(["run", "--published-spec", spec, "--max-requests", "40", "--report-dir", str(out)], tmp_path)
    summary = json.loads((out / "summary.json").read_text())
    # the exit code is the checks' (here: a budget of 40 requests cannot check everything), never 2
    assert result.returncode == summary["exit_code"] != 2, result.stdout + result.stderr[-2000:]
    assert summary["verdict"] in ("incomplete", "fail") and summary["requests"] > 30
    diff = summary["spec_diff"]
    assert diff["unreadable"] == "cannot fetch http://127.0.0.1:{}/api-json: ConnectError: connection refused".format(
        spec.split(":")[2].split("/")[0])
    assert diff["changes"] == [] and diff["breaking"] == 0
    assert "[spec] could not be read: cannot fetch" in result.stdout
    cases = [c for c in ET.parse(out / "junit.xml").getroot().iter("testcase") if c.get("classname") == "spec-diff"]
    assert len(cases) == 1 and "could not be read" in cases[0].find("skipped").get("message")
    assert "could not be read" in (out / "report.html").read_text()
    assert (out / "history.jsonl").is_file()
    for text in [result.stdout, result.stderr, *(p.read_text() for p in out.iterdir() if p.is_file())]:
        assert SECRET not in text


def _wait_for(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


@pytest.mark.parametrize("sig, code, name", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT")])
def test_a_signal_writes_the_reports_with_verdict_interrupted(sig, code, name, tmp_path):
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_BASE_URL",)}
    env["VAPI_API_KEY"] = KEY
    with running_target() as target:
        process = subprocess.Popen([sys.executable, "-m", "vapi_contract", "run", "--base-url", target.base_url,
                                    "--rate-limit", "20", "--report-dir", str(out)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
        try:
            _wait_for(lambda: sum(target.method_counts.values()) >= 8, 60)  # preflight, auth, into inputs
            process.send_signal(sig)
            stdout, stderr = process.communicate(timeout=30)
        finally:
            process.kill()
    assert process.returncode == code, stdout + stderr[-2000:]
    assert "Traceback" not in stderr and KEY not in stdout + stderr
    assert f"interrupted ({name})" in stderr.strip().splitlines()[-1]
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["verdict"], summary["exit_code"]) == ("interrupted", code)
    stages = summary["budget"]["stages"]
    assert stages and stages[0]["outcome"] == "done"
    assert stages[-1]["outcome"] == f"interrupted ({name})", stages
    assert summary["requests"] >= 8
    (line,) = (out / "history.jsonl").read_text().splitlines()
    assert json.loads(line)["verdict"] == "interrupted"
    run_case = next(c for c in ET.parse(out / "junit.xml").getroot().iter("testcase") if c.get("name") == "verdict")
    assert run_case.find("failure") is not None
    assert ": INTERRUPTED (" in stdout.splitlines()[0]
