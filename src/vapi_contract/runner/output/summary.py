"""summary.json (schema: schemas/run-summary.schema.json): the whole run, machine-readable.

One builder for every run: a run carried out and a run that could not be (key rejected, target
unreachable: verdict ``error``) have the same keys; the error run's are empty.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ...areas import COVERAGE_COLUMNS
from ...invariants import Violation, fingerprint
from ...invariants.registry import applicable, matrix_rows
from ...known import report as known_report
from ...known.matching import MATCHED
from ...report import unions
from .rerun import rerun_command

SUMMARY_VERSION = 1


def violation_dict(v: Violation, result) -> dict[str, Any]:
    checks = applicable(result.endpoint)
    request = v.observations[0].curl if v.observations else ""
    union = unions.of_finding(result.config.validator.schemas, result.endpoint, v.check, v.pointer or "") \
        if unions.NONE_MATCHED.match(v.message) or v.message.startswith(("{", "[")) else None
    return {
        "check": v.check,
        "area": v.area,
        "fingerprint": fingerprint(result.endpoint.label, v.check, v.locus),
        "locus": v.locus,
        "rule": checks[v.check].rule if v.check in checks else "",
        "message": v.message,
        "expected": _jsonable(v.expected),
        "actual": _jsonable(v.actual),
        "pointer": v.pointer,
        "request": request,
        "status": v.observations[0].status if v.observations else None,
        "occurrences": result.findings.occurrences.get((v.check, v.message), 1),
        "rerun": rerun_command(result.config, v.check),
        **({"union": union.to_dict()} if union is not None else {}),
    }


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def coverage_matrix(result) -> dict[str, Any]:
    """The query parameters, metadata fields and counted item fields of the operation, against the
    kinds of check: exercised (true), not exercised (false), or no check of that kind concerns
    the row (null; a typed-only row: shape only).  A parameter's cell is exercised when a check of
    the column that concerns it was exercised on a query using it; another row's when such a
    check was exercised at all."""
    exercised_with = result.findings.exercised_with
    rows = []
    for name, kind, typed_only, by_column in matrix_rows(result.endpoint):
        cells = {}
        for column in COVERAGE_COLUMNS:
            relevant = by_column.get(column)
            if not relevant:
                cells[column] = None
            elif kind == "parameter":
                cells[column] = any(c in exercised_with.get(name, ()) for c in relevant)
            else:
                cells[column] = any(result.coverage.get(c) == "exercised" for c in relevant)
        rows.append({"name": name, "kind": kind, "typed_only": typed_only, "cells": cells})
    return {"columns": list(COVERAGE_COLUMNS), "rows": rows}


def check_list(result) -> list[dict[str, Any]]:
    """Every applicable check: ``fail`` (a finding not acknowledged), ``known`` (exercised, and every
    finding acknowledged by a known deviation), ``pass`` or ``not-exercised``."""
    failed = {v.check for v in result.violations}
    known = {s.entry.check for s in (result.known.of(MATCHED) if result.known is not None else ())}
    return [{"id": c.id, "area": c.area, "rule": c.rule, "source": c.source,
             "status": "fail" if c.id in failed else "known" if c.id in known
             else "pass" if result.coverage.get(c.id) == "exercised" else "not-exercised"}
            for c in applicable(result.endpoint).values()]


def _marked(items: list | None, marks: dict[str, dict], key) -> list:
    """``items`` (drift entries, published changes), each a known deviation names carrying ``known``."""
    return [{**item, "known": marks[key(item)]} if isinstance(item, dict) and key(item) in marks else item
            for item in items or []]


def known_parts(result) -> tuple[list, list, dict | None]:
    """The violations, the drift and the spec diff of summary.json, each finding a known deviation
    names (matched or expired) carrying ``known``."""
    marks = known_report.marks(result.known)
    operation = result.endpoint.label
    violations = []
    for v in result.violations:
        shown = violation_dict(v, result)
        if shown["fingerprint"] in marks:
            shown["known"] = marks[shown["fingerprint"]]
        violations.append(shown)
    drift = _marked(result.drift, marks, lambda d: known_report.drift_id(operation, d))
    spec = result.spec_diff
    if isinstance(spec, dict) and marks:
        spec = {**spec, "changes": _marked(spec.get("changes"), marks, lambda c: known_report.spec_id(operation, c))}
    return violations, drift, spec


def build_summary(result, contract: dict[str, Any] | None = None) -> dict[str, Any]:
    """summary.json of ``result`` (an engine RunResult)."""
    config = result.config
    carried_out = result.verdict.name != "error"
    violations, drift, spec = known_parts(result)
    return {
        "version": SUMMARY_VERSION,
        "verdict": result.verdict.name,
        "complete": result.verdict.complete,
        "exit_code": result.exit_code,
        "target": result.target,
        "operation": result.endpoint.label,
        "profile": config.profile.name,
        "seed": config.seed,
        "only": result.only,
        "started_at": result.started_at,
        "duration_s": result.duration_s,
        "requests": result.traffic.requests,
        "methods": result.traffic.methods,
        "status_histogram": result.traffic.status_histogram,
        "contract": contract or {},
        "violations": violations,
        "coverage": result.coverage,
        "not_exercised": sorted(k for k, v in result.coverage.items() if v != "exercised") if carried_out
        else sorted(applicable(result.endpoint)),
        "notes": result.findings.notes,
        "drift": drift,
        "spec_diff": spec,
        "known": known_report.section(result.known, lambda v: violation_dict(v, result)),
        "checks": check_list(result),
        "coverage_matrix": coverage_matrix(result) if carried_out else None,
        "movement": result.movement,
        "budget": result.budget,
        "surface": result.endpoint.summary(),
        "latency_ms": result.latency if carried_out else None,
        "error": result.error,
    }


def write_summary(summary: dict[str, Any], report_dir: Path, redact) -> Path:
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / "summary.json"
    path.write_text(redact(json.dumps(summary, indent=2, ensure_ascii=False)) + "\n", encoding="utf-8")
    return path
