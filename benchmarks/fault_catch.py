"""How many of the reference target's faults each profile catches, and at what cost.

For every fault in the catalogue: one run of the profile against the embedded target with that
fault on; caught = exit 1 with a violation in the fault's own area.  Prints per-profile counts,
wall time and requests (median per run), and the faults a profile misses.

    .venv/bin/python benchmarks/fault_catch.py [--profiles gate nightly] [--seed 7] [--campaigns 100000] [--churn 0.2]
        [--operation "GET /v2/campaign"] [--surface 2026-04-11 --contract-dir DIR]

``--campaigns`` serves a larger organisation (issue 11: every fault still caught by the gate at
100,000); ``--churn`` moves the data while the suite reads it (issue 10); ``--operation`` checks
another list operation (each fault that affects it); ``--surface`` serves another document's
surface (every fault it can show without a drift variant), checked with the contract derived
into ``--contract-dir`` (e.g. `derive --from .../2026-04-11.json --out DIR`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

from vapi_contract.runner.suite import run as run_suite
from vapi_contract.runner.config import resolve
from vapi_contract.reference.faults import FAULTS
from vapi_contract.reference.surface import surface as surface_named


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", nargs="+", default=["gate", "nightly"])
    parser.add_argument("--seed", type=int, default=7, help="run seed for nightly (gate is always seed 0)")
    parser.add_argument("--campaigns", type=int, default=None, help="campaigns the target serves (default: its default)")
    parser.add_argument("--churn", type=float, default=0.0, help="data changes per listing request (default 0: still data)")
    parser.add_argument("--max-duration", type=float, default=None,
                        help="seconds per run (a fault is caught early; bounds the slow-response fault's runs)")
    parser.add_argument("--operation", default="GET /campaign", help='the list operation checked, e.g. "GET /v2/campaign"')
    parser.add_argument("--surface", default=None, help="what the target serves (default: today's surface)")
    parser.add_argument("--contract-dir", default=None, help="the contract checked (default: the pin)")
    args = parser.parse_args()
    served = surface_named(args.surface)
    path = args.operation.split(" ", 1)[1]
    faults = [(n, f) for n, f in FAULTS.items()
              if f.served_by(served) and (not f.paths or path in f.paths)]
    print(f"{args.operation} on the {served.name} surface: {len(faults)} faults", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for profile in args.profiles:
            config = resolve(None, profile, None if profile == "gate" else args.seed, tmp, None, None, 1.0, environ={},
                             max_duration=args.max_duration, operation=args.operation, contract_dir=args.contract_dir)
            caught, missed, walls, requests = 0, [], [], []
            for name, fault in faults:
                t0 = time.perf_counter()
                options = {"fault": name, "churn": args.churn, "surface": served}
                if args.campaigns is not None:
                    options["campaigns"] = args.campaigns
                outcome = run_suite(config, target_options=options)
                walls.append(time.perf_counter() - t0)
                requests.append(outcome.traffic.requests)
                if outcome.exit_code == 1 and any(v.area == fault.area for v in outcome.violations):
                    caught += 1
                else:
                    missed.append(name)
            print(f"{profile}: caught {caught}/{caught + len(missed)} faults; per run median {statistics.median(walls):.1f} s "
                  f"(max {max(walls):.1f} s), median {statistics.median(requests):.0f} requests"
                  + (f"; missed: {', '.join(missed)}" if missed else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
