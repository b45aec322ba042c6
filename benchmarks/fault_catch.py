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

``--listings`` runs the generic fault x listing matrix instead (issue 25): for each runnable
listing of the pin (an operation whose endpoint has no ``unusable``), the gate once on a clean
target (passes: exit 0, complete, no finding) and once per generic fault the reference's own
catalogue applies to it (:mod:`vapi_contract.reference.listings.faults`; caught: exit 1 with a
finding in the fault's area).  One embedded target per fault serves every listing at its default
300 items.  Prints a table per listing (caught/applicable, median requests and seconds) and an
overall line; ``--sample K`` runs K faults per listing (rotated so that every fault is run
somewhere), ``--only "GET /chat"`` some listings, ``--json FILE`` writes every run.

    .venv/bin/python benchmarks/fault_catch.py --listings [--sample 3] [--only "GET /chat" ...] [--json FILE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from vapi_contract.runner.suite import run as run_suite
from vapi_contract.runner.config import resolve
from vapi_contract.reference.faults import FAULTS
from vapi_contract.reference.surface import surface as surface_named


PATH_PARAMS = {"GET /provider/{provider}/{resourceName}": {"provider": "cartesia"}}  # the others are found


def caught(outcome, area: str) -> bool:
    """A fault is caught when the run fails (exit 1) with a violation in the fault's own area."""
    return outcome.exit_code == 1 and any(v.area == area for v in outcome.violations)


def passes(outcome) -> bool:
    """A clean target's run: exit 0, complete, no finding."""
    return outcome.exit_code == 0 and outcome.verdict.complete and not outcome.violations


def runnable_listings() -> tuple[list[str], dict[str, str]]:
    """The pin's listings the suite runs, and each other one with the reason it does not."""
    from vapi_contract.contract.locate import contract_root
    from vapi_contract.contract.reading import Contract

    contract = Contract.load(contract_root())
    runnable, not_runnable = [], {}
    for op in contract.operations:
        unusable = contract.endpoint(op).unusable
        if unusable:
            not_runnable[op] = unusable[0]
        else:
            runnable.append(op)
    return runnable, not_runnable


def listing_matrix(args) -> int:
    import json
    from contextlib import ExitStack

    from vapi_contract.contract.locate import contract_root
    from vapi_contract.reference.listings.faults import CATALOGUE
    from vapi_contract.reference.listings.model import read
    from vapi_contract.reference.server import running_target
    from vapi_contract.errors import ContractError

    runnable, not_runnable = runnable_listings()
    if args.only:
        runnable = [op for op in runnable if op in args.only]
    generated = {x.label: x for x in read(contract_root()).listings}
    names = list(CATALOGUE)
    plan: dict[str | None, list[str]] = {None: list(runnable)}  # fault (None: clean) -> listings
    applicable: dict[str, list[str]] = {}
    for i, op in enumerate(runnable):
        listing = generated.get(op)
        hand_written = op.partition(" ")[2] in ("/campaign", "/v2/campaign")  # their own catalogue: --operation
        on = [] if listing is None or hand_written else [n for n in names if CATALOGUE[n].on(listing)]
        applicable[op] = on
        if args.sample is not None and on:
            start = (i * args.sample) % len(on)
            on = (on[start:] + on[:start])[:args.sample]
        for name in on:
            plan.setdefault(name, []).append(op)
    total = sum(len(v) for v in plan.values())
    print(f"{len(runnable)} runnable listings, {total} gate runs"
          + (f" (a sample: {args.sample} faults per listing)" if args.sample else ""), flush=True)
    for op, why in not_runnable.items():
        print(f"  not runnable: {op}: {why}", flush=True)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for fault, ops in plan.items():
            area = CATALOGUE[fault].area if fault else None
            with ExitStack() as stack:
                target = stack.enter_context(running_target(fault=fault, startup_timeout=300))
                for op in ops:
                    t0 = time.perf_counter()
                    row = {"listing": op, "fault": fault, "area": area}
                    try:
                        config = resolve(None, "gate", None, f"{tmp}/{len(runs)}", None, None, 1.0, environ={},
                                         max_duration=args.max_duration, operation=op,
                                         path_params=PATH_PARAMS.get(op))
                        outcome = run_suite(config, target=target)
                    except ContractError as exc:
                        row.update(result="error", message=str(exc), seconds=round(time.perf_counter() - t0, 1))
                    else:
                        ok = passes(outcome) if fault is None else caught(outcome, area)
                        row.update(result=("pass" if ok else "FALSE ALARM") if fault is None else
                                   ("caught" if ok else "MISSED"),
                                   exit=outcome.exit_code, complete=outcome.verdict.complete,
                                   requests=outcome.traffic.requests, seconds=round(time.perf_counter() - t0, 1),
                                   checks=sorted({v.check for v in outcome.violations}),
                                   message=next((v.message for v in outcome.violations), None),
                                   not_exercised=sorted(k for k, v in outcome.coverage.items() if v != "exercised"),
                                   notes=list(outcome.findings.notes), error=outcome.error)
                    runs.append(row)
                    print(f"  {op:<42} {fault or 'clean':<32} {row['result']:<11} exit {row.get('exit', '-')} "
                          f"{row.get('requests', '-'):>4} req {row['seconds']:>5.1f} s  {','.join(row.get('checks', []))}",
                          flush=True)
    print()
    print(f"{'listing':<42} {'clean gate':<24} {'faults caught/run (applicable)':<32} {'median req':>10} {'median s':>8}")
    for op in runnable:
        mine = [r for r in runs if r["listing"] == op]
        clean = next(r for r in mine if r["fault"] is None)
        faulty = [r for r in mine if r["fault"] is not None]
        got = sum(r["result"] == "caught" for r in faulty)
        cell = f"{got}/{len(faulty)} ({len(applicable[op])})" if applicable[op] else "n/a (hand-written)"
        reqs = [r["requests"] for r in mine if "requests" in r]
        print(f"{op:<42} {clean['result'] + ', ' + str(clean.get('requests', '-')) + ' req, ' + str(clean['seconds']) + ' s':<24} "
              f"{cell:<32} {statistics.median(reqs) if reqs else '-':>10} {statistics.median(r['seconds'] for r in mine):>8.1f}")
    faulty = [r for r in runs if r["fault"] is not None]
    clean = [r for r in runs if r["fault"] is None]
    print(f"overall: {sum(r['result'] == 'pass' for r in clean)}/{len(clean)} clean listings pass; "
          f"{sum(r['result'] == 'caught' for r in faulty)}/{len(faulty)} fault runs caught "
          f"({len({r['fault'] for r in faulty})} faults, {sum(len(v) for v in applicable.values())} applicable pairs); "
          f"median {statistics.median(r.get('requests', 0) for r in runs):.0f} requests, "
          f"{statistics.median(r['seconds'] for r in runs):.1f} s per run; total {sum(r['seconds'] for r in runs) / 60:.1f} min")
    for r in runs:
        if r["result"] not in ("pass", "caught"):
            print(f"  {r['result']}: {r['listing']} {r['fault'] or 'clean'}: exit {r.get('exit')}, "
                  f"complete {r.get('complete')}, checks {r.get('checks')}: {r.get('message')}; "
                  f"not exercised {r.get('not_exercised')}; notes {r.get('notes')}; error {r.get('error')}")
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1))
    return 0


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
    parser.add_argument("--listings", action="store_true", help="the generic fault x listing matrix (issue 25)")
    parser.add_argument("--sample", type=int, default=None, help="with --listings: K faults per listing")
    parser.add_argument("--only", nargs="+", default=None, help='with --listings: these listings, e.g. "GET /chat"')
    parser.add_argument("--json", default=None, help="with --listings: write every run to this file")
    args = parser.parse_args()
    if args.listings:
        return listing_matrix(args)
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
