"""Every run writes report.html, junit.xml and a history line beside summary.json."""

from __future__ import annotations

import json

import pytest

from markupsafe import escape

from report_helpers import Elements

from vapi_contract.contract.reading import Contract
from vapi_contract.contract.locate import contract_root
from vapi_contract.invariants import applicable

PINNED_CHECKS = list(applicable(Contract.load(contract_root()).endpoint("GET /campaign")).values())


def test_passing_run_writes_all_reports(passing_run):
    assert passing_run.exit_code == 0
    for name in ("summary.json", "report.html", "junit.xml", "history.jsonl"):
        assert (passing_run.path / name).is_file(), name
    page = Elements(passing_run.html)
    text = page.visible_text()
    assert "PASS" in text and "The contract holds" in text
    summary = passing_run.summary
    assert summary["contract"]["sha256"][:16] in text
    assert f"{summary['requests']} requests" in text
    for check in PINNED_CHECKS:
        assert check.id in text
        assert " ".join(check.rule.split()) in text
    # every check passed: no failure blocks, no open check
    assert not any(tag == "details" and "open" in attrs and "check" in (attrs.get("class") or "")
                   for tag, attrs in page.tags)
    lines = (passing_run.path / "history.jsonl").read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["verdict"] == "pass"


def test_failing_run_reports_every_failure_field(failing_run):
    assert failing_run.exit_code == 1
    summary = failing_run.summary
    assert summary["verdict"] == "fail" and summary["violations"] and summary["drift"]
    text = Elements(failing_run.html).visible_text()
    assert "FAIL" in text and "The contract is violated" in text
    first = summary["violations"][0]
    for field in ("pointer", "request", "rerun"):
        assert " ".join(first[field].split()) in text, field
    assert first["message"] == "'callsCounterEndedVoicemail' is a required property"  # the validator's words
    assert '"callsCounterEndedVoicemail" is a required property' in text  # shown in JSON spelling
    assert "$VAPI_API_KEY" in first["request"] and "$VAPI_API_KEY" in text
    assert "Expected" in text and "Actual" in text and "Replay the request" in text
    assert f"{first['occurrences']} times" in text
    for entry in summary["drift"]:
        assert entry["pointer"] in text and entry["change"] in text
    assert "breaking" in text


def test_failing_checks_are_open_without_javascript(failing_run):
    failing = {v["check"] for v in failing_run.summary["violations"]}
    page = Elements(failing_run.html)
    opened = {attrs["id"].removeprefix("check-") for tag, attrs in page.tags
              if tag == "details" and "open" in attrs and attrs.get("id", "").startswith("check-")}
    assert opened == failing


def test_report_escapes_request_lines_as_html(failing_run):
    """The curl lines carry quotes: in the page source they are escaped, in the text they are exact."""
    request = failing_run.summary["violations"][0]["request"]
    assert str(escape(request)) in failing_run.html
    assert request not in failing_run.html  # the raw quotes never reach the markup


def test_junit_of_a_real_run(failing_run, passing_run):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(failing_run.junit)
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == 1 + len(PINNED_CHECKS) + len(failing_run.summary["drift"])  # 1: the run's verdict
    failing = {v["check"] for v in failing_run.summary["violations"]}
    failed_cases = {c.get("name") for c in cases if c.find("failure") is not None and c.get("classname") != "drift"}
    assert failed_cases == failing
    assert int(suite.get("failures")) == len(failing) + sum(d["breaking"] for d in failing_run.summary["drift"])
    passing = ET.fromstring(passing_run.junit)
    assert passing.get("failures") == "0" and passing.get("tests") == str(len(PINNED_CHECKS) + 1)


@pytest.mark.e2e
def test_unreachable_target_still_leaves_an_error_report(tmp_path):
    """Exit 3: the run never checked anything, and the report says why (verdict error)."""
    import socket

    import pytest
    from report_helpers import run_suite

    from vapi_contract.errors import TargetUnreachable

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(TargetUnreachable) as caught:
        run_suite(tmp_path, f"http://127.0.0.1:{port}", "sk-unused-key-1234")
    text = Elements((tmp_path / "report.html").read_text(encoding="utf-8")).visible_text()
    assert "ERROR" in text and "The run could not complete" in text
    assert " ".join(caught.value.message.split()) in text
    line = json.loads((tmp_path / "history.jsonl").read_text().splitlines()[-1])
    # what was really sent: the first attempt and its retries (requests count attempts on the
    # wire, as in every run), none answered
    assert line["verdict"] == "error" and line["counts"]["requests"] == 4
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["requests"] == 4 and summary["status_histogram"] == {}
    assert 'errors="1"' in (tmp_path / "junit.xml").read_text()
