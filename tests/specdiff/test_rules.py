"""One small synthetic pair per rule: the change is found, at the right pointer, classified as a
client of the API would classify it."""

from __future__ import annotations

from pathlib import Path

import pytest
from specdocs import CAMPAIGN, PARAMS, base, campaign, param, params, write

from vapi_contract.specdiff import RULES, diff_documents


def _add_sortby(d):
    params(d).insert(4, {"name": "sortBy", "required": False, "in": "query",
                         "schema": {"enum": ["cost", "createdAt", "duration"], "type": "string"}})


def _add_required_param(d):
    params(d).append({"name": "orgId", "required": True, "in": "query", "schema": {"type": "string"}})


def _meta(d):
    return d["components"]["schemas"]["PaginationMeta"]


# rule id -> (mutation of OLD->NEW, pointer expected, breaking expected, mutation of OLD or None)
CASES = {
    "request-parameter-added": (_add_sortby, f"{PARAMS}/4", False),
    "request-required-parameter-added": (_add_required_param, f"{PARAMS}/7", True),
    "request-parameter-removed": (lambda d: params(d).pop(0), f"{PARAMS}/0", True),
    "request-parameter-became-required": (lambda d: param(d, "id").update(required=True), f"{PARAMS}/0", True),
    "request-parameter-type-changed": (lambda d: param(d, "page")["schema"].update(type="string"), f"{PARAMS}/2/schema", True),
    "request-parameter-type-widened": (lambda d: param(d, "id")["schema"].update(type=["string", "number"]), f"{PARAMS}/0/schema", False),
    "request-parameter-format-changed": (lambda d: param(d, "createdAtGt")["schema"].update(format="date"), f"{PARAMS}/5/schema", True),
    "request-parameter-format-added": (lambda d: param(d, "id")["schema"].update(format="uuid"), f"{PARAMS}/0/schema", True),
    "request-parameter-format-removed": (lambda d: param(d, "createdAtGt")["schema"].pop("format"), f"{PARAMS}/5/schema", False),
    "request-parameter-enum-value-added": (lambda d: param(d, "status")["schema"]["enum"].append("paused"), f"{PARAMS}/1/schema", False),
    "request-parameter-enum-value-removed": (lambda d: param(d, "status")["schema"]["enum"].remove("ended"), f"{PARAMS}/1/schema", True),
    "request-parameter-enum-added": (lambda d: param(d, "id")["schema"].update(enum=["a"]), f"{PARAMS}/0/schema", True),
    "request-parameter-enum-removed": (lambda d: param(d, "status")["schema"].pop("enum"), f"{PARAMS}/1/schema", False),
    "request-parameter-range-narrowed": (lambda d: param(d, "limit")["schema"].update(maximum=100), f"{PARAMS}/4/schema", True),
    "request-parameter-range-widened": (lambda d: param(d, "limit")["schema"].update(maximum=5000), f"{PARAMS}/4/schema", False),
    "request-parameter-pattern-changed": (lambda d: param(d, "code")["schema"].update(pattern="^[a-z0-9]+$"), f"{PARAMS}/6/schema", True),
    "request-parameter-pattern-removed": (lambda d: param(d, "code")["schema"].pop("pattern"), f"{PARAMS}/6/schema", False),
    "request-parameter-default-changed": (lambda d: param(d, "sortOrder")["schema"].update(default="ASC"), f"{PARAMS}/3/schema", False),
    "request-parameter-became-nullable": (lambda d: param(d, "id")["schema"].update(nullable=True), f"{PARAMS}/0/schema", False),
    "request-parameter-deprecated": (lambda d: param(d, "id").update(deprecated=True), f"{PARAMS}/0", False),
    "response-property-deprecated": (lambda d: campaign(d)["properties"]["endedReason"].update(deprecated=True), f"{CAMPAIGN}/properties/endedReason", False),
    "response-property-added": (lambda d: _meta(d)["properties"].update(totalPages={"type": "number"}),
                                "/components/schemas/PaginationMeta/properties/totalPages", False),
    "response-property-removed": (lambda d: campaign(d)["properties"].pop("endedReason"), f"{CAMPAIGN}/properties/endedReason", True),
    "response-property-became-optional": (lambda d: campaign(d)["required"].remove("name"), f"{CAMPAIGN}/properties/name", True),
    "response-property-became-required": (lambda d: campaign(d)["required"].append("endedReason"), f"{CAMPAIGN}/properties/endedReason", False),
    "response-property-type-changed": (lambda d: _meta(d)["properties"]["totalItems"].update(type="string"),
                                       "/components/schemas/PaginationMeta/properties/totalItems", True),
    "response-property-became-nullable": (lambda d: campaign(d)["properties"]["endedReason"].update(nullable=True), f"{CAMPAIGN}/properties/endedReason", True),
    "response-property-became-not-nullable": (lambda d: campaign(d)["properties"]["calls"].pop("nullable"), f"{CAMPAIGN}/properties/calls", False),
    "response-property-format-added": (lambda d: campaign(d)["properties"]["id"].update(format="uuid"), f"{CAMPAIGN}/properties/id", False),
    "response-property-format-changed": (lambda d: campaign(d)["properties"]["createdAt"].update(format="date"), f"{CAMPAIGN}/properties/createdAt", True),
    "response-property-format-removed": (lambda d: campaign(d)["properties"]["createdAt"].pop("format"), f"{CAMPAIGN}/properties/createdAt", True),
    "response-property-enum-value-added": (lambda d: campaign(d)["properties"]["status"]["enum"].append("paused"), f"{CAMPAIGN}/properties/status", False),
    "response-property-open-enum-value-added": (lambda d: campaign(d)["properties"]["voice"]["oneOf"][0]["enum"].append("nova"),
                                                f"{CAMPAIGN}/properties/voice/oneOf/0", False),
    "response-property-enum-value-removed": (lambda d: campaign(d)["properties"]["status"]["enum"].remove("ended"), f"{CAMPAIGN}/properties/status", False),
    "response-property-enum-added": (lambda d: campaign(d)["properties"]["endedReason"].update(enum=["done"]), f"{CAMPAIGN}/properties/endedReason", False),
    "response-property-enum-removed": (lambda d: campaign(d)["properties"]["status"].pop("enum"), f"{CAMPAIGN}/properties/status", False),
    "response-property-range-widened": (lambda d: campaign(d)["properties"]["maxConcurrency"].update(maximum=1000), f"{CAMPAIGN}/properties/maxConcurrency", False),
    "response-property-range-narrowed": (lambda d: campaign(d)["properties"]["name"].update(maxLength=40), f"{CAMPAIGN}/properties/name", False),
    "response-property-pattern-changed": (lambda d: campaign(d)["properties"]["code"].update(pattern="^[A-Z0-9]+$"), f"{CAMPAIGN}/properties/code", False),
    "response-property-pattern-added": (lambda d: campaign(d)["properties"]["id"].update(pattern="^[0-9a-f-]+$"), f"{CAMPAIGN}/properties/id", False),
    "response-union-alternative-added": (lambda d: (campaign(d)["properties"]["model"]["oneOf"].append({"$ref": "#/components/schemas/AnthropicModel"}),
                                                    campaign(d)["properties"]["model"]["discriminator"]["mapping"].update(anthropic="#/components/schemas/AnthropicModel")),
                                         f"{CAMPAIGN}/properties/model/oneOf/2", False),
    "response-union-alternative-removed": (lambda d: (campaign(d)["properties"]["model"]["oneOf"].pop(1),
                                                      campaign(d)["properties"]["model"]["discriminator"]["mapping"].pop("openai")),
                                           f"{CAMPAIGN}/properties/model/oneOf/1", False),
    "response-status-added": (lambda d: d["paths"]["/campaign"]["get"]["responses"].update({"404": {"description": "x"}}),
                              "/paths/~1campaign/get/responses/404", False),
    "response-media-type-added": (lambda d: d["paths"]["/campaign"]["get"]["responses"]["200"]["content"].update({"text/csv": {"schema": {"type": "string"}}}),
                                  "/paths/~1campaign/get/responses/200/content/text~1csv", False),
    "response-media-type-removed": (lambda d: d["paths"]["/campaign"]["get"]["responses"]["200"].update(content={"text/csv": {"schema": {"type": "string"}}}),
                                    "/paths/~1campaign/get/responses/200/content/application~1json", True),
    "response-success-status-removed": (lambda d: d["paths"]["/campaign"]["get"]["responses"].update({"201": d["paths"]["/campaign"]["get"]["responses"].pop("200")}),
                                        "/paths/~1campaign/get/responses/200", True),
    "security-scheme-added": (lambda d: d["paths"]["/campaign"]["get"]["security"].append({"oauth": []}), "/paths/~1campaign/get/security", True),
    "security-scheme-removed": (lambda d: d["paths"]["/campaign"]["get"].update(security=[]), "/paths/~1campaign/get/security", False),
    "schema-added": (lambda d: (campaign(d)["properties"].update(extra={"$ref": "#/components/schemas/AnthropicModel"})),
                     "/components/schemas/AnthropicModel", False),
    "schema-removed": (lambda d: (campaign(d)["properties"]["model"].update(oneOf=[{"$ref": "#/components/schemas/XaiModel"}]),
                                  campaign(d)["properties"]["model"].pop("discriminator")),
                       "/components/schemas/OpenAIModel", False),
    "operation-removed": (lambda d: d["paths"].pop("/campaign"), "/paths/~1campaign/get", True),
    "published-document-invalid": (lambda d: campaign(d)["properties"].update(schedule={"$ref": "#/components/schemas/SchedulePlan"}),
                                   f"{CAMPAIGN}/properties/schedule", False),
}

