"""summary.json (schema: schemas/run-summary.schema.json) and the console summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..contract.endpoint import EndpointModel
from ..invariants import CHECKS, COVERAGE_COLUMNS, Violation, applicable_checks
from ..query import ALL_PARAMS as QUERY_PARAMETERS  # noqa: F401  (the pinned contract's, kept for importers)
from ..report.matrix import metadata_checks, parameter_checks

SUMMARY_SCHEMA = "run-summary.schema.json"
SUMMARY_VERSION = 1


def program() -> list[str]:
    """The running ``vapi-contract``, as a command that works as printed (no activated venv, no
    PATH): the entry point's absolute path, else this interpreter with ``-m vapi_contract``."""
    import os
    import sys

    entry = sys.argv[0] if sys.argv else ""
    if os.path.basename(entry) == "vapi-contract" and os.path.isfile(entry):
        return [os.path.abspath(entry)]
    return [sys.executable or "python3", "-m", "vapi_contract"]


def rerun_command(outcome, check: str | None = None) -> str:
    """The command that re-runs the run (or one check), shell-quoted; the key stays in $VAPI_API_KEY."""
    import shlex

    cfg = outcome.config
    parts = [*program(), "run", "--profile", cfg.profile.name, "--seed", str(cfg.seed)]
    if not cfg.embedded:
        parts += ["--base-url", cfg.base_url]
    if check:
        parts += ["--only", check]
    return shlex.join(parts)


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


def model_of(outcome) -> EndpointModel:
    """The model of the contract the run checked (``run --contract-dir``, else the pin)."""
    return EndpointModel.load(getattr(outcome.config, "contract_dir", None))


def coverage_matrix(outcome) -> dict[str, Any]:
    """The query parameters and the documented metadata fields the contract declares, against the
    kinds of check: exercised (true), not exercised (false), or not applicable (null)."""
    model = model_of(outcome)
    rows = []
    for name in model.parameter_names:
        areas, relevant = outcome.parameter_areas.get(name, ()), parameter_checks(model, name)
        # exercised with it (true); not exercised (false); null: no check of that kind concerns it
        rows.append({"name": name, "kind": "parameter", "cells": {
            col: True if col in areas else (False if col in relevant else None) for col in COVERAGE_COLUMNS}})
    for name in model.documented_metadata:
        by_column = metadata_checks(name)
        rows.append({"name": name, "kind": "metadata", "cells": {  # null: no check of that kind concerns the field
            col: any(outcome.coverage.get(c) == "exercised" for c in by_column[col]) if col in by_column else None
            for col in COVERAGE_COLUMNS}})
    return {"columns": list(COVERAGE_COLUMNS), "rows": rows}


def check_list(outcome) -> list[dict[str, Any]]:
    failed = {v.check for v in outcome.violations}
    return [{"id": c.id, "area": c.area, "rule": c.rule, "source": c.source,
             "status": "fail" if c.id in failed else "pass" if outcome.coverage.get(c.id) == "exercised" else "not-exercised"}
            for c in applicable_checks(model_of(outcome)).values()]


def build_summary(outcome, contract: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "version": SUMMARY_VERSION,
        "verdict": outcome.verdict,
        "complete": outcome.complete,
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
        "spec_diff": outcome.spec_diff,
        "checks": check_list(outcome),
        "coverage_matrix": coverage_matrix(outcome),
        "movement": outcome.movement,
        "budget": outcome.budget,
        "surface": model_of(outcome).summary(),
        "latency_ms": outcome.latency,
        "error": outcome.error,
    }


def error_summary(config, error, started_at: str, duration_s: float, contract: dict[str, Any] | None = None,
                  stats=None) -> dict[str, Any]:
    """A run that could not be carried out (key rejected, target unreachable): verdict ``error``,
    with what was sent before it stopped (``stats``: the client's StatsSnapshot, if any)."""
    from .api import _public_target

    return {
        "version": SUMMARY_VERSION, "verdict": "error", "complete": False, "exit_code": int(error.exit_code),
        "target": _public_target(config) if config.base_url else "embedded reference target",
        "profile": config.profile.name, "seed": config.seed, "started_at": started_at, "duration_s": duration_s,
        "requests": stats.total if stats is not None else 0,
        "methods": dict(stats.methods) if stats is not None else {},
        "status_histogram": {str(k): v for k, v in sorted(stats.status_histogram.items())} if stats is not None else {},
        "contract": contract or {}, "violations": [],
        "coverage": {}, "not_exercised": _check_ids(config), "notes": [], "drift": [], "spec_diff": None,
        "checks": [], "coverage_matrix": None, "latency_ms": None, "error": error.message,
    }


