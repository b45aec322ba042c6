"""How many of the reference target's faults each profile catches, and at what cost.

For every fault in the catalogue: one run of the profile against the embedded target with that
fault on; caught = exit 1 with a violation in the fault's own area.  Prints per-profile counts,
wall time and requests (median per run), and the faults a profile misses.

    .venv/bin/python benchmarks/fault_catch.py [--profiles gate nightly] [--seed 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

from vapi_contract.runner.api import execute_run
from vapi_contract.runner.config import resolve
from vapi_contract.target.faults import FAULTS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", nargs="+", default=["gate", "nightly"])
    parser.add_argument("--seed", type=int, default=7, help="run seed for nightly (gate is always seed 0)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for profile in args.profiles:
            config = resolve(None, profile, None if profile == "gate" else args.seed, tmp, None, None, 1.0, environ={})
            caught, missed, walls, requests = 0, [], [], []
            for name, fault in FAULTS.items():
                t0 = time.perf_counter()
                outcome = execute_run(config, target_options={"fault": name})
                walls.append(time.perf_counter() - t0)
                requests.append(outcome.requests)
                if outcome.exit_code == 1 and any(v.area == fault.area for v in outcome.violations):
                    caught += 1
                else:
                    missed.append(name)
            print(f"{profile}: caught {caught}/{len(FAULTS)} faults; per run median {statistics.median(walls):.1f} s "
                  f"(max {max(walls):.1f} s), median {statistics.median(requests):.0f} requests"
                  + (f"; missed: {', '.join(missed)}" if missed else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
