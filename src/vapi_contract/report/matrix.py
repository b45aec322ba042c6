"""The coverage matrix: the query parameters and the pagination metadata fields the contract
declares (read from it: :class:`~vapi_contract.contract.endpoint.EndpointModel`) against the kinds
of check, each cell exercised or not.

The run can provide it (``summary["coverage_matrix"]``); otherwise it is derived here from the
run's check coverage: a cell is exercised when any check of that kind that bears on that row was
exercised, and empty (``None``) when no check of that kind bears on it.
"""

from __future__ import annotations

from typing import Any

from ..invariants import COVERAGE_COLUMNS, METADATA_CHECKS

COLUMNS = list(COVERAGE_COLUMNS)

_SHAPE = ["shape.body-schema"]
_VALIDATION = ["validation.rejects-invalid", "validation.accepts-valid"]
_FILTERS = ["filters.membership", "filters.completeness"]
_BOUND = {"shape": _SHAPE, "filters": _FILTERS, "validation": _VALIDATION}
_SORT_BY = ["pagination.sort-by-order", "pagination.sort-by-walk", "pagination.sort-by-reverse", "pagination.sort-by-default"]
# the paging parameters, by name (their doc lines: see contract/endpoint.py)
_PAGING = {
    "page": {"shape": _SHAPE, "validation": _VALIDATION,
             "pagination": ["pagination.current-page", "pagination.page-size", "pagination.walk-complete",
                            "pagination.walk-disjoint", "pagination.past-end", "pagination.defaults"]},
    "limit": {"shape": _SHAPE, "validation": _VALIDATION,
              "pagination": ["pagination.limit-respected", "pagination.items-per-page",
                             "pagination.page-size", "pagination.defaults"]},
}


def _model(model):
    if model is None:
        from ..contract.endpoint import EndpointModel

        return EndpointModel.pinned()
    return model


def parameter_checks(model, name: str) -> dict[str, list[str]]:
    """Column -> the checks whose exercise covers the cell of query parameter ``name``."""
    role = model.role(name)
    if role == "paging":
        return _PAGING[name]
    if role == "order":
        checks = ["pagination.order", "pagination.walk-ordered", "pagination.defaults"]
        if model.sort_param is not None:
            checks += ["pagination.sort-by-reverse"]
        return {"shape": _SHAPE, "validation": _VALIDATION, "pagination": checks}
    if role == "sort":
        return {"shape": _SHAPE, "validation": _VALIDATION, "pagination": list(_SORT_BY)}
    if role == "bound":
        field = next(b.field for b in model.bounds if b.param == name)
        # the metamorphic relations split and tighten on createdAt (runner/counts.py)
        return {**_BOUND, "filters": _FILTERS + ["filters.metamorphic"]} if field == "createdAt" else dict(_BOUND)
    if role == "equality":
        return {**_BOUND, "filters": _FILTERS + ["filters.metamorphic"]} if model.enum_values(name) else dict(_BOUND)
    return {"shape": _SHAPE, "validation": _VALIDATION}  # no oracle: only what every response gets


def metadata_checks(name: str) -> dict[str, list[str]]:
    """Column -> the checks that assert something about metadata field ``name``."""
    by_column = METADATA_CHECKS.get(name)
    if by_column is None:
        return {"shape": _SHAPE}  # declared and described, but no oracle: typed only
    return {column: list(checks) for column, checks in by_column.items()}


def rows(model=None) -> list[tuple[str, str, dict[str, list[str]]]]:
    """(name, kind, column -> checks) for each row of the contract ``model`` (the pinned one when None)."""
    model = _model(model)
    return ([(p, "parameter", parameter_checks(model, p)) for p in model.parameter_names]
            + [(m, "metadata", metadata_checks(m)) for m in model.documented_metadata])


def __getattr__(name: str):
    """``PARAMETERS`` / ``METADATA``: the pinned contract's row names (read from it on first use)."""
    if name == "PARAMETERS":
        return list(_model(None).parameter_names)
    if name == "METADATA":
        return list(_model(None).documented_metadata)
    raise AttributeError(name)


def derived(coverage: dict[str, str], model=None) -> dict[str, Any]:
    """The matrix implied by ``summary["coverage"]`` (check id -> exercised | not-exercised)."""
    out = []
    for name, kind, relevant in rows(model):
        cells: dict[str, bool | None] = {}
        for column in COLUMNS:
            checks = relevant.get(column)
            cells[column] = None if not checks else any(coverage.get(c) == "exercised" for c in checks)
        out.append({"name": name, "kind": kind, "cells": cells})
    return {"columns": list(COLUMNS), "rows": out, "derived": True}


def matrix(summary: dict[str, Any]) -> dict[str, Any] | None:
    """The run's own matrix when well formed, else the derived one (None without coverage)."""
    given = summary.get("coverage_matrix")
    if isinstance(given, dict) and isinstance(given.get("columns"), list) and isinstance(given.get("rows"), list):
        columns = [str(c) for c in given["columns"]]
        rows_out = []
        for row in given["rows"]:
            if not isinstance(row, dict):
                continue
            cells = row.get("cells") if isinstance(row.get("cells"), dict) else {}
            rows_out.append({"name": str(row.get("name", "")), "kind": str(row.get("kind", "parameter")),
                             "cells": {c: cells.get(c) for c in columns}})
        return {"columns": columns, "rows": rows_out, "derived": False}
    coverage = summary.get("coverage")
    if isinstance(coverage, dict) and coverage:
        return derived(coverage)
    return None
