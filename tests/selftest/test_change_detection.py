"""`vapi-contract run --published-spec`: the spec diff lands in the run's summary and report, and
a breaking published change fails the run; a run that cannot be carried out still says why."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from vapi_contract.runner.suite import run as run_suite
from vapi_contract.specdiff import diff_documents

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end


def run_cli(args, tmp_path, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL")}
    env.update(env_extra or {})
    result = subprocess.run([sys.executable, "-m", "vapi_contract", "run", "--report-dir", str(tmp_path / "out"), *args],
                            capture_output=True, text=True, env=env, timeout=300)
    summary_path = tmp_path / "out" / "summary.json"
    return result, (json.loads(summary_path.read_text()) if summary_path.is_file() else None)


def test_published_spec_addition_is_reported_and_passes(published_version, tmp_path):
    """Vapi publishes today's document with one more optional filter: reported, not breaking."""
    document = json.loads(published_version("2026-08-18").read_text())
    document["paths"]["/campaign"]["get"]["parameters"].append(
        {"name": "phoneNumberId", "in": "query", "required": False, "schema": {"type": "string"}})
    published = tmp_path / "published.json"
    published.write_text(json.dumps(document))
    result, summary = run_cli(["--published-spec", str(published)], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    spec = summary["spec_diff"]
    assert spec["breaking"] == 0
    added = [c for c in spec["changes"] if c["change"] == "request-parameter-added"]
    assert [(c["value"], c["breaking"]) for c in added] == [("phoneNumberId", False)]
    assert "phoneNumberId" in result.stdout
    assert "phoneNumberId" in (tmp_path / "out" / "report.html").read_text()


def test_breaking_published_change_fails_the_run(published_version, tmp_path, gate_config):
    document = json.loads(published_version("2026-08-18").read_text())
    params = document["paths"]["/campaign"]["get"]["parameters"]
    document["paths"]["/campaign"]["get"]["parameters"] = [p for p in params if p["name"] != "status"]
    changed = tmp_path / "published.json"
    changed.write_text(json.dumps(document))
    diff = diff_documents(_pinned(), str(changed))
    outcome = run_suite(gate_config(), spec_diff=diff)
    assert outcome.violations == []  # the target itself is fine ...
    assert outcome.exit_code == 1 and outcome.verdict.name == "fail"  # ... but Vapi published a breaking change
    assert [(c["change"], c["pointer"]) for c in outcome.spec_diff["changes"]] == [
        ("request-parameter-removed", "/paths/~1campaign/get/parameters/1")]


def test_a_broken_published_document_is_reported_and_the_checks_still_run(defective_document, tmp_path):
    """Vapi's document with references to schemas it does not define (June-July 2025): the suite
    runs as usual, and the spec diff names each reference and where it is used (a warning)."""
    broken = defective_document("2026-08-18", "inworld-removed")
    result, summary = run_cli(["--published-spec", str(broken)], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert summary["verdict"] == "pass" and summary["requests"] > 100 and summary["not_exercised"] == []
    spec = summary["spec_diff"]
    dangling = [d for d in spec["defects"] if d["kind"] == "dangling-ref"]
    assert spec["breaking"] == 0 and sorted(d["subject"] for d in dangling) == [
        "CreateInworldCredentialDTO", "FallbackInworldVoice", "InworldVoice"]
    assert [c["change"] for c in spec["changes"]] == ["published-document-invalid"] * 3
    assert all(c["level"] == "warning" for c in spec["changes"])
    inworld = next(d for d in spec["defects"] if d["subject"] == "InworldVoice")
    assert inworld["document"] == "new" and inworld["source"] == broken.name and len(inworld["pointers"]) == 6
    assert all(p in result.stdout for p in inworld["pointers"])  # the console's spec lines carry them
    assert all(p in (tmp_path / "out" / "report.html").read_text() for p in inworld["pointers"])
    assert all(p in (tmp_path / "out" / "junit.xml").read_text() for p in inworld["pointers"])


def test_an_unreadable_published_spec_is_reported_and_the_run_goes_on(tmp_path):
    """Issue 18 item 3 (it was exit 2 before any request, and no report): the spec section says why,
    the checks run, the exit code is theirs (here a budget too small to check everything: 4)."""
    missing = tmp_path / "missing.json"
    result, summary = run_cli(["--published-spec", str(missing), "--max-requests", "30"], tmp_path)
    assert result.returncode == summary["exit_code"] != 2 and "Traceback" not in result.stderr
    assert summary["requests"] > 20 and summary["verdict"] != "error"
    assert summary["spec_diff"]["unreadable"] == f"cannot read {missing}: No such file or directory"
    assert f"[spec] could not be read: cannot read {missing}" in result.stdout


def test_unreachable_target_leaves_an_error_summary(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    result, summary = run_cli(["--base-url", f"http://127.0.0.1:{port}", "--rate-limit", "0"], tmp_path,
                              {"VAPI_API_KEY": "sk-some-key-12345678"})
    assert result.returncode == 3
    assert summary["verdict"] == "error" and summary["exit_code"] == 3 and summary["error"]
    assert "sk-some-key-12345678" not in json.dumps(summary)
    assert (tmp_path / "out" / "report.html").is_file()


def _pinned() -> str:
    from vapi_contract.contract.locate import contract_root

    return str(contract_root() / "contracts")
