"""What the HTML report shows, computed from summary.json: checks per area with their status and
failures, drift (breaking first), the spec diff, header facts.  Pure data; the template only lays
it out.  Every key of the summary is read defensively: an ``error`` run has few of them.

Known deviations (summary.json's ``known``, :mod:`vapi_contract.known.report`) get a section of
their own; a check whose every finding is acknowledged is ``known``.

Values are shown as JSON and messages in JSON spelling (:mod:`.values`); a "matches none of the
alternatives" finding gets a readable title (:mod:`.unions`); the verdict is the summary's
(:mod:`.verdict`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ..areas import AREAS, DRIFT
from ..invariants import CHECKS
from ..known import report as known_report
from . import budget, unions, verdict
from .values import as_json, json_spelling

AREA_TITLES = {
    "shape": "Shape", "pagination": "Pagination", "filters": "Filters", "validation": "Input validation",
    "auth": "Authentication", "tenancy": "Tenancy", "reliability": "Reliability", "drift": "Drift",
}
# the operation of a summary or history line that names none: the only one before the field existed
LEGACY_OPERATION = "GET /campaign"
EXCERPT_CHARS = 240
FULL_CHARS = 4000
SHOWN_FAILURES = 5
# a check's status: ``known`` when it was exercised and every finding of it is a known deviation
STATUSES = ("pass", "fail", "known", "not-exercised")


def truncate(text: str, limit: int = EXCERPT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def operation(entry: dict[str, Any]) -> str:
    """The operation a summary or history line is about (``GET /campaign``, ``GET /v2/campaign``);
    one without it is an older one, of ``GET /campaign``."""
    given = entry.get("operation")
    return given.strip() if isinstance(given, str) and given.strip() else LEGACY_OPERATION


def only(entry: dict[str, Any]) -> str | None:
    """The check a partial run (``run --only CHECK``) was limited to; None for a full run."""
    given = entry.get("only")
    return given if isinstance(given, str) and given else None


def pointer_parts(pointer: str) -> list[str]:
    """A JSON pointer cut before each ``/``: the template lets a long pointer wrap there only."""
    return [part for part in re.split(r"(?=/)", pointer) if part]


def when(instant: Any) -> str:
    """``2026-11-25T13:59:13+00:00`` -> ``2026-11-25 13:59:13 UTC``; anything else as given."""
    if not isinstance(instant, str) or not instant:
        return "—"
    try:
        dt = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    except ValueError:
        return instant
    zone = "UTC" if dt.utcoffset() is not None and not dt.utcoffset() else dt.strftime("%z")
    return f"{dt:%Y-%m-%d %H:%M:%S} {zone}".strip()


def seconds(value: Any) -> str:
    if not isinstance(value, (int, float)):
        return "—"
    if value < 60:
        return f"{value:.1f} s"
    minutes, secs = divmod(int(round(value)), 60)
    return f"{minutes} min {secs:02d} s"


def failure(v: dict[str, Any]) -> dict[str, Any]:
    """One finding as shown: its title (the message in JSON spelling, or the readable title of a
    "matches none of the alternatives" finding), expected and actual values as JSON."""
    actual = as_json(v.get("actual")) if "actual" in v else ""
    excerpt = as_json(v["excerpt"]) if v.get("excerpt") is not None else actual
    message = str(v.get("message") or "")
    title = unions.title(message, str(v.get("pointer") or ""), v.get("actual"), unions.Union.from_dict(v.get("union")))
    return {
        "message": title or json_spelling(message),
        "expected": truncate(as_json(v.get("expected")), FULL_CHARS) if "expected" in v else "",
        "actual": truncate(actual),
        "actual_full": truncate(actual, FULL_CHARS) if len(actual) > EXCERPT_CHARS else "",
        "excerpt": truncate(excerpt),
        "pointer": v.get("pointer") or "",
        "pointer_parts": pointer_parts(str(v.get("pointer") or "")),
        "status": v.get("status"),
        "request": str(v.get("request") or ""),
        "rerun": str(v.get("rerun") or ""),
        "occurrences": v.get("occurrences") or 1,
        "fingerprint": str(v.get("fingerprint") or ""),
        "locus": str(v.get("locus") or ""),
        "known": v.get("known") if isinstance(v.get("known"), dict) else None,  # the entry that expired
    }


def checks(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Every check with its rule, doc line, status and failures, in catalogue order."""
    violations = [v for v in summary.get("violations") or [] if isinstance(v, dict)]
    coverage = summary.get("coverage") if isinstance(summary.get("coverage"), dict) else {}
    given = [c for c in summary.get("checks") or [] if isinstance(c, dict) and c.get("id")]
    if given:
        rows = [{"id": str(c["id"]), "area": str(c.get("area") or str(c["id"]).split(".", 1)[0]),
                 "rule": c.get("rule") or "", "source": c.get("source") or "", "status": c.get("status")}
                for c in given]
    else:
        rows = [{"id": c.id, "area": c.area, "rule": c.rule, "source": c.source, "status": None}
                for c in CHECKS.values() if not c.requires or c.id in coverage]  # surface checks: when the run had them
    known = {r["id"] for r in rows}
    for cid in list(coverage) + [str(v.get("check")) for v in violations if v.get("check")]:
        if cid not in known:  # a check this version of the catalogue does not know
            known.add(cid)
            info = CHECKS.get(cid)
            rows.append({"id": cid, "area": cid.split(".", 1)[0], "rule": info.rule if info else "",
                         "source": info.source if info else "", "status": None})
    for row in rows:
        info = CHECKS.get(row["id"])
        row["rule"] = row["rule"] or (info.rule if info else "")
        row["source"] = row["source"] or (info.source if info else "")
        row["failures"] = [failure(v) for v in violations if v.get("check") == row["id"]]
        if row["status"] not in STATUSES:
            if row["failures"]:
                row["status"] = "fail"
            else:
                row["status"] = "pass" if coverage.get(row["id"]) == "exercised" else "not-exercised"
        row["occurrences"] = sum(f["occurrences"] for f in row["failures"])
        reruns = {f["rerun"] for f in row["failures"]}
        row["rerun"] = reruns.pop() if len(reruns) == 1 else ""
        row["shown"] = by_request(row["failures"][:SHOWN_FAILURES])
        row["more"] = by_request(row["failures"][SHOWN_FAILURES:])
        row["more_count"] = max(0, len(row["failures"]) - SHOWN_FAILURES)
    return rows


