"""A published document that could not be read (issue 18, item 3) is said in the spec section of
report.html and as a skipped spec-diff testcase of junit.xml: never silent, never green-by-absence,
and never a failure of the contract."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator, FormatChecker
from report_helpers import Elements
from test_report_verdicts import SCHEMA, outputs, summary_of

from vapi_contract.runner.output.console import console

WHY = "cannot fetch https://api.vapi.ai/api-json: ConnectTimeout: timed out"


def unreadable_summary() -> dict:
    summary = summary_of("pass")
    summary["spec_diff"] = {"old": "contracts/campaign-list.openapi.json", "new": "https://api.vapi.ai/api-json",
                            "operation": "GET /campaign", "breaking": 0, "changes": [], "defects": [],
                            "unreadable": WHY}
    return summary


def test_the_schema_takes_an_unreadable_spec():
    validator = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
    summary = unreadable_summary()
    assert not list(validator.iter_errors(summary))
    assert list(validator.iter_errors({**summary, "spec_diff": {**summary["spec_diff"], "unreadable": 3}}))


def test_report_and_junit_say_the_published_spec_could_not_be_read(tmp_path):
    page, root, line = outputs(unreadable_summary(), tmp_path)
    text = Elements(page).visible_text()
    assert f"could not be read: {WHY}" in text
    cases = [c for c in root.iter("testcase") if c.get("classname") == "spec-diff"]
    assert len(cases) == 1 and cases[0].find("failure") is None
    assert cases[0].find("skipped").get("message") == f"https://api.vapi.ai/api-json could not be read: {WHY}"
    assert root.find("testsuite").get("failures") == "0" and line["verdict"] == "pass"


def test_the_console_says_it_too():
    summary = json.loads(json.dumps(unreadable_summary()))
    text = console(summary)
    assert f"  [spec] could not be read: {WHY}" in text.splitlines()
