"""An entry of known-deviations.toml: what is required, what a date is, and that its id is exactly the
fingerprint of what it names (so a reviewer reads what it acknowledges)."""

from __future__ import annotations

from datetime import date

import pytest
from known_fakes import OP, toml_entry

from vapi_contract.invariants import fingerprint
from vapi_contract.known.entry import (DRIFT, FINDING, SPEC, check_ids, drift_key, kind_of, latest_expiry, parse_date,
                                       read_entries, spec_key)
from vapi_contract.known.store import problems_of


def read(text: str):
    import tomlkit

    return problems_of(tomlkit.parse(text))


def test_a_well_formed_entry_is_read_with_dates_as_dates():
    entries, problems = read(toml_entry(extra='ticket = "https://tracker.example/T-9"\ntarget = "https://API.vapi.ai/"'))
    assert problems == []
    (e,) = entries
    assert (e.check, e.locus, e.operation, e.kind) == ("filters.membership", "status=archived", OP, FINDING)
    assert e.expires == date(2027, 3, 1) and e.added == date(2026, 12, 5)
    assert e.target == "https://api.vapi.ai" and e.ticket == "https://tracker.example/T-9"
    assert e.id == fingerprint(OP, "filters.membership", "status=archived")


@pytest.mark.parametrize("field", ["reason", "expires", "id", "operation", "check", "locus"])
def test_a_required_field_missing_names_the_entry_and_the_field(field):
    text = toml_entry() + "\n" + toml_entry(locus="status=cancelled", drop=(field,))
    entries, problems = read(text)
    assert len(entries) == 1 and len(problems) >= 1
    assert problems[0].where.startswith("entry 2") and problems[0].field == field
    assert "missing" in problems[0].line("kd.toml") and problems[0].line("kd.toml").startswith("kd.toml: entry 2")


@pytest.mark.parametrize("written", ['"next quarter"', "2027-03-01T10:00:00Z", "20270301", '"2027-02-30"', "true"])
def test_a_date_that_is_not_a_date_is_a_problem_of_that_field(written):
    entries, problems = read(toml_entry(expires=written))
    assert entries == [] and [p.field for p in problems] == ["expires"]
    assert "is not a date" in problems[0].message


def test_a_date_may_be_written_as_a_string():
    (e,), problems = read(toml_entry(expires='"2027-01-31"'))
    assert problems == [] and e.expires == date(2027, 1, 31)


def test_unknown_check_ids_and_fields_and_duplicate_ids_are_problems():
    bad_check = toml_entry(check="filters.membershp")
    assert [p.field for p in read(bad_check)[1]] == ["check"]
    typo = toml_entry(extra='expire = 2027-01-01')
    assert [p.field for p in read(typo)[1]] == ["expire"]
    twice = toml_entry() + toml_entry()
    entries, problems = read(twice)
    assert len(entries) == 1 and problems[0].where.startswith("entry 2") and "duplicate of entry 1" in problems[0].message


def test_an_id_that_is_not_the_fingerprint_of_what_the_entry_names_is_refused():
    """An entry edited to say status=cancelled while keeping status=archived's id would acknowledge
    something else than it says."""
    text = toml_entry().replace('locus = "status=archived"', 'locus = "status=cancelled"')
    entries, problems = read(text)
    assert entries == [] and problems[0].field == "id"
    assert fingerprint(OP, "filters.membership", "status=cancelled") in problems[0].message


def test_an_expiry_more_than_a_year_after_added_or_before_it_is_a_problem():
    assert read(toml_entry(expires="2027-12-06"))[1][0].field == "expires"
    assert read(toml_entry(expires="2026-12-04"))[1][0].field == "expires"
    assert read(toml_entry(expires="2027-12-05"))[1] == []  # a year to the day


def test_a_target_must_be_a_base_url():
    assert read(toml_entry(extra='target = "ftp://x"'))[1][0].field == "target"
    assert read(toml_entry(extra='target = "https://user:pw@api.vapi.ai"'))[1][0].field == "target"
    (e,), _ = read(toml_entry(extra='target = "https://api.vapi.ai/campaign"'))
    assert e.target == "https://api.vapi.ai"  # the operation's own path is the base URL's ending, as for --base-url


def test_the_file_at_the_top_level_holds_deviation_tables_only():
    assert [p.field for p in read('title = "mine"\n')[1]] == ["title"]
    assert read("deviation = 3\n")[1][0].field == "deviation"
    assert read("# nothing yet\n") == ([], [])


def test_every_registry_check_and_the_spec_and_drift_ids_are_known():
    from vapi_contract.invariants import CHECKS

    ids = check_ids()
    assert set(CHECKS) <= ids
    assert {"spec.response-property-removed", "drift.required-property-removed", "drift.type-changed"} <= ids
    assert (kind_of("spec.response-property-removed"), kind_of("drift.type-changed"), kind_of("shape.body-schema")) == \
        (SPEC, DRIFT, FINDING)


def test_drift_and_spec_keys_are_the_rule_and_the_place_and_the_value_tells_two_changes_apart():
    assert drift_key({"change": "required-property-removed", "pointer": "/results/*/callsCounterQueued"}) == \
        ("drift.required-property-removed", "/results/*/callsCounterQueued")
    pointer = "/paths/~1campaign/get/parameters/status/schema/enum"
    archived = spec_key({"change": "request-parameter-enum-value-removed", "pointer": pointer, "value": "archived"})
    cancelled = spec_key({"change": "request-parameter-enum-value-removed", "pointer": pointer, "value": "cancelled"})
    assert archived == ("spec.request-parameter-enum-value-removed", f'{pointer} "archived"') and archived != cancelled
    assert spec_key({"change": "operation-removed", "pointer": "/paths/~1campaign/get"})[1] == "/paths/~1campaign/get"
    long = spec_key({"change": "response-property-type-changed", "pointer": "/x", "value": ["y" * 200, "z"]})[1]
    assert long.startswith("/x #") and len(long) < 40


def test_dates_and_the_one_year_limit():
    assert parse_date("2027-03-01") == date(2027, 3, 1) and parse_date("2027-3-1") is None
    assert latest_expiry(date(2028, 2, 29)) == date(2029, 2, 28) and latest_expiry(date(2026, 12, 5)) == date(2027, 12, 5)


def test_read_entries_keeps_file_order_and_numbers_entries_from_one():
    rows = [{"id": fingerprint(OP, "filters.membership", s), "operation": OP, "check": "filters.membership", "locus": s,
             "reason": "r", "expires": date(2027, 1, 1)} for s in ("status=cancelled", "status=archived")]
    entries, problems = read_entries(rows)
    assert problems == [] and [(e.index, e.locus) for e in entries] == [(1, "status=cancelled"), (2, "status=archived")]
