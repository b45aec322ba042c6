"""Trends: history.jsonl lines carry the response-time figures; the report draws the last 30
runs against the same target as inline SVG charts and warns (never fails) on a p95 spike: more
than twice the baseline median and at least 250 ms above it, partial runs left out."""

from __future__ import annotations

import pytest

import json
import re

from report_helpers import Elements

from vapi_contract.report import history, trends, write_reports
from vapi_contract.runner.suite import run as run_suite
from vapi_contract.runner.config import resolve
from vapi_contract.runner.output.summary import build_summary


def summary_for(day: int, p95: float | None, target: str = "https://api.vapi.ai", failing: bool = False,
                only: str | None = None) -> dict:
    latency = None if p95 is None else {
        "overall": {"count": 20000, "p50": round(p95 / 3, 1), "p95": p95, "max": p95 * 4},
        "page1_limit1000": {"count": 40, "p50": 300.0, "p95": 420.0, "max": 900.0}}
    return {"version": 1, "verdict": "fail" if failing else "pass", "exit_code": int(failing), "target": target,
            "profile": "nightly", "seed": day, "requests": 1000 + day * 10, "duration_s": 3000.0,
            "started_at": f"2026-{10 + (day - 1) // 30}-{(day - 1) % 30 + 1:02d}T03:17:00+00:00",
            "contract": {"sha256": "ab" * 32}, "latency_ms": latency, "only": only,
            "violations": [{"check": "pagination.order", "area": "pagination", "message": "m", "request": "curl x"}]
            if failing else [], "drift": [], "coverage": {}}


def write_history(tmp_path, p95s: list[float | None], **kw) -> str:
    for day, p95 in enumerate(p95s, start=1):
        failing = day % 5 == 0 and day < len(p95s)  # the last run passes
        write_reports(summary_for(day, p95, failing=failing, **kw), tmp_path, str, strict=True)
    return (tmp_path / "report.html").read_text()


def chart(page: str, name: str) -> str:
    m = re.search(rf'<figure class="chart" id="chart-{name}">(.*?)</figure>', page, flags=re.S)
    assert m, f"chart {name} missing"
    return m.group(1)


def warnings_of(page: str) -> list[str]:
    return [Elements(m).visible_text() for m in re.findall(r'<p class="latency-warning".*?</p>', page, flags=re.S)]


BASELINE = [200.0, 210.0, 190.0, 205.0, 220.0, 180.0, 200.0]  # median 200


def test_a_p95_three_times_the_median_of_the_previous_seven_is_a_warning(tmp_path):
    page = write_history(tmp_path, [900.0, 1000.0, *BASELINE, 600.0])  # older runs are outside the seven
    found = warnings_of(page)
    assert len(found) == 1, found
    assert "p95 latency of all responses is 600 ms" in found[0]
    assert "median of the previous 7 full runs (200 ms) and at least 250 ms above it" in found[0]
    assert "not a failure" in found[0]
    assert re.search(r'<span class="verdict-badge" id="verdict">PASS</span>', page)  # a warning, not a failure
    spikes = re.findall(r'<circle class="p95-point p95-overall spike current"', chart(page, "p95"))
    assert len(spikes) == 1
    assert "over 2× the median of the 7 full runs before and 250 ms or more above it" in Elements(chart(page, "p95")).visible_text()


def test_no_warning_when_the_p95_is_within_twice_the_median(tmp_path):
    page = write_history(tmp_path, [*BASELINE, 390.0])  # 1.95 times the median
    assert warnings_of(page) == []
    assert "spike" not in chart(page, "p95")


def test_no_warning_without_enough_earlier_runs(tmp_path):
    assert warnings_of(write_history(tmp_path, [100.0, 100.0, 900.0])) == []  # two earlier runs only


def test_charts_hold_the_last_30_runs_of_the_same_target(tmp_path):
    for day in range(1, 36):
        write_reports(summary_for(day, 100.0 + day, failing=day % 5 == 0), tmp_path, str, strict=True)
        write_reports(summary_for(day, 5.0, target="https://staging.example.invalid"), tmp_path, str, strict=True)
    write_reports(summary_for(36, None), tmp_path, str, strict=True)  # a run that measured nothing
    page = (tmp_path / "report.html").read_text()
    verdicts = re.findall(r'<rect class="v v-(\w+)', chart(page, "verdict"))
    assert verdicts == ["fail" if d % 5 == 0 else "pass" for d in range(7, 37)]
    heights = [float(h) for h in re.findall(r'<rect class="bar-requests[^"]*"[^>]*height="([\d.]+)"', chart(page, "requests"))]
    assert len(heights) == 30 and heights == sorted(heights) and heights[-1] == trends.HEIGHT - trends.TOP
    p95 = chart(page, "p95")
    # days 7..35 have figures (36 has none); the staging target's runs are left out
    assert len(re.findall(r'<circle class="p95-point p95-overall', p95)) == 29
    assert "p95 all responses 135 ms" in p95 and "5.0 ms" not in p95
    assert re.search(r'<polyline class="p95-line p95-overall" points="([\d.]+,[\d.]+ ){28}[\d.]+,[\d.]+"/>', p95)
    assert len(re.findall(r"<svg ", page)) == 3