# rules exercised elsewhere (the reverse direction of a case above)
REVERSED = {"request-parameter-became-optional": "request-parameter-became-required",
            "response-property-type-narrowed": lambda d: campaign(d)["properties"]["id"].update(type=["string", "number"]),
            "response-error-status-removed": "response-status-added",
            "operation-added": "operation-removed",
            "request-parameter-became-not-nullable": "request-parameter-became-nullable"}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule(rule, tmp_path):
    mutate, pointer, breaking = CASES[rule]
    new = base()
    mutate(new)
    result = diff_documents(write(tmp_path, "old.json", base()), write(tmp_path, "new.json", new))
    found = [c for c in result.changes if c.change == rule]
    assert found, [c.to_dict() for c in result.changes]
    assert found[0].pointer == pointer, [c.to_dict() for c in found]
    assert found[0].breaking is breaking
    assert found[0].message


@pytest.mark.parametrize("rule", sorted(REVERSED))
def test_reverse_rule(rule, tmp_path):
    """The reverse of a case: NEW is the base, OLD the mutated document."""
    reverse = REVERSED[rule]
    mutate = CASES[reverse][0] if isinstance(reverse, str) else reverse
    old = base()
    mutate(old)
    result = diff_documents(write(tmp_path, "old.json", old), write(tmp_path, "new.json", base()))
    found = [c for c in result.changes if c.change == rule]
    assert found, [c.to_dict() for c in result.changes]
    assert found[0].breaking is (RULES[rule].level == "breaking")


