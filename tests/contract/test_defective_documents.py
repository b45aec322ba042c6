"""`derive --from` a document with defects (contract/defects.py): a defect with no evident meaning
is refused with the exact list and exit 2 (never a contract with holes); one with an evident
meaning is derived as that meaning, with a named repair in provenance.  And YAML documents."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from vapi_contract.contract.derive import CONTRACT_FILE, PROVENANCE_FILE, SCHEMAS_SUBDIR

CAMPAIGN = "/components/schemas/Campaign"


def derive_cli(source, out):
    return subprocess.run([sys.executable, "-m", "vapi_contract", "derive", "--from", str(source), "--out", str(out)],
                          capture_output=True, text=True, timeout=180)


def derive_into(source, out) -> None:
    """What ``derive --from source --out out`` writes, in process (the CLI also validates the contract,
    seconds per document: the tests of a repair look at what is written, and the CLI has tests of its own)."""
    from vapi_contract.contract.derive import derive, write
    from vapi_contract.contract.source import load_source

    write(derive(load_source(str(source))), out)


def test_dangling_references_are_refused_with_every_name_and_pointer(defective_document, published_version, tmp_path, ref_sites):
    source = defective_document("2026-04-11", "inworld-removed")
    original = json.loads(published_version("2026-04-11").read_text())
    result = derive_cli(source, tmp_path / "out")
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"vapi-contract: error: {source.name} cannot be pinned: where GET /campaign reaches, it has 3 defects")
    expected = {name: ref_sites(original, name) for name in ("CreateInworldCredentialDTO", "FallbackInworldVoice", "InworldVoice")}
    assert sum(map(len, expected.values())) == 7
    for name, pointers in expected.items():
        assert f"$ref to {name}, a component schema the document does not define at {', '.join(pointers)}" in line
    assert not (tmp_path / "out").exists()  # nothing pinned


@pytest.mark.parametrize("edit, needle", [
    ("name-typed-text", f'type "text" is not a JSON Schema type (no enum tells which type is meant) at {CAMPAIGN}/properties/name/type'),
    ("schedule-plan-removed", f"$ref to SchedulePlan, a component schema the document does not define at "),
])
def test_other_defects_without_a_meaning_are_refused(defective_document, tmp_path, edit, needle):
    result = derive_cli(defective_document("2026-04-11", edit), tmp_path / "out")
    assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_response_schema_itself_missing_is_named_at_the_operation(published_version, tmp_path):
    document = json.loads(published_version("2026-04-11").read_text())
    del document["components"]["schemas"]["CampaignPaginatedResponse"]
    source = tmp_path / "no-response.json"
    source.write_text(json.dumps(document))
    result = derive_cli(source, tmp_path / "out")
    assert result.returncode == 2
    assert ("$ref to CampaignPaginatedResponse, a component schema the document does not define at "
            "/paths/~1campaign/get/responses/200/content/application~1json/schema") in result.stderr


@pytest.mark.slow
def test_readable_defects_derive_the_same_pin_with_named_repairs(defective_document, repo_root, tmp_path):
    """A string enum typed "enum" listing a value twice is the string enum of the valid document:
    every schema file of the campaign listings' closure is the committed one (the pin holds every
    listing of the whole document, a superset); provenance names both repairs."""
    derive_into(defective_document("2026-08-18", "status-typed-enum", "status-value-twice"), tmp_path)
    files = sorted(p.relative_to(tmp_path) for p in (tmp_path / SCHEMAS_SUBDIR).glob("*.json"))
    assert len(files) > 300
    assert [p for p in files if not (repo_root / p).is_file()
            or (tmp_path / p).read_bytes() != (repo_root / p).read_bytes()] == []
    provenance = json.loads((tmp_path / PROVENANCE_FILE).read_text())
    committed = json.loads((repo_root / PROVENANCE_FILE).read_text())
    added = [r for r in provenance["repairs"] if r not in committed["repairs"]]
    assert added == [
        {"rule": "invalid-type", "pointer": f"{CAMPAIGN}/properties/status/type",
         "detail": 'type "enum" is not a JSON Schema type (read as a string enum)',
         "subject": '"enum"', "read_as": "a string enum"},
        {"rule": "duplicate-enum-value", "pointer": f"{CAMPAIGN}/properties/status/enum",
         "detail": 'enum lists "ended" more than once (read as the set of its values)',
         "subject": '"ended"', "read_as": "the set of its values"},
    ]


@pytest.mark.slow
def test_nullable_beside_a_ref_is_derived_as_nullable(defective_document, tmp_path):
    derive_into(defective_document("2026-04-11", "schedule-plan-nullable-ref"), tmp_path)
    campaign = json.loads((tmp_path / SCHEMAS_SUBDIR / "Campaign.json").read_text())
    assert campaign["properties"]["schedulePlan"] == {"anyOf": [{"$ref": "SchedulePlan.json"}, {"type": "null"}]}
    repairs = json.loads((tmp_path / PROVENANCE_FILE).read_text())["repairs"]
    assert {"rule": "nullable", "pointer": f"{CAMPAIGN}/properties/schedulePlan",
            "detail": "nullable: true beside $ref -> null allowed"} in repairs


@pytest.mark.slow
def test_a_yaml_document_derives_the_same_pin(published_version, as_yaml, tmp_path):
    """The same document in YAML derives what its JSON derives, byte for byte, but for the source
    named in provenance and in the contract's description."""
    original = published_version("2026-08-18")
    source = as_yaml(original)
    assert source.read_text().startswith("openapi: ")
    result = derive_cli(source, tmp_path / "yaml")
    assert result.returncode == 0, result.stderr
    assert f"from {source.name}" in result.stdout
    derive_into(original, tmp_path / "json")  # the JSON side in process: one CLI derive is enough
    yaml_root, json_root = tmp_path / "yaml", tmp_path / "json"
    files = sorted(p.relative_to(yaml_root) for p in (yaml_root / SCHEMAS_SUBDIR).glob("*.json"))
    assert len(files) > 300
    assert files == sorted(p.relative_to(json_root) for p in (json_root / SCHEMAS_SUBDIR).glob("*.json"))
    assert [p for p in files if (yaml_root / p).read_bytes() != (json_root / p).read_bytes()] == []
    contract, from_json = (json.loads(((root / CONTRACT_FILE)).read_text()) for root in (yaml_root, json_root))
    contract["info"].pop("description"), from_json["info"].pop("description")  # names the source and its sha256
    assert contract == from_json
    provenance, of_json = (json.loads((root / PROVENANCE_FILE).read_text()) for root in (yaml_root, json_root))
    assert provenance["source"] == source.name and provenance["date"] == "2026-08-18"
    assert {k: v for k, v in provenance.items() if k not in ("source", "sha256")} == \
           {k: v for k, v in of_json.items() if k not in ("source", "sha256")}


def test_neither_json_nor_yaml_is_one_line(tmp_path):
    source = tmp_path / "page.json"
    source.write_text("<html>\n  <body>503 Service Unavailable</body>\n</html>\n")
    result = derive_cli(source, tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "vapi-contract: error: page.json is neither JSON nor YAML "
        "(as JSON: Expecting value at line 1 column 1; as YAML: a string, not a mapping)"]
