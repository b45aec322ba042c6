"""report.html: escaping, self-containment, every verdict, coverage matrix, drift and spec diff."""

from __future__ import annotations

import base64
import copy
import hashlib
import re

import pytest
from report_helpers import XSS, Elements, run_suite

from vapi_contract.http import Redactor
from vapi_contract.invariants import CHECKS
from vapi_contract.report import write_reports
from vapi_contract.reference.server import running_target

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def render(summary: dict, tmp_path) -> str:
    write_reports(summary, tmp_path, Redactor().scrub, strict=True)
    return (tmp_path / "report.html").read_text(encoding="utf-8")


def poisoned(summary: dict) -> dict:
    """``summary`` with the XSS payload in every field that can carry API or user text."""
    s = copy.deepcopy(summary)
    s["target"] = f"https://example.invalid/{XSS}"
    s["notes"] = [f"note {XSS}"]
    s["violations"][0].update(message=f"name {XSS} fails", actual={"name": XSS}, expected=XSS,
                              pointer=f"/results/0/{XSS}", request=f"curl '{XSS}'", rerun=f"vapi-contract {XSS}")
    s["drift"].append({"pointer": f"/results/*/{XSS}", "change": "enum-widened", "breaking": True,
                       "example": XSS, "responses": 1, "message": XSS, "note": XSS})
    s["spec_diff"] = {"old": XSS, "new": XSS, "breaking": 1,
                      "changes": [{"pointer": XSS, "schema": XSS, "change": XSS, "breaking": True, "message": XSS}]}
    s["coverage_matrix"] = {"columns": ["shape", XSS], "rows": [{"name": XSS, "kind": XSS, "cells": {XSS: True}}]}
    s["checks"] = [{"id": f"shape.{XSS}", "area": "shape", "rule": XSS, "source": XSS, "status": "fail"}]
    return s


def test_api_text_is_escaped_everywhere(failing_run, tmp_path):
    page = render(poisoned(failing_run.summary), tmp_path)
    assert "<script>alert" not in page.lower()
    assert page.count(ESCAPED) >= 15
    # the only script element is the report's own
    assert len(re.findall(r"<script\b", page, flags=re.I)) == 1
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", page, flags=re.I), "an inline event handler slipped in"


@pytest.mark.e2e
def test_campaign_named_script_served_by_the_target_renders_as_text(tmp_path):
    """End to end: the target serves campaigns named <script>…; the violation excerpt quotes one."""
    with running_target(fault="missing-required-field") as target:
        with target.store.lock:
            target.store.conn.execute("UPDATE campaign SET body = json_set(body, '$.name', ?)", (XSS,))
        run = run_suite(tmp_path / "out", target.base_url, target.api_key)
    assert run.exit_code == 1
    assert XSS in (tmp_path / "out" / "summary.json").read_text()  # the payload reached the report
    page = run.html
    assert "<script>alert" not in page
    assert ESCAPED in page or "&lt;script&gt;alert(1)" in page
    assert XSS in Elements(page).visible_text()


def test_report_is_self_contained(failing_run):
    page = failing_run.html
    elements = Elements(page)
    for tag, attrs in elements.tags:
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "ftp:")), (tag, name, value)
        assert not (tag == "link" and "stylesheet" in (attrs.get("rel") or "")), attrs
        assert not (tag == "script" and attrs.get("src")), attrs
        if tag in ("a",) and attrs.get("href"):
            assert attrs["href"].startswith("#"), attrs  # only in-page anchors
    css = "".join(elements.raw["style"])
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    assert not re.search(r"https?://(?!127\.0\.0\.1)", "".join(elements.raw["script"]))


