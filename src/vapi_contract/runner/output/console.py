"""What ``vapi-contract run`` prints on stdout at the end: the verdict line (the summary's verdict,
never another: ``INCOMPLETE`` is never shown as ``PASS``), one entry per failing check, what was
not exercised, notes, drift and the spec diff (or why the published document could not be read),
known deviations (each matched one with its ticket and expiry, the expired and not seen ones,
those expiring within a week), and where the files are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...known import report as known_report

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
    operation = summary.get("operation")
    # a run with known deviations is never shown as a plain verdict: "PASS (2 known deviations) with ..."
    acknowledged = known_report.count(summary)
    verdict = summary['verdict'].upper() + (f" ({known_report.deviations(acknowledged)}) with " if acknowledged else " (")
    lines = [f"vapi-contract {summary['profile']} run" + (f" of {operation}" if operation else "") + f" against {summary['target']}: "
             f"{verdict}{len(violations)} violation(s)"
             + (f" of {len(by_check)} check(s)" if len(by_check) > 1 else "")
             + f", {summary['requests']} requests, {summary['duration_s']:.1f} s, seed {summary['seed']}"
             + (")" if not acknowledged else "")]
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
        for entry in {v["known"]["id"]: v["known"] for v in found if isinstance(v.get("known"), dict)}.values():
            lines.append(f"      {known_report.expired_text(entry)}: {entry.get('reason')}"
                         + (f" ({entry['ticket']})" if entry.get("ticket") else ""))
        if len(found) > len(shown):
            rest = len(found) - len(shown)
            lines.append(f"      the other {rest}: {where}#check-{check} (or run --verbose)")
    not_exercised = [c for c in summary["not_exercised"] if only is None or c == only]
    if not_exercised:
        lines.append(f"  not exercised: {', '.join(not_exercised)}")
    lines.extend(known_report.console_lines(summary, only=only, report=where))
    for note in summary["notes"]:
        lines.append(f"  note: {note}")
    if only is not None:
        return "\n".join(lines)
    for d in summary.get("drift") or []:
        lines.append(f"  [drift] {_level(d, 'BREAKING' if d['breaking'] else 'addition')} {d['change']} at {d['pointer']}")
    spec = summary.get("spec_diff")
    if spec and spec.get("unreadable"):
        lines.append(f"  [spec] could not be read: {spec['unreadable']}")
    elif spec:
        lines.append(f"  [spec] {spec['new']} against the pinned contract: {len(spec['changes'])} change(s), {spec['breaking']} breaking")
        for c in spec["changes"]:
            lines.append(f"    {_level(c, c['level']):8} {c['change']}: {c['message']}")
    return "\n".join(lines)


def _level(item: dict[str, Any], level: str) -> str:
    """How a drift entry or published change is labelled: a known deviation names its entry."""
    known = item.get("known")
    if not isinstance(known, dict):
        return level
    if known.get("state") == "expired":
        return f"{level} ({known_report.expired_text(known)})"
    return f"known ({known.get('id')}; {known_report.ticket_and_expiry(known)})"


def artifacts(paths: list[Path]) -> str:
    """Where the run's files are, one per line, in the order summary.json, report.html,
    junit.xml, history.jsonl (files that could not be written are left out)."""
    order = {"summary.json": 0, "report.html": 1, "junit.xml": 2, "history.jsonl": 3}
    ranked = sorted(paths, key=lambda p: order.get(Path(p).name, len(order)))
    return "\n".join(f"{Path(p).name + ':':15}{p}" for p in ranked)
