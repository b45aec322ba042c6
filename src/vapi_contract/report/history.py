"""history.jsonl: one line per run, appended; the report's strip, "changed since the previous
run" and trend charts read it.

A line holds what a person scanning a month of nights needs (verdict, counts, contract sha256,
target, operation, profile, seed, start, duration, response-time figures ``latency_ms``: p50/p95/
max overall and for page 1 at limit 1000) and the ids of what failed, so two runs can be compared:
``failing`` lists each distinct finding by its fingerprint (with its check and locus: the same
fault on another night, seed or page has the same fingerprint), ``failing_checks`` the failing
check ids, ``drift:POINTER`` for each breaking drift and ``spec:CHANGE POINTER`` for each breaking
change of the published document (``--published-spec``).  "New" and "fixed since the previous
run" compare fingerprints (check ids against a line written before fingerprints existed).
``known`` records the run's known deviations (``count``, and the ids ``matched``, ``expired`` and
``not_seen``): the report says which became known, expired or not seen since the previous full run,
and a failure that became a known deviation is never listed as fixed.

The rules:

* The verdict is the summary's own (:mod:`.verdict`), never recomputed.
* Runs are compared only within one **series**: the same target (:func:`target_key`) and the
  same operation (a line without ``operation`` is an older line, of ``GET /campaign``).
* A **partial** run (``run --only CHECK``: ``partial: true``, ``only: CHECK``) is shown in the
  strip and the charts, marked, but it is never the run a later one is compared with, nor part
  of a latency baseline: the next full run must not report long-standing failures as new.  A
  partial run itself is compared with the previous full run on its one check alone.
* Each append starts on a fresh line, even when the file's last line lost its newline (an
  editor, a truncated cache restore, a full disk).  A line that cannot be read is skipped and
  reported (a warning on stderr when loading, a note in the report); the records on the same
  line as a torn one, or glued together by an older version, are still read.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..known import report as known_report
from . import verdict
from .view import only, operation

HISTORY_FILE = "history.jsonl"
HISTORY_VERSION = 1
STRIP_LENGTH = 14
CHART_HISTORY = 30 + 7  # the trend charts' 30 runs and the 7 before the first (its latency baseline)
EMBEDDED_MARK = "(embedded reference target)"
EMBEDDED_KEY = "embedded reference target"


def failing_ids(summary: dict[str, Any]) -> list[str]:
    """Failing check ids of a run, plus ``drift:POINTER`` for each breaking drift and
    ``spec:CHANGE POINTER`` for each breaking change of the published document."""
    ids = {str(v.get("check")) for v in summary.get("violations") or [] if isinstance(v, dict) and v.get("check")}
    ids |= {f"drift:{d.get('pointer')}" for d in summary.get("drift") or [] if isinstance(d, dict) and d.get("breaking")
            and not _acknowledged(d)}
    spec = summary.get("spec_diff") if isinstance(summary.get("spec_diff"), dict) else {}
    ids |= {f"spec:{c.get('change')} {c.get('pointer')}" for c in spec.get("changes") or []
            if isinstance(c, dict) and c.get("breaking") and not _acknowledged(c)}
    return sorted(ids)


def _acknowledged(item: dict[str, Any]) -> bool:
    """A drift entry or published change a known deviation in force names: it fails nothing."""
    return isinstance(item.get("known"), dict) and item["known"].get("state") == "matched"


def failing_findings(summary: dict[str, Any]) -> list[dict[str, str]]:
    """Each distinct failing finding of a run: its fingerprint, check and locus."""
    seen: dict[str, dict[str, str]] = {}
    for v in summary.get("violations") or []:
        if isinstance(v, dict) and isinstance(v.get("fingerprint"), str) and v["fingerprint"] not in seen:
            seen[v["fingerprint"]] = {"fingerprint": v["fingerprint"], "check": str(v.get("check") or ""),
                                      "locus": str(v.get("locus") or "")}
    return sorted(seen.values(), key=lambda f: (f["check"], f["locus"]))


def _fingerprinted(summary: dict[str, Any]) -> bool:
    """Every finding of the summary carries its fingerprint (a summary of an older version does not)."""
    return all(isinstance(v, dict) and isinstance(v.get("fingerprint"), str) for v in summary.get("violations") or [])


def _failures(entry: dict[str, Any], by_fingerprint: bool) -> dict[str, tuple[str, str]]:
    """What failed in a history line: key -> (its check, how to show it).  By fingerprint, or by
    check id (a line written before fingerprints); breaking drift and spec changes by their ids."""
    ids = [str(i) for i in entry.get("failing_checks") or []]
    outside = {i: (i.split(":", 1)[0], i) for i in ids if i.startswith(("drift:", "spec:"))}
    if not by_fingerprint:
        return {i: (i, i) for i in ids if i not in outside} | outside
    found = {f["fingerprint"]: (f.get("check", ""), f"{f.get('check', '')}: {f.get('locus', '')}")
             for f in entry.get("failing") or [] if isinstance(f, dict) and isinstance(f.get("fingerprint"), str)}
    return found | outside


def target_key(target: str | None) -> str:
    """Which runs are "against the same target": the embedded reference target listens on a new
    port each run, so all its runs share one key; any other target is its URL (no trailing /)."""
    text = (target or "").strip()
    if EMBEDDED_MARK in text or text == EMBEDDED_KEY:
        return EMBEDDED_KEY
    return text.rstrip("/").lower()


def series_key(entry: dict[str, Any]) -> tuple[str, str]:
    """The series a run belongs to: its target and its operation."""
    return target_key(entry.get("target")), operation(entry)


def is_partial(entry: dict[str, Any]) -> bool:
    """A run limited to one check (``run --only``): shown, never compared with, never a baseline."""
    return entry.get("partial") is True or only(entry) is not None


def record(summary: dict[str, Any]) -> dict[str, Any]:
    """The history line of one run."""
    drift = [d for d in summary.get("drift") or [] if isinstance(d, dict)]
    contract = summary.get("contract") or {}
    return {
        "v": HISTORY_VERSION,
        "verdict": verdict.of(summary),
        "complete": summary.get("complete") is not False,
        "operation": operation(summary),
        "partial": only(summary) is not None,
        "only": only(summary),
        "counts": {
            "violations": len(summary.get("violations") or []),
            "requests": summary.get("requests") or 0,
            "drift": len(drift),
            "breaking_drift": sum(1 for d in drift if d.get("breaking")),
            "breaking_spec_changes": _breaking_spec(summary),
        },
        "contract_sha256": contract.get("sha256") if isinstance(contract, dict) else None,
        "target": summary.get("target"),
        "profile": summary.get("profile"),
        "seed": summary.get("seed"),
        "started_at": summary.get("started_at"),
        "duration_s": summary.get("duration_s"),
        **({"failing": failing_findings(summary)} if _fingerprinted(summary) else {}),
        "failing_checks": failing_ids(summary),
        "latency_ms": _latency(summary),
        **({"known": known_report.history_part(summary)} if isinstance(summary.get("known"), dict) else {}),
    }


def _latency(summary: dict[str, Any]) -> dict[str, Any] | None:
    """The run's response-time figures as summary.json has them (p50/p95/max ms and the count,
    overall and for page 1 at limit 1000); None for a run that measured nothing."""
    latency = summary.get("latency_ms")
    if not isinstance(latency, dict):
        return None
    return {series: {k: figures.get(k) for k in ("count", "p50", "p95", "max")}
            for series, figures in latency.items() if isinstance(figures, dict)}


def _breaking_spec(summary: dict[str, Any]) -> int:
    spec = summary.get("spec_diff")
    if isinstance(spec, dict) and isinstance(spec.get("breaking"), int):
        return spec["breaking"]
    return 0


def append(summary: dict[str, Any], path: Path, redact: Callable[[str], str]) -> dict[str, Any]:
    """Append the run's line to ``path`` (created with its folder) and return it.  The line starts
    on a fresh line: when the file does not end with a newline, one is written first."""
    entry = record(summary)
    text = redact(json.dumps(entry, ensure_ascii=False, sort_keys=True)) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as fh:
        if fh.seek(0, os.SEEK_END) > 0:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                text = "\n" + text
        fh.write(text.encode("utf-8"))
    return entry


@dataclass(frozen=True)
class Unreadable:
    """A line of history.jsonl that is (partly) not a history record."""

    line: int  # 1-based
    why: str

    def __str__(self) -> str:
        return f"line {self.line} {self.why}"


@dataclass(frozen=True)
class Loaded:
    entries: list[dict[str, Any]]  # oldest first
    unreadable: list[Unreadable]


def load(path: Path, *, warn: bool = True) -> Loaded:
    """Every record of ``path``, oldest first, and the lines that could not be read (each one a
    warning on stderr with ``warn``).  Lines are split at ``\\n`` only: a record may hold other
    line separators (U+2028) inside its strings."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return Loaded([], [])
    entries: list[dict[str, Any]] = []
    unreadable: list[Unreadable] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        found, why = _records(line)
        entries.extend(found)
        if why:
            unreadable.append(Unreadable(number, why))
    if warn:
        for bad in unreadable:
            print(f"vapi-contract: warning: {path.name} {bad}: skipped", file=sys.stderr)
    return Loaded(entries, unreadable)


