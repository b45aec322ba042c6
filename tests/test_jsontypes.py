"""One reading of JSON types for the derivation (contract/convert.py) and the drift check
(drift/response.py): JSON Schema's, where an integer is a number and 5.0 is an integer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vapi_contract.jsontypes import conforms, json_type, stated_type

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3), max_leaves=8)


@pytest.mark.parametrize("value, kind, stated", [
    (None, "null", "null"), (True, "boolean", "boolean"), (3, "integer", "number"), (2.5, "number", "number"),
    ("x", "string", "string"), ([1], "array", "array"), ({}, "object", "object")])
def test_the_type_of_each_kind_of_value(value, kind, stated):
    assert (json_type(value), stated_type(value)) == (kind, stated)


@pytest.mark.parametrize("value, declared, expected", [
    (3, "number", True), (3, "integer", True), (3.0, "integer", True), (3.5, "integer", False),
    (True, "number", False), (True, "integer", False), ("3", "number", False), (None, ["string", "null"], True),
    (3, ["string", "null"], False)])
def test_json_schema_reading_of_integer_and_number(value, declared, expected):
    assert conforms(value, declared) is expected


@given(JSON)
def test_every_value_conforms_to_its_own_type_and_the_stated_one(value):
    assert conforms(value, json_type(value)) and conforms(value, stated_type(value))
