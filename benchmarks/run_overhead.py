"""Overhead of a whole gate run against the embedded reference target: the median of N runs of
``vapi-contract run --report-dir DIR`` (wall time of the process, and the run's own
``duration_s`` from summary.json).

Compare two source trees (e.g. before and after a change) with the same venv:

    git archive 40dfe49 | tar -x -C "$BASE_TREE"   # any scratch directory
    .venv/bin/python benchmarks/run_overhead.py --src "$BASE_TREE/src" --src src --repeat 5

Each run gets a fresh report dir (so history.jsonl does not grow between runs); runs of the
trees are interleaved, so a slow minute of a shared machine hits both alike.  stderr is not a
terminal here: progress, if any, is in its plain-line mode (the CI case).

A whole run's time moves by far more than what progress and latency recording cost, so
``--micro`` also times the parts themselves: the on_exchange hooks per response, the latency
figures of a nightly's 20,000 responses, one redraw of the terminal line, one plain line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_run(src: Path, extra: list[str]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="vc-bench-") as out:
        env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL")}
        env["PYTHONPATH"] = str(src.resolve())
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "vapi_contract", "run", "--report-dir", out, *extra],
                              capture_output=True, text=True, env=env, cwd=src.resolve().parent)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{src}: exit {done.returncode}\n{done.stderr[-2000:]}")
        duration = json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))["duration_s"]
    return wall, float(duration)


def micro() -> None:
    import io
    import timeit

    from rich.console import Console

    from vapi_contract.contract.reading import Contract
    from vapi_contract.contract.locate import contract_root
    from vapi_contract.runner.engine.events import ResponseReceived, broadcast
    from vapi_contract.runner.engine.latency import Latency
    from vapi_contract.runner.output.progress import Progress

    class Exchange:
        elapsed, status, params = 0.01, 200, (("limit", "1000"), ("page", "1"))

    endpoint = Contract.load(contract_root()).endpoint("GET /campaign")
    latency, progress = Latency(endpoint), Progress("none", capture_logs=False)
    progress.start(600)
    emit = broadcast([latency, progress])
    event = ResponseReceived(Exchange)
    n = 200_000
    per = timeit.timeit(lambda: emit(event), number=n) / n
    print(f"response events (latency + progress): {per * 1e9:,.0f} ns per response "
          f"({per * 600 * 1e3:.2f} ms per 600-request gate, {per * 20000 * 1e3:.0f} ms per 20,000-request nightly)")
    latency = Latency(endpoint)
    for _ in range(20_000):
        latency.handle(event)
    print(f"latency figures of 20,000 responses: {timeit.timeit(latency.figures, number=20) / 20 * 1e3:.2f} ms once per run")
    console = Console(file=io.StringIO(), force_terminal=True, force_interactive=True, width=160)
    live = Progress("terminal", console=console)
    live.start(600)
    live.stage("walks")
    per = timeit.timeit(lambda: live._live.refresh(), number=400) / 400
    live.close()
    print(f"terminal redraw: {per * 1e3:.3f} ms, 4 a second ({per * 4 * 100:.2f} % of one core)")
    lines = Progress("lines", stream=io.StringIO())
    lines.start(600)
    per = timeit.timeit(lines.line, number=2000) / 2000
    lines.close()
    print(f"plain line: {per * 1e6:.1f} us, one per 30 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", action="append", type=Path, help="a source tree's src/ (repeatable; default: src)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--micro", action="store_true", help="also time the progress and latency parts themselves")
    parser.add_argument("extra", nargs="*", help="more arguments for `run` (after --)")
    args = parser.parse_args()
    if args.micro:
        micro()
    if args.repeat <= 0:
        return
    trees = args.src or [Path("src")]
    results: dict[Path, list[tuple[float, float]]] = {t: [] for t in trees}
    one_run(trees[0], args.extra)  # warm the file cache and .pyc files
    for _ in range(args.repeat):
        for tree in trees:
            results[tree].append(one_run(tree, args.extra))
    for tree, runs in results.items():
        walls, durations = [w for w, _ in runs], [d for _, d in runs]
        print(f"{str(tree):40} wall median {statistics.median(walls):6.2f} s "
              f"(min {min(walls):.2f}, max {max(walls):.2f}); run duration_s median {statistics.median(durations):6.2f} s "
              f"(min {min(durations):.2f}, max {max(durations):.2f}); n={len(runs)}")


if __name__ == "__main__":
    main()