def test_content_security_policy_allows_exactly_the_inline_script(failing_run):
    elements = Elements(failing_run.html)
    csp = next(attrs["content"] for tag, attrs in elements.tags
               if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    (script,) = elements.raw["script"]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp


@pytest.mark.parametrize("verdict, headline", [("error", "The run could not complete"),
                                               ("incomplete", "The run is incomplete"),
                                               ("interrupted", "The run was interrupted")])
def test_runs_that_checked_nothing_render(tmp_path, verdict, headline):
    """A run that stopped before any check ran: every check of the pin is listed, none passes."""
    summary = {"version": 1, "verdict": verdict, "complete": False,
               "exit_code": {"error": 3, "incomplete": 4, "interrupted": 143}[verdict],
               "target": "https://api.vapi.ai", "profile": "nightly", "seed": 7,
               "error": "target unreachable: connection refused" if verdict == "error" else None,
               "notes": ["request budget of 600 exhausted: the remaining scenarios did not run"]}
    page = render(summary, tmp_path)
    text = Elements(page).visible_text()
    assert verdict.upper() in text and headline in text
    assert f'class="banner banner-{verdict}"' in page
    if verdict == "error":
        assert "target unreachable: connection refused" in text
    assert "request budget of 600 exhausted" in text
    for check_id, check in CHECKS.items():  # nothing ran: every check of the pin is listed, none passes
        assert (check_id in text) == (not check.requires)  # surface checks: only when the run had them
    assert "class=\"pill pill-pass\"" not in page


def test_checks_and_their_status_come_from_the_summary_when_given(passing_run, tmp_path):
    summary = copy.deepcopy(passing_run.summary)
    summary["checks"] = [{"id": c.id, "area": c.area, "rule": f"RULE {c.id}", "source": f"DOC {c.id}",
                          "status": "not-exercised" if c.area == "tenancy" else "pass"} for c in CHECKS.values()]
    page = render(summary, tmp_path)
    text = Elements(page).visible_text()
    assert "RULE auth.wrong-key" in text and "DOC auth.wrong-key" in text
    assert 'class="check st-not-exercised" id="check-tenancy.single-org"' in page


def test_without_a_check_list_status_comes_from_coverage(passing_run, tmp_path):
    summary = copy.deepcopy(passing_run.summary)
    summary.pop("checks", None)
    summary["coverage"]["auth.missing-key"] = "not-exercised"
    page = render(summary, tmp_path)
    assert 'class="check st-not-exercised" id="check-auth.missing-key"' in page
    assert 'class="check st-pass" id="check-auth.wrong-key"' in page


def test_areas_appear_in_order(failing_run):
    page = failing_run.html
    positions = [page.index(f'id="area-{a}"') for a in
                 ("shape", "pagination", "filters", "validation", "auth", "tenancy", "reliability", "drift")]
    assert positions == sorted(positions)
    assert page.index('id="area-drift"') < page.index('id="coverage"')


def test_breaking_drift_comes_first(failing_run, tmp_path):
    summary = copy.deepcopy(failing_run.summary)
    summary["drift"].insert(0, {"pointer": "/results/*/maxConcurrency", "change": "property-added",
                                "breaking": False, "example": 5, "responses": 3,
                                "message": "undeclared property /results/*/maxConcurrency"})
    page = render(summary, tmp_path)
    drift = page[page.index('id="area-drift"'):page.index('id="coverage"')]
    rows = re.findall(r'<tr class="(breaking|additive)">', drift)
    assert rows == ["breaking"] * (len(rows) - 1) + ["additive"] and len(rows) == len(summary["drift"])
    assert "undeclared property /results/*/maxConcurrency" in drift


def test_spec_diff_section(passing_run, tmp_path):
    summary = copy.deepcopy(passing_run.summary)
    assert 'id="spec-diff"' not in render(summary, tmp_path)
    summary["spec_diff"] = {"old": "contracts/campaign-list.openapi.json", "new": "https://api.vapi.ai/api-json",
                            "breaking": 1, "changes": [
                                {"pointer": "/components/schemas/Campaign/properties/x", "schema": "Campaign",
                                 "change": "property-added", "breaking": False, "message": "x added"},
                                {"pointer": "/components/schemas/Campaign/required", "schema": "Campaign",
                                 "change": "required-added", "breaking": True, "message": "y now required"}]}
    page = render(summary, tmp_path)
    section = page[page.index('id="spec-diff"'):]
    assert "1 breaking" in section and section.index("y now required") < section.index("x added")


def test_coverage_matrix_from_the_summary(passing_run, tmp_path):
    summary = copy.deepcopy(passing_run.summary)
    summary["coverage_matrix"] = {"columns": ["shape", "pagination", "filters", "validation"], "rows": [
        {"name": "page", "kind": "parameter", "cells": {"shape": True, "pagination": False, "filters": None, "validation": True}},
        {"name": "totalItems", "kind": "metadata", "cells": {"shape": True, "pagination": True, "filters": True, "validation": None}},
    ]}
    page = render(summary, tmp_path)
    matrix = page[page.index('id="coverage"'):]
    assert "derived from the checks" not in matrix
    body = matrix[matrix.index("<tbody>"):]
    assert re.findall(r'<td class="cell-(yes|no|na)"', body) == ["yes", "no", "na", "yes", "yes", "yes", "yes", "na"]
    assert "query parameters" in body and "response metadata" in body


def test_coverage_matrix_is_the_runs_own(passing_run, tmp_path):
    """The report shows the run's matrix as the summary gives it (it never recomputes one)."""
    summary = copy.deepcopy(passing_run.summary)
    rows = summary["coverage_matrix"]["rows"]
    assert rows, "the run's matrix has rows"
    limit = next(r for r in rows if r["name"] == "limit")
    limit["cells"] = {"shape": True, "pagination": False, "filters": None, "validation": True}
    page = render(summary, tmp_path)
    matrix = page[page.index('id="coverage"'):]
    for row in rows:
        assert f"<code>{row['name']}</code>" in matrix
    row = matrix[matrix.index("<code>limit</code>"):]
    row = row[:row.index("</tr>")]
    assert re.findall(r'<td class="cell-(yes|no|na)"', row) == ["yes", "no", "na", "yes"]
    summary["coverage_matrix"] = None  # a run that was not carried out has none
    assert "<code>limit</code>" not in render(summary, tmp_path)


def test_drift_area_passes_when_bodies_were_compared_and_nothing_drifted():
    from vapi_contract.report import view

    def drift_status(summary):
        return next(a["status"] for a in view.areas(summary) if a["id"] == "drift")

    assert drift_status({"status_histogram": {"200": 3}, "drift": []}) == "pass"
    assert drift_status({"status_histogram": {"401": 1}, "drift": []}) == "not-exercised"  # no body compared
    assert drift_status({"status_histogram": {"200": 3}, "drift": [
        {"pointer": "/results/*/status", "change": "enum-widened", "breaking": True}]}) == "fail"