def test_every_rule_has_a_case():
    covered = set(CASES) | set(REVERSED)
    assert set(RULES) - covered - set(OBJECT_PARAMETER_CASES) == set()


def test_the_rule_table_is_one_table():
    """oasdiff's rule table, checked by a test (not an ``assert`` that ``python -O`` drops): every
    rule constant is registered under its own id, each context's schema rules belong to that
    context, and every registered rule is one the comparison can reach (a constant or a context's
    schema rule)."""
    import dataclasses

    from vapi_contract.specdiff import rules

    constants = {name: value for name, value in vars(rules).items() if isinstance(value, rules.Rule)}
    assert {r.id for r in constants.values()} == set(RULES)
    assert all(name == r.id.upper().replace("-", "_") for name, r in constants.items())
    for schema_rules, prefixes in ((rules.REQUEST_RULES, ("request-parameter-",)), (rules.RESPONSE_RULES, ("response-",))):
        for f in dataclasses.fields(schema_rules):
            rule = getattr(schema_rules, f.name)
            assert rule is None or (rule.id.startswith(prefixes) and RULES[rule.id] is rule), (f.name, rule)
    compare = (Path(rules.__file__).parent / "compare.py").read_text(encoding="utf-8")
    reached = {r.id for name, r in constants.items() if f"R.{name}" in compare}
    reached |= {getattr(sr, f.name).id for sr in (rules.REQUEST_RULES, rules.RESPONSE_RULES)
                for f in dataclasses.fields(sr) if getattr(sr, f.name) is not None}
    reached.add(rules.PUBLISHED_DOCUMENT_INVALID.id)  # a defect of the document (specdiff/defects.py)
    assert reached == set(RULES)


