"""Response drift against the reference target's drift variants: each change reported at the
right pointer with the right classification; additions pass (exit 0), breaking drift fails."""

from __future__ import annotations

import pytest

from vapi_contract.runner.api import execute_run

EXPECTED = {
    # drift variant: (pointer, change, breaking, exit code)
    "added-campaign-field": ("/results/*/maxConcurrency", "property-added", False, 0),
    "added-metadata-fields": ("/metadata/totalPages", "metadata-field-added", False, 0),
    "widened-status-enum": ("/results/*/status", "enum-widened", True, 1),
    "removed-required-field": ("/results/*/callsCounterQueued", "required-property-removed", True, 1),
    "changed-type": ("/results/*/callsCounterEnded", "type-changed", True, 1),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_drift_variant_reported_and_classified(name, gate_config):
    pointer, change, breaking, code = EXPECTED[name]
    outcome = execute_run(gate_config(), target_options={"drift": name})
    found = {(d["pointer"], d["change"]): d for d in outcome.drift}
    assert (pointer, change) in found, sorted(found)
    entry = found[(pointer, change)]
    assert entry["breaking"] is breaking
    assert entry["responses"] >= 1 and "example" in entry
    assert outcome.exit_code == code
    assert outcome.verdict == ("fail" if code else "pass")
    if not breaking:
        assert outcome.violations == []
        assert all(not d["breaking"] for d in outcome.drift)


def test_conformant_target_has_no_drift(gate_config):
    outcome = execute_run(gate_config(), target_options={"seed": 3})
    assert outcome.drift == []
