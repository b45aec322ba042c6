"""The planner's record of a run (``summary["budget"]``), readable at a glance.

The summary lists every stage pass with its phase (essential, deep), the requests and seconds it
used, the requests it was granted and how it ended (``done``, ``run budget spent``, ``not run:
...``).  The report shows one line per way passes stopped short, naming the stages it stopped
(``not run: run budget spent: filters, walks (essential); fuzz (deep)``), and keeps the whole
table folded beneath it.
"""

from __future__ import annotations

from typing import Any

DONE = "done"


def _stages(summary: dict[str, Any]) -> list[dict[str, Any]]:
    record = summary.get("budget")
    stages = record.get("stages") if isinstance(record, dict) else None
    return [s for s in stages or [] if isinstance(s, dict)]


def stopped_lines(summary: dict[str, Any]) -> list[str]:
    """One line per outcome other than ``done``, in order of first appearance: the outcome, then
    the stages it stopped, grouped by phase."""
    by_outcome: dict[str, dict[str, list[str]]] = {}
    for stage in _stages(summary):
        outcome = str(stage.get("outcome") or "")
        if outcome == DONE:
            continue
        phases = by_outcome.setdefault(outcome or "stopped", {})
        phases.setdefault(str(stage.get("phase") or "?"), []).append(str(stage.get("stage") or "?"))
    return [f"{outcome}: " + "; ".join(f"{', '.join(names)} ({phase})" for phase, names in phases.items())
            for outcome, phases in by_outcome.items()]


def view(summary: dict[str, Any]) -> dict[str, Any] | None:
    """What the report's Budget cell shows; None for a run without a budget record."""
    record = summary.get("budget")
    if not isinstance(record, dict):
        return None
    stages = _stages(summary)
    done = sum(1 for s in stages if s.get("outcome") == DONE)
    limits = []
    if isinstance(record.get("max_requests"), int):
        limits.append(f"{record['max_requests']:,} requests")
    if isinstance(record.get("max_duration_s"), (int, float)):
        limits.append(f"{record['max_duration_s']:g} s")
    return {
        "line": f"{done} of {len(stages)} stage passes done" + (f", within at most {' and '.join(limits)}" if limits else ""),
        "stopped": stopped_lines(summary),
        "rows": [{"stage": str(s.get("stage") or ""), "phase": str(s.get("phase") or ""),
                  "requests": s.get("requests") if isinstance(s.get("requests"), int) else "—",
                  "seconds": f"{s['seconds']:.1f}" if isinstance(s.get("seconds"), (int, float)) else "—",
                  "granted": s.get("granted") if isinstance(s.get("granted"), int) else "—",
                  "outcome": str(s.get("outcome") or ""), "done": s.get("outcome") == DONE} for s in stages],
    }
