"""The coverage matrix as the report shows it: the run's own matrix (``summary["coverage_matrix"]``:
the operation's query parameters and documented metadata fields against the kinds of check, each
cell exercised, not exercised, or not concerned), checked for shape.  The run computes it from the
check registry (``runner/output/summary.py``); the report never recomputes it."""

from __future__ import annotations

from typing import Any


def matrix(summary: dict[str, Any]) -> dict[str, Any] | None:
    """The run's matrix when well formed (None when the run has none: it was not carried out)."""
    given = summary.get("coverage_matrix")
    if not (isinstance(given, dict) and isinstance(given.get("columns"), list) and isinstance(given.get("rows"), list)):
        return None
    columns = [str(c) for c in given["columns"]]
    rows_out = []
    for row in given["rows"]:
        if not isinstance(row, dict):
            continue
        cells = row.get("cells") if isinstance(row.get("cells"), dict) else {}
        rows_out.append({"name": str(row.get("name", "")), "kind": str(row.get("kind", "parameter")),
                         "typed_only": bool(row.get("typed_only")), "cells": {c: cells.get(c) for c in columns}})
    return {"columns": columns, "rows": rows_out}
