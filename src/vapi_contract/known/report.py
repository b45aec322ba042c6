"""Known deviations in every output of a run: the ``known`` section of summary.json (built once,
from the run's :class:`~.matching.Outcome`), and what the console, the report, junit.xml and the
history line show of it — each read from that section, none recomputing a state.

summary.json's ``known``::

    {"file": "known-deviations.toml", "entries": 3, "today": "2026-12-05", "target": "https://api.vapi.ai",
     "matched":        [{<entry>, "state": "matched", "days_left": 86, "expiring": false,
                         "findings": [<a violation as in violations[], with "kind">, ...]}],
     "not_seen":       [{<entry>, "state": "not-seen", "why": ...}],
     "expired":        [{<entry>, "state": "expired", "findings": [...]}],   # those findings fail the run
     "not_checked":    [{<entry>, "state": "not-checked", "why": "the run was not complete"}],
     "not_applicable": [{<entry>, "state": "not-applicable", "why": "an entry of GET /v2/campaign, ..."}]}

``<entry>`` is the entry as the file has it (id, operation, check, locus, reason, ticket, expires,
added, target, example).  A violation, drift entry or published change that an entry names carries
``known``: the entry's id, state, expiry, reason and ticket.
"""

from __future__ import annotations

from typing import Any, Callable

from ..invariants.registry import fingerprint
from .entry import FINDING, drift_key, spec_key
from .matching import EXPIRED, MATCHED, NOT_APPLICABLE, NOT_CHECKED, NOT_SEEN, Outcome, Settled

LISTS = {MATCHED: "matched", NOT_SEEN: "not_seen", EXPIRED: "expired", NOT_CHECKED: "not_checked",
         NOT_APPLICABLE: "not_applicable"}
STATE_WORDS = {MATCHED: "known", NOT_SEEN: "not seen", EXPIRED: "expired", NOT_CHECKED: "not checked",
               NOT_APPLICABLE: "not applicable"}


def empty(file: str | None = None) -> dict[str, Any]:
    return {"file": file, "entries": 0, "today": None, "target": None, **{name: [] for name in LISTS.values()}}


def _found_dict(f, render_violation: Callable[[Any], dict]) -> dict[str, Any]:
    if f.kind == FINDING:
        return {**render_violation(f.item), "kind": FINDING}
    item = f.item if isinstance(f.item, dict) else {}
    return {"kind": f.kind, "check": f.check, "locus": f.locus, "fingerprint": f.id,
            "message": str(item.get("message") or item.get("change") or ""), "pointer": item.get("pointer"),
            "request": "", "occurrences": item.get("responses") or 1}


def _entry_dict(s: Settled) -> dict[str, Any]:
    return {**s.entry.to_dict(), "state": s.state, "days_left": s.days_left, "expiring": s.expiring,
            **({"why": s.why} if s.why else {})}


def section(outcome: Outcome | None, render_violation: Callable[[Any], dict]) -> dict[str, Any]:
    """summary.json's ``known`` of a run (``render_violation``: a Violation as ``violations[]`` has it)."""
    if outcome is None:
        return empty()
    out = {"file": outcome.file, "entries": len(outcome.settled), "today": outcome.today.isoformat(),
           "target": outcome.target, **{name: [] for name in LISTS.values()}}
    for s in outcome.settled:
        item = _entry_dict(s)
        if s.state in (MATCHED, EXPIRED):
            item["findings"] = [_found_dict(f, render_violation) for f in s.findings]
        out[LISTS[s.state]].append(item)
    return out


def mark_of(s: Settled) -> dict[str, Any]:
    e = s.entry
    return {"id": e.id, "state": s.state, "expires": e.expires.isoformat(), "reason": e.reason, "ticket": e.ticket}


def marks(outcome: Outcome | None) -> dict[str, dict[str, Any]]:
    """id -> what a finding with that id carries as ``known`` (matched and expired entries)."""
    if outcome is None:
        return {}
    return {s.entry.id: mark_of(s) for s in outcome.settled if s.state in (MATCHED, EXPIRED)}


def drift_id(operation: str, d: dict) -> str:
    return fingerprint(operation, *drift_key(d))


def spec_id(operation: str, c: dict) -> str:
    return fingerprint(operation, *spec_key(c))


