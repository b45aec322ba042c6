"""Known deviations end to end (issue 23), against the reference target's faults: acknowledge fault A,
then run fault A (matched: the gate passes, saying so), a fault B the suite tells apart (it still
fails) and the conformant target (not seen, pruned); let an entry expire on a test clock; refuse a
malformed file before the first request; keep a commented file byte for byte.

Cheap by design: small datasets (30 campaigns), the gate profile, in-process runs (the README flow
through the real command line, in this process); each scenario runs the suite as few times as it can.
"""

from __future__ import annotations

import json
import re
import shlex
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from loaded_machine import LOADED_MACHINE_RESPONSE_TIME
from vapi_contract.cli import main
from vapi_contract.invariants import fingerprint
from vapi_contract.known import cli as known_cli
from vapi_contract.known.store import DEFAULT_FILE, load
from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG
from vapi_contract.reference.server import running_target
from vapi_contract.runner import suite
from vapi_contract.runner.config import resolve
from vapi_contract.runner.output.summary import build_summary

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
KEY = ORG_KEYS[PRIMARY_ORG]
CAMPAIGNS = 30
FAULT_A = "new-statuses-not-filtered"  # status=cancelled and status=archived ignored
OP, V2 = "GET /campaign", "GET /v2/campaign"
TODAY = date(2026, 12, 7)  # the tests' clock: the README's expiry (2027-03-31) lies ahead of it
EXPIRES = "2027-03-31"


def configured(tmp: Path, *, known: Path | None = None, base_url: str | None = None, operation: str = OP,
               today: date = TODAY, max_requests: int | None = None, published_spec: str | None = None):
    return resolve(base_url, "gate", None, str(tmp / "reports"), 0.0 if base_url else None, max_requests,
                   LOADED_MACHINE_RESPONSE_TIME, published_spec, environ={"VAPI_API_KEY": KEY} if base_url else {},
                   operation=operation, known_deviations=str(known) if known else None, today=today)


def run(tmp: Path, fault: str | None = None, *, drift: str | None = None, only: str | None = None, target=None,
        campaigns: int = CAMPAIGNS, **config) -> dict:
    """One in-process gate run against a small reference target; its summary.json, as written."""
    from vapi_contract.runner.command import published_spec_diff

    options = {"campaigns": campaigns, "seed": 1, **({"fault": fault} if fault else {}), **({"drift": drift} if drift else {})}
    resolved = configured(tmp, **config)
    result = suite.run(resolved, target=target, target_options=None if target else options, only=only,
                       spec_diff=published_spec_diff(resolved))
    return json.loads(json.dumps(build_summary(result)))


def acknowledge(tmp: Path, summary: dict, known: Path, **options) -> list:
    """`known add` on the run's summary.json (read back as the command reads it); the entries added."""
    folder = tmp / f"run-{len(list(tmp.glob('run-*')))}"
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps(summary))
    before = {e.id for e in load(known).entries} if known.exists() else set()
    known_cli.add(known_cli.read_summary(folder), known, str(known), reason=options.pop("reason", "vendor bug"),
                  expires=options.pop("expires", EXPIRES), today=TODAY, **options)
    return [e for e in load(known).entries if e.id not in before]


def loci(summary: dict, check: str | None = None) -> set[str]:
    return {v["locus"] for v in summary["violations"] if check is None or v["check"] == check}


def states(summary: dict) -> dict[str, str]:
    """entry id -> the state the run left it in."""
    return {item["id"]: item["state"] for name in ("matched", "not_seen", "expired", "not_checked", "not_applicable")
            for item in summary["known"][name]}


@pytest.fixture(scope="module")
def fault_a(tmp_path_factory) -> dict:
    """The gate against fault A, no known deviation: what a team acknowledges."""
    summary = run(tmp_path_factory.mktemp("fault-a"), FAULT_A)
    assert summary["verdict"] == "fail" and {"status=cancelled", "status=archived"} <= loci(summary, "filters.membership")
    return summary


