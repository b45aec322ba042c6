"""The report's trend charts: the last ``CHART_RUNS`` runs of the same series (target and
operation), read from history.jsonl, as three small inline SVG charts (verdict, requests, p95
latency), and the latency warning.

A run's p95 (overall, or of page 1 at limit 1000) is a spike when it is both more than
``SPIKE_FACTOR`` times the median p95 of the ``BASELINE_RUNS`` full runs before it (at least
``MIN_BASELINE`` of them with figures) and at least ``SPIKE_FLOOR_MS`` above that median: the
ratio alone fires on millisecond noise (13.6 ms against 5.7 ms).  A spike is marked in the
chart and, for this run, is a warning in the report.  A warning, never a failure: latency
depends on the network and the organisation's size as much as on the API.  Partial runs
(``run --only``) send a different mix of requests: they are neither judged nor a baseline.

Pure data: the geometry (coordinates in a fixed viewBox) is computed here; the template draws
it with autoescaped attributes.  No script, no external resource: the page's CSP is unchanged.
"""

from __future__ import annotations

import statistics
from typing import Any

from .history import is_partial
from .verdict import style
from .view import when

CHART_RUNS = 30
BASELINE_RUNS = 7
MIN_BASELINE = 3
SPIKE_FACTOR = 2.0
SPIKE_FLOOR_MS = 250.0
SERIES = {"overall": "all responses", "page1_limit1000": "page 1 at limit 1000"}

# viewBox of each chart: CHART_RUNS slots of SLOT units, newest at the right
SLOT = 10
WIDTH = CHART_RUNS * SLOT
HEIGHT = 60
TOP = 4  # room for a marker at the top


def p95(entry: dict[str, Any], series: str = "overall") -> float | None:
    """The p95 (ms) a history line (or summary) records for ``series``; None when it has none."""
    latency = entry.get("latency_ms")
    figures = latency.get(series) if isinstance(latency, dict) else None
    value = figures.get("p95") if isinstance(figures, dict) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None


def spike(entries: list[dict[str, Any]], index: int, series: str = "overall") -> dict[str, float] | None:
    """``entries[index]``'s p95 against the median of the up to ``BASELINE_RUNS`` full runs before
    it that have one: ``{"p95", "median", "factor", "runs"}`` when it is more than
    ``SPIKE_FACTOR`` times that median and at least ``SPIKE_FLOOR_MS`` above it, else None (also
    for a partial run, and when fewer than ``MIN_BASELINE`` earlier full runs have figures)."""
    value = p95(entries[index], series)
    if value is None or is_partial(entries[index]):
        return None
    window = [e for e in entries[:index] if not is_partial(e)][-BASELINE_RUNS:]
    before = [v for v in (p95(e, series) for e in window) if v is not None]
    if len(before) < MIN_BASELINE:
        return None
    median = statistics.median(before)
    if value > SPIKE_FACTOR * median and value - median >= SPIKE_FLOOR_MS:
        return {"p95": value, "median": median, "factor": value / median if median > 0 else float("inf"),
                "runs": len(window)}
    return None


def warnings(entries: list[dict[str, Any]]) -> list[str]:
    """The latency warnings of the last run of ``entries`` (the current one)."""
    out = []
    if not entries:
        return out
    for series, label in SERIES.items():
        found = spike(entries, len(entries) - 1, series)
        if found:
            out.append(f"p95 latency of {label} is {_ms(found['p95'])}, more than {SPIKE_FACTOR:g} times the median "
                       f"of the previous {found['runs']} full runs ({_ms(found['median'])}) and at least "
                       f"{_ms(SPIKE_FLOOR_MS)} above it")
    return out


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _x(slot: int) -> float:
    return slot * SLOT + SLOT / 2


def _y(value: float, top: float) -> float:
    return round(HEIGHT - (HEIGHT - TOP) * (value / top if top > 0 else 0), 2)