def _is_record(value: Any) -> bool:
    return isinstance(value, dict) and "verdict" in value


def _records(line: str) -> tuple[list[dict[str, Any]], str | None]:
    """The records on one line, and why part of it could not be read (None: all of it was).

    A line is normally one record.  Records glued back to back (an older version appended after
    a line without its newline) are all read; a torn start (a line that lost its end, with the
    next record glued to it) is skipped and the records after it are read."""
    try:
        value = json.loads(line)
    except ValueError:
        pass
    else:
        return ([value], None) if _is_record(value) else ([], "is not a history record")
    for start in (i for i, ch in enumerate(line) if ch == "{"):
        found = _chain(line, start)
        if found:
            return found, None if start == 0 else f"is torn: its first {start} characters are not a record"
    return [], "is torn (not JSON)"


def _chain(line: str, start: int) -> list[dict[str, Any]] | None:
    """The records that fill ``line`` from ``start`` to its end, back to back; None if they do not."""
    decoder = json.JSONDecoder()
    found, position = [], start
    while position < len(line):
        try:
            value, position = decoder.raw_decode(line, position)
        except ValueError:
            return None
        if not _is_record(value):
            return None
        found.append(value)
        while position < len(line) and line[position].isspace():
            position += 1
    return found


@dataclass(frozen=True)
class Trend:
    """This run's series (same target and operation), newest last, and what changed since the
    previous full run."""

    runs: list[dict[str, Any]]  # the strip: up to STRIP_LENGTH runs
    previous: dict[str, Any] | None  # the last earlier full run of the series
    new_failures: list[str]
    fixed_failures: list[str]
    history: list[dict[str, Any]] = field(default_factory=list)  # up to CHART_HISTORY runs, for the charts
    compared_on: str | None = None  # this run is partial: the one check it was compared on
    unreadable: list[Unreadable] = field(default_factory=list)  # lines of history.jsonl skipped
    # known deviations that became matched ("known"), expired or not seen since the previous full run
    known_changes: dict[str, list[str]] = field(default_factory=dict)