def _check_ids(config) -> list[str]:
    from ..errors import ContractError

    try:
        return sorted(applicable_checks(EndpointModel.load(getattr(config, "contract_dir", None))))
    except ContractError:
        return sorted(c.id for c in CHECKS.values() if not c.requires)


def write_summary(summary: dict[str, Any], report_dir: Path, redact) -> Path:
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / "summary.json"
    path.write_text(redact(json.dumps(summary, indent=2, ensure_ascii=False)) + "\n", encoding="utf-8")
    return path


def console(summary: dict[str, Any], *, verbose: bool = False, only: str | None = None,
            report: str | Path | None = None) -> str:
    """The verdict line, then one entry per failing check: how many findings, the first with its
    request, and where the rest are (``report``'s section of the check); ``verbose`` lists every
    finding.  With ``only`` (``run --only CHECK``) nothing but that check: no other check's
    not-exercised status, no drift, no spec diff."""
    violations = [v for v in summary["violations"] if only is None or v["check"] == only]
    by_check: dict[str, list[dict[str, Any]]] = {}
    for v in violations:
        by_check.setdefault(v["check"], []).append(v)
    lines = [f"vapi-contract {summary['profile']} run against {summary['target']}: "
             f"{summary['verdict'].upper()} ({len(violations)} violation(s)"
             + (f" of {len(by_check)} check(s)" if len(by_check) > 1 else "")
             + f", {summary['requests']} requests, {summary['duration_s']:.1f} s, seed {summary['seed']})"]
    where = str(report) if report else "report.html"
    for check, found in by_check.items():
        seen = sum(int(v.get("occurrences") or 1) for v in found)
        count = f"{len(found)} finding{'' if len(found) == 1 else 's'}"
        if seen > len(found):
            count += f" (seen {seen} times)"
        lines.append(f"  [{found[0]['area']}] {check}: {count}")
        shown = found if verbose else found[:1]
        previous_request = None
        for v in shown:
            lines.append(f"      {v['message']}")
            if v["request"] and v["request"] != previous_request:
                lines.append(f"        {v['request']}")
            previous_request = v["request"]
        if len(found) > len(shown):
            rest = len(found) - len(shown)
            lines.append(f"      the other {rest}: {where}#check-{check} (or run --verbose)")
    not_exercised = [c for c in summary["not_exercised"] if only is None or c == only]
    if not_exercised:
        lines.append(f"  not exercised: {', '.join(not_exercised)}")
    for note in summary["notes"]:
        lines.append(f"  note: {note}")
    if only is not None:
        return "\n".join(lines)
    for d in summary.get("drift") or []:
        lines.append(f"  [drift] {'BREAKING' if d['breaking'] else 'addition'} {d['change']} at {d['pointer']}")
    spec = summary.get("spec_diff")
    if spec:
        lines.append(f"  [spec] {spec['new']} against the pinned contract: {len(spec['changes'])} change(s), {spec['breaking']} breaking")
        for c in spec["changes"]:
            lines.append(f"    {c['level']:8} {c['change']}: {c['message']}")
    return "\n".join(lines)


def artifacts(paths: list[Path]) -> str:
    """Where the run's files are, one per line, in the order summary.json, report.html,
    junit.xml, history.jsonl (files that could not be written are left out)."""
    order = {"summary.json": 0, "report.html": 1, "junit.xml": 2, "history.jsonl": 3}
    ranked = sorted(paths, key=lambda p: order.get(Path(p).name, len(order)))
    return "\n".join(f"{Path(p).name + ':':15}{p}" for p in ranked)
