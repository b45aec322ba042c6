"""known-deviations.toml on disk: a malformed file is one line naming the entry and the field; adding
keeps every byte a person wrote; removing takes out exactly the entries named."""

from __future__ import annotations

from datetime import date

import pytest
import tomlkit
from known_fakes import OP, toml_entry

from vapi_contract.invariants import fingerprint
from vapi_contract.known.store import KnownFileError, add_entries, lint, load, remove_entries

COMMENTED = """\
# Known deviations of Vapi's API   (reviewed in PRs: ask @platform)
#   keep this list short!

[[deviation]]   # the archived one
id = "{archived}"
operation    = "GET /campaign"
check = 'filters.membership'
locus = "status=archived"
reason = \"\"\"Vapi ignores status=archived;
support case 4711\"\"\"
expires = 2027-03-01   # ask again in March
added = 2026-12-05

# another one below, written by hand
[[deviation]]
id = "{cancelled}"
operation = "GET /campaign"
check = "filters.membership"
locus = "status=cancelled"
reason = "same bug"
expires = "2027-02-01"

# trailing words, no newline at the end""".format(
    archived=fingerprint(OP, "filters.membership", "status=archived"),
    cancelled=fingerprint(OP, "filters.membership", "status=cancelled"))


def new_fields(locus: str, **extra) -> dict:
    return {"id": fingerprint(OP, "filters.membership", locus), "operation": OP, "check": "filters.membership",
            "locus": locus, "reason": "why", "ticket": None, "expires": date(2027, 1, 2), "added": date(2026, 12, 5),
            "target": None, "example": {"message": 'he said "no"', "request": "curl -sS 'http://h/campaign' -H \"A: $K\""},
            **extra}


def test_adding_keeps_the_comments_order_and_spelling_byte_for_byte(tmp_path):
    path = tmp_path / "kd.toml"
    path.write_text(COMMENTED)
    written = add_entries(path, "kd.toml", [new_fields("status=ended"), new_fields("status=scheduled")])
    assert path.read_text() == written
    assert written.startswith(COMMENTED + "\n")  # the missing final newline is the one byte added
    added = tomlkit.parse(written[len(COMMENTED):]).unwrap()["deviation"]
    assert [d["locus"] for d in added] == ["status=ended", "status=scheduled"]
    assert added[0]["example"]["message"] == 'he said "no"' and added[0]["expires"] == date(2027, 1, 2)
    assert "ticket" not in added[0] and "target" not in added[0]  # absent, not empty
    assert [e.locus for e in load(path).entries] == ["status=archived", "status=cancelled", "status=ended", "status=scheduled"]


def test_adding_to_a_missing_file_creates_it_with_a_header_saying_what_it_is(tmp_path):
    path = tmp_path / "known-deviations.toml"
    add_entries(path, "known-deviations.toml", [new_fields("status=ended")])
    text = path.read_text()
    assert text.startswith("# Known deviations") and "vapi-contract known add" in text
    assert [e.locus for e in load(path).entries] == ["status=ended"]


def test_a_malformed_file_is_never_written_to(tmp_path):
    path = tmp_path / "kd.toml"
    broken = toml_entry(drop=("reason",))
    path.write_text(broken)
    with pytest.raises(KnownFileError) as refused:
        add_entries(path, "kd.toml", [new_fields("status=ended")])
    assert refused.value.message.startswith("kd.toml: entry 1 (id ") and ": reason: missing" in refused.value.message
    assert path.read_text() == broken


def test_a_syntax_error_names_the_entry_and_the_field_it_is_in(tmp_path):
    path = tmp_path / "kd.toml"
    path.write_text(toml_entry() + "\n" + toml_entry(locus="status=cancelled", expires="2027-02-30"))
    with pytest.raises(KnownFileError) as refused:
        load(path, "kd.toml")
    line = refused.value.message
    assert line.startswith("kd.toml: entry 2: expires: not valid TOML") and "\n" not in line


def test_load_reports_the_first_problem_and_how_many_more(tmp_path):
    path = tmp_path / "kd.toml"
    path.write_text(toml_entry(drop=("reason",)) + toml_entry(locus="status=ended", expires='"soon"'))
    with pytest.raises(KnownFileError) as refused:
        load(path, "kd.toml")
    assert "entry 1" in refused.value.message and "and 1 more problem(s): vapi-contract known check" in refused.value.message
    entries, problems = lint(path, "kd.toml")
    assert entries == [] and len(problems) == 2 and "entry 2" in problems[1] and "expires" in problems[1]


@pytest.mark.parametrize("content, says", [(b"\xff\xfe[[deviation]]", "not UTF-8"), (b"x" * (1024 * 1024 + 1), "bytes")])
def test_a_file_that_is_not_text_or_too_large_is_refused(tmp_path, content, says):
    path = tmp_path / "kd.toml"
    path.write_bytes(content)
    with pytest.raises(KnownFileError, match=says):
        load(path, "kd.toml")


def test_an_inline_array_is_read_but_entries_are_not_appended_to_it(tmp_path):
    ident = fingerprint(OP, "filters.membership", "status=archived")
    text = (f'deviation = [{{id = "{ident}", operation = "{OP}", check = "filters.membership", '
            'locus = "status=archived", reason = "r", expires = 2027-01-01}]\n')
    path = tmp_path / "kd.toml"
    path.write_text(text)
    assert len(load(path).entries) == 1
    with pytest.raises(KnownFileError, match=r"\[\[deviation\]\]"):
        add_entries(path, "kd.toml", [new_fields("status=ended")])
    assert path.read_text() == text


def test_removing_takes_out_exactly_the_entries_named_and_keeps_the_rest_as_written(tmp_path):
    path = tmp_path / "kd.toml"
    path.write_text(COMMENTED + "\n")
    add_entries(path, "kd.toml", [new_fields("status=ended")])
    before = path.read_text()
    cancelled = fingerprint(OP, "filters.membership", "status=cancelled")
    removed = remove_entries(path, "kd.toml", {cancelled, "000000000000"})
    assert [e.locus for e in removed] == ["status=cancelled"]
    after = path.read_text()
    assert [e.locus for e in load(path).entries] == ["status=archived", "status=ended"]
    # the first entry, the header comments and their spelling are untouched
    head = before.split("# another one below")[0]
    assert after.startswith(head)
    assert 'reason = "same bug"' not in after and "status=ended" in after
    assert remove_entries(path, "kd.toml", {"000000000000"}) == [] and path.read_text() == after
