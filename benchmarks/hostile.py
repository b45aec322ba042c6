"""Every mode of the hostile server (``tests/selftest/hostile.py``) against ``vapi-contract run
--max-duration 120``, as the issue tried it: the gate profile with its default rate limit, caps and
deadlines, one mode at a time.  Prints a Markdown table: the mode, the exit code (and the one the
README's table gives), the verdict, the wall time, the peak RSS of the run's process, whether it
held (within --max-duration + 30 s, under 500 MB, no traceback, its four reports written, the
expected exit code) and what it said.

    .venv/bin/python benchmarks/hostile.py                    # every mode (about half an hour)
    .venv/bin/python benchmarks/hostile.py drip gzip-bomb     # some
    .venv/bin/python benchmarks/hostile.py --max-duration 40 -- --rate-limit 0   # other run options
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "selftest"))

from hostile import MODES, REPORT_FILES, run_against  # noqa: E402

PEAK_RSS_MB = 500
SLACK_S = 30


def said(outcome) -> str:
    """The verdict's words: the error line (exit 2, 3), else the first failing check and its first finding."""
    if outcome.summary and outcome.summary.get("error"):
        return outcome.summary["error"]
    if outcome.summary and outcome.summary.get("violations"):
        first = outcome.summary["violations"][0]
        return f"{first['check']}: {first['message']}"
    lines = outcome.stderr.strip().splitlines()
    return lines[-1] if lines else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modes", nargs="*", help=f"modes to run (default: all {len(MODES)})")
    parser.add_argument("--max-duration", type=float, default=120.0)
    parser.add_argument("--width", type=int, default=110, help="characters of what each run said")
    parser.add_argument("run_options", nargs=argparse.REMAINDER, help="after --: more `run` options")
    args = parser.parse_args()
    modes = args.modes or list(MODES)
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"unknown mode(s) {', '.join(unknown)}; one of: {', '.join(MODES)}")
    extra = [a for a in args.run_options if a != "--"]
    print(f"vapi-contract run --max-duration {args.max_duration:g} {' '.join(extra)} against each mode", file=sys.stderr)
    print("| mode | exit (README) | verdict | wall s | peak RSS MB | held | what it said |")
    print("|---|---|---|---|---|---|---|")
    failed = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="vc-hostile-") as scratch:
        for mode in modes:
            expect = MODES[mode][1]
            outcome = run_against(mode, Path(scratch) / mode, ["--max-duration", f"{args.max_duration:g}", *extra],
                                  timeout=args.max_duration + SLACK_S + 300)
            problems = []
            if outcome.exit_code != expect.exit_code:
                problems.append(f"exit {outcome.exit_code} != {expect.exit_code}")
            if outcome.wall_s > args.max_duration + SLACK_S:
                problems.append("over time")
            if outcome.peak_rss_mb >= PEAK_RSS_MB:
                problems.append("over 500 MB")
            if "Traceback" in outcome.stdout + outcome.stderr:
                problems.append("traceback")
            if outcome.reports != list(REPORT_FILES):
                problems.append("reports missing")
            failed += bool(problems)
            verdict = outcome.summary["verdict"] if outcome.summary else "-"
            words = said(outcome).replace("|", "/")
            words = words if len(words) <= args.width else words[: args.width - 1] + "…"
            print(f"| {mode} | {outcome.exit_code} ({expect.exit_code}) | {verdict} | {outcome.wall_s:.1f} | "
                  f"{outcome.peak_rss_mb:.0f} | {'yes' if not problems else 'NO: ' + ', '.join(problems)} | {words} |",
                  flush=True)
    print(f"{len(modes)} modes in {time.monotonic() - started:.0f} s; {failed} did not hold", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
