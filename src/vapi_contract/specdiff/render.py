"""``vapi-contract diff`` output: text for people, JSON for tools, one self-contained HTML page.
Each shows the changes, then the documents' defects (``specdiff.defects``) with every place
where something could not be compared."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from .rules import BREAKING, INFO, WARNING, Change

if TYPE_CHECKING:
    from . import DiffResult


def as_json(result: DiffResult) -> str:
    """``DiffResult.to_dict()``: the object ``summary.json`` holds as ``spec_diff``."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=str)


def counts(changes: list[Change]) -> dict[str, int]:
    c = Counter(ch.level for ch in changes)
    return {BREAKING: c[BREAKING], WARNING: c[WARNING], INFO: c[INFO]}


def headline(changes: list[Change], old: str, new: str, operation: str) -> str:
    n = counts(changes)
    if not changes:
        return f"{operation}: no change between {old} and {new}"
    return (f"{operation}: {len(changes)} change(s) between {old} and {new}: "
            f"{n[BREAKING]} breaking, {n[WARNING]} breaking for strict clients only, {n[INFO]} non-breaking")


def defects_heading(result: DiffResult, document: str) -> str | None:
    """``NEW (b.json) is not valid OpenAPI where GET /campaign reaches: 2 defects``, or None."""
    found = [d for d in result.defects if d.document == document]
    if not found:
        return None
    name = result.old if document == "old" else result.new
    return (f"{document.upper()} ({name}) is not valid OpenAPI where {result.operation} reaches: "
            f"{len(found)} defect{'s' if len(found) != 1 else ''}")


def as_text(result: DiffResult) -> str:
    changes = result.changes
    lines = [headline(changes, result.old, result.new, result.operation)]
    width = max((len(c.change) for c in changes), default=0)
    for c in changes:
        lines.append(f"  {c.level.upper():8} {c.change:{width}}  {c.message}")
        lines.append(f"  {'':8} {'':{width}}  at {c.pointer}")
    for document in ("old", "new"):
        heading = defects_heading(result, document)
        if heading is None:
            continue
        lines.append(heading)
        for d in (d for d in result.defects if d.document == document):
            status = "" if document == "old" else " (introduced by NEW)" if d.introduced else " (already in OLD)"
            lines.append(f"  {d.defect.kind}{status}: {d.reading}")
            lines.extend(f"      at {pointer}" for pointer in d.defect.pointers)
    return "\n".join(lines)


def as_html(result: DiffResult) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("vapi_contract.specdiff", "templates"),
                      autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
    rows: list[dict[str, Any]] = [c.to_dict() for c in result.changes]
    return env.get_template("diff.html.j2").render(
        title=headline(result.changes, result.old, result.new, result.operation), old=result.old, new=result.new,
        operation=result.operation, counts=counts(result.changes), changes=rows,
        defects=[d.to_dict() for d in result.defects])
