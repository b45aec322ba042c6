"""report.html: one self-contained page (inline CSS, one small inline script, no external
resource) rendered from templates/report.html.j2 with autoescaping on: every text that came from
the API or the run is escaped by Jinja2, never concatenated into markup by hand.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any

import jinja2

from . import history, matrix, trends, verdict, view

TEMPLATE = "report.html.j2"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("vapi_contract.report", "templates"),
        autoescape=True,  # the template's name ends in .j2, so select_autoescape would not apply
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return environment().loader.get_source(environment(), name)[0]


def script_hash(script: str) -> str:
    """The CSP hash that allows exactly this inline script and no other."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()


def _known_title(run: dict[str, Any]) -> str:
    """`` · 2 known deviations`` for a history line that records some (else "")."""
    known = run.get("known") if isinstance(run.get("known"), dict) else {}
    count = known.get("count") if isinstance(known.get("count"), int) else 0
    return f" · {count} known deviation{'' if count == 1 else 's'}" if count else ""


def strip(trend: history.Trend | None) -> dict[str, Any]:
    """The history strip: the last runs of this series, oldest first (partial runs marked), what
    changed since the previous full run, and the lines of history.jsonl that could not be read."""
    if trend is None:
        return {"runs": [], "previous": None, "new": [], "fixed": [], "compared_on": None, "partial": 0,
                "unreadable": [], "known_changes": []}
    runs = []
    for i, run in enumerate(trend.runs):
        counts = run.get("counts") if isinstance(run.get("counts"), dict) else {}
        started = view.when(run.get("started_at"))
        given = str(run.get("verdict") or "error")
        partial = history.is_partial(run)
        runs.append({
            "verdict": given,
            "style": verdict.style(given),
            "symbol": verdict.SYMBOLS.get(verdict.style(given), "?"),
            "partial": partial,
            "label": started[5:10] if started[:4].isdigit() else "?",
            "time": started[11:16] if started[:4].isdigit() else "",
            "title": f"{started} · {given} · {counts.get('violations', 0)} violation(s) · "
                     f"{counts.get('breaking_drift', 0)} breaking drift · seed {run.get('seed')}"
                     + (f" · partial run: --only {view.only(run) or '?'}" if partial else "")
                     + _known_title(run),
            "current": i == len(trend.runs) - 1,
        })
    previous = None
    if trend.previous:
        previous = {"started": view.when(trend.previous.get("started_at")),
                    "verdict": str(trend.previous.get("verdict") or "")}
    labels = {"matched": "Became known deviations", "expired": "Known deviations expired",
              "not_seen": "Known deviations not seen"}
    return {"runs": runs, "previous": previous, "new": trend.new_failures, "fixed": trend.fixed_failures,
            "compared_on": trend.compared_on, "partial": sum(1 for r in runs if r["partial"]),
            "unreadable": [str(u) for u in trend.unreadable],
            "known_changes": [{"label": labels[k], "ids": v} for k, v in trend.known_changes.items()]}


def context(summary: dict[str, Any], trend: history.Trend | None = None) -> dict[str, Any]:
    areas = view.areas(summary)
    all_checks = [c for a in areas for c in a["checks"]]
    drift = view.drift_entries(summary)
    script = _asset("report.js")
    return {
        "h": view.header(summary),
        "areas": areas,
        "totals": {s: sum(1 for c in all_checks if c["status"] == s) for s in view.STATUSES},
        "known": view.known(summary),
        "drift_total": len(drift),
        "drift_breaking": sum(1 for d in drift if d["breaking"]),
        "spec_diff": view.spec_diff(summary),
        "histogram": view.histogram(summary),
        "matrix": matrix.matrix(summary),
        "history": strip(trend),
        "charts": trends.charts(trend.history) if trend is not None else None,
        "latency_warnings": trends.warnings(trend.history) if trend is not None else [],
        "latency": trends.this_run(summary),
        "css": _asset("report.css"),
        "script": script,
        "script_hash": script_hash(script),
    }


def render(summary: dict[str, Any], trend: history.Trend | None = None) -> str:
    return environment().get_template(TEMPLATE).render(**context(summary, trend))
