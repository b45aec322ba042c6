"""history.jsonl: one line per run; the report's strip and "changed since the previous run";
lines that lost their newline or were torn; partial (--only) runs; series by target and operation."""

from __future__ import annotations

import pytest

import json
import re

from report_helpers import Elements

from vapi_contract.http import Redactor
from vapi_contract.invariants import fingerprint
from vapi_contract.report import history, write_reports
from vapi_contract.runner.suite import run as run_suite
from vapi_contract.runner.config import resolve
from vapi_contract.runner.output.summary import build_summary


def strip_of(page: str) -> list[str]:
    """The verdicts of the history strip's cells, oldest first."""
    return re.findall(r'<li class="run run-(\w+)', page)


def partial_cells(page: str) -> list[bool]:
    """For each cell of the strip, oldest first: is it marked as a partial run?"""
    return ["run-partial" in klass for klass in re.findall(r'<li class="(run run-[^"]*)"', page)]


def previous_of(page: str) -> str | None:
    """The "previous: DATE (VERDICT)" line of "Changed since the previous full run"."""
    m = re.search(r"previous: ([^<]*)</p>", page)
    return m.group(1).strip() if m else None


def changes_of(page: str, labels: bool = False) -> tuple[set[str], set[str]]:
    """The report's new and fixed failures: the failing checks (``labels``: as shown, check: locus)."""
    def ids(klass):
        m = re.search(rf'<p class="{klass}">(.*?)</p>', page, flags=re.S)
        shown = set(re.findall(r"<code>(.*?)</code>", m.group(1))) if m else set()
        return shown if labels else {s.split(": ", 1)[0] for s in shown}

    return ids("new-failures"), ids("fixed-failures")