# -- the README's flow, through the real command line -------------------------------------------------
def readme_flow() -> list[str]:
    """The `vapi-contract` lines of the README's section, in order (indented blocks too)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## When the API deviates and you cannot fix it today", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^[ ]*```sh\n(.*?)^[ ]*```", section, flags=re.S | re.M)
    return [line.strip() for body in blocks for line in body.splitlines() if line.strip().startswith(".venv/bin/vapi-contract")]


def cli(line: str, values: dict, capsys, monkeypatch, today: date) -> tuple[int, str, str]:
    """One README line run in this process (the run with --rate-limit 0 --quiet: a local target)."""
    monkeypatch.setattr("vapi_contract.known.clock.today", lambda: today)
    argv = [values.get(token[1:], token) if token.startswith("$") else token for token in shlex.split(line)][1:]
    if argv[0] == "run":
        argv += ["--rate-limit", "0", "--quiet"]
    with pytest.raises(SystemExit) as ended:
        main(argv)
    out, err = capsys.readouterr()
    return ended.value.code, out, err


def test_following_the_readme_a_team_acknowledges_passes_still_fails_prunes_and_expires(tmp_path, capsys, monkeypatch):
    """Issue 23's "Done when": from a clean clone, following the README."""
    steps = readme_flow()
    gate, add, check, prune = steps[0], steps[1], steps[2], steps[-1]
    assert steps == [gate, add, check, gate, prune] and "known add" in add and "known prune" in prune
    monkeypatch.chdir(tmp_path)
    (tmp_path / DEFAULT_FILE).write_text((ROOT / DEFAULT_FILE).read_text())  # the clone's file: no entry yet
    monkeypatch.setenv("VAPI_API_KEY", KEY)
    report = tmp_path / "reports" / "campaign"

    def step(line, target, today=TODAY):
        return cli(line, {"BASE_URL": target.base_url, "OPERATION": OP, "REPORT_DIR": "reports/campaign"},
                   capsys, monkeypatch, today)

    with running_target(campaigns=CAMPAIGNS, fault=FAULT_A) as a:
        code, out, err = step(gate, a)  # the gate finds fault A
        assert code == 1 and ": FAIL (" in out and "known deviations: known-deviations.toml (0 entries)" in err
        code, out, _ = step(add, a)  # acknowledge it
        added = load(tmp_path / DEFAULT_FILE).entries
        assert code == 0 and f"added {len(added)} entries (expires {EXPIRES}" in out
        assert {("filters.membership", "status=cancelled"), ("filters.membership", "status=archived")} <= \
            {(e.check, e.locus) for e in added}
        assert step(check, a)[:2] == (0, f"{DEFAULT_FILE}: {len(added)} entries, valid\n")
        # the gate passes, with the deviation shown; four days before the expiry it warns
        code, out, err = step(gate, a, today=date(2027, 3, 27))
        first = out.splitlines()[0]
        assert code == 0 and f"PASS ({len(added)} known deviations) with 0 violation(s)" in first, out
        assert f"known deviations: known-deviations.toml ({len(added)} entries)" in err
        archived = next(e for e in added if e.locus == "status=archived")
        assert f"[known] filters.membership status=archived — {archived.id}:" in out
        assert f"https://github.com/acme/platform/issues/12, expires {EXPIRES}" in out
        assert f"warning: known deviation {archived.id} (filters.membership status=archived) expires in 4 days" in out
        shown_everywhere(report, archived, len(added))
    with running_target(campaigns=CAMPAIGNS, fault="status-filter-ignored") as b:
        code, out, _ = step(gate, b)  # a different fault, in the same check, still fails
        summary = json.loads((report / "summary.json").read_text())
        assert code == 1 and summary["verdict"] == "fail"
        assert "status=scheduled" in loci(summary, "filters.membership")
        assert not {"status=cancelled", "status=archived"} & loci(summary, "filters.membership")  # those are known
        assert states(summary)[archived.id] == "matched"
    with running_target(campaigns=CAMPAIGNS, fault=FAULT_A) as a:
        code, out, _ = step(gate, a, today=date(2027, 4, 1))  # the entry expired: fault A fails again
        summary = json.loads((report / "summary.json").read_text())
        assert code == 1 and f"known deviation {archived.id} expired on {EXPIRES}" in out
        assert states(summary)[archived.id] == "expired" and summary["known"]["expired"][0]["findings"]
        assert {v["known"]["id"] for v in summary["violations"] if "known" in v} == {e.id for e in added}
        assert f"{archived.id}</a> expired on {EXPIRES}" in (report / "report.html").read_text()
        assert f"known deviation {archived.id} expired on {EXPIRES}" in (report / "junit.xml").read_text()
    with running_target(campaigns=CAMPAIGNS) as fixed:
        code, out, _ = step(gate, fixed)  # Vapi fixed it: the entries are reported, then pruned
        summary = json.loads((report / "summary.json").read_text())
        assert code == 0 and summary["complete"] and set(states(summary).values()) == {"not-seen"}
        assert f"[not seen] filters.membership status=archived — {archived.id}" in out
        code, out, _ = step(prune, fixed)
        assert code == 0 and f"removed {len(added)} entries" in out and archived.id in out
        assert load(tmp_path / DEFAULT_FILE).entries == ()
        # back to the clone's file (the blank line that separated the entries from its comments stays)
        assert (tmp_path / DEFAULT_FILE).read_text().rstrip("\n") == (ROOT / DEFAULT_FILE).read_text().rstrip("\n")


