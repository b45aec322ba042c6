"""history.jsonl: one line per run; the report's strip and "changed since the previous run"."""

from __future__ import annotations

import pytest

import json
import re

from report_helpers import Elements

from vapi_contract.http import Redactor
from vapi_contract.report import history, write_reports
from vapi_contract.runner.suite import run as run_suite
from vapi_contract.runner.config import resolve
from vapi_contract.runner.output.summary import build_summary


def strip_of(page: str) -> list[str]:
    """The verdicts of the history strip's cells, oldest first."""
    return re.findall(r'<li class="run run-(\w+)', page)


def changes_of(page: str) -> tuple[set[str], set[str]]:
    def ids(klass):
        m = re.search(rf'<p class="{klass}">(.*?)</p>', page, flags=re.S)
        return set(re.findall(r"<code>(.*?)</code>", m.group(1))) if m else set()

    return ids("new-failures"), ids("fixed-failures")


def summary_for(day: int, failing: list[str], target: str = "https://api.vapi.ai") -> dict:
    return {"version": 1, "verdict": "fail" if failing else "pass", "exit_code": 1 if failing else 0,
            "target": target, "profile": "nightly", "seed": day, "requests": 100 + day, "duration_s": 12.5,
            "started_at": f"2026-11-{day:02d}T02:00:00+00:00", "contract": {"sha256": "ab" * 32},
            "violations": [{"check": c, "area": c.split(".")[0], "message": f"{c} broke", "request": "curl x"}
                           for c in failing],
            "drift": [], "coverage": {}}


@pytest.mark.e2e
def test_three_real_runs_append_and_compare(tmp_path):
    """Pass, then a shape fault, then an auth fault, against the embedded target: three lines,
    a strip of three, and the auth check new while the shape check is fixed."""
    env = {}
    summaries = []
    for options in ({}, {"fault": "missing-required-field"}, {"fault": "unknown-key-accepted"}):
        config = resolve(None, "gate", 0, str(tmp_path), None, None, 1.0, environ=env)
        summary = build_summary(run_suite(config, target_options=options), {"sha256": "c0ffee"})
        write_reports(summary, tmp_path, Redactor().scrub, strict=True)
        summaries.append(summary)
    lines = [json.loads(x) for x in (tmp_path / "history.jsonl").read_text().splitlines()]
    assert [x["verdict"] for x in lines] == ["pass", "fail", "fail"]
    assert lines[1]["counts"]["violations"] == len(summaries[1]["violations"]) > 0
    assert lines[0]["contract_sha256"] == "c0ffee" and lines[0]["seed"] == 0 and lines[0]["profile"] == "gate"
    assert "shape.body-schema" in lines[1]["failing_checks"]
    assert "auth.wrong-key" in lines[2]["failing_checks"]
    page = (tmp_path / "report.html").read_text()
    assert strip_of(page) == ["pass", "fail", "fail"]
    new, fixed = changes_of(page)
    assert "auth.wrong-key" in new and "shape.body-schema" in fixed
    assert new == set(lines[2]["failing_checks"]) - set(lines[1]["failing_checks"])
    assert fixed == set(lines[1]["failing_checks"]) - set(lines[2]["failing_checks"])


def test_strip_holds_the_last_14_runs_of_the_same_target(tmp_path):
    for day in range(1, 18):
        write_reports(summary_for(day, ["filters.membership"] if day % 3 == 0 else []), tmp_path, str, strict=True)
        write_reports(summary_for(day, ["auth.wrong-key"], target="https://staging.example.invalid"), tmp_path, str,
                      strict=True)
    write_reports(summary_for(18, ["pagination.order"]), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    cells = strip_of(page)
    assert len(cells) == 14
    expected = ["fail" if d % 3 == 0 else "pass" for d in range(5, 18)] + ["fail"]
    assert cells == expected  # days 5..18 of this target only, the staging runs left out
    strip_text = Elements(re.search(r'<ol class="strip".*?</ol>', page, flags=re.S).group(0)).visible_text()
    assert "11-18" in strip_text and "11-04" not in strip_text  # (the trend charts show 30 runs: 11-04 is there)
    new, fixed = changes_of(page)
    assert new == {"pagination.order"} and fixed == set()  # day 17 passed


def test_fixed_failures_and_no_change(tmp_path):
    write_reports(summary_for(1, ["filters.membership", "pagination.order"]), tmp_path, str, strict=True)
    write_reports(summary_for(2, ["pagination.order"]), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert changes_of(page) == (set(), {"filters.membership"})
    write_reports(summary_for(3, ["pagination.order"]), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert changes_of(page) == (set(), set()) and "No change in failing checks." in page


def test_first_run_has_no_previous(tmp_path):
    write_reports(summary_for(1, ["pagination.order"]), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert strip_of(page) == ["fail"] and changes_of(page) == (set(), set())
    assert "No previous run against this target is recorded." in page


def test_incomplete_runs_are_recorded_as_such(tmp_path):
    s = summary_for(1, [])
    s["complete"] = False
    write_reports(s, tmp_path, str, strict=True)
    (line,) = history.load(tmp_path / "history.jsonl")
    assert line["verdict"] == "incomplete" and line["complete"] is False
    assert strip_of((tmp_path / "report.html").read_text()) == ["incomplete"]


def test_breaking_drift_counts_as_a_failure_to_compare():
    s = summary_for(1, [])
    s["drift"] = [{"pointer": "/results/*/status", "change": "enum-widened", "breaking": True},
                  {"pointer": "/results/*/x", "change": "property-added", "breaking": False}]
    entry = history.record(s)
    assert entry["failing_checks"] == ["drift:/results/*/status"]
    assert entry["counts"] == {"violations": 0, "requests": 101, "drift": 2, "breaking_drift": 1,
                               "breaking_spec_changes": 0}


def test_torn_lines_are_skipped_and_history_path_can_be_elsewhere(tmp_path):
    path = tmp_path / "state" / "history.jsonl"
    path.parent.mkdir()
    path.write_text('{"verdict": "pass", "target": "https://api.vapi.ai", "started_at": "2026-11-01T02:00:00+00:00"}\n'
                    '{"verdict": "fa\n'
                    '[1, 2]\n')
    written = write_reports(summary_for(2, []), tmp_path / "out", str, history_path=path, strict=True)
    assert path in written and not (tmp_path / "out" / "history.jsonl").exists()
    assert strip_of((tmp_path / "out" / "report.html").read_text()) == ["pass", "pass"]
    assert len(history.load(path)) == 2


def test_embedded_runs_share_one_target_key():
    assert history.target_key("http://127.0.0.1:4100 (embedded reference target)") == \
        history.target_key("http://127.0.0.1:5200 (embedded reference target)") == \
        history.target_key("embedded reference target")
    assert history.target_key("https://api.vapi.ai/") == history.target_key("https://API.vapi.ai")
    assert history.target_key("https://api.vapi.ai") != history.target_key("https://staging.vapi.ai")
