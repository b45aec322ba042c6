"""``vapi-contract diff`` output: text for people, JSON for tools, one self-contained HTML page."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .rules import BREAKING, INFO, WARNING, Change


def as_json(changes: list[Change]) -> str:
    return json.dumps([c.to_dict() for c in changes], indent=2, ensure_ascii=False, default=str)


def counts(changes: list[Change]) -> dict[str, int]:
    c = Counter(ch.level for ch in changes)
    return {BREAKING: c[BREAKING], WARNING: c[WARNING], INFO: c[INFO]}


def headline(changes: list[Change], old: str, new: str, operation: str) -> str:
    n = counts(changes)
    if not changes:
        return f"{operation}: no change between {old} and {new}"
    return (f"{operation}: {len(changes)} change(s) between {old} and {new}: "
            f"{n[BREAKING]} breaking, {n[WARNING]} breaking for strict clients only, {n[INFO]} non-breaking")


def as_text(changes: list[Change], old: str, new: str, operation: str) -> str:
    lines = [headline(changes, old, new, operation)]
    width = max((len(c.change) for c in changes), default=0)
    for c in changes:
        lines.append(f"  {c.level.upper():8} {c.change:{width}}  {c.message}")
        lines.append(f"  {'':8} {'':{width}}  at {c.pointer}")
    return "\n".join(lines)


def as_html(changes: list[Change], old: str, new: str, operation: str) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("vapi_contract.specdiff", "templates"),
                      autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
    rows: list[dict[str, Any]] = [c.to_dict() for c in changes]
    return env.get_template("diff.html.j2").render(
        title=headline(changes, old, new, operation), old=old, new=new, operation=operation,
        counts=counts(changes), changes=rows)