def shown_everywhere(report: Path, entry, count: int) -> None:
    """summary.json (valid against its schema), report.html, junit.xml (valid against its XSD) and the
    history line show the passing run's known deviations."""
    import xmlschema

    summary = json.loads((report / "summary.json").read_text())
    schema = json.loads((ROOT / "schemas" / "run-summary.schema.json").read_text())
    errors = [e.message for e in Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(summary)]
    assert errors == [] and summary["verdict"] == "pass" and summary["violations"] == []
    matched = {m["id"]: m for m in summary["known"]["matched"]}
    assert len(matched) == count and matched[entry.id]["findings"][0]["request"].startswith("curl ")
    html = (report / "report.html").read_text()
    assert 'id="known"' in html and f'id="known-{entry.id}"' in html and "Expiry warning" in html
    assert '<a href="https://github.com/acme/platform/issues/12"' in html and f"{count} known deviations" in html
    junit = (report / "junit.xml").read_text()
    xmlschema.XMLSchema(str(ROOT / "tests" / "report" / "data" / "junit-10.xsd")).validate(junit)
    case = next(c for c in ET.fromstring(junit).iter("testcase") if c.get("name") == "filters.membership")
    assert case.find("failure") is None and case.find("skipped").get("message").startswith(
        f"known deviation: {entry.reason} (https://github.com/acme/platform/issues/12, expires {EXPIRES})")
    line = json.loads((report / "history.jsonl").read_text().splitlines()[-1])
    assert line["verdict"] == "pass" and line["known"]["count"] == count and entry.id in line["known"]["matched"]
    assert "Became known deviations" in html  # the run before it failed on these findings: not "fixed"


# -- precision: acknowledging fault A never hides a fault the suite tells apart -----------------------
def test_the_same_enum_filter_ignored_for_another_value_still_fails(tmp_path, fault_a):
    known = tmp_path / "kd.toml"
    archived = [c for c in known_cli.candidates(fault_a) if c["locus"] == "status=archived"]
    only_archived = dict(fault_a, violations=[v for v in fault_a["violations"] if v["locus"] == "status=archived"],
                         known=None)
    (entry,) = acknowledge(tmp_path, only_archived, known)
    assert entry.id == archived[0]["id"]
    summary = run(tmp_path, FAULT_A, known=known)
    assert summary["verdict"] == "fail" and "status=cancelled" in loci(summary, "filters.membership")
    assert "status=archived" not in loci(summary) and states(summary) == {entry.id: "matched"}


def test_another_filter_ignored_still_fails(tmp_path, fault_a):
    known = tmp_path / "kd.toml"
    entries = acknowledge(tmp_path, fault_a, known)
    summary = run(tmp_path, "id-filter-ignored", known=known)
    assert summary["verdict"] == "fail" and loci(summary, "filters.membership") == {"id"}
    assert set(states(summary).values()) == {"not-seen"} and len(states(summary)) == len(entries)


