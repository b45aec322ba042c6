"""`diff` on published documents with defects (contract/defects.py), built at test time from the
shared documents: every pair gets a verdict, each defect is named with its document and every
place, a defect NEW introduces is a warning, and the rest is compared as usual."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from specdocs import CAMPAIGN, base, campaign, write

from vapi_contract.contract.schema_walk import resolve_pointer
from vapi_contract.specdiff import diff_documents
from vapi_contract.specdiff.document import load_side

INWORLD = ("CreateInworldCredentialDTO", "FallbackInworldVoice", "InworldVoice")
INVALID = "published-document-invalid"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "vapi_contract", "diff", *args], capture_output=True, text=True, timeout=120)


def test_dangling_references_in_new_are_warnings_naming_document_name_and_every_use(published_version, defective_document, ref_sites):
    old = published_version("2026-04-11")
    new = defective_document("2026-04-11", "inworld-removed")
    original = json.loads(old.read_text())
    result = diff_documents(str(old), str(new))

    defects = {d.defect.subject: d for d in result.defects}
    assert sorted(defects) == sorted(INWORLD)
    for name, d in defects.items():
        expected = ref_sites(original, name)
        assert len(expected) >= 1
        assert (d.document, d.source, d.defect.kind, d.introduced) == ("new", new.name, "dangling-ref", True)
        assert list(d.defect.pointers) == expected, name  # every $ref to it (all of them are in the closure)
    assert len(defects["InworldVoice"].defect.pointers) == 4  # AssistantOverrides, CreateAssistantDTO, two RecordingConsentPlans

    # each is a warning of its own, and nothing else changed: no union alternative or schema "removed"
    assert sorted(c.change for c in result.changes) == [INVALID] * 3 and result.breaking == []
    for change in result.changes:
        d = defects[change.value]
        assert change.level == "warning" and change.pointer == d.defect.pointers[0]
        assert change.schema == change.pointer.split("/")[3]
        assert f"NEW ({new.name})" in change.message and "not compared" in change.message
        assert all(p in change.message for p in d.defect.pointers)


def test_references_dangling_in_old_are_named_but_no_change(published_version, defective_document):
    old = defective_document("2026-04-11", "inworld-removed")
    result = diff_documents(str(old), str(published_version("2026-04-11")))
    assert result.changes == []  # not "schema-added": those schemas were referenced all along
    assert sorted((d.document, d.defect.subject, d.introduced) for d in result.defects) == [
        ("old", name, False) for name in INWORLD]


@pytest.mark.slow  # whole documents or a served subprocess: in `make test`, not the fast loop
def test_the_rest_of_two_broken_documents_is_compared_as_usual(published_version, defective_document):
    clean = diff_documents(str(published_version("2026-04-11")), str(published_version("2026-04-14")))
    assert len(clean.changes) == 3
    new_broken = diff_documents(str(published_version("2026-04-11")), str(defective_document("2026-04-14", "inworld-removed")))
    assert [c.to_dict() for c in new_broken.changes if c.change != INVALID] == [c.to_dict() for c in clean.changes]
    assert sum(c.change == INVALID for c in new_broken.changes) == 3

    both = diff_documents(str(defective_document("2026-04-11", "inworld-removed")),
                          str(defective_document("2026-04-14", "inworld-removed")))
    assert [c.to_dict() for c in both.changes] == [c.to_dict() for c in clean.changes]  # already broken: no new change
    assert sorted((d.document, d.introduced) for d in both.defects) == [("new", False)] * 3 + [("old", False)] * 3


@pytest.mark.e2e
def test_cli_exit_codes_and_every_format_name_the_broken_references(published_version, defective_document, tmp_path):
    old, new = str(published_version("2026-04-11")), str(defective_document("2026-04-11", "inworld-removed"))
    text = cli(old, new)
    assert text.returncode == 0, text.stderr  # a warning: the default fails on breaking changes only
    assert cli(old, new, "--fail-on", "warning").returncode == 1
    assert cli(new, old, "--fail-on", "warning").returncode == 0  # dangling in OLD only: no change
    sites = load_side(new).defects
    assert len(sites) == 3
    assert "NEW (2026-04-11.inworld-removed.json) is not valid OpenAPI where GET /campaign reaches: 3 defects" in text.stdout
    for d in sites:
        assert f"dangling-ref (introduced by NEW): $ref to {d.subject}" in text.stdout
        assert all(f"      at {p}" in text.stdout for p in d.pointers)

    js = json.loads(cli(old, new, "--format", "json").stdout)
    assert [(d["document"], d["kind"], d["subject"], d["introduced"]) for d in js["defects"]] == [
        ("new", "dangling-ref", d.subject, True) for d in sites]
    assert js["defects"][0]["pointers"] == list(sites[0].pointers) and "not compared" in js["defects"][0]["message"]

    html = cli(old, new, "--format", "html", "--output", str(tmp_path / "d.html"))
    page = (tmp_path / "d.html").read_text()
    assert html.returncode == 0 and "Not valid OpenAPI" in page and "<script" not in page
    assert all(f"<code>{p}</code>" in page for d in sites for p in d.pointers)


def test_component_reached_through_a_single_ref_allof_is_named_at_the_allof_member(published_version, defective_document):
    result = diff_documents(str(published_version("2026-04-11")), str(defective_document("2026-04-11", "schedule-plan-removed")))
    [defect] = [d.defect for d in result.defects]
    assert defect.subject == "SchedulePlan"
    assert f"{CAMPAIGN}/properties/schedulePlan/allOf/0" in defect.pointers
    assert [c.change for c in result.changes] == [INVALID]  # not "schedulePlan lost its properties"


@pytest.mark.parametrize("old_edit, new_edit", [
    ((), ("schedule-plan-plain-ref",)),  # allOf of one $ref beside a description = that $ref
    (("schedule-plan-nullable-allof",), ("schedule-plan-nullable-ref",)),  # nullable without a type, two spellings
], ids=["single-ref-allof", "nullable-without-type"])
def test_spellings_of_the_same_meaning_are_no_change(defective_document, old_edit, new_edit):
    old, new = defective_document("2026-04-11", *old_edit), defective_document("2026-04-11", *new_edit)
    result = diff_documents(str(old), str(new))
    assert result.changes == [] and result.defects == []


@pytest.mark.parametrize("edit", ["schedule-plan-nullable-allof", "schedule-plan-nullable-ref"])
def test_nullable_without_a_type_means_null_is_allowed(published_version, defective_document, edit):
    result = diff_documents(str(published_version("2026-04-11")), str(defective_document("2026-04-11", edit)))
    assert [(c.change, c.pointer, c.breaking) for c in result.changes] == [
        ("response-property-became-nullable", f"{CAMPAIGN}/properties/schedulePlan", True)]


@pytest.mark.parametrize("edit, kind, subject, pointer, read_as", [
    ("status-typed-enum", "invalid-type", '"enum"', f"{CAMPAIGN}/properties/status/type", "a string enum"),
    ("status-value-twice", "duplicate-enum-value", '"ended"', f"{CAMPAIGN}/properties/status/enum", "the set of its values"),
    ("name-typed-text", "invalid-type", '"text"', f"{CAMPAIGN}/properties/name/type", None),
], ids=["typed-enum", "value-twice", "typed-text"])
def test_invalid_constructs_are_read_by_their_meaning_or_left_unknown(published_version, defective_document,
                                                                      edit, kind, subject, pointer, read_as):
    valid, defective = str(published_version("2026-04-11")), str(defective_document("2026-04-11", edit))
    forward = diff_documents(valid, defective)
    [d] = forward.defects
    assert (d.document, d.defect.kind, d.defect.subject, d.defect.pointers, d.defect.read_as) == ("new", kind, subject, (pointer,), read_as)
    # a warning, and no change of type or enum: "enum" with strings is a string enum; a type that
    # is no type is not compared; a repeated value is the same set
    assert [(c.change, c.pointer, c.level) for c in forward.changes] == [(INVALID, pointer, "warning")]
    backward = diff_documents(defective, valid)
    assert backward.changes == [] and [(x.document, x.introduced) for x in backward.defects] == [("old", False)]


def test_a_string_enum_typed_enum_still_shows_its_real_changes(published_version, tmp_path):
    document = json.loads(published_version("2026-04-11").read_text())
    status = document["components"]["schemas"]["Campaign"]["properties"]["status"]
    status.update(type="enum", enum=[*status["enum"], "archived"])
    result = diff_documents(str(published_version("2026-04-11")), write(tmp_path, "new.json", document))
    assert sorted((c.change, c.value) for c in result.changes) == [
        (INVALID, '"enum"'), ("response-property-enum-value-added", "archived")]


def test_allof_member_that_leads_nowhere_removes_no_property(tmp_path):
    """What a missing member of a many-member allOf would add is unknown: nothing is inferred from
    its absence, the other members are compared."""
    old, new = base(), base()
    for d in (old, new):
        d["components"]["schemas"]["Extra"] = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
        campaign(d)["properties"]["extra"] = {"allOf": [{"$ref": "#/components/schemas/Extra"},
                                                        {"type": "object", "properties": {"b": {"type": "string"}}}]}
    del new["components"]["schemas"]["Extra"]
    campaign(new)["properties"]["extra"]["allOf"][1]["properties"]["c"] = {"type": "string"}
    result = diff_documents(write(tmp_path, "o.json", old), write(tmp_path, "n.json", new))
    assert sorted((c.change, c.value) for c in result.changes) == [(INVALID, "Extra"), ("response-property-added", "c")]
    assert result.defects[0].defect.pointers == (f"{CAMPAIGN}/properties/extra/allOf/0",)


def test_reference_outside_the_components_is_a_finding_not_an_error(tmp_path):
    new = base()
    campaign(new)["properties"]["extra"] = {"$ref": "other.json#/components/schemas/Extra"}
    old_path, new_path = write(tmp_path, "o.json", base()), write(tmp_path, "n.json", new)
    result = cli(old_path, new_path, "--format", "json")
    assert result.returncode == 0 and result.stderr == ""
    [d] = json.loads(result.stdout)["defects"]
    assert (d["kind"], d["subject"], d["pointers"]) == ("external-ref", "other.json#/components/schemas/Extra", [f"{CAMPAIGN}/properties/extra"])
    assert cli(old_path, new_path, "--fail-on", "warning").returncode == 1


def test_output_into_a_missing_directory_is_one_line_exit_2_before_reading(tmp_path):
    result = cli(str(tmp_path / "missing-old.json"), str(tmp_path / "missing-new.json"),
                 "--output", str(tmp_path / "no-such-dir" / "diff.html"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"vapi-contract: error: --output {tmp_path / 'no-such-dir' / 'diff.html'}: "
                                                  f"directory {tmp_path / 'no-such-dir'} does not exist"]
    # and the document errors come second: with a valid --output they are what is reported
    result = cli(str(tmp_path / "missing-old.json"), str(tmp_path / "missing-new.json"), "--output", str(tmp_path / "diff.txt"))
    assert result.returncode == 2 and "cannot read" in result.stderr and not (tmp_path / "diff.txt").exists()
    result = cli(str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--output", str(tmp_path))
    assert result.returncode == 2 and "is a directory" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def closure_of_the_shared_document(published_version):
    path = published_version("2026-04-11")
    return path, json.loads(path.read_text()), sorted(load_side(str(path)).components)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_schema_of_the_closure_may_go_missing(closure_of_the_shared_document, tmp_path_factory, data):
    """Delete any component the operation reaches: the diff gives a verdict, names the missing
    schema at $refs to it that exist in NEW, and every other pointer it gives exists too."""
    path, document, reachable = closure_of_the_shared_document
    name = data.draw(st.sampled_from([n for n in reachable if n != "CampaignPaginatedResponse"]))
    edited = copy.deepcopy(document)
    del edited["components"]["schemas"][name]
    new = tmp_path_factory.mktemp("missing") / "new.json"
    new.write_text(json.dumps(edited))
    result = diff_documents(str(path), str(new))
    [missing] = [d for d in result.defects if d.defect.subject == name]
    assert missing.introduced and missing.defect.pointers
    for pointer in missing.defect.pointers:
        assert resolve_pointer(edited, pointer) == {**resolve_pointer(edited, pointer), "$ref": f"#/components/schemas/{name}"}
    assert [c.value for c in result.changes if c.change == INVALID] == [name]
    assert not result.breaking  # a missing schema says nothing about what the API sends
    for change in result.changes:
        assert resolve_pointer(document if change.change.endswith("-removed") else edited, change.pointer) is not None, change


def test_the_real_2026_08_18_document_lists_voice_ids_twice(published_version):
    """A defect Vapi really published: DeepgramVoice.voiceId (and its fallback twin) name eight
    voices twice.  Read as the set, so the voices added are found; the repeats are one warning each."""
    result = diff_documents(str(published_version("2026-04-14")), str(published_version("2026-08-18")))
    assert [(d.document, d.defect.kind, d.defect.pointers, d.introduced) for d in result.defects] == [
        ("new", "duplicate-enum-value", (f"/components/schemas/{s}/properties/voiceId/enum",), True)
        for s in ("DeepgramVoice", "FallbackDeepgramVoice")]
    assert result.defects[0].defect.subject == '"arcas", "asteria", "athena", "hera", "luna", "orion", "orpheus", "zeus"'
    invalid = [c for c in result.changes if c.change == INVALID]
    assert [(c.schema, c.level) for c in invalid] == [("DeepgramVoice", "warning"), ("FallbackDeepgramVoice", "warning")]
    added = sorted(c.value for c in result.changes
                   if c.change == "response-property-enum-value-added" and c.schema == "DeepgramVoice")
    assert added == ["aurelia", "elara", "fabian", "julius", "kara", "lara", "viktoria"]


def test_the_pin_names_its_own_defects_in_the_words_of_a_published_document(published_version, pin_root):
    """The pin was derived from 2026-08-18 with its repeated voice ids read as a set: compared with
    that very document, each defect is named once per side, alike, and no side introduces one."""
    result = diff_documents(str(pin_root / "contracts"), str(published_version("2026-08-18")))
    by_side = {side: [(d.defect.kind, d.defect.subject, d.defect.pointers, d.defect.read_as)
                      for d in result.defects if d.document == side] for side in ("old", "new")}
    assert len(by_side["old"]) == 2 and by_side["old"] == by_side["new"]
    assert not any(d.introduced for d in result.defects) and result.changes == []


DEFECT_EDITS = {  # what published documents were seen to get wrong, applied to one schema node
    "typed-enum": lambda node: node.update(type="enum"),
    "typed-text": lambda node: node.update(type="text"),
    "typed-enum-or-null": lambda node: node.update(type=["enum", "null"]),
    "value-twice": lambda node: node["enum"].append(node["enum"][0]) if node.get("enum") else None,
    "nullable-without-type": lambda node: (node.pop("type", None), node.update(nullable=True)),
    "ref-wrapped-in-allof": lambda node: node.update(allOf=[{"$ref": node.pop("$ref")}], description="d") if "$ref" in node else None,
    "ref-nullable": lambda node: node.update(nullable=True) if "$ref" in node else None,
    "ref-external": lambda node: node.update({"$ref": "other.json#/X"}) if "$ref" in node else None,
}


def schema_nodes(node):
    """Every schema object inside ``node`` (schema positions only, not property maps or examples)."""
    from vapi_contract.contract.schema_walk import SUBSCHEMA_LISTS, SUBSCHEMA_MAPS, SUBSCHEMA_SINGLE

    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            subs = (value.values() if key in SUBSCHEMA_MAPS and isinstance(value, dict)
                    else value if key in SUBSCHEMA_LISTS and isinstance(value, list)
                    else [value] if key in SUBSCHEMA_SINGLE else [])
            for sub in subs:
                yield from schema_nodes(sub)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_defects_anywhere_never_crash_diff_or_derive(closure_of_the_shared_document, tmp_path_factory, data):
    """A few defects put anywhere in the closure: diff gives a verdict both ways, and derive either
    derives or refuses naming every defect with no meaning (a SourceError, exit 2)."""
    from vapi_contract.contract.derive import derive
    from vapi_contract.contract.source import load_source
    from vapi_contract.errors import SourceError

    path, document, reachable = closure_of_the_shared_document
    edited = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 4))):
        component = edited["components"]["schemas"][data.draw(st.sampled_from(reachable))]
        nodes = list(schema_nodes(component))
        DEFECT_EDITS[data.draw(st.sampled_from(sorted(DEFECT_EDITS)))](nodes[data.draw(st.integers(0, len(nodes) - 1))])
    new = tmp_path_factory.mktemp("defects") / "new.json"
    new.write_text(json.dumps(edited))
    forward, backward = diff_documents(str(path), str(new)), diff_documents(str(new), str(path))
    assert [d.defect for d in forward.defects] == [d.defect for d in backward.defects]
    assert all(d.introduced for d in forward.defects) and not any(d.introduced for d in backward.defects)
    unknown = [d.defect for d in forward.defects if not d.defect.readable]
    try:
        derive(load_source(str(new)))
        assert unknown == []
    except SourceError as refused:
        assert unknown and all(d.describe() in refused.message for d in unknown)
