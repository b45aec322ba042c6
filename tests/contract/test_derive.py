"""`vapi-contract derive`: reproducible, valid, faithful to the published document."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from vapi_contract.contract.derive import CONTRACT_FILE, PROVENANCE_FILE, SCHEMAS_SUBDIR, derive
from vapi_contract.contract.schema_walk import SUBSCHEMA_LISTS, SUBSCHEMA_MAPS, SUBSCHEMA_SINGLE
from vapi_contract.contract.source import load_source

DOCUMENTED_PARAMS = [
    "id", "status", "page", "sortOrder", "sortBy", "limit",
    "createdAtGt", "createdAtLt", "createdAtGe", "createdAtLe",
    "updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe",
]


@pytest.fixture(scope="module")
def derived(derived_whole):
    return derived_whole


@pytest.fixture(scope="module")
def contract(repo_root):
    return json.loads((repo_root / CONTRACT_FILE).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path, extra", [("/campaign", []), ("/v2/campaign", ["includeCounters"])])
def test_contract_operations_as_documented(contract, path, extra):
    """Both list-campaigns operations of the 2026-08-18 document, each with its parameters."""
    op = contract["paths"][path]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert sorted(params) == sorted(DOCUMENTED_PARAMS + extra)
    assert all(p["in"] == "query" and p.get("required") is False for p in params.values())
    assert params["status"]["schema"]["enum"] == ["scheduled", "in-progress", "ended", "cancelled", "archived"]
    assert params["sortOrder"]["schema"] == {"enum": ["ASC", "DESC"], "type": "string", "default": "DESC"}
    assert params["sortBy"]["schema"] == {"enum": ["createdAt", "duration", "cost"], "type": "string", "default": "createdAt"}
    assert params["page"]["schema"] == {"minimum": 1, "type": "number", "default": 1}
    assert params["limit"]["schema"] == {"minimum": 0, "maximum": 1000, "type": "number", "default": 100}
    for name in DOCUMENTED_PARAMS[6:]:
        assert params[name]["schema"] == {"format": "date-time", "type": "string"}
    if extra:
        assert params["includeCounters"]["schema"] == {"type": "boolean", "default": False}
    assert set(op["responses"]) == {"200", "400", "401"}
    assert op["security"] == [{"bearer": []}]
    assert contract["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_error_responses_and_defaults_are_marked_as_additions(repo_root):
    provenance = json.loads((repo_root / PROVENANCE_FILE).read_text(encoding="utf-8"))
    pointers = {a["pointer"] for a in provenance["additions"]}
    for op in ("/paths/~1campaign/get", "/paths/~1v2~1campaign/get"):
        assert {f"{op}/responses/400", f"{op}/responses/401"} <= pointers
    assert {f"/paths/~1campaign/get/parameters/{i}/schema/default" for i in (2, 3, 4, 5)} <= pointers
    assert len(provenance["operations"]) == 25  # every listing of the whole document (issue 25)
    assert {"GET /campaign", "GET /v2/campaign", "GET /chat", "GET /call"} <= set(provenance["operations"])
    assert provenance["date"] == "2026-08-18"
    assert len(provenance["sha256"]) == 64
    assert provenance["source"] == "vapi-openapi.2026-08-18.json"


@pytest.mark.slow  # whole documents or a served subprocess: in `make test`, not the fast loop
def test_contract_loads_in_schemathesis(repo_root):
    import schemathesis

    schema = schemathesis.openapi.from_path(str(repo_root / CONTRACT_FILE))
    operations = [op.ok() for op in schema.get_all_operations()]
    provenance = json.loads((repo_root / PROVENANCE_FILE).read_text(encoding="utf-8"))
    assert [f"{o.method.upper()} {o.path}" for o in operations] == provenance["operations"]


def test_error_body_schemas_accept_the_documented_nestjs_bodies(validator):
    assert validator.violations(
        {"message": ["limit must not be greater than 1000"], "error": "Bad Request", "statusCode": 400},
        "BadRequestError",
    ) == []
    assert validator.violations(
        {"message": "Invalid Key. Hot tip, ...", "error": "Unauthorized", "statusCode": 401},
        "UnauthorizedError",
    ) == []


def test_every_schema_file_has_id_and_dialect(repo_root):
    files = sorted((repo_root / SCHEMAS_SUBDIR).glob("*.json"))
    assert len(files) >= 300
    for path in files:
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].endswith(f"/{path.name}")


def _shape(node, source_side: bool):
    """Every (path, property names, required, enum) reachable without crossing a $ref."""
    found = {}

    def walk(n, path):
        if not isinstance(n, dict):
            return
        if any(isinstance(r, dict) and "if" in r for r in n.get("allOf", [])):
            return  # a discriminated union: its alternatives are compared as components
        if "properties" in n:
            found[path + "#props"] = sorted(n["properties"])
        if "required" in n and isinstance(n["required"], list) and "properties" in n:
            found[path + "#required"] = sorted(n["required"])
        for key in SUBSCHEMA_MAPS:
            if key == "properties" and isinstance(n.get(key), dict):
                for k, v in n[key].items():
                    walk(v, f"{path}/{k}")
    walk(node, "")
    return found


def test_faithful_properties_and_required_lists_at_every_depth(published_doc, repo_root):
    """Every property and every required list of every component is carried over."""
    source = json.loads(published_doc.read_text(encoding="utf-8"))["components"]["schemas"]
    files = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (repo_root / SCHEMAS_SUBDIR).glob("*.json")}
    compared = 0
    for name, schema in source.items():
        if name not in files:
            continue
        assert _shape(files[name], False) == _shape(schema, True), name
        compared += 1
    assert compared == json.loads((repo_root / PROVENANCE_FILE).read_text(encoding="utf-8"))["components"] == 492


def _enums(node, acc):
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            acc.update(repr(v) for v in node["enum"] if v is not None)
        for key, value in node.items():
            if key in SUBSCHEMA_MAPS and isinstance(value, dict):
                for v in value.values():
                    _enums(v, acc)
            elif key in SUBSCHEMA_LISTS and isinstance(value, list):
                for v in value:
                    _enums(v, acc)
            elif key in SUBSCHEMA_SINGLE or key == "then":
                _enums(value, acc)
    return acc


def test_faithful_enum_values_and_formats(published_doc, repo_root):
    source = json.loads(published_doc.read_text(encoding="utf-8"))["components"]["schemas"]
    compared = [path for path in (repo_root / SCHEMAS_SUBDIR).glob("*.json") if path.stem in source]
    assert len(compared) > 250, "the pinned schemas come from the published document's components"
    for path in compared:
        derived_text = path.read_text(encoding="utf-8")
        assert _enums(source[path.stem], set()) <= _enums(json.loads(derived_text), set()), path.stem
        assert json.dumps(source[path.stem]).count('"format": "date-time"') == derived_text.count('"format": "date-time"')


def test_unreadable_source_is_a_one_line_error(tmp_path):
    bad = tmp_path / "not-json.json"
    bad.write_text("{nope")
    for location in (str(bad), str(tmp_path / "missing.json")):
        result = subprocess.run(
            [sys.executable, "-m", "vapi_contract", "derive", "--from", location, "--out", str(tmp_path)],
            capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("vapi-contract: error:")
        assert "Traceback" not in result.stderr


def test_document_without_the_operation_is_rejected(tmp_path):
    doc = tmp_path / "other.json"
    doc.write_text(json.dumps({"openapi": "3.0.0", "paths": {"/assistant": {"get": {}}}, "components": {}}))
    result = subprocess.run(
        [sys.executable, "-m", "vapi_contract", "derive", "--from", str(doc), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2 and "the document has no listing (a GET with a limit parameter" in result.stderr
