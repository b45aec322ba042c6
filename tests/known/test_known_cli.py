"""`vapi-contract known add | prune | check` on summaries shaped as `run` writes them: one entry per
distinct fingerprint, the expiry bounds, nothing added twice, prune only from a complete run that
exercised the entry's check, lint exit codes, one-line errors."""

from __future__ import annotations

import json
from datetime import date

import pytest
from known_fakes import OP, TODAY, toml_entry

from vapi_contract.cli import main
from vapi_contract.errors import ConfigError
from vapi_contract.invariants import fingerprint
from vapi_contract.known import cli as known_cli
from vapi_contract.known.store import load

CURL = "curl -sS -G 'https://api.vapi.ai/campaign' --data-urlencode 'status=archived' -H \"Authorization: Bearer $VAPI_API_KEY\""


def finding(check="filters.membership", locus="status=archived", message="result 0 fails status=archived", operation=OP):
    return {"check": check, "area": check.split(".")[0], "locus": locus, "fingerprint": fingerprint(operation, check, locus),
            "message": message, "request": CURL}


def summary(violations=(), *, operation=OP, drift=(), spec=None, not_seen=(), complete=True, verdict="fail", only=None,
            coverage=None, target="https://api.vapi.ai") -> dict:
    return {"version": 1, "operation": operation, "verdict": verdict, "complete": complete, "only": only,
            "violations": list(violations), "drift": list(drift), "spec_diff": spec,
            "coverage": coverage if coverage is not None else {"filters.membership": "exercised",
                                                                "shape.body-schema": "exercised"},
            "known": {"file": "known-deviations.toml", "entries": len(not_seen), "target": target, "matched": [],
                      "not_seen": [{"id": i} for i in not_seen], "expired": [], "not_checked": [], "not_applicable": []}}


def write(tmp_path, data) -> str:
    (tmp_path / "reports").mkdir(exist_ok=True)
    (tmp_path / "reports" / "summary.json").write_text(json.dumps(data))
    return str(tmp_path / "reports")


def add(tmp_path, data, *, expires="2027-03-01", **options):
    return known_cli.add(known_cli.read_summary(tmp_path / "reports") if data is None else data,
                         tmp_path / "kd.toml", "kd.toml", reason=options.pop("reason", "vendor bug"), expires=expires,
                         today=TODAY, **options)


def test_add_writes_one_entry_per_distinct_fingerprint_and_prints_them(tmp_path, capsys):
    data = summary([finding(), finding(message="result 1 fails status=archived"),
                    finding(locus="status=cancelled", message="result 0 fails status=cancelled")])
    assert add(tmp_path, data, ticket="https://tracker.example/T-1") == 0
    out = capsys.readouterr().out
    entries = load(tmp_path / "kd.toml").entries
    assert [e.locus for e in entries] == ["status=archived", "status=cancelled"]
    assert entries[0].example_message == "result 0 fails status=archived" and entries[0].example_request == CURL
    assert (entries[0].added, entries[0].expires, entries[0].ticket, entries[0].target) == \
        (TODAY, date(2027, 3, 1), "https://tracker.example/T-1", None)
    assert "added 2 entries" in out and f"+ {entries[0].id}" in out and "status=cancelled" in out


def test_add_adds_nothing_twice(tmp_path, capsys):
    data = summary([finding()])
    add(tmp_path, data)
    before = (tmp_path / "kd.toml").read_text()
    capsys.readouterr()
    add(tmp_path, data, reason="again")
    assert (tmp_path / "kd.toml").read_text() == before
    out = capsys.readouterr().out
    assert "added 0 entries" in out and "already in the file (entry 1)" in out


@pytest.mark.parametrize("expires, says", [("2026-12-04", "in the past"), ("2027-12-06", "more than a year ahead"),
                                           ("2027-13-01", "not a date"), ("next week", "not a date")])
def test_add_refuses_an_expiry_in_the_past_or_more_than_a_year_ahead(tmp_path, expires, says):
    with pytest.raises(ConfigError, match=says):
        add(tmp_path, summary([finding()]), expires=expires)
    assert not (tmp_path / "kd.toml").exists()


