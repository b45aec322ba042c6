"""The coverage matrix: the 13 query parameters and the pagination metadata fields against the
kinds of check, each cell exercised or not.

The run can provide it (``summary["coverage_matrix"]``); otherwise it is derived here from the
run's check coverage: a cell is exercised when any check of that kind that bears on that row was
exercised, and empty (``None``) when no check of that kind bears on it.
"""

from __future__ import annotations

from typing import Any

from ..invariants import COVERAGE_COLUMNS, METADATA_CHECKS
from ..query import ALL_PARAMS

PARAMETERS = list(ALL_PARAMS)
METADATA = list(METADATA_CHECKS)
COLUMNS = list(COVERAGE_COLUMNS)

_SHAPE = ["shape.body-schema"]
_VALIDATION = ["validation.rejects-invalid", "validation.accepts-valid"]
_FILTERS = ["filters.membership", "filters.completeness"]
_BOUND = {"shape": _SHAPE, "filters": _FILTERS, "validation": _VALIDATION}

# row -> column -> the checks whose exercise covers that cell
RELEVANT: dict[str, dict[str, list[str]]] = {
    "id": _BOUND,
    "status": {**_BOUND, "filters": _FILTERS + ["filters.metamorphic"]},
    "page": {"shape": _SHAPE, "validation": _VALIDATION,
             "pagination": ["pagination.current-page", "pagination.page-size", "pagination.walk-complete",
                            "pagination.walk-disjoint", "pagination.past-end", "pagination.defaults"]},
    "sortOrder": {"shape": _SHAPE, "validation": _VALIDATION,
                  "pagination": ["pagination.order", "pagination.walk-ordered", "pagination.defaults"]},
    "limit": {"shape": _SHAPE, "validation": _VALIDATION,
              "pagination": ["pagination.limit-respected", "pagination.items-per-page",
                             "pagination.page-size", "pagination.defaults"]},
    **{name: {**_BOUND, "filters": _FILTERS + ["filters.metamorphic"]}
       for name in ("createdAtGt", "createdAtLt", "createdAtGe", "createdAtLe")},
    **{name: _BOUND for name in ("updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe")},
    **{field: {column: list(checks) for column, checks in by_column.items()} for field, by_column in METADATA_CHECKS.items()},
}


def derived(coverage: dict[str, str]) -> dict[str, Any]:
    """The matrix implied by ``summary["coverage"]`` (check id -> exercised | not-exercised)."""
    rows = []
    for name, kind in [(p, "parameter") for p in PARAMETERS] + [(m, "metadata") for m in METADATA]:
        cells: dict[str, bool | None] = {}
        for column in COLUMNS:
            checks = RELEVANT[name].get(column)
            cells[column] = None if not checks else any(coverage.get(c) == "exercised" for c in checks)
        rows.append({"name": name, "kind": kind, "cells": cells})
    return {"columns": list(COLUMNS), "rows": rows, "derived": True}


def matrix(summary: dict[str, Any]) -> dict[str, Any] | None:
    """The run's own matrix when well formed, else the derived one (None without coverage)."""
    given = summary.get("coverage_matrix")
    if isinstance(given, dict) and isinstance(given.get("columns"), list) and isinstance(given.get("rows"), list):
        columns = [str(c) for c in given["columns"]]
        rows = []
        for row in given["rows"]:
            if not isinstance(row, dict):
                continue
            cells = row.get("cells") if isinstance(row.get("cells"), dict) else {}
            rows.append({"name": str(row.get("name", "")), "kind": str(row.get("kind", "parameter")),
                         "cells": {c: cells.get(c) for c in columns}})
        return {"columns": columns, "rows": rows, "derived": False}
    coverage = summary.get("coverage")
    if isinstance(coverage, dict) and coverage:
        return derived(coverage)
    return None
