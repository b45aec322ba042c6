"""Property: any single realistic edit of the real published document is found, at a pointer
that exists in the document it names, and never crashes the diff."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vapi_contract.contract.schema_walk import resolve_pointer as resolve
from vapi_contract.specdiff import diff_documents
from vapi_contract.specdiff.document import load_side

OPS = ("remove-property", "retype-property", "add-enum-value", "toggle-required", "add-property")


@pytest.fixture(scope="module")
def original(published_version, tmp_path_factory):
    path = published_version("2026-04-11")
    document = json.loads(path.read_text())
    reachable = sorted(load_side(str(path)).components)
    return path, document, reachable


def _edit(document: dict, component: str, op: str, pick: int):
    schema = document["components"]["schemas"][component]
    props = schema.get("properties") or {}
    if not props:
        return None
    name = sorted(props)[pick % len(props)]
    prop = props[name]
    if op == "remove-property":
        del props[name]
    elif op == "retype-property":
        if "type" not in prop or prop["type"] == "object" or "enum" in prop:
            return None  # (a type contradicting its own enum is repaired back: enum-type-mismatch)
        prop["type"] = "boolean" if prop["type"] != "boolean" else "string"
    elif op == "add-enum-value":
        if not isinstance(prop.get("enum"), list):
            return None
        prop["enum"].append("a-new-value")
    elif op == "toggle-required":
        required = schema.setdefault("required", [])
        required.remove(name) if name in required else required.append(name)
    elif op == "add-property":
        props["zzNewProperty"] = {"type": "string"}
    return name


@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_single_edits_are_found(original, tmp_path_factory, data):
    path, document, reachable = original
    component = data.draw(st.sampled_from(reachable))
    op = data.draw(st.sampled_from(OPS))
    pick = data.draw(st.integers(0, 1000))
    edited = copy.deepcopy(document)
    name = _edit(edited, component, op, pick)
    if name is None:
        return
    out = tmp_path_factory.mktemp("edit") / "new.json"
    out.write_text(json.dumps(edited))
    changes = diff_documents(str(path), str(out)).changes
    assert changes, (component, op, name)
    for change in changes:  # into NEW, or into OLD for removals
        where = document if change.change.endswith("-removed") else edited
        assert resolve(where, change.pointer) is not None, change
    if op == "remove-property":
        assert any(c.change == "response-property-removed" and c.value == name and c.schema == component for c in changes)
    if op == "add-property":
        assert any(c.change == "response-property-added" and c.value == "zzNewProperty" for c in changes)