def _object_param(d):
    params(d).append({"name": "filter", "in": "query", "style": "deepObject", "schema": {
        "type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a"],
        "additionalProperties": False}})
    params(d).append({"name": "when", "in": "query", "schema": {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "number"}]}})


def _filter(d):
    return params(d)[7]["schema"]


# request parameters that are objects or unions (GET /campaign has none today; a later version may)
OBJECT_PARAMETER_CASES = {
    "request-parameter-property-added": (lambda d: _filter(d)["properties"].update(c={"type": "string"}), f"{PARAMS}/7/schema/properties/c", False),
    "request-parameter-property-removed": (lambda d: _filter(d)["properties"].pop("b"), f"{PARAMS}/7/schema/properties/b", True),
    "request-parameter-property-became-required": (lambda d: _filter(d)["required"].append("b"), f"{PARAMS}/7/schema/properties/b", True),
    "request-parameter-property-became-optional": (lambda d: _filter(d).pop("required"), f"{PARAMS}/7/schema/properties/a", False),
    "request-parameter-union-alternative-added": (lambda d: params(d)[8]["schema"]["oneOf"].append({"type": "boolean"}), f"{PARAMS}/8/schema/oneOf/2", False),
    "request-parameter-union-alternative-removed": (lambda d: params(d)[8]["schema"]["oneOf"].pop(1), f"{PARAMS}/8/schema/oneOf/1", True),
}


@pytest.mark.parametrize("rule", sorted(OBJECT_PARAMETER_CASES))
def test_object_parameter_rule(rule, tmp_path):
    mutate, pointer, breaking = OBJECT_PARAMETER_CASES[rule]
    old, new = base(), base()
    _object_param(old)
    _object_param(new)
    mutate(new)
    found = [c for c in diff_documents(write(tmp_path, "o.json", old), write(tmp_path, "n.json", new)).changes if c.change == rule]
    assert found and found[0].pointer == pointer and found[0].breaking is breaking, found


def test_identical_documents_have_no_change(tmp_path):
    assert diff_documents(write(tmp_path, "a.json", base()), write(tmp_path, "b.json", base())).changes == []


def test_encoding_changes_are_not_changes(tmp_path):
    """3.0 -> 3.1 spelling of the same schema (nullable, oneOf->anyOf, exclusive bounds, regex
    delimiters, const) is no change for a client."""
    new = base()
    new["openapi"] = "3.1.0"
    c = campaign(new)
    c["properties"]["calls"] = {"type": ["object", "null"]}
    c["properties"]["voice"] = {"anyOf": [{"type": "string", "enum": ["alloy", "echo"]}, {"type": "string"}]}
    c["properties"]["code"]["pattern"] = "^[A-Z]+$"
    new["components"]["schemas"]["XaiModel"]["properties"]["provider"] = {"type": "string", "const": "xai"}
    assert diff_documents(write(tmp_path, "a.json", base()), write(tmp_path, "b.json", new)).changes == []


