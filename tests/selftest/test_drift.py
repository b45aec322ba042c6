"""Response drift against the reference target's drift variants: each change reported at the
right pointer with the right classification; additions pass (exit 0), breaking drift fails."""

from __future__ import annotations

import pytest

from vapi_contract.runner.suite import run as run_suite
from sampling import sample

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

APRIL = "2026-04-11"  # today's surface serves the page metadata natively: that drift shows on April's
EXPECTED = {
    # drift variant: (pointer, change, breaking, exit code)
    "added-campaign-field": ("/results/*/maxRetries", "property-added", False, 0),
    "added-metadata-fields": ("/metadata/totalPages", "metadata-field-added", False, 0),
    "widened-status-enum": ("/results/*/status", "enum-widened", True, 1),
    "removed-required-field": ("/results/*/callsCounterQueued", "required-property-removed", True, 1),
    "changed-type": ("/results/*/callsCounterEnded", "type-changed", True, 1),
}


# CI: one addition and one breaking change; make test-sweep: every variant
@pytest.mark.parametrize("name", sample(sorted(EXPECTED), 1, group=lambda name: EXPECTED[name][2]))
def test_drift_variant_reported_and_classified(name, gate_config, april_contract):
    pointer, change, breaking, code = EXPECTED[name]
    if name == "added-metadata-fields":
        outcome = run_suite(gate_config(contract_dir=april_contract), target_options={"drift": name, "surface": APRIL})
    else:
        outcome = run_suite(gate_config(), target_options={"drift": name})
    found = {(d["pointer"], d["change"]): d for d in outcome.drift}
    assert (pointer, change) in found, sorted(found)
    entry = found[(pointer, change)]
    assert entry["breaking"] is breaking
    assert entry["responses"] >= 1 and "example" in entry
    assert outcome.exit_code == code
    assert outcome.verdict.name == ("fail" if code else "pass")
    if not breaking:
        assert outcome.violations == []
        assert all(not d["breaking"] for d in outcome.drift)


def test_conformant_target_has_no_drift(gate_config):
    outcome = run_suite(gate_config(), target_options={"seed": 3})
    assert outcome.drift == []


def test_undocumented_sortby_honoured_is_reported_as_an_addition(tmp_path, april_contract):
    """The target honours sortBy (as the 2026-04-14 document describes): with the probe flag the
    run reports it as non-breaking drift and passes; without the flag it sends no sortBy at all."""
    import dataclasses

    from vapi_contract.runner.config import resolve
    from vapi_contract.reference.server import running_target

    config = resolve(None, "gate", None, str(tmp_path), None, None, 1.0, environ={}, probe_undocumented=True,
                     contract_dir=str(april_contract))
    with running_target(drift="sortby-parameter", surface=APRIL) as target:
        probed = run_suite(config, target=target)
        plain = run_suite(dataclasses.replace(config, probe_undocumented=False), target=target)
    entry = {d["pointer"]: d for d in probed.drift}.get("/query/sortBy")
    assert entry is not None, probed.drift
    assert entry["change"] == "undocumented-parameter-honoured" and entry["breaking"] is False
    assert "sortBy=cost" in entry["example"] and "sortBy=createdAt" not in entry["example"]
    assert probed.exit_code == 0 and probed.verdict.name == "pass"
    assert plain.drift == []


def test_probe_finds_nothing_on_a_conformant_target(tmp_path):
    from vapi_contract.runner.config import resolve

    config = resolve(None, "gate", None, str(tmp_path), None, None, 1.0, environ={}, probe_undocumented=True)
    outcome = run_suite(config)
    assert outcome.drift == [] and outcome.exit_code == 0