def test_the_same_fault_on_the_other_operation_still_fails(tmp_path, fault_a):
    known = tmp_path / "kd.toml"
    entries = acknowledge(tmp_path, fault_a, known)
    summary = run(tmp_path, FAULT_A, known=known, operation=V2)
    assert summary["verdict"] == "fail" and {"status=cancelled", "status=archived"} <= loci(summary, "filters.membership")
    assert set(states(summary).values()) == {"not-applicable"} and len(states(summary)) == len(entries)
    assert {v["fingerprint"] for v in summary["violations"]}.isdisjoint({e.id for e in entries})


def test_an_entry_naming_a_target_covers_that_target_and_no_other(tmp_path, fault_a):
    known = tmp_path / "kd.toml"
    with running_target(campaigns=CAMPAIGNS, seed=1, fault=FAULT_A) as named, \
            running_target(campaigns=CAMPAIGNS, seed=1, fault=FAULT_A) as other:
        entries = acknowledge(tmp_path, fault_a, known, target=named.base_url)
        assert {e.target for e in entries} == {named.base_url}
        there = run(tmp_path, base_url=named.base_url, known=known)
        elsewhere = run(tmp_path, base_url=other.base_url, known=known)
    assert there["verdict"] == "pass" and set(states(there).values()) == {"matched"}
    assert elsewhere["verdict"] == "fail" and set(states(elsewhere).values()) == {"not-applicable"}
    assert {"status=cancelled", "status=archived"} <= loci(elsewhere, "filters.membership")


def test_another_field_missing_under_the_same_required_rule_still_fails(tmp_path):
    """missing-required-field drops callsCounterEndedVoicemail, the removed-required-field drift
    callsCounterQueued: the same check, keyword and object; another field.  Its breaking drift entry is
    acknowledged the same way."""
    known = tmp_path / "kd.toml"
    first = run(tmp_path, "missing-required-field", campaigns=8)  # every body fails its schema: a small page is enough
    entries = acknowledge(tmp_path, first, known)
    assert {(e.check, e.locus) for e in entries} == {
        ("shape.body-schema", "/results/*/callsCounterEndedVoicemail required"),
        ("drift.required-property-removed", "/results/*/callsCounterEndedVoicemail")}
    again = run(tmp_path, "missing-required-field", known=known, campaigns=8)
    assert again["verdict"] == "pass" and set(states(again).values()) == {"matched"}
    assert [d["known"]["state"] for d in again["drift"] if d["breaking"]] == ["matched"]
    other = run(tmp_path, drift="removed-required-field", known=known, campaigns=8)
    assert other["verdict"] == "fail" and loci(other, "shape.body-schema") == {"/results/*/callsCounterQueued required"}
    assert [d["pointer"] for d in other["drift"] if d["breaking"] and "known" not in d] == ["/results/*/callsCounterQueued"]


def test_another_paging_error_still_fails(tmp_path):
    known = tmp_path / "kd.toml"
    entries = acknowledge(tmp_path, run(tmp_path, "page-off-by-one"), known)
    assert {e.locus for e in entries if e.check == "pagination.page-size"} and \
        all("fewer" in e.locus for e in entries if e.check == "pagination.page-size")
    summary = run(tmp_path, "limit-plus-one", known=known)
    assert summary["verdict"] == "fail" and any("more" in locus for locus in loci(summary, "pagination.page-size"))
    assert "matched" not in states(summary).values()