def summary_for(day: int, failing: list, target: str = "https://api.vapi.ai", **extra) -> dict:
    """A summary whose findings are ``failing``: check ids, or (check, locus) pairs."""
    found = [(f, "as found") if isinstance(f, str) else f for f in failing]
    return {"version": 1, "verdict": "fail" if failing else "pass", "exit_code": 1 if failing else 0,
            **extra, "target": target, "profile": "nightly", "seed": day, "requests": 100 + day, "duration_s": 12.5,
            "started_at": f"2026-11-{day:02d}T02:00:00+00:00", "contract": {"sha256": "ab" * 32},
            "violations": [{"check": c, "area": c.split(".")[0], "message": f"{c} broke", "request": "curl x",
                            "locus": locus, "fingerprint": fingerprint("GET /campaign", c, locus)} for c, locus in found],
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


def test_new_and_fixed_compare_fingerprints_not_check_ids(tmp_path):
    """The same check failing on two nights for two faults (two loci): one is fixed, one is new."""
    write_reports(summary_for(1, [("filters.membership", "status=ended"), ("pagination.order", "createdAt DESC")]),
                  tmp_path, str, strict=True)
    write_reports(summary_for(2, [("filters.membership", "id"), ("pagination.order", "createdAt DESC")]),
                  tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert changes_of(page, labels=True) == ({"filters.membership: id"}, {"filters.membership: status=ended"})
    lines = [json.loads(x) for x in (tmp_path / "history.jsonl").read_text().splitlines()]
    assert [f["locus"] for f in lines[1]["failing"]] == ["id", "createdAt DESC"]


def test_a_line_without_fingerprints_is_compared_by_check_id(tmp_path):
    """A history line an older version wrote (no fingerprints) is compared by check id: nothing
    is reported new or fixed only because the way of naming changed."""
    old = summary_for(1, ["pagination.order"])
    for v in old["violations"]:
        del v["fingerprint"], v["locus"]
    write_reports(old, tmp_path, str, strict=True)
    write_reports(summary_for(2, ["pagination.order", "auth.wrong-key"]), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert changes_of(page, labels=True) == ({"auth.wrong-key"}, set())


def test_first_run_has_no_previous(tmp_path):
    write_reports(summary_for(1, ["pagination.order"]), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert strip_of(page) == ["fail"] and changes_of(page) == (set(), set())
    assert "No previous full run against this target is recorded." in page


def test_breaking_drift_counts_as_a_failure_to_compare():
    s = summary_for(1, [])
    s["drift"] = [{"pointer": "/results/*/status", "change": "enum-widened", "breaking": True},
                  {"pointer": "/results/*/x", "change": "property-added", "breaking": False}]
    entry = history.record(s)
    assert entry["failing_checks"] == ["drift:/results/*/status"]
    assert entry["counts"] == {"violations": 0, "requests": 101, "drift": 2, "breaking_drift": 1,
                               "breaking_spec_changes": 0}


def test_torn_lines_are_skipped_and_history_path_can_be_elsewhere(tmp_path, capsys):
    path = tmp_path / "state" / "history.jsonl"
    path.parent.mkdir()
    path.write_text('{"verdict": "pass", "target": "https://api.vapi.ai", "started_at": "2026-11-01T02:00:00+00:00"}\n'
                    '{"verdict": "fa\n'
                    '[1, 2]\n')
    written = write_reports(summary_for(2, []), tmp_path / "out", str, history_path=path, strict=True)
    assert path in written and not (tmp_path / "out" / "history.jsonl").exists()
    page = (tmp_path / "out" / "report.html").read_text()
    assert strip_of(page) == ["pass", "pass"]
    warned = capsys.readouterr().err.splitlines()
    assert warned == ["vapi-contract: warning: history.jsonl line 2 is torn (not JSON): skipped",
                      "vapi-contract: warning: history.jsonl line 3 is not a history record: skipped"]
    note = Elements(re.search(r'<p class="history-unreadable.*?</p>', page, flags=re.S).group(0)).visible_text()
    assert note == "history.jsonl: line 2 is torn (not JSON); line 3 is not a history record (skipped)."
    loaded = history.load(path, warn=False)
    assert len(loaded.entries) == 2 and [u.line for u in loaded.unreadable] == [2, 3]


def test_a_last_line_without_its_newline_is_not_lost(tmp_path):
    """The reproduction of issue 18 item 2: a FAIL line lost its newline (an editor, a truncated
    cache restore); the next run's PASS line must not be glued onto it, and the report compares
    the PASS with that FAIL."""
    path = tmp_path / "history.jsonl"
    path.write_text(json.dumps(history.record(summary_for(1, ["pagination.order"]))))  # no newline
    write_reports(summary_for(2, []), tmp_path, str, strict=True)
    lines = path.read_text().split("\n")
    assert lines[-1] == "" and [json.loads(x)["verdict"] for x in lines[:-1]] == ["fail", "pass"]
    page = (tmp_path / "report.html").read_text()
    assert strip_of(page) == ["fail", "pass"]
    assert previous_of(page) == "2026-11-01 02:00:00 UTC (fail)"
    assert changes_of(page) == (set(), {"pagination.order"})


def test_a_torn_line_is_reported_and_swallows_no_other(tmp_path, capsys):
    """A line torn mid-record (no newline), then two runs: both are read, the torn one is named."""
    path = tmp_path / "history.jsonl"
    torn = json.dumps(history.record(summary_for(1, ["pagination.order"])))[:40]
    path.write_text(torn)
    write_reports(summary_for(2, ["filters.membership"]), tmp_path, str, strict=True)
    write_reports(summary_for(3, []), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert strip_of(page) == ["fail", "pass"]
    assert changes_of(page) == (set(), {"filters.membership"})
    assert "line 1 is torn (not JSON)" in Elements(page).visible_text()
    assert capsys.readouterr().err.count("history.jsonl line 1 is torn (not JSON): skipped") == 2  # once per load


def test_records_glued_on_one_line_are_all_read(tmp_path):
    """Lines an older version glued together, and a torn start with a whole record after it."""
    first, second, third = (json.dumps(history.record(summary_for(d, []))) for d in (1, 2, 3))
    path = tmp_path / "history.jsonl"
    path.write_text(first + second + "\n" + first[:25] + third + "\n")
    loaded = history.load(path, warn=False)
    assert [e["seed"] for e in loaded.entries] == [1, 2, 3]
    assert [str(u) for u in loaded.unreadable] == ["line 2 is torn: its first 25 characters are not a record"]


def test_a_line_separator_inside_a_record_does_not_split_it(tmp_path):
    summary = summary_for(1, ["pagination.order"])
    summary["target"] = "https://api.vapi.ai/\u2028x"
    write_reports(summary, tmp_path, str, strict=True)
    loaded = history.load(tmp_path / "history.jsonl")
    assert len(loaded.entries) == 1 and loaded.unreadable == []
    assert loaded.entries[0]["target"] == "https://api.vapi.ai/\u2028x"


def test_only_runs_are_partial_shown_and_never_compared_with(tmp_path):
    """Issue 18 item 7: a full run failing two checks, an --only re-run of one that passes, then
    the next full run failing the same two: it reports no new failure (the re-run is not its
    previous run), and the re-run itself is compared on its one check."""
    write_reports(summary_for(1, ["filters.membership", "pagination.order"]), tmp_path, str, strict=True)
    write_reports(summary_for(2, [], only="pagination.order"), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    lines = history.load(tmp_path / "history.jsonl").entries
    assert [(x["partial"], x["only"]) for x in lines] == [(False, None), (True, "pagination.order")]
    assert partial_cells(page) == [False, True]
    assert changes_of(page) == (set(), {"pagination.order"})  # filters.membership was not checked: not "fixed"
    assert "This run checked only <code>pagination.order</code>: compared on that check alone." in page
    write_reports(summary_for(3, ["filters.membership", "pagination.order"]), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert strip_of(page) == ["fail", "pass", "fail"] and partial_cells(page) == [False, True, False]
    assert previous_of(page) == "2026-11-01 02:00:00 UTC (fail)"
    assert changes_of(page) == (set(), set()) and "No change in failing checks." in page
    strip = re.search(r'<ol class="strip".*?</ol>', page, flags=re.S).group(0)
    assert "partial run: --only pagination.order" in strip
    assert "Dashed: a partial run (<code>--only</code>), not compared with." in page


def test_runs_are_compared_within_one_target_and_operation(tmp_path):
    """Issue 17 item 5: runs of GET /v2/campaign and of GET /campaign against one target are two
    series; a line without operation is an older GET /campaign line."""
    path = tmp_path / "history.jsonl"
    legacy = history.record(summary_for(1, ["pagination.order"]))
    del legacy["operation"]
    path.write_text(json.dumps(legacy) + "\n")
    write_reports(summary_for(2, ["filters.membership"], operation="GET /v2/campaign"), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert strip_of(page) == ["fail"] and previous_of(page) is None  # the legacy line is GET /campaign
    assert "History of GET /v2/campaign against this target" in Elements(page).visible_text()
    write_reports(summary_for(3, [], operation="GET /campaign"), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert strip_of(page) == ["fail", "pass"]  # days 1 (legacy) and 3
    assert previous_of(page) == "2026-11-01 02:00:00 UTC (fail)" and changes_of(page) == (set(), {"pagination.order"})
    write_reports(summary_for(4, ["auth.wrong-key"], operation="GET /v2/campaign"), tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    assert strip_of(page) == ["fail", "fail"]  # days 2 and 4
    assert changes_of(page) == ({"auth.wrong-key"}, {"filters.membership"})
    assert [x.get("operation") for x in history.load(path).entries] == [
        None, "GET /v2/campaign", "GET /campaign", "GET /v2/campaign"]
    assert len(re.findall(r'<rect class="v v-', page)) == 2  # the charts: the same series only


def test_embedded_runs_share_one_target_key():
    assert history.target_key("http://127.0.0.1:4100 (embedded reference target)") == \
        history.target_key("http://127.0.0.1:5200 (embedded reference target)") == \
        history.target_key("embedded reference target")
    assert history.target_key("https://api.vapi.ai/") == history.target_key("https://API.vapi.ai")
    assert history.target_key("https://api.vapi.ai") != history.target_key("https://staging.vapi.ai")