# -- reading the section back (console, report, junit.xml, history) -----------------------------------
def of(summary: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The summary's ``known`` lists, read defensively (an older summary has none)."""
    known = summary.get("known") if isinstance(summary.get("known"), dict) else {}
    return {name: [i for i in known.get(name) or [] if isinstance(i, dict)] for name in LISTS.values()}


def count(summary: dict[str, Any]) -> int:
    """How many known deviations the run matched."""
    return len(of(summary)["matched"])


def deviations(n: int) -> str:
    return f"{n} known deviation{'' if n == 1 else 's'}"


def ticket_and_expiry(item: dict[str, Any]) -> str:
    """``https://tracker/123, expires 2027-03-01`` (no ticket: just the expiry)."""
    parts = [str(item["ticket"])] if item.get("ticket") else []
    parts.append(f"expires {item.get('expires')}")
    return ", ".join(parts)


def skip_message(item: dict[str, Any]) -> str:
    """What junit.xml's skipped testcase of a known finding says."""
    return f"known deviation: {item.get('reason')} ({ticket_and_expiry(item)})"


def expired_text(item: dict[str, Any]) -> str:
    return f"known deviation {item.get('id')} expired on {item.get('expires')}"


def warning_text(item: dict[str, Any]) -> str:
    days = item.get("days_left")
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    return f"known deviation {item.get('id')} ({item.get('check')} {item.get('locus')}) expires {when} ({item.get('expires')})"


def expiring(summary: dict[str, Any]) -> list[dict[str, Any]]:
    lists = of(summary)
    return [i for name in ("matched", "not_seen", "not_checked") for i in lists[name] if i.get("expiring")]


def console_lines(summary: dict[str, Any], *, only: str | None = None, report: str = "report.html") -> list[str]:
    """The console's known-deviation lines: each matched one with its ticket and expiry (and its
    first finding's request), each expired one with its date, each not seen one, warnings for those
    expiring within a week; the entries not checked counted."""
    lists = of(summary)
    known = summary.get("known") if isinstance(summary.get("known"), dict) else {}
    if not any(lists.values()):
        return []
    lines = [f"  known deviations ({known.get('file')}, {known.get('entries', 0)} entries):"]
    for item in lists["matched"]:
        findings = item.get("findings") or []
        lines.append(f"    [known] {item.get('check')} {item.get('locus')} — {item.get('id')}: "
                     f"{len(findings)} finding{'' if len(findings) == 1 else 's'}; {ticket_and_expiry(item)}")
        lines.append(f"        reason: {item.get('reason')}")
        first = next((f for f in findings if f.get("request")), None)
        if first:
            lines.append(f"        {first.get('message')}")
            lines.append(f"          {first.get('request')}")
    for item in lists["expired"]:
        findings = item.get("findings") or []
        lines.append(f"    [expired] {item.get('check')} {item.get('locus')} — {expired_text(item)}: "
                     + (f"its {len(findings)} finding{' fails' if len(findings) == 1 else 's fail'} the run again"
                        if findings else "it acknowledges nothing any more")
                     + (f" ({item['ticket']})" if item.get("ticket") else ""))
    for item in lists["not_seen"]:
        lines.append(f"    [not seen] {item.get('check')} {item.get('locus')} — {item.get('id')}: a complete run "
                     "exercised its check and did not see it: remove it (vapi-contract known prune REPORT_DIR)"
                     + (f"; {item['ticket']}" if item.get("ticket") else ""))
    for item in expiring(summary):
        lines.append(f"    warning: {warning_text(item)}")
    rest = len(lists["not_checked"])
    if rest:
        lines.append(f"    {rest} entr{'y' if rest == 1 else 'ies'} not checked by this run (see {report}#known)")
    if lists["not_applicable"]:
        lines.append(f"    {len(lists['not_applicable'])} entr{'y' if len(lists['not_applicable']) == 1 else 'ies'} "
                     "of another operation or target")
    return lines


def history_part(summary: dict[str, Any]) -> dict[str, Any]:
    """What a history line records: how many known deviations, and the ids of the matched, expired
    and not seen entries (the report says which became so since the previous run)."""
    lists = of(summary)
    return {"count": len(lists["matched"]), **{name: sorted(str(i.get("id")) for i in lists[name])
                                               for name in ("matched", "expired", "not_seen")}}


__all__ = ["count", "console_lines", "deviations", "drift_id", "empty", "expired_text", "expiring", "history_part",
           "marks", "of", "section", "skip_message", "spec_id", "ticket_and_expiry", "warning_text"]