def test_a_breaking_published_change_is_acknowledged_by_rule_and_place_and_another_still_fails(tmp_path, published_version):
    """`run --published-spec`: Vapi publishes a document without the status filter; acknowledged, that
    removal fails nothing, while a document that also drops the id filter still fails the run."""
    today = json.loads(published_version("2026-08-18").read_text())
    operation = today["paths"]["/campaign"]["get"]

    def published(*dropped: str) -> str:
        document = json.loads(json.dumps(today))
        document["paths"]["/campaign"]["get"]["parameters"] = [p for p in operation["parameters"] if p["name"] not in dropped]
        path = tmp_path / f"published-{'-'.join(dropped)}.json"
        path.write_text(json.dumps(document))
        return str(path)

    known = tmp_path / "kd.toml"
    first = run(tmp_path, published_spec=published("status"), max_requests=5)  # the diff is made before any request
    (entry,) = acknowledge(tmp_path, first, known, only_check="spec.request-parameter-removed")
    assert entry.check == "spec.request-parameter-removed" and entry.locus.endswith(' "status"')
    summary = run(tmp_path, published_spec=published("status", "id"), known=known)
    breaking = {c["value"]: c for c in summary["spec_diff"]["changes"] if c["breaking"]}
    assert set(breaking) == {"status", "id"} and summary["violations"] == []
    assert breaking["status"]["known"]["state"] == "matched" and "known" not in breaking["id"]
    assert summary["verdict"] == "fail" and states(summary) == {entry.id: "matched"}


# -- prune: never from a run that could not tell ------------------------------------------------------
def test_prune_after_an_incomplete_or_partial_run_removes_nothing(tmp_path, fault_a, capsys):
    known = tmp_path / "kd.toml"
    acknowledge(tmp_path, fault_a, known)
    text = known.read_text()
    for summary in (run(tmp_path, known=known, max_requests=20), run(tmp_path, known=known, only="filters.membership")):
        assert set(states(summary).values()) == {"not-checked"}, summary["known"]
        assert known_cli.prune(summary, known, str(known), "reports") == 0
        assert "nothing removed" in capsys.readouterr().out and known.read_text() == text


# -- the file ------------------------------------------------------------------------------------------
def test_a_malformed_file_is_refused_before_the_first_request(tmp_path, fault_a, capsys, monkeypatch):
    known = tmp_path / "kd.toml"
    acknowledge(tmp_path, fault_a, known)
    known.write_text(known.read_text().replace(f"expires = {EXPIRES}", 'expires = "next quarter"', 2))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VAPI_API_KEY", KEY)
    with pytest.raises(SystemExit) as ended:  # nothing listens on port 9: a request would exit 3
        main(["run", "--base-url", "http://127.0.0.1:9", "--known-deviations", str(known), "--report-dir", "out", "--quiet"])
    err = capsys.readouterr().err
    assert ended.value.code == 2 and not (tmp_path / "out").exists()
    (line,) = err.strip().splitlines()
    assert re.match(rf"vapi-contract: error: {re.escape(str(known))}: entry 1 \(id [0-9a-f]{{12}}\): expires: "
                    r'"next quarter" is not a date \(YYYY-MM-DD\) \(and 1 more problem', line), line


def test_known_add_keeps_a_commented_file_byte_for_byte_and_refuses_a_malformed_one(tmp_path, fault_a):
    known = tmp_path / "kd.toml"
    theirs = fingerprint(OP, "auth.missing-key", "the status answered")
    commented = ("# Reviewed by @platform — keep it short\n\n[[deviation]]    # ours, by hand\n"
                 f"id = '{theirs}'\noperation = \"GET /campaign\"\ncheck = \"auth.missing-key\"\n"
                 "locus = \"the status answered\"\nreason = \"\"\"a\nmultiline reason\"\"\"\nexpires = 2027-01-15\n"
                 "# a comment at the end, no newline after it")
    known.write_text(commented)
    entries = acknowledge(tmp_path, fault_a, known)
    text = known.read_text()
    assert entries and text.startswith(commented + "\n") and text.count("[[deviation]]") == 1 + len(entries)
    assert [e.id for e in load(known).entries] == [theirs] + [e.id for e in entries]
    broken = commented.replace("expires = 2027-01-15", "")
    known.write_text(broken)
    from vapi_contract.known.store import KnownFileError

    with pytest.raises(KnownFileError, match=r"entry 1 \(id [0-9a-f]{12}\): expires: missing"):
        acknowledge(tmp_path, fault_a, known)
    assert known.read_text() == broken
