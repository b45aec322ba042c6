"""The suite's cost as the organisation grows: gate and nightly against `vapi-contract serve
--campaigns N` (N = 1,000, 20,000, 100,000; with --million also the gate at 1,000,000), each run a
real `vapi-contract run --base-url ... --rate-limit 0` subprocess.

Prints, per N and profile: requests, wall time of the run, peak RSS of the `run` process (from
wait4's rusage), complete, exit code, and the checks left unexercised.  Goals (issue 11): the gate
complete at every N within 600 requests and <= 300 MB at 100k; the nightly complete at 100k within
20,000 requests.

    .venv/bin/python benchmarks/scale.py [--sizes 1000 20000 100000] [--profiles gate nightly] [--million]
        [--operation "GET /v2/campaign"] [--contract-dir DIR --serve-args "--surface 2026-04-11"] [--seed N]
        [--keep DIR]

A run that does not exit 0 keeps its summary.json in ``--keep`` (default ./scale-failures), named by
profile, operation and seed, and its seed and first findings are printed under its row.

``--listings`` (issue 25): the gate on each runnable listing of the pin (or those of ``--only``) at each
``--sizes`` N (default 1,000 and 100,000): `serve --items "GET /path=N"` (N campaigns for the
campaign listings; every other listing at its default 300), one gate run each; prints requests
(goal: <= 600), complete, exit, wall seconds and the run's peak RSS, and "up s", the seconds until
`serve` printed its URL (the campaigns are seeded before it; a generated listing is made at its
first request, so its generation is in the run's wall time).  ``--json FILE`` writes the rows.

    .venv/bin/python benchmarks/scale.py --listings [--sizes 1000 100000] [--only "GET /chat"] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG

CLI = [sys.executable, "-m", "vapi_contract"]


@contextmanager
def serving(campaigns: int, extra: list[str]):
    """`vapi-contract serve --campaigns N --port 0` in a subprocess; yields its base URL."""
    proc = subprocess.Popen([*CLI, "serve", "--port", "0", "--campaigns", str(campaigns), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = time.monotonic() + 900
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"serve exited with {proc.wait()}")
            m = re.search(r"URL: (http://\S+?)/campaign", line)
            if m:
                url = m.group(1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run_suite(url: str, profile: str, report_dir: Path, extra: list[str], keep: Path) -> dict:
    """One `run` subprocess; its row.  A run that does not exit 0 leaves its summary.json in
    ``keep`` (named by profile, operation and seed: the seed replays it) and names its first
    findings in the row, so a failing sweep says what failed without a re-run."""
    env = {**os.environ, "VAPI_API_KEY": ORG_KEYS[PRIMARY_ORG]}
    env.pop("VAPI_BASE_URL", None)
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors:  # a file, not a pipe: nothing to drain while it runs
        proc = subprocess.Popen([*CLI, "run", "--base-url", url, "--rate-limit", "0", "--profile", profile,
                                 "--report-dir", str(report_dir), *extra], env=env,
                                stdout=subprocess.DEVNULL, stderr=errors, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        if not (report_dir / "summary.json").is_file():
            errors.seek(0)
            raise SystemExit(f"{profile} run exited {code} without a summary: {errors.read().strip()[-2000:]}")
    summary = json.loads((report_dir / "summary.json").read_text())
    row = {"requests": summary["requests"], "wall_s": round(wall, 1), "rss_mb": round(usage.ru_maxrss / 1024),
           "complete": summary.get("complete"), "exit": code, "not_exercised": summary.get("not_exercised", []),
           "violations": len(summary.get("violations", [])), "seed": summary.get("seed")}
    if code != 0:
        keep.mkdir(parents=True, exist_ok=True)
        kept = keep / f"{profile}-{re.sub(r'[^A-Za-z0-9]+', '-', summary.get('operation') or 'run').strip('-')}-seed{row['seed']}.json"
        kept.write_text((report_dir / "summary.json").read_text())
        row["kept"] = str(kept)
        row["findings"] = [f"{v['check']}: {v['message'][:160]}" for v in summary.get("violations", [])[:3]]
    return row


def failing(row: dict) -> str:
    """The lines a failing run adds under its row: its seed, first findings and kept summary."""
    if "kept" not in row:
        return ""
    return "".join(f"\n      {line}" for line in [f"seed {row['seed']}, summary kept in {row['kept']}", *row["findings"]])


def listings(args) -> int:
    """The gate on each runnable listing at each size (issue 25, item 7)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fault_catch import PATH_PARAMS, runnable_listings
    from vapi_contract.reference.server import DEFAULT_CAMPAIGNS

    runnable, not_runnable = runnable_listings()
    if args.only:
        runnable = [op for op in runnable if op in args.only]
    for op, why in not_runnable.items():
        print(f"not runnable: {op}: {why}", flush=True)
    sizes = args.sizes if args.sizes_given else [1000, 100_000]
    rows = []
    print(f"{'listing':<42} {'items':>7} {'requests':>8} {'wall s':>7} {'RSS MB':>7} {'up s':>7} complete exit  not exercised",
          flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for op in runnable:
            path = op.partition(" ")[2]
            hand_written = path in ("/campaign", "/v2/campaign")
            run_args = ["--operation", op, *[a for k, v in PATH_PARAMS.get(op, {}).items() for a in ("--path-param", f"{k}={v}")]]
            for n in sizes:
                t0 = time.perf_counter()
                with serving(n if hand_written else DEFAULT_CAMPAIGNS, [] if hand_written else ["--items", f"{op}={n}"]) as url:
                    started = time.perf_counter() - t0
                    r = run_suite(url, "gate", Path(tmp) / f"{len(rows)}", run_args, Path(args.keep))
                r.update(listing=op, items=n, serve_s=round(started, 1))
                rows.append(r)
                print(f"{op:<42} {n:>7} {r['requests']:>8} {r['wall_s']:>7} {r['rss_mb']:>7} {r['serve_s']:>7} "
                      f"{str(r['complete']):8} {r['exit']:>4}  {', '.join(r['not_exercised']) or '-'}{failing(r)}", flush=True)
    over = [r for r in rows if r["requests"] > 600 or r["exit"] != 0 or not r["complete"]]
    print(f"overall: {len(rows) - len(over)}/{len(rows)} gate runs exit 0, complete, within 600 requests; "
          f"max {max(r['requests'] for r in rows)} requests, max {max(r['wall_s'] for r in rows)} s, "
          f"max {max(r['rss_mb'] for r in rows)} MB", flush=True)
    for r in over:
        print(f"  over or failing: {r['listing']} at {r['items']}: exit {r['exit']}, {r['requests']} requests, "
              f"complete {r['complete']}, {r['violations']} violations", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 20000, 100000])
    parser.add_argument("--profiles", nargs="+", default=["gate", "nightly"])
    parser.add_argument("--million", action="store_true", help="also the gate at 1,000,000 campaigns")
    parser.add_argument("--serve-args", default="", help="extra `serve` arguments, e.g. '--churn 0.2'")
    parser.add_argument("--operation", default="GET /campaign", help='the list operation checked, e.g. "GET /v2/campaign"')
    parser.add_argument("--contract-dir", default=None,
                        help="the contract checked (default: the pin); e.g. April's, with --serve-args '--surface 2026-04-11'")
    parser.add_argument("--listings", action="store_true", help="the gate on each runnable listing (issue 25)")
    parser.add_argument("--only", nargs="+", default=None, help='with --listings: these listings, e.g. "GET /chat"')
    parser.add_argument("--json", default=None, help="with --listings: write the rows to this file")
    parser.add_argument("--keep", default="scale-failures", metavar="DIR",
                        help="where the summary.json of a run that does not exit 0 is kept (default: ./scale-failures)")
    parser.add_argument("--seed", type=int, default=None, help="the runs' seed (default: the profile's; the nightly's is random)")
    args = parser.parse_args()
    args.sizes_given = any(a == "--sizes" for a in sys.argv[1:])
    if args.listings:
        return listings(args)
    run_args = ["--operation", args.operation, *(["--contract-dir", args.contract_dir] if args.contract_dir else []),
                *(["--seed", str(args.seed)] if args.seed is not None else [])]
    plan = [(n, p) for n in args.sizes for p in args.profiles] + ([(1_000_000, "gate")] if args.million else [])
    print(f"{args.operation}", flush=True)
    print(f"{'campaigns':>10} {'profile':8} {'requests':>8} {'wall s':>7} {'RSS MB':>7} complete exit  not exercised", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted({n for n, _ in plan}):
            with serving(size, args.serve_args.split()) as url:
                for n, profile in plan:
                    if n != size:
                        continue
                    r = run_suite(url, profile, Path(tmp) / f"{n}-{profile}", run_args, Path(args.keep))
                    print(f"{n:>10} {profile:8} {r['requests']:>8} {r['wall_s']:>7} {r['rss_mb']:>7} {str(r['complete']):8} "
                          f"{r['exit']:>4}  {', '.join(r['not_exercised']) or '-'}{failing(r)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