def trend(entries: list[dict[str, Any]], current: dict[str, Any], length: int = STRIP_LENGTH,
          unreadable: list[Unreadable] | None = None) -> Trend:
    """``entries``: earlier runs, oldest first (``current`` among them last is tolerated);
    ``current``: this run's line."""
    key = series_key(current)
    same = [e for e in entries if series_key(e) == key]
    if not same or same[-1] != current:
        same.append(current)
    previous = next((e for e in reversed(same[:-1]) if not is_partial(e)), None)
    by_fingerprint = "failing" in current and (previous is None or "failing" in previous)
    now = _failures(current, by_fingerprint)
    before = _failures(previous, by_fingerprint) if previous else {}
    compared_on = None
    if is_partial(current):  # one check ran: the comparison is about that check alone
        compared_on = only(current) or ""
        now = {k: v for k, v in now.items() if v[0] == compared_on}
        before = {k: v for k, v in before.items() if v[0] == compared_on}
    known_now = _known(current)
    acknowledged = set(known_now["matched"])  # a failure that became a known deviation is not fixed
    changes = {state: sorted(set(ids) - set(_known(previous)[state]) if previous else ids)
               for state, ids in known_now.items()}
    return Trend(runs=same[-length:], previous=previous,
                 new_failures=sorted(now[k][1] for k in set(now) - set(before)) if previous else [],
                 fixed_failures=sorted(before[k][1] for k in set(before) - set(now) - acknowledged),
                 history=same[-CHART_HISTORY:], compared_on=compared_on, unreadable=list(unreadable or []),
                 known_changes={state: ids for state, ids in changes.items() if ids})


def _known(entry: dict[str, Any] | None) -> dict[str, list[str]]:
    """The ids of the matched, expired and not seen known deviations a history line records."""
    known = entry.get("known") if isinstance(entry, dict) and isinstance(entry.get("known"), dict) else {}
    return {state: [str(i) for i in known.get(state) or []] for state in ("matched", "expired", "not_seen")}
