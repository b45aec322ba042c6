"""What tells findings apart (``Violation.locus``, the third part of a fingerprint) holds whatever
the data: the item, page, value or index a fault shows on; and two faults of one check differ."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vapi_contract.invariants import Reference, filtering, inputs, paging, reliability, shape
from vapi_contract.timeutil import format_ms

from .answers import BASE, ENDPOINT, ITEMS, answer, observation

REQUIRED = ("status", "name", "orgId", "callsCounterQueued", "createdAt")


def _loci(found) -> set[str]:
    assert all(v.locus for v in found)
    return {v.locus for v in found}


@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, 9), field=st.sampled_from(REQUIRED))
def test_a_missing_field_has_one_locus_on_whichever_item(validator, index, field):
    good = answer(ITEMS, [("limit", "10")])
    items = [dict(i) for i in good.results]
    del items[index][field]
    found = shape.body_schema(observation(good.params, 200, {"results": items, "metadata": good.metadata}), validator, ENDPOINT)
    assert _loci(found) == {f"/results/*/{field} required"}


def test_map_keys_and_indices_are_generalised_and_fields_kept(validator):
    from vapi_contract.contract.validator import Violation

    good = answer(ITEMS, [("limit", "3")])
    items = [dict(i) for i in good.results]
    items[2]["callsCounterEnded"] = "3"
    found = shape.body_schema(observation(good.params, 200, {"results": items, "metadata": good.metadata}), validator, ENDPOINT)
    assert _loci(found) == {"/results/*/callsCounterEnded type"}
    # a key of a map (call ids: names no schema declares) is data too
    assert validator.location(Violation("/results/4/calls/call-7f3a/status", "'x' is not one of ['a']", "enum")) == \
        "/results/*/calls/*/status enum"
    assert validator.location(Violation("/results/0", "'orgId' is a required property", "required")) == \
        "/results/*/orgId required"


def test_a_bound_finding_names_the_bound_not_its_value_nor_the_pins():
    """The same inclusive-for-exclusive fault at two instants, with or without the run's pins
    (scaffolding): one locus; a finding at the bound's very instant is another fault's."""
    def leaked(at: int, pins: bool):
        params = [("createdAtGt", format_ms(at)), ("limit", "1000")]
        scaffolding = frozenset()
        if pins:
            params += [("createdAtLe", format_ms(BASE + 10**9)), ("updatedAtLe", format_ms(BASE + 10**9))]
            scaffolding = frozenset(params[-2:])
        wrong = answer(ITEMS, [("createdAtGe", format_ms(at)), ("limit", "1000")])  # served as >=
        return _loci(filtering.membership(ENDPOINT, observation(tuple(params), 200, wrong.body), scaffolding))

    ties = sorted({i["createdAt"] for i in ITEMS})
    from vapi_contract.timeutil import parse_ms
    first, second = parse_ms(ties[3]), parse_ms(ties[8])
    assert leaked(first, pins=False) == leaked(second, pins=True) == {"createdAtGt@bound"}
    ignored = answer(ITEMS, [("limit", "1000")])  # the bound ignored altogether
    assert _loci(filtering.membership(ENDPOINT, observation((("createdAtGt", format_ms(second)),), 200, ignored.body))) == {
        "createdAtGt", "createdAtGt@bound"}


def test_an_enum_filter_finding_names_its_value_and_the_combination():
    everything = answer(ITEMS, [("limit", "1000")])
    for value in ("ended", "scheduled"):
        found = filtering.membership(ENDPOINT, observation((("status", value),), 200, everything.body))
        assert _loci(found) == {f"status={value}"}
    combined = (("status", "ended"), ("createdAtLe", format_ms(BASE + 10**9)))
    assert _loci(filtering.membership(ENDPOINT, observation(combined, 200, everything.body))) == {
        "status=ended among createdAtLe&status"}


def test_a_missing_item_at_the_bound_is_told_apart_from_one_inside():
    whole = answer(ITEMS, [("limit", "1000")])
    reference = Reference.of(whole, ENDPOINT)
    at = sorted({i["createdAt"] for i in ITEMS})[5]
    exclusive = answer(ITEMS, [("createdAtLt", at), ("limit", "1000")])  # createdAtLe served as <
    found = filtering.window_completeness(ENDPOINT, observation((("createdAtLe", at),), 200, exclusive.body), reference)
    assert _loci(found.violations) == {"missing for createdAtLe@bound"}


def test_paging_loci_say_which_parameters_were_named_not_which_page():
    for page in ("2", "3"):
        good = answer(ITEMS, [("limit", "7"), ("page", page)])
        body = {"results": good.results[1:], "metadata": good.metadata}
        obs = observation(good.params, 200, body)
        assert _loci(paging.page_size(obs, paging.in_force(ENDPOINT, obs.query))) == {"page&limit given: fewer"}
    bare = answer(ITEMS, [])
    obs = observation((), 200, {"results": bare.results, "metadata": {**bare.metadata, "itemsPerPage": 10}})
    assert _loci(paging.items_per_page(obs, paging.in_force(ENDPOINT, {}), "itemsPerPage")) == {"defaults"}


def test_invalid_input_and_server_error_loci_hold_whatever_the_value():
    for text in ("1001", "5000"):
        verdict = inputs.classify(ENDPOINT, [("limit", text)])
        assert _loci(inputs.rejects_invalid(observation((("limit", text),), 200), verdict)) == {"limit out of range answered 2xx"}
    assert _loci(reliability.no_server_error(observation((), 500), "valid")) != _loci(reliability.no_server_error(observation((), 500), "invalid"))