def test_recursive_schemas_terminate(tmp_path):
    old = base()
    campaign(old)["properties"]["parent"] = {"$ref": "#/components/schemas/Campaign"}
    new = base()
    campaign(new)["properties"]["parent"] = {"$ref": "#/components/schemas/Campaign"}
    campaign(new)["properties"]["tags"] = {"type": "array", "items": {"type": "string"}}
    changes = diff_documents(write(tmp_path, "a.json", old), write(tmp_path, "b.json", new)).changes
    assert [c.change for c in changes] == ["response-property-added"]


def test_deep_changes_are_found_through_refs_and_unions(tmp_path):
    new = base()
    new["components"]["schemas"]["OpenAIModel"]["properties"].pop("model")
    changes = diff_documents(write(tmp_path, "a.json", base()), write(tmp_path, "b.json", new)).changes
    removed = [c for c in changes if c.change == "response-property-removed"]
    assert [(c.pointer, c.schema) for c in removed] == [("/components/schemas/OpenAIModel/properties/model", "OpenAIModel")]


def test_nullable_reference_is_one_change_at_the_referencing_site(tmp_path):
    """NestJS writes a nullable nested object as ``allOf: [{$ref}], nullable: true``: the change is
    the site's nullability, not every property of the component."""
    new = base()
    new["components"]["schemas"]["CampaignPaginatedResponse"]["properties"]["metadata"] = {
        "allOf": [{"$ref": "#/components/schemas/PaginationMeta"}], "nullable": True}
    changes = diff_documents(write(tmp_path, "a.json", base()), write(tmp_path, "b.json", new)).changes
    assert [(c.change, c.pointer, c.breaking) for c in changes] == [
        ("response-property-became-nullable", "/components/schemas/CampaignPaginatedResponse/properties/metadata", True)]


def test_another_kind_of_value_is_one_change(tmp_path):
    """object -> array: one type change, not a removal of every property it had."""
    old, new = base(), base()
    campaign(old)["properties"]["calls"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    campaign(new)["properties"]["calls"] = {"type": "array", "items": {"type": "string"}}
    changes = diff_documents(write(tmp_path, "a.json", old), write(tmp_path, "b.json", new)).changes
    assert [(c.change, c.pointer) for c in changes] == [("response-property-type-changed", f"{CAMPAIGN}/properties/calls")]


def test_inline_schema_moved_to_a_component_is_no_change(tmp_path):
    old, new = base(), base()
    inline = {"type": "object", "properties": {"provider": {"type": "string", "enum": ["xai"]}}}
    campaign(old)["properties"]["extra"] = inline
    new["components"]["schemas"]["Extra"] = inline
    campaign(new)["properties"]["extra"] = {"$ref": "#/components/schemas/Extra"}
    changes = diff_documents(write(tmp_path, "a.json", old), write(tmp_path, "b.json", new)).changes
    assert [c.change for c in changes] == ["schema-added"]


def test_union_made_by_a_repair_points_at_the_node(tmp_path):
    """A type contradicted by the document's own array example becomes a union in conversion; a
    change there points at the property, which exists in the document (no synthetic /anyOf/i)."""
    old, new = base(), base()
    campaign(old)["properties"]["phrases"] = {"type": "string", "example": ["stop", "wait"]}
    campaign(new)["properties"]["phrases"] = {"type": "boolean", "example": ["stop", "wait"]}
    changes = diff_documents(write(tmp_path, "a.json", old), write(tmp_path, "b.json", new)).changes
    assert changes and {c.pointer for c in changes} == {f"{CAMPAIGN}/properties/phrases"}
