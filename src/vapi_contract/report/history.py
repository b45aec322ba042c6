"""history.jsonl: one line per run, appended; the HTML report's strip and "changed since" read it.

A line holds what a person scanning a month of nights needs (verdict, counts, contract sha256,
target, profile, seed, start, duration, response-time figures ``latency_ms``: p50/p95/max overall
and for page 1 at limit 1000) and the ids of what failed, so two runs can be compared:
``failing_checks`` lists the failing check ids, ``drift:POINTER`` for each breaking drift and
``spec:CHANGE POINTER`` for each breaking change of the published document (``--published-spec``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .view import verdict

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
    ids |= {f"drift:{d.get('pointer')}" for d in summary.get("drift") or [] if isinstance(d, dict) and d.get("breaking")}
    spec = summary.get("spec_diff") if isinstance(summary.get("spec_diff"), dict) else {}
    ids |= {f"spec:{c.get('change')} {c.get('pointer')}" for c in spec.get("changes") or []
            if isinstance(c, dict) and c.get("breaking")}
    return sorted(ids)


def target_key(target: str | None) -> str:
    """Which runs are "against the same target": the embedded reference target listens on a new
    port each run, so all its runs share one key; any other target is its URL (no trailing /)."""
    text = (target or "").strip()
    if EMBEDDED_MARK in text or text == EMBEDDED_KEY:
        return EMBEDDED_KEY
    return text.rstrip("/").lower()


def record(summary: dict[str, Any]) -> dict[str, Any]:
    """The history line of one run."""
    drift = [d for d in summary.get("drift") or [] if isinstance(d, dict)]
    contract = summary.get("contract") or {}
    return {
        "v": HISTORY_VERSION,
        "verdict": verdict(summary),  # as the report shows it: pass | fail | error | incomplete
        "complete": summary.get("complete") is not False,
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
        "failing_checks": failing_ids(summary),
        "latency_ms": _latency(summary),
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
    """Append the run's line to ``path`` (created with its folder) and return it."""
    entry = record(summary)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(redact(json.dumps(entry, ensure_ascii=False, sort_keys=True)) + "\n")
    return entry


def load(path: Path) -> list[dict[str, Any]]:
    """Every readable line of ``path``, oldest first; a torn or foreign line is skipped."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    entries = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and "verdict" in entry:
            entries.append(entry)
    return entries


@dataclass(frozen=True)
class Trend:
    """The runs against one target, newest last, and what changed since the previous one."""

    runs: list[dict[str, Any]]
    previous: dict[str, Any] | None
    new_failures: list[str]
    fixed_failures: list[str]
    history: list[dict[str, Any]] = field(default_factory=list)  # up to CHART_HISTORY runs, for the charts


def trend(entries: list[dict[str, Any]], current: dict[str, Any], length: int = STRIP_LENGTH) -> Trend:
    """``entries``: earlier runs, oldest first (``current`` among them last is tolerated);
    ``current``: this run's line."""
    key = target_key(current.get("target"))
    same = [e for e in entries if target_key(e.get("target")) == key]
    if not same or same[-1] != current:
        same.append(current)
    previous = same[-2] if len(same) > 1 else None
    now = set(current.get("failing_checks") or [])
    before = set(previous.get("failing_checks") or []) if previous else set()
    return Trend(runs=same[-length:], previous=previous,
                 new_failures=sorted(now - before) if previous else [],
                 fixed_failures=sorted(before - now), history=same[-CHART_HISTORY:])
