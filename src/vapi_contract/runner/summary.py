"""summary.json (schema: schemas/run-summary.schema.json) and the console summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..invariants import CHECKS, Violation

SUMMARY_SCHEMA = "run-summary.schema.json"
SUMMARY_VERSION = 1


def rerun_command(outcome, check: str | None = None) -> str:
    cfg = outcome.config
    parts = ["vapi-contract", "run", "--profile", cfg.profile.name, "--seed", str(cfg.seed)]
    if not cfg.embedded:
        parts += ["--base-url", cfg.base_url]
    if check:
        parts += ["--only", check]
    return " ".join(parts)


def violation_dict(v: Violation, outcome) -> dict[str, Any]:
    request = v.observations[0].curl if v.observations else ""
    return {
        "check": v.check,
        "area": v.area,
        "rule": CHECKS[v.check].rule if v.check in CHECKS else "",
        "message": v.message,
        "expected": _jsonable(v.expected),
        "actual": _jsonable(v.actual),
        "pointer": v.pointer,
        "request": request,
        "status": v.observations[0].status if v.observations else None,
        "occurrences": outcome.occurrences.get(f"{v.check}|{v.message}", 1),
        "rerun": rerun_command(outcome, v.check),
    }


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def build_summary(outcome, contract: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "version": SUMMARY_VERSION,
        "verdict": outcome.verdict,
        "exit_code": outcome.exit_code,
        "target": outcome.target,
        "profile": outcome.config.profile.name,
        "seed": outcome.config.seed,
        "started_at": outcome.started_at,
        "duration_s": outcome.duration_s,
        "requests": outcome.requests,
        "methods": outcome.methods,
        "status_histogram": outcome.status_histogram,
        "contract": contract or {},
        "violations": [violation_dict(v, outcome) for v in outcome.violations],
        "coverage": outcome.coverage,
        "not_exercised": sorted(k for k, v in outcome.coverage.items() if v != "exercised"),
        "notes": outcome.notes,
        "drift": outcome.drift,
        "error": outcome.error,
    }


def write_summary(summary: dict[str, Any], report_dir: Path, redact) -> Path:
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / "summary.json"
    path.write_text(redact(json.dumps(summary, indent=2, ensure_ascii=False)) + "\n", encoding="utf-8")
    return path


def console(summary: dict[str, Any]) -> str:
    lines = [f"vapi-contract {summary['profile']} run against {summary['target']}: "
             f"{summary['verdict'].upper()} ({len(summary['violations'])} violation(s), "
             f"{summary['requests']} requests, {summary['duration_s']:.1f} s, seed {summary['seed']})"]
    for v in summary["violations"]:
        lines.append(f"  [{v['area']}] {v['check']}: {v['message']}")
        if v["request"]:
            lines.append(f"      {v['request']}")
    if summary["not_exercised"]:
        lines.append(f"  not exercised: {', '.join(summary['not_exercised'])}")
    for note in summary["notes"]:
        lines.append(f"  note: {note}")
    return "\n".join(lines)