def by_request(failures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive findings from the same request, grouped: one curl line per request."""
    groups: list[dict[str, Any]] = []
    for f in failures:
        if groups and groups[-1]["request"] == f["request"]:
            groups[-1]["findings"].append(f)
        else:
            groups.append({"request": f["request"], "findings": [f]})
    return groups


def areas(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The sections in report order: each area with its checks and its pass/fail/skip counts."""
    rows = checks(summary)
    known = [*AREAS, DRIFT]
    order = known + sorted({r["area"] for r in rows} - set(known))
    out = []
    for area in order:
        mine = [r for r in rows if r["area"] == area]
        drift = drift_entries(summary) if area == "drift" else []
        if not mine and area != "drift":
            continue
        counts = {s: sum(1 for r in mine if r["status"] == s) for s in STATUSES}
        breaking = sum(1 for d in drift if d["breaking"])
        # drift is looked for in every 2xx body: none found in at least one such body is a pass
        compared = area == "drift" and any(str(k).startswith("2") for k in (summary.get("status_histogram") or {}))
        status = "fail" if counts["fail"] or breaking else "known" if counts["known"] else \
            ("pass" if counts["pass"] or drift or compared else "not-exercised")
        out.append({"id": area, "title": AREA_TITLES.get(area, area.title()), "checks": mine,
                    "counts": counts, "status": status, "drift": drift, "breaking": breaking})
    return out


def drift_entries(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """summary["drift"], breaking entries first (each group in the run's order)."""
    entries = []
    for d in summary.get("drift") or []:
        if not isinstance(d, dict):
            continue
        pointer = str(d.get("pointer") or "")
        entries.append({
            "pointer": pointer, "pointer_parts": pointer_parts(pointer), "change": str(d.get("change") or ""),
            "breaking": bool(d.get("breaking")), "message": json_spelling(str(d.get("message") or "")),
            "example": truncate(as_json(d.get("example"))) if "example" in d and d.get("example") is not None else "",
            "responses": d.get("responses"), "note": str(d.get("note") or ""),
            "known": d.get("known") if isinstance(d.get("known"), dict) else None,
        })
    return sorted(entries, key=lambda e: not e["breaking"])


LEVELS = ("breaking", "warning", "info")


def spec_diff(summary: dict[str, Any]) -> dict[str, Any] | None:
    """summary["spec_diff"] (``run --published-spec``): changes ordered breaking, warning, info;
    the documents' defects (``specdiff.defects``: what is not valid OpenAPI, where, not compared);
    ``unreadable``: why the published document could not be read (nothing was compared), or ""."""
    diff = summary.get("spec_diff")
    if not isinstance(diff, dict):
        return None
    changes = []
    for c in diff.get("changes") or []:
        if not isinstance(c, dict):
            continue
        breaking = bool(c.get("breaking"))
        level = str(c.get("level") or ("breaking" if breaking else "info"))
        changes.append({"pointer": str(c.get("pointer") or ""), "pointer_parts": pointer_parts(str(c.get("pointer") or "")),
                        "schema": str(c.get("schema") or ""),
                        "change": str(c.get("change") or ""), "breaking": breaking, "level": level,
                        "message": str(c.get("message") or ""), "why": str(c.get("why") or ""),
                        "value": "" if c.get("value") is None else as_json(c.get("value")),
                        "known": c.get("known") if isinstance(c.get("known"), dict) else None})
    changes.sort(key=lambda c: (not c["breaking"], LEVELS.index(c["level"]) if c["level"] in LEVELS else len(LEVELS)))
    breaking = diff.get("breaking")
    defects = [{"document": str(d.get("document") or "").upper(), "source": str(d.get("source") or ""),
                "kind": str(d.get("kind") or ""), "subject": str(d.get("subject") or ""),
                "message": str(d.get("message") or ""), "introduced": bool(d.get("introduced")),
                "pointers": [str(p) for p in d.get("pointers") or [] if isinstance(p, str)]}
               for d in diff.get("defects") or [] if isinstance(d, dict)]
    return {"old": str(diff.get("old") or ""), "new": str(diff.get("new") or ""),
            "operation": operation(diff), "unreadable": str(diff.get("unreadable") or ""),
            "breaking": breaking if isinstance(breaking, int) else sum(c["breaking"] for c in changes),
            "changes": changes, "defects": defects}


def histogram(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Status codes with counts and bar widths (percent of the largest), 2xx to 5xx."""
    raw = summary.get("status_histogram") if isinstance(summary.get("status_histogram"), dict) else {}
    items = sorted((str(k), v) for k, v in raw.items() if isinstance(v, int))
    top = max((v for _, v in items), default=0) or 1
    return [{"code": code, "count": n, "width": max(2, round(100 * n / top)), "klass": f"s{code[:1]}xx"}
            for code, n in items]


def header(summary: dict[str, Any]) -> dict[str, Any]:
    """The banner and the run's facts.  ``verdict`` is the summary's own (:func:`.verdict.of`)."""
    given = verdict.of(summary)
    contract = summary.get("contract") if isinstance(summary.get("contract"), dict) else {}
    methods = summary.get("methods") if isinstance(summary.get("methods"), dict) else {}
    violations = [v for v in summary.get("violations") or [] if isinstance(v, dict)]
    return {
        "verdict": given,
        "verdict_style": verdict.style(given),
        "verdict_text": verdict.VERDICTS.get(given, given),
        "reason": verdict.reason(summary) if given in verdict.NOT_GREEN else "",
        "complete": summary.get("complete") is not False,
        "operation": operation(summary),
        "only": only(summary),
        "error": str(summary.get("error") or ""),
        "exit_code": summary.get("exit_code"),
        "target": str(summary.get("target") or "—"),
        "profile": str(summary.get("profile") or "—"),
        "seed": summary.get("seed") if summary.get("seed") is not None else "—",
        "contract_source": str(contract.get("source") or "—"),
        "contract_date": str(contract.get("date") or "—"),
        "contract_sha": str(contract.get("sha256") or ""),
        "started": when(summary.get("started_at")),
        "duration": seconds(summary.get("duration_s")),
        "requests": summary.get("requests") if isinstance(summary.get("requests"), int) else 0,
        "methods": sorted((str(k), v) for k, v in methods.items()),
        "violations": len(violations),
        "notes": [str(n) for n in summary.get("notes") or []],
        "movement": movement_text(summary.get("movement")),
        "budget": budget.view(summary),
    }


def movement_text(movement: Any) -> str:
    """One line on how much the data moved while the run read it ("" when no figures)."""
    if not isinstance(movement, dict):
        return ""
    return (f"{movement.get('campaigns_changed', 0)} changed, {movement.get('campaigns_created', 0)} created, "
            f"{movement.get('campaigns_left_pinned_set', 0)} left the snapshot; {movement.get('reobservations', 0)} re-observations, "
            f"{movement.get('rewalks', 0)} re-walks, {movement.get('findings_set_aside', 0)} differences set aside (not judged)")


def known(summary: dict[str, Any]) -> dict[str, Any] | None:
    """The "Known deviations" section: every entry of the run's file with its state, reason,
    ticket (a link when it is a web address), expiry and findings (grouped by request, with their
    curl lines); the warnings of entries expiring within a week.  None when the run read no file."""
    section = summary.get("known") if isinstance(summary.get("known"), dict) else None
    if not section or not section.get("file"):
        return None
    lists = known_report.of(summary)
    entries = []
    for name in ("expired", "matched", "not_seen", "not_checked", "not_applicable"):
        for item in lists[name]:
            ticket = str(item.get("ticket") or "")
            findings = [failure(f) for f in item.get("findings") or [] if isinstance(f, dict)]
            example = item.get("example") if isinstance(item.get("example"), dict) else {}
            entries.append({
                "id": str(item.get("id") or ""), "state": str(item.get("state") or ""),
                "state_text": known_report.STATE_WORDS.get(str(item.get("state")), str(item.get("state"))),
                "operation": str(item.get("operation") or ""), "check": str(item.get("check") or ""),
                "locus": str(item.get("locus") or ""), "reason": str(item.get("reason") or ""), "ticket": ticket,
                "ticket_link": ticket if re.match(r"^https?://[^\s\"'<>]+$", ticket) else "",
                "expires": str(item.get("expires") or ""), "added": str(item.get("added") or ""),
                "target": str(item.get("target") or ""), "why": str(item.get("why") or ""),
                "days_left": item.get("days_left"), "expiring": bool(item.get("expiring")),
                "example_message": str(example.get("message") or ""), "example_request": str(example.get("request") or ""),
                "findings": by_request(findings[:SHOWN_FAILURES]), "more": by_request(findings[SHOWN_FAILURES:]),
                "count": len(findings),
            })
    return {"file": str(section.get("file")), "entries": entries, "matched": len(lists["matched"]),
            "expired": len(lists["expired"]), "not_seen": len(lists["not_seen"]),
            "warnings": [known_report.warning_text(i) for i in known_report.expiring(summary)]}
