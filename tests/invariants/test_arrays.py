"""The array family's reading rules (invariants/arrays.py): a read is complete only below the limit,
a cut window is narrowed at the median instant it showed, split and partition reads hold the window's
items each once, and the defaults' two complete reads hold the same items (order never compared)."""

from __future__ import annotations

import uuid

from hypothesis import given, strategies as st

from vapi_contract.contract.locate import contract_root
from vapi_contract.contract.reading import Contract
from vapi_contract.invariants import ItemKey, Observation, Reference, arrays, filtering, paging
from vapi_contract.timeutil import format_ms

CALL = Contract.load(contract_root()).endpoint("GET /call")
BASE = 1_735_689_600_000


def key(i: int, created: int, updated: int | None = None) -> ItemKey:
    return ItemKey(str(uuid.UUID(int=i + 1)), created, created if updated is None else updated,
                   tuple(None for _ in CALL.value_fields))


def read(keys, status: int = 200, params=()) -> Observation:
    body = [{"id": k.id, "createdAt": format_ms(k.created_ms), "updatedAt": format_ms(k.updated_ms)} for k in keys]
    return Observation(tuple(params), status, body, "application/json", envelope=CALL.envelope)


def ref(keys) -> Reference:
    return Reference(tuple(keys), None)


# -- complete -----------------------------------------------------------------------------------------
def test_a_read_is_complete_only_below_the_limit():
    keys = [key(i, BASE + i) for i in range(3)]
    assert arrays.complete(read(keys), 4)
    assert not arrays.complete(read(keys), 3)  # exactly the limit: it may have been cut
    assert not arrays.complete(read(keys[:1], status=400), 4)


def test_a_bare_body_is_read_as_the_items():
    keys = [key(i, BASE + i) for i in range(2)]
    obs = read(keys)
    assert [k.id for k in obs.keys(CALL)] == [k.id for k in keys] and obs.metadata == {} and obs.total_items is None


# -- narrower -----------------------------------------------------------------------------------------
def test_the_narrower_edge_is_the_median_instant_shown():
    keys = [key(i, BASE + 10 * i) for i in range(5)]
    assert arrays.narrower(keys, None) == BASE + 20
    assert arrays.narrower(keys, BASE + 20) == BASE + 30  # instants at or below the old edge do not count
    assert arrays.narrower([key(0, BASE), key(1, BASE)], None) is None  # one instant: nothing to cut at


@given(st.lists(st.integers(0, 10_000), min_size=2, max_size=60))
def test_the_narrower_window_always_loses_an_item_it_showed(stamps):
    keys = [key(i, BASE + s) for i, s in enumerate(stamps)]
    edge = arrays.narrower(keys, None)
    if edge is None:
        assert len(set(stamps)) == 1
        return
    kept = [k for k in keys if k.created_ms > edge]
    assert 0 < len(kept) < len(keys)


# -- covers -------------------------------------------------------------------------------------------
WINDOW = [key(i, BASE + i) for i in range(6)]


def test_a_split_holding_the_window_each_once_passes():
    j = arrays.covers(ref(WINDOW), {"lt": ref(WINDOW[:3]), "ge": ref(WINDOW[3:])}, "split", "split by lt + ge")
    assert j.violations == [] and j.still and filtering.METAMORPHIC in j.exercised


def test_an_item_in_both_sides_of_a_split_is_a_violation():
    j = arrays.covers(ref(WINDOW), {"lt": ref(WINDOW[:4]), "ge": ref(WINDOW[3:])}, "split", "split by lt + ge")
    assert [v.locus for v in j.violations] == ["split by lt + ge"] and "two parts" in j.violations[0].message


def test_an_item_in_no_part_is_a_violation_on_still_data_and_set_aside_when_it_moved():
    parts = {"lt": ref(WINDOW[:2]), "ge": ref(WINDOW[3:])}
    assert "in no part" in arrays.covers(ref(WINDOW), parts, "split", "s").violations[0].message
    changed = [key(2, BASE + 2, BASE + 99)] + WINDOW[:2] + WINDOW[3:]  # item 2 changed: it left the pinned set
    moved = arrays.covers(ref(WINDOW), parts, "split", "s", closing=ref(changed))
    assert moved.violations == [] and not moved.still and moved.set_aside == 1
    unchanged = arrays.covers(ref(WINDOW), parts, "split", "s", closing=ref(WINDOW[:5]))  # item 5 moved, item 2 did not
    assert len(unchanged.violations) == 1 and WINDOW[2].id in unchanged.violations[0].message


def test_an_item_a_part_holds_that_the_window_did_not_is_never_movement():
    parts = {"lt": ref(WINDOW[:3]), "ge": ref([*WINDOW[3:], key(99, BASE + 50)])}
    j = arrays.covers(ref(WINDOW), parts, "split", "s", closing=ref(WINDOW[1:]))
    assert any("does not hold" in v.message for v in j.violations)


# -- same_items ---------------------------------------------------------------------------------------
def test_the_defaults_compare_items_not_their_order():
    keys = [key(i, BASE + i) for i in range(5)]
    j = arrays.same_items(CALL, read(keys), read(list(reversed(keys))), 100)
    assert j.violations == [] and paging.DEFAULTS in j.exercised


def test_the_defaults_are_not_judged_on_a_cut_read():
    keys = [key(i, BASE + i) for i in range(5)]
    j = arrays.same_items(CALL, read(keys), read(keys[:4]), 5)
    assert j.exercised == frozenset() and j.violations == []


def test_an_item_only_the_second_read_holds_is_a_violation_on_still_data():
    keys = [key(i, BASE + i) for i in range(5)]
    j = arrays.same_items(CALL, read(keys[:4]), read(keys), 100)
    assert j.still and [v.check for v in j.violations] == [paging.DEFAULTS]
    shrunk = arrays.same_items(CALL, read(keys), read(keys[:4]), 100)  # the second lacks one: movement may explain it
    assert not shrunk.still and shrunk.violations


# -- shape ------------------------------------------------------------------------------------------------
def test_a_bare_array_is_validated_item_by_item_and_an_object_is_no_array():
    from vapi_contract.contract.validator import Validator
    from vapi_contract.invariants import shape

    validator = Validator.load(contract_root())
    found = shape.body_schema(read([key(0, BASE)]), validator, CALL)  # an item without the Call's required fields
    assert found and all(v.pointer.startswith("/0") for v in found)
    assert all(v.locus.startswith("/*/") and v.locus.endswith(" required") for v in found)  # index generalised
    wrapped = Observation((), 200, {"results": []}, "application/json", envelope=CALL.envelope)
    assert [v.locus for v in shape.body_schema(wrapped, validator, CALL)] == ["/ type"]
