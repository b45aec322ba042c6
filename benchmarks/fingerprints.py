"""Fingerprints across runs: is each fault of the reference target named the same on every seed
and size, and are the faults that share a check told apart?

For every fault of the catalogue (those the operation can show): the gate against the embedded
target with that fault, at each (seed, campaigns) of the grid.  A fault's fingerprints are the set
its findings carry.  Prints, per fault, whether that set is the same on every run of the grid
(stable) and, per check, the pairs of faults whose fingerprint sets in that check are equal (not
told apart) or one inside the other (acknowledging the larger would hide the smaller).

    .venv/bin/python benchmarks/fingerprints.py [--operation "GET /v2/campaign"] [--grid 0:300 1:300 0:3000]
        [--faults NAME ...]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from collections import defaultdict

from vapi_contract.reference.faults import FAULTS
from vapi_contract.reference.surface import surface as surface_named
from vapi_contract.runner.config import resolve
from vapi_contract.runner.output.summary import build_summary
from vapi_contract.runner.suite import run as run_suite


def fingerprints(operation: str, fault: str, seed: int, campaigns: int) -> set[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as reports:
        config = resolve(None, "gate", seed, reports, None, None, 5.0, operation=operation, environ={})
        summary = build_summary(run_suite(config, target_options={"fault": fault, "campaigns": campaigns}))
    return {(v["check"], v["fingerprint"], v["locus"]) for v in summary["violations"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--operation", default="GET /campaign")
    parser.add_argument("--grid", nargs="+", default=["0:300", "1:300", "0:3000"], help="seed:campaigns of each run")
    parser.add_argument("--faults", nargs="*", default=None, help="only these faults (default: every one the operation can show)")
    args = parser.parse_args()
    grid = [tuple(int(x) for x in cell.split(":")) for cell in args.grid]
    served = surface_named(None)
    path = args.operation.split(" ", 1)[1]
    names = args.faults or sorted(n for n, f in FAULTS.items() if f.served_by(served) and (not f.paths or path in f.paths)
                                  and n != "slow-responses")  # slow-responses: the limit decides, not the fault
    sets: dict[str, set] = {}
    unstable = []
    t0 = time.perf_counter()
    for name in names:
        runs = [fingerprints(args.operation, name, seed, campaigns) for seed, campaigns in grid]
        sets[name] = set.union(*runs)
        same = all(r == runs[0] for r in runs)
        if not same:
            unstable.append(name)
        print(f"{name:32s} {'stable' if same else 'varies'}  fingerprints {len(runs[0]):3d}"
              + ("" if same else f"  (per run: {', '.join(str(len(r)) for r in runs)}; in all: {len(sets[name])})"),
              flush=True)
    by_check: dict[str, dict[str, frozenset]] = defaultdict(dict)
    for name, found in sets.items():
        for check, fp, _ in found:
            by_check[check].setdefault(name, set()).add(fp)
    equal, inside = [], []
    for check, faults in sorted(by_check.items()):
        for a, b in itertools.combinations(sorted(faults), 2):
            if faults[a] == faults[b]:
                equal.append((check, a, b))
            elif faults[a] < faults[b] or faults[b] < faults[a]:
                inside.append((check, *((a, b) if faults[a] < faults[b] else (b, a))))
    print(f"\n{args.operation}: {len(names)} faults x {len(grid)} runs in {time.perf_counter() - t0:.0f} s; "
          f"stable on every run: {len(names) - len(unstable)}/{len(names)}")
    print(f"pairs sharing a check: {sum(len(f) * (len(f) - 1) // 2 for f in by_check.values())}; "
          f"not told apart (equal sets): {len(equal)}; one inside the other: {len(inside)}")
    for check, a, b in equal:
        print(f"  equal   {check}: {a} = {b}")
    for check, small, large in inside:
        print(f"  inside  {check}: {small} within {large}")
    return 1 if equal else 0


if __name__ == "__main__":
    sys.exit(main())