def charts(history: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The three charts over ``history`` (runs against one target, oldest first, the current run
    last; earlier runs beyond the charted ones only serve as the baseline of the first spikes)."""
    if not history:
        return None
    shown = history[-CHART_RUNS:]
    offset = len(history) - len(shown)  # index in ``history`` of shown[0]
    first_slot = CHART_RUNS - len(shown)  # right-aligned: the current run is always the last slot
    runs = []
    for i, entry in enumerate(shown):
        counts = entry.get("counts") if isinstance(entry.get("counts"), dict) else {}
        requests = counts.get("requests")
        verdict = str(entry.get("verdict") or "error")
        partial = is_partial(entry)
        runs.append({
            "slot": first_slot + i, "x": _x(first_slot + i),
            "style": style(verdict), "partial": partial,
            "title": f"{when(entry.get('started_at'))} · {verdict}" + (" · partial run" if partial else ""),
            "requests": requests if isinstance(requests, int) and not isinstance(requests, bool) and requests >= 0 else None,
            "p95": {s: p95(entry, s) for s in SERIES},
            "spike": {s: spike(history, offset + i, s) is not None for s in SERIES},
            "current": i == len(shown) - 1,
        })
    top_requests = max((r["requests"] for r in runs if r["requests"] is not None), default=0)
    top_p95 = max((v for r in runs for v in r["p95"].values() if v is not None), default=0.0)
    bars, points, lines = [], {s: [] for s in SERIES}, {s: [] for s in SERIES}
    for r in runs:
        title = r["title"]
        if r["requests"] is not None:
            y = _y(r["requests"], top_requests)
            bars.append({"x": r["x"] - SLOT * 0.35, "y": y, "w": SLOT * 0.7, "h": round(HEIGHT - y, 2),
                         "title": f"{title} · {r['requests']:,} requests", "current": r["current"]})
        for s in SERIES:
            value = r["p95"][s]
            if value is None:
                lines[s].append(None)  # a gap: older history lines carry no latency
                continue
            point = {"x": r["x"], "y": _y(value, top_p95), "spike": r["spike"][s], "current": r["current"],
                     "title": f"{title} · p95 {SERIES[s]} {_ms(value)}" + (f" · more than {SPIKE_FACTOR:g} times the median of the full runs before" if r["spike"][s] else "")}
            points[s].append(point)
            lines[s].append(point)
    return {
        "width": WIDTH, "height": HEIGHT, "count": len(runs),
        "verdicts": [{"x": r["x"] - SLOT * 0.4, "w": SLOT * 0.8, "style": r["style"], "current": r["current"],
                      "partial": r["partial"], "title": r["title"]} for r in runs],
        "requests": {"bars": bars, "top": top_requests},
        "p95": {"top": _ms(top_p95) if top_p95 else "", "series": [
            {"id": s, "label": label, "points": points[s], "paths": _segments(lines[s])}
            for s, label in SERIES.items() if points[s]]},
        "spikes": sum(1 for r in runs for s in SERIES if r["spike"][s]),
        "spike_rule": f"over {SPIKE_FACTOR:g}× the median of the {BASELINE_RUNS} full runs before and "
                      f"{_ms(SPIKE_FLOOR_MS)} or more above it",
    }


def _segments(points: list[dict[str, Any] | None]) -> list[str]:
    """Polyline ``points`` attributes, one per run of consecutive points (gaps break the line)."""
    out, current = [], []
    for p in [*points, None]:
        if p is None:
            if len(current) > 1:
                out.append(" ".join(f"{q['x']:g},{q['y']:g}" for q in current))
            current = []
        else:
            current.append(p)
    return out


def this_run(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The run's own figures, for the report's text: one row per series with measurements."""
    latency = summary.get("latency_ms") if isinstance(summary.get("latency_ms"), dict) else {}
    rows = []
    for series, label in SERIES.items():
        figures = latency.get(series) if isinstance(latency.get(series), dict) else {}
        if not figures.get("count"):
            continue
        rows.append({"label": label, "count": figures.get("count"),
                     **{k: _ms(float(figures[k])) if isinstance(figures.get(k), (int, float)) else "—"
                        for k in ("p50", "p95", "max")}})
    return rows
