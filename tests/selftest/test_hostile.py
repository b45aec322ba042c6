"""A broken or hostile API never breaks the suite (issue 24): against every mode of the hostile
server (``hostile.py``), ``vapi-contract run`` ends within ``--max-duration`` + 30 s, stays under
500 MB of peak RSS, prints no traceback, writes its four reports and exits with the code the
README's table gives for that kind of answer, saying what was wrong.

Each mode runs once, in a child process (its own peak RSS from ``wait4``), with small budgets and
tight deadlines, a few modes at a time (most of them wait: on a deadline, a backoff, the outage
rule's span) so that the whole set costs well under a minute; the full sweep at
``--max-duration 120`` is ``benchmarks/hostile.py``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hostile import MODES, MiB, run_against

pytestmark = pytest.mark.e2e

MAX_DURATION = 20
BASE = ["--rate-limit", "0", "--max-duration", str(MAX_DURATION), "--max-response-time", "1", "--max-requests", "30"]
# what a mode needs beyond BASE to stay short (later options win)
ARGS = {  # a response's deadline: 3 x --max-response-time, never under 2 s
    "drip": ["--max-response-time", "0.5"],
    "stall-body": ["--max-response-time", "0.5"],
    "slowloris-headers": ["--max-response-time", "0.5"],
    "429-after-preflight": ["--max-requests", "60"],  # four attempts each: five throttled requests, two probes
    "nan-then-502": ["--max-requests", "80"],  # 40 answers, then the outage
}
OPTIONS = {  # the server's: the same pathology, made cheaper to serve
    "gzip-bomb": {"inflated": 256 * MiB},  # 16 times the cap: the cap is what is tested
    "big-page": {"items": 20_000},  # 20 times the largest page: 1001 of them judged
    "429-after-preflight": {"retry_after": "0"},
}
PEAK_RSS_MB = 500
SLACK_S = 30


def _kept_before_the_outage(summary, outcome):
    """The findings before the outage stand (the NaN pages); the outage's own 502s are none."""
    assert {v["check"] for v in summary["violations"]} == {"reliability.well-formed-json"}, summary["violations"]
    assert "reliability.well-formed-json" in outcome.stdout


def _no_violation_during_the_outage(summary, outcome):
    assert summary["violations"] == [], summary["violations"]  # 502s of a proxy are no 38 "violations"


def _duplicates_fail_the_page(summary, outcome):
    """The lying first copy is never believed: the page fails on the duplicate, nothing passes."""
    messages = [v["message"] for v in summary["violations"] if v["check"] == "reliability.well-formed-json"]
    assert any('the name "itemsPerPage" twice' in m or 'the name "currentPage" twice' in m for m in messages), messages


def _limit_check_fires_and_judging_is_bounded(summary, outcome):
    found = [v for v in summary["violations"] if v["check"] == "pagination.limit-respected"]
    assert found and found[0]["actual"] == 20_000, found  # the count served, though only 1001 were judged


EXTRA = {
    "nan-then-502": _kept_before_the_outage,
    "502-after-preflight": _no_violation_during_the_outage,
    "duplicate-names": _duplicates_fail_the_page,
    "big-page": _limit_check_fires_and_judging_is_bounded,
}


CONCURRENCY = 6  # most modes wait (a deadline, a backoff, the outage span): six at a time keep both cores busy
SLOWEST_FIRST = ("nan-then-502", "502-after-preflight", "429-after-preflight", "slowloris-headers", "big-page")


def test_every_hostile_answer_gets_its_verdict_within_bounds(tmp_path):
    modes = [*SLOWEST_FIRST, *(m for m in MODES if m not in SLOWEST_FIRST)]
    assert set(modes) == set(MODES)

    def run(mode):
        return run_against(mode, tmp_path / mode, [*BASE, *ARGS.get(mode, [])], timeout=MAX_DURATION + SLACK_S + 60,
                           **OPTIONS.get(mode, {}))

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        outcomes = dict(zip(modes, pool.map(run, modes)))
    problems = {}
    for mode, outcome in outcomes.items():
        try:
            check(mode, outcome)
        except AssertionError as exc:
            problems[mode] = str(exc)[:2000]
    assert not problems, "\n\n".join(f"{mode}: {why}" for mode, why in problems.items())


def check(mode, outcome):
    expect = MODES[mode][1]
    everything = outcome.stdout + outcome.stderr
    assert "Traceback" not in everything, everything[-3000:]
    assert outcome.exit_code == expect.exit_code, (outcome.exit_code, everything[-3000:])
    assert outcome.reports == ["summary.json", "report.html", "junit.xml", "history.jsonl"], outcome.reports
    summary = outcome.summary
    assert summary["verdict"] == expect.verdict and summary["exit_code"] == expect.exit_code, summary["verdict"]
    if expect.exit_code in (2, 3):  # one line on stderr, the summary's error, saying what answered
        line = outcome.stderr.strip().splitlines()[-1]
        assert line == f"vapi-contract: error: {summary['error']}", line
        said = line
    else:  # a finding: on the console with its request, in the summary
        said = outcome.stdout
        assert "curl -sS" in outcome.stdout
        checks = {v["check"] for v in summary["violations"]}
        assert expect.says[0] in checks, checks
    for words in expect.says:
        assert words in said, (words, said[-3000:])
    assert outcome.wall_s <= MAX_DURATION + SLACK_S, outcome.wall_s
    assert outcome.peak_rss_mb < PEAK_RSS_MB, outcome.peak_rss_mb
    if mode in EXTRA:
        EXTRA[mode](summary, outcome)
