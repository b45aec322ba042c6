"""The states of known deviations, as a pure function: matched, not seen, expired, not checked, not
applicable; and the precision the suite promises (what it tells apart, an entry never hides)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from known_fakes import OP, TODAY, V2, entry, violation

from vapi_contract.known.acknowledge import Acknowledgement, found_in
from vapi_contract.known.matching import (EXPIRED, MATCHED, NOT_APPLICABLE, NOT_CHECKED, NOT_SEEN, RunFacts, in_force,
                                          settle)
from vapi_contract.known.store import KnownFile

FULL = RunFacts(OP, "https://api.vapi.ai", complete=True, exercised=frozenset({"filters.membership", "shape.body-schema"}),
                drift_checked=True, spec_checked=True)


def states(entries, violations, facts=FULL, today=TODAY, drift=(), spec=()):
    outcome = settle(entries, found_in(facts.operation, violations, drift, spec), facts, today)
    return [s.state for s in outcome.settled], outcome


def test_a_finding_with_the_entrys_fingerprint_is_matched_and_carried():
    archived = violation(locus="status=archived")
    found, outcome = states([entry()], [archived])
    assert found == [MATCHED] and outcome.settled[0].findings[0].item is archived
    assert outcome.known_ids == {entry().id}


def test_not_seen_needs_a_complete_full_run_that_exercised_the_check():
    assert states([entry()], [])[0] == [NOT_SEEN]
    assert states([entry()], [], RunFacts(OP, None, complete=False, exercised=FULL.exercised))[0] == [NOT_CHECKED]
    assert states([entry()], [], RunFacts(OP, None, complete=True, only="auth.missing-key",
                                          exercised=FULL.exercised))[0] == [NOT_CHECKED]
    assert states([entry()], [], RunFacts(OP, None, complete=True, exercised=frozenset({"shape.body-schema"})))[0] \
        == [NOT_CHECKED]
    why = settle([entry()], [], RunFacts(OP, None, complete=True), TODAY).settled[0].why
    assert "did not exercise filters.membership" in why


def test_spec_and_drift_entries_are_not_seen_only_where_the_run_judged_them():
    spec = entry("spec.response-property-removed", "/components/schemas/Campaign/properties/name \"name\"")
    drift = entry("drift.required-property-removed", "/results/*/callsCounterQueued")
    no_spec = RunFacts(OP, None, complete=True, drift_checked=True, spec_checked=False)
    assert states([spec, drift], [], no_spec)[0] == [NOT_CHECKED, NOT_SEEN]
    assert states([spec, drift], [], FULL)[0] == [NOT_SEEN, NOT_SEEN]


def test_an_expired_entry_matches_nothing_and_holds_its_findings_that_fail_again():
    e = entry(expires=TODAY - timedelta(days=1))
    found, outcome = states([e], [violation()])
    assert found == [EXPIRED] and len(outcome.settled[0].findings) == 1
    assert in_force([e], OP, None, TODAY) == {}
    # its last day is still in force
    assert states([entry(expires=TODAY)], [violation()])[0] == [MATCHED]


@pytest.mark.parametrize("days, warned", [(0, True), (1, True), (7, True), (8, False), (200, False)])
def test_within_seven_days_of_expiry_an_entry_in_force_is_expiring(days, warned):
    _, outcome = states([entry(expires=TODAY + timedelta(days=days))], [violation()])
    assert outcome.settled[0].expiring is warned and outcome.settled[0].days_left == days


def test_entries_of_another_operation_or_target_are_not_applicable_never_not_seen():
    other_op = entry(operation=V2)
    other_target = entry(locus="status=cancelled", target="https://staging.vapi.ai")
    here = entry(locus="status=ended", target="https://api.vapi.ai")
    found, outcome = states([other_op, other_target, here], [])
    assert found == [NOT_APPLICABLE, NOT_APPLICABLE, NOT_SEEN]
    assert "GET /v2/campaign" in outcome.settled[0].why and "staging" in outcome.settled[1].why


# -- precision: what the suite tells apart, one entry never hides -------------------------------------
@pytest.mark.parametrize("acknowledged, other", [
    (("filters.membership", "status=archived"), ("filters.membership", "status=cancelled")),  # same enum filter, other value
    (("filters.membership", "status=archived"), ("filters.membership", "id")),  # another filter
    (("shape.body-schema", "/results/*/callsCounterEndedVoicemail required"),
     ("shape.body-schema", "/results/*/callsCounterQueued required")),  # another field under the same required rule
    (("pagination.page-size", "limit given: fewer"), ("pagination.page-size", "limit given: more")),  # another paging error
])
def test_acknowledging_one_fault_never_hides_another_the_suite_tells_apart(acknowledged, other):
    ack = Acknowledgement.of(KnownFile("kd.toml", (entry(*acknowledged),)), TODAY, OP, None,
                             [violation(*acknowledged), violation(*other)])
    assert [v.locus for v in ack.unknown_violations] == [other[1]] and ack.failing
    alone = Acknowledgement.of(KnownFile("kd.toml", (entry(*acknowledged),)), TODAY, OP, None, [violation(*acknowledged)])
    assert alone.unknown_violations == [] and not alone.failing


def test_the_same_fault_on_the_other_operation_or_against_another_named_target_still_fails():
    known = KnownFile("kd.toml", (entry(target="https://api.vapi.ai"),))
    on_v2 = Acknowledgement.of(known, TODAY, V2, "https://api.vapi.ai", [violation()])
    elsewhere = Acknowledgement.of(known, TODAY, OP, "https://staging.vapi.ai", [violation()])
    there = Acknowledgement.of(known, TODAY, OP, "https://API.vapi.ai/", [violation()])
    assert on_v2.failing and elsewhere.failing and not there.failing


def test_breaking_drift_and_published_changes_fail_unless_acknowledged_additions_never_do():
    drift = [{"change": "required-property-removed", "pointer": "/results/*/callsCounterQueued", "breaking": True},
             {"change": "property-added", "pointer": "/results/*/maxRetries", "breaking": False}]
    spec = [{"change": "response-property-removed", "pointer": "/components/schemas/Campaign/properties/name",
             "value": "name", "breaking": True}]
    nothing = Acknowledgement.of(None, TODAY, OP, None, [], drift, spec)
    assert nothing.failing and {f.check for f in nothing.found} == {"drift.required-property-removed",
                                                                    "spec.response-property-removed"}
    both = KnownFile("kd.toml", (entry("drift.required-property-removed", "/results/*/callsCounterQueued"),
                                 entry("spec.response-property-removed",
                                       '/components/schemas/Campaign/properties/name "name"', index=2)))
    assert not Acknowledgement.of(both, TODAY, OP, None, [], drift, spec).failing
    other_field = [dict(drift[0], pointer="/results/*/callsCounterEnded")]
    assert Acknowledgement.of(both, TODAY, OP, None, [], other_field, spec).failing


def test_settling_after_the_verdict_gives_every_entry_its_state_in_file_order():
    known = KnownFile("kd.toml", (entry(), entry(locus="status=cancelled", index=2), entry(operation=V2, index=3),
                                  entry(locus="status=ended", expires=date(2026, 12, 1), index=4)))
    ack = Acknowledgement.of(known, TODAY, OP, None, [violation(), violation(locus="status=ended")])
    outcome = ack.settle(complete=True, exercised=["filters.membership"])
    assert [s.state for s in outcome.settled] == [MATCHED, NOT_SEEN, NOT_APPLICABLE, EXPIRED]
    assert [v.locus for v in ack.unknown_violations] == ["status=ended"] and outcome.file == "kd.toml"
