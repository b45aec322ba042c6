"""Each repair of the published document: the defect is real (the schema as written rejects a
valid value, shown with jsonschema reading the 3.0 schema literally) and the repaired schema
accepts it while still rejecting what the document rules out."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from vapi_contract.contract.convert import Conversion
from vapi_contract.contract.dialect import FORMAT_CHECKER, ExplainingValidator
from vapi_contract.contract.derive import PROVENANCE_FILE


def convert(components: dict, name: str = "T"):
    conversion = Conversion(components, ref_for=lambda n: f"#/$defs/{n}")
    converted = {n: conversion.schema(s, f"/components/schemas/{n}") for n, s in components.items()}
    root = {"$defs": converted, "$ref": f"#/$defs/{name}"}
    return ExplainingValidator(root, format_checker=FORMAT_CHECKER), conversion.repairs


def literal(components: dict, name: str = "T"):
    """The published schema read literally (OpenAPI refs resolved, nothing repaired)."""
    text = json.dumps(components).replace("#/components/schemas/", "#/$defs/")
    return Draft202012Validator({"$defs": json.loads(text), "$ref": f"#/$defs/{name}"})


def rules(repairs):
    return {r.rule for r in repairs}


def test_open_enum_accepts_known_and_other_strings():
    comps = {"T": {"oneOf": [{"type": "string", "enum": ["andrew", "brian"]}, {"type": "string"}]}}
    assert not literal(comps).is_valid("andrew")  # the defect: a known value matches both branches
    v, repairs = convert(comps)
    assert rules(repairs) == {"open-enum-as-anyof"}
    assert v.is_valid("andrew") and v.is_valid("my-cloned-voice") and not v.is_valid(3)


def test_overlapping_union_accepts_a_value_fitting_two_alternatives():
    comps = {
        "T": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]},
        "A": {"type": "object", "properties": {"on": {"type": "string", "enum": ["call.ending"]}}, "required": ["on"]},
        "B": {"type": "object", "properties": {"on": {"type": "string"}}, "required": ["on"]},
    }
    assert not literal(comps).is_valid({"on": "call.ending"})
    v, repairs = convert(comps)
    assert rules(repairs) == {"overlapping-union-as-anyof"}
    assert v.is_valid({"on": "call.ending"}) and not v.is_valid({"off": 1})


def test_discriminated_union_reports_the_deep_pointer():
    comps = {
        "T": {"oneOf": [{"$ref": "#/components/schemas/Deepgram"}, {"$ref": "#/components/schemas/Azure"}]},
        "Deepgram": {"type": "object", "required": ["provider"], "properties": {
            "provider": {"type": "string", "enum": ["deepgram"]}, "language": {"type": "string"}}},
        "Azure": {"type": "object", "required": ["provider"], "properties": {
            "provider": {"type": "string", "enum": ["azure"]}, "speed": {"type": "number"}}},
    }
    v, repairs = convert(comps)
    assert rules(repairs) == {"discriminated-union"}
    assert v.is_valid({"provider": "azure", "speed": 1.1})
    errors = list(v.iter_errors({"provider": "deepgram", "language": 5}))
    assert [list(e.absolute_path) for e in errors] == [["language"]]
    assert [list(e.absolute_path) for e in v.iter_errors({"provider": "whisper"})] == [["provider"]]


def test_discriminator_mapping_mismatch_dispatches_the_alternatives_own_value():
    comps = {
        "T": {"oneOf": [{"$ref": "#/components/schemas/E"}, {"$ref": "#/components/schemas/O"}],
              "discriminator": {"propertyName": "provider", "mapping": {
                  "elevenlabs": "#/components/schemas/E", "openai": "#/components/schemas/O"}}},
        "E": {"type": "object", "required": ["provider"], "properties": {"provider": {"type": "string", "enum": ["11labs"]}}},
        "O": {"type": "object", "required": ["provider"], "properties": {"provider": {"type": "string", "enum": ["openai"]}}},
    }
    v, repairs = convert(comps)
    assert "discriminator-mapping-mismatch" in rules(repairs)
    assert v.is_valid({"provider": "11labs"})  # a dispatch on the mapping alone would reject it
    assert [list(e.absolute_path) for e in v.iter_errors({"provider": "elevenlabs"})] == [["provider"]]
    assert not v.is_valid({"provider": "playht"})


def test_nullable_and_example_null():
    comps = {"T": {"type": "object", "properties": {
        "content": {"type": "string", "nullable": True},
        "speed": {"type": "number", "example": None},
        "name": {"type": "string"}}}}
    assert not literal(comps).is_valid({"content": None})
    v, repairs = convert(comps)
    assert rules(repairs) == {"nullable"} and len(repairs) == 2
    assert v.is_valid({"content": None, "speed": None})
    assert not v.is_valid({"name": None})


def test_js_regex_delimiters_are_stripped():
    comps = {"T": {"type": "string", "pattern": "/^[A-Z][A-Z0-9_]*$/"}}
    assert not literal(comps).is_valid("API_KEY")
    v, repairs = convert(comps)
    assert rules(repairs) == {"js-regex-delimiters"}
    assert v.is_valid("API_KEY") and not v.is_valid("api_key")


def test_unicode_property_escapes_work_in_both_engines(validator):
    keyword = {"provider": "deepgram", "keywords": ["héllo:5", "Ωmega"]}
    assert validator.is_valid(keyword, "DeepgramTranscriber")
    assert validator.violations(keyword, "DeepgramTranscriber") == []
    bad = {"provider": "deepgram", "keywords": ["2fast"]}
    assert not validator.is_valid(bad, "DeepgramTranscriber")
    assert [v.pointer for v in validator.violations(bad, "DeepgramTranscriber")] == ["/keywords/0"]


def test_enum_type_mismatch():
    comps = {"T": {"type": "object", "enum": ["bye", "dial", "refer"]}}
    assert not literal(comps).is_valid("refer")
    v, repairs = convert(comps)
    assert rules(repairs) == {"enum-type-mismatch"}
    assert v.is_valid("refer") and not v.is_valid("transfer")


def test_array_enum_moves_to_items():
    comps = {"T": {"type": "array", "enum": ["pci", "phi"]}}
    assert not literal(comps).is_valid(["pci"])
    v, repairs = convert(comps)
    assert rules(repairs) == {"array-enum-on-items"}
    assert v.is_valid(["pci", "phi"]) and not v.is_valid(["ssn"])


def test_example_contradicting_type_widens_only_on_real_evidence():
    comps = {"T": {"type": "object", "properties": {
        "codes": {"type": "array", "items": {"type": "object"}, "example": [400, 401]},
        "language": {"type": "object", "example": "en"},
        "conditions": {"type": "array", "items": {"type": "object"}, "example": '[{ type: "regex" }]'}}}}
    assert not literal(comps).is_valid({"codes": [400]})
    v, repairs = convert(comps)
    assert rules(repairs) == {"example-contradicts-type"} and len(repairs) == 2
    assert v.is_valid({"codes": [400, 401], "language": "en"})
    assert not v.is_valid({"conditions": "not an array"})  # prose example: not evidence


def test_ref_siblings_keep_their_openapi_30_meaning():
    comps = {"T": {"$ref": "#/components/schemas/A", "type": "string"}, "A": {"type": "object"}}
    v, repairs = convert(comps)
    assert rules(repairs) == {"ref-siblings"}
    assert v.is_valid({}) and not v.is_valid("x")


def test_every_rule_seen_in_the_real_document_is_in_the_provenance_file(repo_root):
    provenance = json.loads((repo_root / PROVENANCE_FILE).read_text(encoding="utf-8"))
    seen = set(provenance["repair_counts"])
    assert {"open-enum-as-anyof", "overlapping-union-as-anyof", "discriminated-union", "nullable",
            "js-regex-delimiters", "enum-type-mismatch", "array-enum-on-items", "example-contradicts-type",
            "duplicate-enum-value"} <= seen
    # in a component, or in a listing's own schema (inline item unions) and parameters
    assert all(r["pointer"].startswith(("/components/schemas/", "/paths/")) for r in provenance["repairs"])
    assert {r["rule"] for r in provenance["repairs"] if r["pointer"].startswith("/paths/")} == \
        {"duplicate-parameter", "overlapping-union-as-anyof", "discriminated-union"}


@pytest.mark.parametrize("value,ok", [
    ("2024-01-15T09:30:00Z", True), ("2024-01-15T09:30:00.123+02:00", True),
    ("2024-01-15 09:30:00", False), ("2024-13-15T09:30:00Z", False), ("yesterday", False),
])
def test_date_time_format_is_asserted_by_both_engines(validator, value, ok):
    meta = {"itemsPerPage": 1, "totalItems": 0, "currentPage": 1, "createdAtLe": value}
    assert validator.is_valid(meta, "PaginationMeta") is ok
    assert (validator.violations(meta, "PaginationMeta") == []) is ok
