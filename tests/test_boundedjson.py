"""The one JSON reader (boundedjson): bounded before it parses, strict where JSON is strict, and its
pre-parse scan exact on every text the parser accepts."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vapi_contract import boundedjson as J

# strings whose text holds what could fool a scan: brackets, quotes, backslashes, escapes
TRICKY = st.text(alphabet=st.sampled_from(list('[]{}",:\\/abc \n\t') + ["\u00e9", "\u2028", "\U0001f600"]), max_size=12)
VALUES = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
                      | TRICKY, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TRICKY, inner, max_size=4),
                      max_leaves=30)


def depth_of(value) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


def containers_of(value) -> int:
    if isinstance(value, dict):
        return 1 + sum(containers_of(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(containers_of(v) for v in value)
    return 0


@pytest.mark.slow  # a long property/whole-document test: in `make test`, not the fast loop
@settings(max_examples=300, deadline=None)
@given(VALUES, st.booleans(), st.integers(1, 80))
def test_the_scan_measures_what_the_parser_builds(value, ascii_only, bound):
    """Exact depth (up to the bound: beyond, only "deeper") and container count, whatever the
    strings hold, in both of JSON's spellings of a string (escaped or not)."""
    raw = json.dumps(value, ensure_ascii=ascii_only).encode()
    shape = J.measure(raw, bound)
    true_depth = depth_of(value)
    assert shape.depth == true_depth if true_depth <= bound else shape.depth > bound
    assert J.measure(raw).depth == true_depth
    assert shape.containers == containers_of(value)
    assert J.read(raw, J.Limits(max_bytes=len(raw), max_depth=max(true_depth, 1))) == value


@pytest.mark.parametrize("text, kind, says", [
    (b'{"totalItems": NaN}', J.NON_FINITE, "NaN is not a JSON number"),
    (b'[Infinity]', J.NON_FINITE, "Infinity is not a JSON number"),
    (b'[-Infinity]', J.NON_FINITE, "-Infinity is not a JSON number"),
    (b'[1e999]', J.NUMBER_RANGE, "beyond what a double holds"),
    (b'[' + b"9" * 5000 + b']', J.NUMBER_RANGE, "a number out of range"),
    (b'{"a": 1, "b": {"c": 2, "c": 3}}', J.DUPLICATE_NAME, 'the name "c" twice in one object'),
    (b'\xef\xbb\xbf{"a": 1}', J.NOT_UTF8, "byte order mark"),
    (b'{"a": "\xff"}', J.NOT_UTF8, "not UTF-8: byte 0xff at offset 7"),
    (b'{"results": [', J.NOT_JSON, "not JSON: Expecting value"),
    (b"", J.NOT_JSON, "not JSON"),
    (b"[" * 65 + b"]" * 65, J.TOO_DEEP, "nested more than 64 deep"),
    (b"[" * 100_000 + b"]" * 100_000, J.TOO_DEEP, "nested more than 64 deep"),
    (b"[" * 100_000, J.TOO_DEEP, "nested more than 64 deep"),  # never closed: the parser would still recurse
])
def test_what_the_reader_refuses(text, kind, says):
    with pytest.raises(J.Rejected) as refused:
        J.read(text)
    assert refused.value.kind == kind and says in refused.value.message, refused.value.message
    assert "\n" not in refused.value.message


def test_nesting_at_the_bound_is_read():
    assert J.read(b"[" * 64 + b"]" * 64) is not None


def test_size_and_count_bounds_hold_before_any_object_is_built():
    limits = J.Limits(max_bytes=1000, max_depth=8, max_containers=10, max_values=50)
    with pytest.raises(J.Rejected) as refused:
        J.read(b" " * 1001, limits)
    assert refused.value.kind == J.TOO_LARGE and refused.value.bounded
    with pytest.raises(J.Rejected) as refused:
        J.read(b"[" + b",".join([b"{}"] * 11) + b"]", limits)
    assert refused.value.kind == J.TOO_MANY and "arrays and objects" in refused.value.message
    with pytest.raises(J.Rejected) as refused:
        J.read(b"[" + b",".join([b"1"] * 60) + b"]", limits)
    assert refused.value.kind == J.TOO_MANY and "values" in refused.value.message
    # what a page of 2,000,000 empty items becomes is never built: refused by its count
    page = b'{"results":[' + b",".join([b"{}"] * 2_000_000) + b'],"metadata":{}}'
    start = time.perf_counter()
    with pytest.raises(J.Rejected) as refused:
        J.read(page)
    assert refused.value.kind == J.TOO_MANY and time.perf_counter() - start < 5


def test_a_lenient_reading_tells_what_a_refused_text_holds():
    """For preflight only: is it Vapi's envelope?  The last copy wins, NaN is a float, bad bytes
    are replaced; the bounds still hold."""
    assert J.read_lenient(b'{"results": [], "results": {}, "n": NaN}')["results"] == {}
    assert J.read_lenient(b'{"results": ["\xff"]}') == {"results": ["\ufffd"]}
    with pytest.raises(J.Rejected):
        J.read_lenient(b"[" * 100 + b"]" * 100)


def test_the_scan_is_cheap_next_to_parsing_a_page():
    """A 1000-item page: the scan costs well under what json.loads does (the hot path)."""
    item = {"id": "a" * 36, "name": "Campaign \"quoted\" [x] {y} \\ back", "status": "ended",
            "createdAt": "2026-04-11T12:00:00.000Z", "nested": {"a": [1, 2, {"b": [3, {"c": "d"}]}]}, "n": 1.5}
    raw = json.dumps({"results": [item] * 1000, "metadata": {"totalItems": 1000}}).encode()
    best = lambda f: min(_timed(f) for _ in range(5))  # noqa: E731
    assert best(lambda: J.measure(raw, 64)) < best(lambda: json.loads(raw))


def _timed(f) -> float:
    start = time.perf_counter()
    f()
    return time.perf_counter() - start
