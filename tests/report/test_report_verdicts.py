"""One verdict per run, the same everywhere: report.html, junit.xml and the history line show
exactly summary["verdict"]; a verdict that is not green by itself (incomplete, interrupted,
error) is never green in a CI viewer."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
import xmlschema
from jsonschema import Draft202012Validator, FormatChecker
from report_helpers import XSD, Elements

from vapi_contract.report import write_reports

SCHEMA = json.loads((XSD.parents[3] / "schemas" / "run-summary.schema.json").read_text(encoding="utf-8"))
EXIT_CODES = {"pass": 0, "fail": 1, "incomplete": 4, "interrupted": 143, "error": 3}


def summary_of(verdict: str, complete: bool = True) -> dict:
    """A whole run summary with ``verdict``: two checks, one failing for ``fail``."""
    failing = verdict == "fail"
    return {
        "version": 1, "verdict": verdict, "complete": complete, "exit_code": EXIT_CODES[verdict],
        "target": "https://api.vapi.ai", "operation": "GET /campaign", "only": None, "profile": "nightly",
        "seed": 3, "started_at": "2026-11-20T03:17:00+00:00", "duration_s": 61.0, "requests": 40,
        "violations": [{"check": "pagination.order", "area": "pagination", "fingerprint": "0123456789ab", "locus": "createdAt DESC", "message": "out of order",
                        "request": "curl x", "occurrences": 1}] if failing else [],
        "coverage": {"pagination.order": "exercised", "auth.wrong-key": "exercised" if complete else "not-exercised"},
        "not_exercised": [] if complete else ["auth.wrong-key"],
        "checks": [{"id": "pagination.order", "area": "pagination", "rule": "r", "source": "s",
                    "status": "fail" if failing else "pass"},
                   {"id": "auth.wrong-key", "area": "auth", "rule": "r", "source": "s",
                    "status": "pass" if complete else "not-exercised"}],
        "notes": [], "drift": [], "latency_ms": None,
        "budget": {"max_requests": 40, "max_duration_s": None, "stages": [
            {"stage": "auth", "phase": "essential", "requests": 0, "seconds": 0.0, "granted": None,
             "outcome": "done" if complete else "run budget spent"}]},
        "error": {"error": "target unreachable: connection refused",
                  "interrupted": "interrupted by SIGTERM after 61 s"}.get(verdict),
    }


def outputs(summary: dict, tmp_path) -> tuple[str, ET.Element, dict]:
    write_reports(summary, tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    junit = (tmp_path / "junit.xml").read_text(encoding="utf-8")
    xmlschema.XMLSchema(str(XSD)).validate(junit)
    line = json.loads((tmp_path / "history.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    return page, ET.fromstring(junit), line


def badge(page: str) -> str:
    return re.search(r'<span class="verdict-badge" id="verdict">(\w+)</span>', page).group(1)


def run_case(root: ET.Element) -> ET.Element:
    (case,) = [c for c in root.iter("testcase") if c.get("classname") == "run"]
    return case


def verdict_property(root: ET.Element) -> str:
    return next(p.get("value") for p in root.iter("property") if p.get("name") == "verdict")


@pytest.mark.parametrize("verdict", list(EXIT_CODES))
def test_each_verdict_is_shown_as_the_summary_says(verdict, tmp_path):
    summary = summary_of(verdict)
    assert not list(Draft202012Validator(SCHEMA, format_checker=FormatChecker()).iter_errors(summary))
    page, root, line = outputs(summary, tmp_path)
    assert badge(page) == verdict.upper() and f'class="banner banner-{verdict}"' in page
    assert verdict_property(root) == verdict
    assert line["verdict"] == verdict
    case = run_case(root)
    if verdict in ("pass", "fail"):  # told by the checks' own testcases
        assert case.find("failure") is None and case.find("error") is None
        failing = [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]
        assert failing == (["pagination.order"] if verdict == "fail" else [])
    else:  # never green: the run's testcase fails (or errors), saying why
        outcome = case.find("error" if verdict == "error" else "failure")
        assert outcome is not None and outcome.get("type") == f"run-{verdict}"
        assert outcome.get("message").startswith(f"{verdict.upper()}: ")
        assert (summary["error"] or "the run could not check everything") in outcome.get("message")
        totals = root.find("testsuite")
        assert int(totals.get("errors" if verdict == "error" else "failures")) == 1


def test_a_passing_run_that_is_not_complete_is_a_pass_in_every_output(tmp_path):
    """The reproduction of issue 18 item 1: summary.json said pass (complete: false) while the
    report said INCOMPLETE and the history incomplete.  The run decides; the outputs repeat it,
    and say beside it that not every check was exercised."""
    page, root, line = outputs(summary_of("pass", complete=False), tmp_path)
    assert badge(page) == "PASS" and "INCOMPLETE" not in page
    assert "Not every check was exercised" in Elements(page).visible_text()
    assert verdict_property(root) == "pass" and line["verdict"] == "pass" and line["complete"] is False
    assert run_case(root).find("failure") is None
    assert [c.get("name") for c in root.iter("testcase") if c.find("skipped") is not None] == ["auth.wrong-key"]


def test_an_incomplete_run_says_what_did_not_run(tmp_path):
    summary = summary_of("incomplete", complete=False)
    summary["error"] = None
    _, root, _ = outputs(summary, tmp_path)
    failure = run_case(root).find("failure")
    assert failure.get("message") == ("INCOMPLETE: the run could not check everything; not exercised: auth.wrong-key; "
                                      "run budget spent: auth (essential)")


def test_an_unknown_verdict_is_shown_as_given_and_not_green(tmp_path):
    summary = summary_of("pass")
    summary["verdict"] = "maybe"
    write_reports(summary, tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    root = ET.fromstring((tmp_path / "junit.xml").read_text())
    assert badge(page) == "MAYBE" and 'class="banner banner-error"' in page
    assert verdict_property(root) == "maybe" and run_case(root).find("error") is not None


def test_a_fail_no_testcase_shows_fails_the_run_testcase(tmp_path):
    summary = summary_of("fail")
    summary["violations"], summary["checks"][0]["status"] = [], "pass"
    _, root, _ = outputs(summary, tmp_path)
    assert run_case(root).find("failure") is not None and root.find("testsuite").get("failures") == "1"


def test_the_summary_schema_knows_interrupted_runs_and_the_new_fields():
    validator = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
    summary = summary_of("interrupted")
    summary.update(only="pagination.order", operation="GET /v2/campaign", exit_code=130)
    assert not list(validator.iter_errors(summary))
    for field, bad in [("verdict", "stopped"), ("exit_code", 5), ("operation", "campaign"), ("only", 3)]:
        assert list(validator.iter_errors({**summary, field: bad})), field


def test_junit_names_the_operation(tmp_path):
    summary = summary_of("pass")
    summary["operation"] = "GET /v2/campaign"
    _, root, _ = outputs(summary, tmp_path)
    assert root.find("testsuite").get("name") == "vapi-contract GET /v2/campaign · nightly · https://api.vapi.ai"
    page = (tmp_path / "report.html").read_text()
    assert '<span id="operation">GET /v2/campaign</span>' in page
