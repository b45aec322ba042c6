"""Known deviations shown everywhere, hidden nowhere: the console's verdict line and entries, junit.xml's
skipped testcases, the history line and what changed since the previous run, the report's section,
summary.json's schema — all read from the summary's ``known`` section (built here from a real Outcome)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from known_fakes import OP, TODAY, entry, violation

from vapi_contract.invariants import fingerprint
from vapi_contract.known import report as known_report
from vapi_contract.known.acknowledge import Acknowledgement
from vapi_contract.known.store import KnownFile
from vapi_contract.report import history, html, junit
from vapi_contract.runner.output.console import console

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "run-summary.schema.json").read_text())


def shown(v) -> dict:
    return {"check": v.check, "area": v.area, "fingerprint": fingerprint(OP, v.check, v.locus), "locus": v.locus,
            "rule": "", "message": v.message, "expected": None, "actual": None, "pointer": None,
            "request": f"curl -sS 'https://api.vapi.ai/campaign?{v.locus}'", "status": 200, "occurrences": 1, "rerun": ""}


def summary_of(entries, violations, *, today=TODAY, complete=True):
    """A summary as `run` builds it: the unacknowledged violations, the known section, the check list."""
    ack = Acknowledgement.of(KnownFile("known-deviations.toml", tuple(entries)), today, OP, "https://api.vapi.ai", violations)
    outcome = ack.settle(complete=complete, exercised=["filters.membership"])
    marks = known_report.marks(outcome)
    failing = [dict(shown(v), **({"known": marks[fingerprint(OP, v.check, v.locus)]}
                                  if fingerprint(OP, v.check, v.locus) in marks else {}))
               for v in ack.unknown_violations]
    known_checks = {s.entry.check for s in outcome.of("matched")}
    status = "fail" if failing else "known" if known_checks else "pass"
    return {"version": 1, "verdict": "fail" if ack.failing else "pass", "complete": complete,
            "exit_code": 1 if ack.failing else 0, "target": "https://api.vapi.ai", "operation": OP, "profile": "gate",
            "seed": 0, "only": None, "requests": 10, "duration_s": 1.0, "started_at": "2026-12-05T10:00:00+00:00",
            "violations": failing, "coverage": {"filters.membership": "exercised"}, "not_exercised": [], "notes": [],
            "drift": [], "spec_diff": None, "latency_ms": None,
            "checks": [{"id": "filters.membership", "area": "filters", "rule": "r", "source": "s", "status": status}],
            "known": known_report.section(outcome, shown)}


ARCHIVED, CANCELLED = entry(), entry(locus="status=cancelled", index=2, ticket=None)


def test_a_run_whose_every_finding_is_known_passes_but_never_as_a_plain_pass():
    summary = summary_of([ARCHIVED, CANCELLED], [violation(), violation(locus="status=cancelled")])
    jsonschema.validate(summary, SCHEMA)
    text = console(summary)
    first = text.splitlines()[0]
    assert "PASS (2 known deviations) with 0 violation(s)" in first
    assert f"[known] filters.membership status=archived — {ARCHIVED.id}: 1 finding; https://tracker.example/T-1, " \
           "expires 2027-03-01" in text
    assert "expires 2027-03-01" in text.split("status=cancelled —")[1] and "reason: vendor bug" in text
    page = html.render(summary)
    assert "2 known deviations" in page and 'id="known"' in page and 'href="https://tracker.example/T-1"' in page
    assert "PASS (2 known deviations)" in page.split("</title>")[0]


def test_junit_shows_a_known_finding_as_skipped_saying_why():
    summary = summary_of([ARCHIVED], [violation()])
    root = ET.fromstring(junit.render(summary))
    (case,) = [c for c in root.iter("testcase") if c.get("name") == "filters.membership"]
    skipped = case.find("skipped")
    assert skipped is not None and case.find("failure") is None
    assert skipped.get("message") == "known deviation: vendor bug (https://tracker.example/T-1, expires 2027-03-01)"
    assert {p.get("name"): p.get("value") for p in root.iter("property")}["known"] == "1"


def test_junit_beside_a_failing_finding_of_the_same_check_still_skips_the_known_one():
    summary = summary_of([ARCHIVED], [violation(), violation(locus="status=cancelled")])
    root = ET.fromstring(junit.render(summary))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["filters.membership"].find("failure") is not None
    known = [c for name, c in cases.items() if name.startswith(f"filters.membership [known {ARCHIVED.id}")]
    assert len(known) == 1 and known[0].find("skipped").get("message").startswith("known deviation: vendor bug")


def test_an_expired_entry_fails_again_and_every_output_names_it_and_its_date():
    summary = summary_of([ARCHIVED], [violation()], today=ARCHIVED.expires + timedelta(days=1))
    jsonschema.validate(summary, SCHEMA)
    assert summary["verdict"] == "fail" and summary["violations"][0]["known"]["state"] == "expired"
    said = f"known deviation {ARCHIVED.id} expired on 2027-03-01"
    assert said in console(summary)
    assert said in junit.render(summary)
    assert f"{ARCHIVED.id}</a> expired on 2027-03-01" in html.render(summary)
    assert history.record(summary)["known"] == {"count": 0, "matched": [], "expired": [ARCHIVED.id], "not_seen": []}


def test_within_a_week_of_expiry_the_console_and_the_report_warn():
    summary = summary_of([ARCHIVED], [violation()], today=ARCHIVED.expires - timedelta(days=3))
    warning = f"known deviation {ARCHIVED.id} (filters.membership status=archived) expires in 3 days (2027-03-01)"
    assert f"warning: {warning}" in console(summary) and warning in html.render(summary)
    calm = summary_of([ARCHIVED], [violation()], today=ARCHIVED.expires - timedelta(days=8))
    assert "warning" not in console(calm) and "Expiry warning" not in html.render(calm)


def test_a_not_seen_entry_is_reported_for_removal():
    summary = summary_of([ARCHIVED], [])
    assert summary["known"]["not_seen"][0]["id"] == ARCHIVED.id
    assert "[not seen] filters.membership status=archived" in console(summary) and "known prune" in console(summary)
    assert {p.get("name"): p.get("value") for p in ET.fromstring(junit.render(summary)).iter("property")}[
        "known.not_seen"] == ARCHIVED.id


def test_the_history_records_the_known_and_says_what_became_known_not_fixed():
    before = history.record(summary_of([], [violation()]))
    now = history.record(summary_of([ARCHIVED], [violation()]))
    assert now["known"] == {"count": 1, "matched": [ARCHIVED.id], "expired": [], "not_seen": []}
    trend = history.trend([before], now)
    assert trend.known_changes == {"matched": [ARCHIVED.id]} and trend.fixed_failures == []
    later = history.record(summary_of([ARCHIVED], []))
    assert history.trend([before, now], later).known_changes == {"not_seen": [ARCHIVED.id]}


def test_without_a_file_nothing_changes():
    summary = summary_of([], [])
    summary["known"] = known_report.empty()
    assert console(summary).splitlines()[0].endswith("PASS (0 violation(s), 10 requests, 1.0 s, seed 0)")
    assert 'id="known"' not in html.render(summary)
    jsonschema.validate(summary, SCHEMA)


@pytest.mark.parametrize("older", [{}, {"known": None}, {"known": {"matched": "x"}}])
def test_a_summary_without_a_readable_known_section_is_read_as_none(older):
    assert known_report.of(older) == {k: [] for k in known_report.LISTS.values()} and known_report.count(older) == 0
