"""junit.xml: one testcase per check (classname = area, name = check id), one per drift entry
(classname "drift") and one per change of the published document (classname "spec-diff"), the
breaking ones failing; a defect of a document that is no change (already in the older one) is a
passing "spec-diff" testcase of its own (one NEW introduces is its change); a published document
that could not be read is one skipped "spec-diff" testcase saying why.  Built with xml.etree in the dialect of the Jenkins xUnit plugin's
junit-10.xsd, which GitHub Actions test reporters, GitLab and Jenkins all read.

The run's verdict is the summary's own (property ``verdict``).  A run that is not green by its
verdict is never green in a viewer: an ``error`` run is an erroring testcase ``run/verdict``; an
``incomplete`` or ``interrupted`` run (and a ``fail`` no other testcase shows) a failing one,
saying why.  The testsuite is named after the operation, profile and target.

A known deviation (summary.json's ``known``) is neither green nor red: a check whose every finding
is acknowledged is a skipped testcase saying "known deviation: reason (ticket, expires DATE)" (so
is an acknowledged drift entry or published change, and each acknowledged finding of a check that
also fails); a finding whose entry expired fails, naming the entry and the day it expired.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ..known import report as known_report
from . import verdict, view

SUITE = "vapi-contract"
# characters XML 1.0 cannot carry, even escaped
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MESSAGE_CHARS = 500


def clean(text: Any) -> str:
    return _ILLEGAL.sub("\ufffd", "" if text is None else str(text))


def _failure_text(check: dict[str, Any]) -> str:
    parts = []
    for f in check["failures"]:
        lines = [f["message"]]
        if f["pointer"]:
            lines.append(f"  at:       {f['pointer']}" + (f" (HTTP {f['status']})" if f["status"] is not None else ""))
        if f["expected"]:
            lines.append(f"  expected: {f['expected']}")
        if f["actual"]:
            lines.append(f"  actual:   {f['actual']}")
        lines.append(f"  seen:     {f['occurrences']} time(s)")
        if f["fingerprint"]:
            lines.append(f"  finding:  {f['fingerprint']} ({f['locus']})")
        if f.get("known"):
            lines.append(f"  known:    {known_report.expired_text(f['known'])}: it fails the run again ({f['known'].get('reason')})")
        if f["request"]:
            lines.append(f"  replay:   {f['request']}")
        if f["rerun"]:
            lines.append(f"  re-run:   {f['rerun']}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _seconds(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, (int, float)) and value >= 0 else "0"


def _finding(case: ET.Element, breaking: bool, message: str, kind: str, details: str) -> int:
    """A drift or spec-diff testcase: a failure when breaking, else the details as output; returns
    the number of failures it adds (0 or 1)."""
    if breaking:
        ET.SubElement(case, "failure", {"message": clean(message), "type": clean(kind)}).text = clean(details)
        return 1
    ET.SubElement(case, "system-out").text = clean(details)
    return 0


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", {"classname": clean(classname), "name": clean(name), "time": "0"})


def unique_names(bases: list[str], hints: list[str]) -> list[str]:
    """Testcase names that never repeat (viewers merge testcases sharing classname and name): a
    name shared by several entries gets its entry's hint (e.g. the enum value added), and a
    number if that still repeats."""
    shared = {b for b in bases if bases.count(b) > 1}
    names = [f"{b} [{view.truncate(h, 60)}]" if b in shared and h else b for b, h in zip(bases, hints)]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if names.count(name) == 1 else f"{name} #{seen[name]}")
    return out


RUN_CLASS, RUN_NAME = "run", "verdict"


def build(summary: dict[str, Any]) -> ET.Element:
    """The <testsuites> element of a run."""
    h = view.header(summary)
    tests = failures = skipped = errors = 0
    suite = ET.Element("testsuite", {"name": clean(f"{SUITE} {h['operation']} · {h['profile']} · {h['target']}")})
    props = ET.SubElement(suite, "properties")
    for name, value in [("verdict", h["verdict"]), ("complete", str(h["complete"]).lower()),
                        ("operation", h["operation"]), ("only", h["only"] or ""), ("target", h["target"]),
                        ("profile", h["profile"]), ("seed", h["seed"]), ("contract.source", h["contract_source"]),
                        ("contract.sha256", h["contract_sha"]), ("requests", h["requests"]),
                        ("exit_code", h["exit_code"]), ("known", str(known_report.count(summary))),
                        *_known_properties(summary)]:
        ET.SubElement(props, "property", {"name": name, "value": clean(value)})
    run_case = _case(suite, RUN_CLASS, RUN_NAME)  # its outcome is decided once the others are known
    tests += 1

    matched = known_report.of(summary)["matched"]
    for check in view.checks(summary):
        tests += 1
        case = _case(suite, check["area"], check["id"])
        entries = [e for e in matched if e.get("check") == check["id"]]
        if check["status"] == "known":
            skipped += 1
            ET.SubElement(case, "skipped", {"message": clean(view.truncate(
                "; ".join(known_report.skip_message(e) for e in entries) or "known deviation", MESSAGE_CHARS))})
            ET.SubElement(case, "system-out").text = clean(_known_text(entries))
        elif check["status"] == "fail" and check["failures"]:
            failures += 1
            first = check["failures"][0]["message"]
            more = len(check["failures"]) - 1
            message = view.truncate(first, MESSAGE_CHARS) + (f" (and {more} more)" if more else "")
            ET.SubElement(case, "failure", {"message": clean(message), "type": clean(check["id"])}).text = \
                clean(f"{check['rule']}\n\n{_failure_text(check)}")
        elif check["status"] == "fail":
            failures += 1
            ET.SubElement(case, "failure", {"message": clean(check["rule"] or "failed"), "type": clean(check["id"])})
        elif check["status"] == "not-exercised":
            skipped += 1
            ET.SubElement(case, "skipped", {"message": "not exercised by this run"})
        else:
            ET.SubElement(case, "system-out").text = clean(f"{check['rule']}\nDocumented: {check['source']}")
        if check["status"] == "fail":  # its known findings, beside the failing ones: a skipped testcase each
            for e in entries:
                tests, skipped = tests + 1, skipped + 1
                known_case = _case(suite, check["area"], f"{check['id']} [known {e.get('id')}: {view.truncate(str(e.get('locus')), 60)}]")
                ET.SubElement(known_case, "skipped", {"message": clean(view.truncate(known_report.skip_message(e), MESSAGE_CHARS))})
                ET.SubElement(known_case, "system-out").text = clean(_known_text([e]))

    drift = view.drift_entries(summary)
    drift_names = unique_names([f"{d['change']} {d['pointer']}".strip() for d in drift], [d["example"] for d in drift])
    for d, name in zip(drift, drift_names):
        tests += 1
        case = _case(suite, "drift", name)
        details = "\n".join(x for x in [
            d["message"], f"example: {d['example']}" if d["example"] else "",
            f"responses: {d['responses']}" if d["responses"] is not None else "", d["note"]] if x)
        if _skipped_as_known(case, d["known"]):
            skipped += 1
            continue
        failures += _finding(case, d["breaking"], d["message"] or d["change"], f"drift.{d['change'] or 'breaking'}",
                             details + (f"\n{known_report.expired_text(d['known'])}" if d["known"] else ""))

    spec = view.spec_diff(summary)
    if spec and spec["unreadable"]:
        tests, skipped = tests + 1, skipped + 1
        case = _case(suite, "spec-diff", "published document")
        ET.SubElement(case, "skipped", {"message": clean(view.truncate(
            f"{spec['new']} could not be read: {spec['unreadable']}", MESSAGE_CHARS))})
    changes = spec["changes"] if spec else []
    change_names = unique_names([f"{c['change']} {c['pointer']}".strip() for c in changes], [c["value"] for c in changes])
    for c, name in zip(changes, change_names):
        tests += 1
        case = _case(suite, "spec-diff", name)
        details = "\n".join(x for x in [c["message"], c["why"], f"level: {c['level']}",
                                         f"{spec['old']} -> {spec['new']}"] if x)
        if _skipped_as_known(case, c["known"]):
            skipped += 1
            continue
        failures += _finding(case, c["breaking"], c["message"] or c["change"], f"spec.{c['change']}",
                             details + (f"\n{known_report.expired_text(c['known'])}" if c["known"] else ""))
    for d in (spec["defects"] if spec else []):
        if d["introduced"]:
            continue  # its change (published-document-invalid) says it
        tests += 1
        case = _case(suite, "spec-diff", f"{d['kind']} {d['subject']} ({d['document']})")
        ET.SubElement(case, "system-out").text = clean("\n".join(
            [f"{d['document']} ({d['source']}): {d['message']}", *(f"at {p}" for p in d["pointers"])]))

    outcome = _run_outcome(h, shown_failing=failures > 0)
    if outcome == "error":
        errors += 1
    elif outcome == "failure":
        failures += 1
    if outcome:
        message = h["reason"] or f"the run's verdict is {h['verdict']}"
        ET.SubElement(run_case, outcome, {"message": clean(view.truncate(f"{h['verdict'].upper()}: {message}", MESSAGE_CHARS)),
                                          "type": clean(f"run-{h['verdict']}")}).text = clean(message)
    else:
        ET.SubElement(run_case, "system-out").text = clean(f"verdict: {h['verdict']}")

    time = _seconds(summary.get("duration_s"))
    suite.attrib.update({"tests": str(tests), "failures": str(failures), "errors": str(errors),
                         "skipped": str(skipped), "time": time})
    if isinstance(summary.get("started_at"), str):
        suite.set("timestamp", clean(summary["started_at"]))
    root = ET.Element("testsuites", {"name": SUITE, "tests": str(tests), "failures": str(failures),
                                     "errors": str(errors), "time": time})
    root.append(suite)
    return root


def _run_outcome(h: dict[str, Any], shown_failing: bool) -> str | None:
    """What the run testcase holds: ``error`` for an error run (or a verdict this version does not
    know), ``failure`` for an incomplete or interrupted run and for a failing one no other
    testcase shows; None when the other testcases already tell the verdict (pass; fail)."""
    if h["verdict"] == "error" or h["verdict"] not in verdict.VERDICTS:
        return "error"
    if h["verdict"] in verdict.NOT_GREEN or (h["verdict"] == "fail" and not shown_failing):
        return "failure"
    return None


def _known_text(entries: list[dict[str, Any]]) -> str:
    """A known deviation's entry and its findings with their requests (a skipped testcase's output)."""
    parts = []
    for e in entries:
        lines = [f"{e.get('id')}: {e.get('check')} {e.get('locus')} ({e.get('operation')})", f"reason:  {e.get('reason')}"]
        if e.get("ticket"):
            lines.append(f"ticket:  {e['ticket']}")
        lines.append(f"expires: {e.get('expires')}")
        for f in (e.get("findings") or [])[:view.SHOWN_FAILURES]:
            lines.append(f"  {f.get('message')}")
            if f.get("request"):
                lines.append(f"    replay: {f['request']}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _skipped_as_known(case: ET.Element, known: dict[str, Any] | None) -> bool:
    """A drift or spec testcase a known deviation in force acknowledges: skipped, saying so."""
    if not known or known.get("state") != "matched":
        return False
    ET.SubElement(case, "skipped", {"message": clean(view.truncate(known_report.skip_message(known), MESSAGE_CHARS))})
    return True


def _known_properties(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """``known.expired`` and ``known.not_seen``: the ids of those entries, when there are any."""
    lists = known_report.of(summary)
    return [(f"known.{name}", " ".join(str(i.get("id")) for i in lists[name]))
            for name in ("expired", "not_seen") if lists[name]]


def render(summary: dict[str, Any]) -> str:
    root = build(summary)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
