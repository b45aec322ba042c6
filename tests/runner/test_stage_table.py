"""The stage table against the check registry, in the style of oasdiff's symmetry test over its
rule table: what the stages declare and what the registry holds must agree, for every list
operation of the pin and for one with neither ``status`` nor ``id``."""

from __future__ import annotations

import copy

import pytest

from vapi_contract.contract.reading import Contract
from vapi_contract.invariants.registry import CHECKS, applicable
from vapi_contract.runner.stages import PROBES, STAGES, select


def _without_filters(endpoint):
    """The same listing as a contract without its ``status`` and ``id`` parameters would declare it."""
    document = copy.deepcopy(endpoint.document)
    operation = document["paths"][endpoint.path]["get"]
    operation["parameters"] = [p for p in operation["parameters"] if p["name"] not in ("status", "id")]
    return Contract(document).endpoint(endpoint.label)


def _endpoints(pin_root):
    contract = Contract.load(pin_root)
    first = contract.endpoint(contract.default_operation)  # GET /campaign: endpoints[0]
    found = [first] + [contract.endpoint(op) for op in contract.operations if op != first.label]
    return found + [_without_filters(first)]


@pytest.fixture(scope="module")
def endpoints(pin_root):
    return _endpoints(pin_root)


def test_every_declared_check_exists_and_names_are_unique():
    names = [s.name for s in STAGES]
    assert len(names) == len(set(names)) and PROBES not in names
    for stage in STAGES:
        assert stage.checks and set(stage.checks) <= set(CHECKS), (stage.name, set(stage.checks) - set(CHECKS))
        assert set(stage.after) <= set(names[:names.index(stage.name)]), stage.name  # builds on earlier stages only
        assert stage.areas == {CHECKS[c].area for c in stage.checks}


def test_needs_are_the_vocabulary_of_the_checks(endpoints):
    """A stage's needs are phrased like a check's requires: every need is an element some check
    requires, and each is one the Endpoint can answer (true for at least one endpoint here or not)."""
    vocabulary = {r for c in CHECKS.values() for r in c.requires}
    for stage in STAGES:
        assert set(stage.needs) <= vocabulary, (stage.name, set(stage.needs) - vocabulary)


def test_every_applicable_check_is_exercisable_by_a_selected_stage(endpoints):
    for endpoint in endpoints:
        selected = select(endpoint)
        exercisable = set().union(*(s.exercisable(endpoint) for s in selected))
        assert set(applicable(endpoint)) <= exercisable, (endpoint.label, set(applicable(endpoint)) - exercisable)
        assert exercisable <= set(applicable(endpoint))
        for stage in STAGES:  # a stage is left out exactly when the contract lacks what it needs
            assert (stage in selected) == all(endpoint.supports(n) for n in stage.needs), (endpoint.label, stage.name)


def test_the_operation_without_status_or_id_has_fewer_stages_but_no_gap(endpoints):
    plain = endpoints[-1]
    assert plain.filters == () and plain.bounds  # the bounds remain filters
    assert "filters" in {s.name for s in select(plain)}


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_only_runs_the_stages_that_can_exercise_a_check_and_what_they_build_on(check, endpoints):
    endpoint = endpoints[0]
    if check not in applicable(endpoint):
        return
    chosen = select(endpoint, only=check)
    exercising = [s for s in chosen if check in s.exercisable(endpoint)]
    assert exercising, check
    builds_on = {name for s in exercising for name in s.after}
    assert {s.name for s in chosen} == {s.name for s in exercising} | builds_on
    assert PROBES not in {s.name for s in chosen}


def test_only_cursor_end_runs_the_cursor_stage_and_the_survey(endpoints):
    assert [s.name for s in select(endpoints[0], only="pagination.cursor-end")] == ["survey", "cursors"]


def test_probes_join_only_when_asked_and_before_the_final_stage(endpoints):
    stages = select(endpoints[0], probe_with={"sortBy": ("cost",)})
    assert [s.name for s in stages][-2:] == [PROBES, "tenancy"]
    assert PROBES not in {s.name for s in select(endpoints[0])}
    assert PROBES not in {s.name for s in select(endpoints[0], probe_with={"sortBy": ("cost",)}, only="pagination.order")}