def test_charts_keep_the_page_self_contained(tmp_path):
    page = write_history(tmp_path, [*BASELINE, 600.0])
    svg = "".join(re.findall(r"<svg .*?</svg>", page, flags=re.S))
    assert svg and not re.search(r"(href|src)=|<script|<foreignObject|url\(", svg, flags=re.I)
    assert len(re.findall(r"<script", page)) == 1  # still the one hashed script


@pytest.mark.e2e
def test_history_lines_carry_latency_of_real_runs(tmp_path):
    for options in ({}, {"fault": "missing-required-field"}):
        config = resolve(None, "gate", 0, str(tmp_path), None, None, 1.0, environ={})
        summary = build_summary(run_suite(config, target_options=options), {})
        write_reports(summary, tmp_path, str, strict=True)
    lines = [json.loads(x) for x in (tmp_path / "history.jsonl").read_text().splitlines()]
    assert len(lines) == 2
    for line in lines:
        overall, page1 = line["latency_ms"]["overall"], line["latency_ms"]["page1_limit1000"]
        assert overall["count"] == line["counts"]["requests"] > 0
        assert page1["count"] > 0
        assert 0 < overall["p50"] <= overall["p95"] <= overall["max"]
    page = (tmp_path / "report.html").read_text()
    assert len(re.findall(r'<circle class="p95-point p95-overall', chart(page, "p95"))) == 2


def test_spike_needs_three_earlier_runs_with_figures():
    entries = [history.record(summary_for(d, p)) for d, p in enumerate([None, 100.0, None, 100.0, 100.0, 250.0], 1)]
    assert trends.spike(entries, 5) is None  # 2.5 times the median, but only 150 ms above it
    entries[5] = history.record(summary_for(6, 350.0))
    assert trends.spike(entries, 5) == {"p95": 350.0, "median": 100.0, "factor": 3.5, "runs": 5}
    assert trends.spike(entries, 4) is None  # two earlier runs with figures


def test_millisecond_noise_is_no_warning(tmp_path):
    """13.6 ms against a median of 5.7 ms is 2.4 times the baseline, and 8 ms: no warning."""
    page = write_history(tmp_path, [5.7, 5.2, 6.1, 5.7, 5.5, 6.0, 5.9, 13.6])
    assert warnings_of(page) == [] and "spike" not in chart(page, "p95")


def test_the_floor_is_250_ms_above_the_median():
    baseline = [history.record(summary_for(d, p)) for d, p in enumerate(BASELINE, 1)]  # median 200
    assert trends.spike([*baseline, history.record(summary_for(8, 449.0))], 7) is None  # 249 ms above
    assert trends.spike([*baseline, history.record(summary_for(8, 450.0))], 7) == {
        "p95": 450.0, "median": 200.0, "factor": 2.25, "runs": 7}


def test_partial_runs_are_neither_judged_nor_a_baseline(tmp_path):
    """--only runs answer fast (few, light requests): between full runs at 200 ms they would pull
    the median down and make the next full run at 460 ms a spike; they are left out."""
    for day, p95 in enumerate(BASELINE, start=1):
        write_reports(summary_for(day, p95), tmp_path, str, strict=True)
        write_reports(summary_for(day, 20.0, only="pagination.order"), tmp_path, str, strict=True)
    write_reports(summary_for(8, 5000.0, only="pagination.order"), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert warnings_of(page) == []  # a partial run is not judged, however slow
    write_reports(summary_for(9, 440.0), tmp_path, str, strict=True)  # 2.2 times the full runs' median, 240 ms above
    page = (tmp_path / "report.html").read_text()
    assert warnings_of(page) == []
    partial = re.findall(r'<rect class="v v-pass partial', chart(page, "verdict"))
    assert len(partial) == 8  # drawn, marked
    write_reports(summary_for(10, 700.0), tmp_path, str, strict=True)
    found = warnings_of((tmp_path / "report.html").read_text())
    assert len(found) == 1 and "median of the previous 7 full runs (205 ms)" in found[0]