@pytest.mark.parametrize("expires", ["2026-12-05", "2027-12-05"])
def test_today_and_a_year_ahead_are_accepted(tmp_path, expires):
    assert add(tmp_path, summary([finding()]), expires=expires) == 0


def test_add_with_check_takes_that_checks_findings_only_and_refuses_an_unknown_id(tmp_path):
    data = summary([finding(), finding("shape.body-schema", "/results/*/orgId required", "'orgId' is a required property")])
    add(tmp_path, data, only_check="shape.body-schema")
    assert [e.check for e in load(tmp_path / "kd.toml").entries] == ["shape.body-schema"]
    with pytest.raises(ConfigError, match="not a check id"):
        add(tmp_path, data, only_check="shape.body")


def test_add_takes_breaking_drift_and_breaking_published_changes(tmp_path):
    drift = [{"change": "required-property-removed", "pointer": "/results/*/callsCounterQueued", "breaking": True,
              "message": "required property /results/*/callsCounterQueued is missing"},
             {"change": "property-added", "pointer": "/results/*/maxRetries", "breaking": False, "message": "added"}]
    spec = {"changes": [{"change": "response-property-removed", "pointer": "/components/schemas/Campaign/properties/name",
                         "value": "name", "breaking": True, "message": "name removed"},
                        {"change": "response-property-added", "pointer": "/x", "value": "x", "breaking": False}]}
    add(tmp_path, summary(drift=drift, spec=spec))
    entries = load(tmp_path / "kd.toml").entries
    assert [(e.check, e.locus) for e in entries] == [
        ("drift.required-property-removed", "/results/*/callsCounterQueued"),
        ("spec.response-property-removed", '/components/schemas/Campaign/properties/name "name"')]
    assert entries[0].id == fingerprint(OP, *[entries[0].check, entries[0].locus])


def test_a_summary_whose_fingerprints_do_not_match_is_refused(tmp_path):
    tampered = finding()
    tampered["locus"] = "status=cancelled"
    with pytest.raises(ConfigError, match="finding 1: its fingerprint"):
        known_cli.read_summary(tmp_path / "reports") if write(tmp_path, summary([tampered])) else None
    (tmp_path / "reports" / "summary.json").write_text("{not json")
    with pytest.raises(ConfigError, match="not JSON"):
        known_cli.read_summary(tmp_path / "reports")
    with pytest.raises(ConfigError, match="no summary.json"):
        known_cli.read_summary(tmp_path / "nowhere")


def test_add_with_a_target_limits_the_entries_to_it(tmp_path):
    add(tmp_path, summary([finding()]), target="https://Staging.vapi.ai/")
    assert load(tmp_path / "kd.toml").entries[0].target == "https://staging.vapi.ai"


# -- prune ------------------------------------------------------------------------------------------------
def seeded(tmp_path, *loci, target=None):
    lines = "\n".join(toml_entry(locus=l) + (f'target = "{target}"\n' if target else "") for l in loci)
    (tmp_path / "kd.toml").write_text("# ours\n\n" + lines)
    return {e.locus: e.id for e in load(tmp_path / "kd.toml").entries}


def prune(tmp_path, data):
    return known_cli.prune(data, tmp_path / "kd.toml", "kd.toml", "reports")


def test_prune_removes_exactly_the_entries_a_complete_run_did_not_see(tmp_path, capsys):
    ids = seeded(tmp_path, "status=archived", "status=cancelled", "status=ended")
    prune(tmp_path, summary(not_seen=[ids["status=cancelled"], ids["status=ended"]], verdict="pass"))
    assert [e.locus for e in load(tmp_path / "kd.toml").entries] == ["status=archived"]
    out = capsys.readouterr().out
    assert "removed 2 entries" in out and ids["status=cancelled"] in out and "kept 1 entry" in out
    assert (tmp_path / "kd.toml").read_text().startswith("# ours\n")


