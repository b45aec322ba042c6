"""junit.xml validates against the Jenkins xUnit plugin's junit-10.xsd and says what failed."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest
import xmlschema
from report_helpers import XSD, XSS

from vapi_contract.http import Redactor
from vapi_contract.invariants import CHECKS, applicable
from vapi_contract.report import write_reports
from vapi_contract.report.values import json_spelling


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(XSD))


def junit_of(summary: dict, tmp_path) -> str:
    write_reports(summary, tmp_path, Redactor().scrub, strict=True)
    return (tmp_path / "junit.xml").read_text(encoding="utf-8")


def test_schema_rejects_what_it_should(schema):
    """The checked-in XSD is the real thing: it rejects a testsuite without its required counts."""
    assert not schema.is_valid('<testsuites><testsuite name="x"/></testsuites>')
    assert schema.is_valid('<testsuites><testsuite name="x" tests="0" failures="0" errors="0"/></testsuites>')


def test_real_runs_validate(schema, passing_run, failing_run):
    for run in (passing_run, failing_run):
        schema.validate(run.junit)


def test_failures_carry_message_and_curl_line(failing_run):
    root = ET.fromstring(failing_run.junit)
    summary = failing_run.summary
    by_check = {}
    for v in summary["violations"]:
        by_check.setdefault(v["check"], v)
    cases = [c for c in root.iter("testcase") if c.get("classname") not in ("drift", "spec-diff", "run")]
    assert cases and by_check, "the failing run has check testcases and violations"
    for case in cases:
        assert case.get("name") in CHECKS
        assert case.get("classname") == CHECKS[case.get("name")].area
        failure = case.find("failure")
        if case.get("name") in by_check:
            first = by_check[case.get("name")]
            assert failure is not None and failure.get("message").startswith(json_spelling(first["message"]))
            assert first["request"] in failure.text and first["rerun"] in failure.text
        else:
            assert failure is None


def test_drift_testcases_fail_only_when_breaking(schema, failing_run, tmp_path):
    summary = copy.deepcopy(failing_run.summary)
    summary["drift"].append({"pointer": "/metadata/totalPages", "change": "property-added", "breaking": False,
                             "example": 3, "responses": 9, "message": "undeclared property /metadata/totalPages"})
    text = junit_of(summary, tmp_path)
    schema.validate(text)
    drift = {c.get("name"): c for c in ET.fromstring(text).iter("testcase") if c.get("classname") == "drift"}
    assert len(drift) == len(summary["drift"])
    assert drift["property-added /metadata/totalPages"].find("failure") is None
    breaking = [c for c in drift.values() if c.find("failure") is not None]
    assert len(breaking) == sum(d["breaking"] for d in summary["drift"])


def test_not_exercised_checks_are_skipped_and_counted(schema, passing_run, tmp_path, endpoint):
    summary = copy.deepcopy(passing_run.summary)
    summary["checks"] = [dict(c, status="not-exercised") if c["area"] == "auth" else c for c in summary["checks"]]
    text = junit_of(summary, tmp_path)
    schema.validate(text)
    root = ET.fromstring(text)
    suite = root.find("testsuite")
    skipped = [c.get("name") for c in root.iter("testcase") if c.find("skipped") is not None]
    assert sorted(skipped) == ["auth.missing-key", "auth.wrong-key"]
    assert suite.get("skipped") == "2" and suite.get("failures") == "0"
    assert root.get("tests") == suite.get("tests") == str(len(summary["checks"]) + 1)  # and the run's verdict
    assert len(summary["checks"]) == len(applicable(endpoint))  # the pin's checks: no surface check


def test_error_run_is_an_error_testcase(schema, tmp_path):
    summary = {"version": 1, "verdict": "error", "exit_code": 2, "target": "https://api.vapi.ai",
               "profile": "gate", "seed": 0, "duration_s": 0.4, "checks": [], "coverage_matrix": None,
               "error": "the target rejected the key (401) on a well-formed request: check VAPI_API_KEY"}
    text = junit_of(summary, tmp_path)
    schema.validate(text)
    root = ET.fromstring(text)
    (error,) = root.iter("error")
    assert "rejected the key" in error.get("message")
    assert root.get("errors") == "1"
    (case,) = [c for c in root.iter("testcase") if c.find("error") is not None]
    assert (case.get("classname"), case.get("name")) == ("run", "verdict")


def test_spec_diff_changes_are_testcases(schema, passing_run, tmp_path):
    summary = copy.deepcopy(passing_run.summary)
    summary["spec_diff"] = {"old": "a.json", "new": "b.json", "breaking": 1, "changes": [
        {"pointer": "/p/1", "schema": None, "change": "request-parameter-removed", "breaking": True, "level": "breaking",
         "message": "query parameter 'page' removed", "why": "clients sending it get 400"},
        {"pointer": "/p/2", "schema": "XaiModel", "change": "response-property-enum-value-added", "breaking": False,
         "level": "warning", "message": "enum value added", "why": "strict clients"}]}
    text = junit_of(summary, tmp_path)
    schema.validate(text)
    cases = {c.get("name"): c for c in ET.fromstring(text).iter("testcase") if c.get("classname") == "spec-diff"}
    assert cases["request-parameter-removed /p/1"].find("failure") is not None
    assert cases["response-property-enum-value-added /p/2"].find("failure") is None


def test_hostile_text_stays_well_formed(schema, failing_run, tmp_path):
    summary = copy.deepcopy(failing_run.summary)
    summary["violations"][0]["message"] = f"{XSS} ]]> & \x00\x07 \"quoted\" 'single'"
    summary["violations"][0]["actual"] = "\x1b[31m" + XSS
    summary["target"] = f"http://h/{XSS}"
    text = junit_of(summary, tmp_path)
    schema.validate(text)
    root = ET.fromstring(text)
    failure = next(c.find("failure") for c in root.iter("testcase") if c.get("name") == summary["violations"][0]["check"])
    assert failure.get("message").startswith(f"{XSS} ]]> & ")
    assert "<script>" not in text  # escaped in the serialised document


def test_testcase_names_never_repeat(schema, passing_run, tmp_path):
    """Two enum values added at one pointer (the real 2026-04-11 -> 04-14 diff) and two drift
    entries at one pointer: each is its own testcase, named by its value."""
    summary = copy.deepcopy(passing_run.summary)
    enum_added = {"pointer": "/components/schemas/XaiModel/properties/model", "schema": "XaiModel",
                  "change": "response-property-enum-value-added", "breaking": False, "level": "warning",
                  "message": "enum value added", "why": "strict clients"}
    summary["spec_diff"] = {"old": "a.json", "new": "b.json", "breaking": 0, "changes": [
        {**enum_added, "value": "grok-4.20-0309-non-reasoning"}, {**enum_added, "value": "grok-4.20-0309-reasoning"},
        {**enum_added, "pointer": "/other", "value": "x"}]}
    summary["drift"] = [{"change": "property-added", "pointer": "/results/*/x", "breaking": False, "example": 1,
                         "message": "added"}] * 2
    text = junit_of(summary, tmp_path)
    schema.validate(text)
    keys = [(c.get("classname"), c.get("name")) for c in ET.fromstring(text).iter("testcase")]
    assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
    names = {name for cls, name in keys if cls == "spec-diff"}
    assert 'response-property-enum-value-added /components/schemas/XaiModel/properties/model ["grok-4.20-0309-reasoning"]' in names
    assert "response-property-enum-value-added /other" in names  # a name no other entry shares stays as it was
    assert {name for cls, name in keys if cls == "drift"} == {"property-added /results/*/x [1] #1",
                                                              "property-added /results/*/x [1] #2"}
