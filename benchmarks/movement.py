"""False alarms and cost on data that moves: gate and nightly against the reference target with
`--churn RATE` (data changes per listing request: status moves with a new updatedAt, counter
bumps, creations, deletions), over several data seeds.

Prints per rate and profile: runs with any violation (false alarms: the target is conformant),
median requests, median re-observations and set-aside differences, and how much moved.

    .venv/bin/python benchmarks/movement.py [--rates 0 0.02 0.07 0.25] [--seeds 5] [--profiles gate nightly]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile

from vapi_contract.runner.suite import run as run_suite
from vapi_contract.runner.config import resolve
from vapi_contract.reference.server import running_target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", nargs="+", type=float, default=[0.0, 0.02, 0.07, 0.25])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--profiles", nargs="+", default=["gate", "nightly"])
    parser.add_argument("--campaigns", type=int, default=None)
    args = parser.parse_args()
    print(f"{'churn':>6} {'profile':8} {'runs':>4} {'false alarms':>12} {'requests':>8} {'reobs':>6} {'set aside':>9} "
          f"{'changes':>8} {'complete':>8}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for rate in args.rates:
            for profile in args.profiles:
                alarms, requests, reobs, aside, changes, complete = [], [], [], [], [], 0
                for seed in range(args.seeds):
                    config = resolve(None, profile, seed, tmp, None, None, 5.0, environ={})
                    options = {"seed": seed, "churn": rate, **({"campaigns": args.campaigns} if args.campaigns else {})}
                    with running_target(**options) as target:
                        outcome = run_suite(config, target=target)
                        changes.append(target.churn_stats["total"])
                    if outcome.violations:
                        alarms.append(f"seed {seed}: " + "; ".join(f"{v.check}: {v.message[:120]}" for v in outcome.violations[:2]))
                    requests.append(outcome.traffic.requests)
                    reobs.append(outcome.movement["reobservations"])
                    aside.append(outcome.movement["findings_set_aside"])
                    complete += outcome.verdict.complete
                print(f"{rate:>6g} {profile:8} {args.seeds:>4} {len(alarms):>12} {statistics.median(requests):>8.0f} "
                      f"{statistics.median(reobs):>6.0f} {statistics.median(aside):>9.0f} {statistics.median(changes):>8.0f} "
                      f"{complete:>4}/{args.seeds}", flush=True)
                for alarm in alarms:
                    print(f"       {alarm}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