@pytest.mark.parametrize("why, data", [
    ("not complete", summary(complete=False, verdict="incomplete")),
    ("partial run", summary(only="filters.membership", verdict="pass")),
    ("interrupted", summary(complete=False, verdict="interrupted")),
])
def test_prune_after_an_incomplete_or_partial_run_removes_nothing(tmp_path, capsys, why, data):
    ids = seeded(tmp_path, "status=archived")
    data["known"]["not_seen"] = [{"id": ids["status=archived"]}]  # even a summary that says so
    before = (tmp_path / "kd.toml").read_text()
    prune(tmp_path, data)
    assert (tmp_path / "kd.toml").read_text() == before and "nothing removed" in capsys.readouterr().out


def test_prune_never_removes_an_entry_whose_check_the_run_did_not_exercise_or_of_another_target(tmp_path):
    ids = seeded(tmp_path, "status=archived")
    unexercised = summary(not_seen=[ids["status=archived"]], verdict="pass", coverage={"filters.membership": "not-exercised"})
    before = (tmp_path / "kd.toml").read_text()
    prune(tmp_path, unexercised)
    assert (tmp_path / "kd.toml").read_text() == before
    ids = seeded(tmp_path, "status=archived", target="https://staging.vapi.ai")
    prune(tmp_path, summary(not_seen=[ids["status=archived"]], verdict="pass"))
    assert len(load(tmp_path / "kd.toml").entries) == 1


# -- check, and the command line -------------------------------------------------------------------------
def run_cli(argv, capsys, monkeypatch, cwd):
    monkeypatch.chdir(cwd)
    monkeypatch.setattr("vapi_contract.known.clock.today", lambda: TODAY)
    with pytest.raises(SystemExit) as ended:
        main(argv)
    out, err = capsys.readouterr()
    return ended.value.code, out, err


def test_check_lists_every_problem_one_line_each_and_exits_1(tmp_path, capsys, monkeypatch):
    (tmp_path / "known-deviations.toml").write_text(
        toml_entry(drop=("reason",)) + toml_entry(locus="status=ended", check="filters.nope")
        + toml_entry(locus="status=cancelled", expires='"soon"') + toml_entry(locus="status=scheduled")
        + toml_entry(locus="status=scheduled"))
    code, out, _ = run_cli(["known", "check"], capsys, monkeypatch, tmp_path)
    assert code == 1
    lines = out.splitlines()
    assert any("entry 1" in l and "reason: missing" in l for l in lines)
    assert any("entry 2" in l and "check: unknown check id" in l for l in lines)
    assert any("entry 3" in l and "expires" in l and "not a date" in l for l in lines)
    assert any("entry 5" in l and "duplicate of entry 4" in l for l in lines)


def test_check_of_a_valid_file_exits_0_and_says_what_expires(tmp_path, capsys, monkeypatch):
    (tmp_path / "kd.toml").write_text(toml_entry() + toml_entry(locus="status=ended", expires="2026-12-08")
                                      + toml_entry(locus="status=cancelled", expires="2026-12-04", added="2026-11-01"))
    code, out, _ = run_cli(["known", "check", "--file", "kd.toml"], capsys, monkeypatch, tmp_path)
    assert code == 0 and "kd.toml: 3 entries, valid; 1 expired; 1 expiring within 7 days" in out
    assert "expired on 2026-12-04" in out and "expires in 3 day(s)" in out


def test_errors_are_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    code, _, err = run_cli(["known", "check"], capsys, monkeypatch, tmp_path)
    assert code == 2 and err.strip() == "vapi-contract: error: known-deviations.toml: no such file"
    write(tmp_path, summary([finding()]))
    code, _, err = run_cli(["known", "add", "reports", "--reason", "r", "--expires", "2025-01-01"], capsys, monkeypatch,
                           tmp_path)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "in the past" in err
    code, out, _ = run_cli(["known", "add", "reports", "--reason", "r", "--expires", "2027-01-01"], capsys, monkeypatch,
                           tmp_path)
    assert code == 0 and "added 1 entry" in out and (tmp_path / "known-deviations.toml").is_file()
