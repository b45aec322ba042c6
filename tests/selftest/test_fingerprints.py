"""Fingerprints on real runs against the reference target's faults: the same fault has the same
names on another seed and another organisation size, and faults that share a check are told
apart (so acknowledging one never hides the other).  The whole catalogue, on both operations,
is measured by benchmarks/fingerprints.py."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest

from vapi_contract.reference.faults import FAULTS
from vapi_contract.runner.output.summary import build_summary
from vapi_contract.runner.suite import run as run_suite
from sampling import sample

pytestmark = pytest.mark.e2e


def fingerprints(config, fault: str, campaigns: int | None = None) -> set[tuple[str, str]]:
    options = {"fault": fault} | ({"campaigns": campaigns} if campaigns else {})
    summary = build_summary(run_suite(config, target_options=options))
    assert summary["verdict"] == "fail", fault
    return {(v["check"], v["fingerprint"]) for v in summary["violations"]}


@pytest.mark.parametrize("fault", sample(["missing-required-field", "current-page-zero-based"], 1))  # CI: the first
def test_one_fault_keeps_its_names_across_seeds_and_sizes(fault, gate_config):
    runs = [fingerprints(gate_config(seed=seed), fault, campaigns) for seed, campaigns in ((0, 300), (5, 300), (0, 1000))]
    assert runs[0] and runs[0] == runs[1] == runs[2], runs


@pytest.mark.sweep  # a gate run per fault of the area: `make test-sweep`
@pytest.mark.parametrize("area", ["filters", "pagination"])
def test_faults_sharing_a_check_are_told_apart(area, gate_config):
    """Two faults whose findings share a check have different fingerprints, so acknowledging one
    never hides the whole of the other.  Most pairs are told apart both
    ways (each has a fingerprint the other lacks); where one fault's symptoms include the other's
    the narrower is a special case of the broader and one way is all there is to tell: a bound
    truncated to the second also drops the item created at the bound's very instant, which is all
    that createdAtLe applied as < drops (``missing for createdAtLe@bound``).  Acknowledging the
    narrower never hides the broader.  (Within one check two faults may also show alike — a
    currentPage off by one and an itemsPerPage that counts the page both make hasNextPage
    disagree with the page's metadata — their own checks tell them apart.)"""
    names = sorted(n for n, f in FAULTS.items() if f.area == area and not f.requires)
    config = gate_config()
    found = {name: fingerprints(config, name) for name in names}
    by_check: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for name, pairs in found.items():
        for check, fingerprint in pairs:
            by_check[check].setdefault(name, set()).add(fingerprint)
    compared = both_ways = 0
    for check, faults in by_check.items():
        for a, b in itertools.combinations(sorted(faults), 2):
            compared += 1
            assert found[a] != found[b], f"{a} and {b} (sharing {check}) have the same fingerprints"
            narrower, broader = sorted((a, b), key=lambda n: len(found[n]))
            assert found[broader] - found[narrower], f"acknowledging {narrower} hides {broader} ({check})"
            both_ways += bool(found[a] - found[b] and found[b] - found[a])
    assert compared >= 10 and both_ways >= compared * 0.8, (compared, both_ways)
