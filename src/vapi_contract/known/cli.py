"""``vapi-contract known``: acknowledge what a run found, remove what runs no longer see, lint the file.

    vapi-contract known add REPORT_DIR --reason TEXT --expires YYYY-MM-DD [--ticket URL] [--check CHECK_ID]
                                       [--target URL] [--file FILE]
    vapi-contract known prune REPORT_DIR [--file FILE]
    vapi-contract known check [--file FILE]

``add`` reads the run's summary.json and adds one entry per distinct fingerprint among its findings
(those of ``--check`` only, when given), its breaking drift entries and breaking published changes;
``prune`` removes the entries the run reported *not seen* (a complete run exercised their check and
did not see them) and nothing else; ``check`` lints the file without running anything.  FILE is
``known-deviations.toml`` in the working directory unless ``--file`` names another.  Exit codes:
0 done (``check``: the file is valid), 1 ``check`` found problems (one line each), 2 usage: a
summary or file that cannot be read, an expiry in the past or more than a year ahead, an unknown
check id.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ExitCode
from ..invariants.registry import fingerprint
from . import clock
from .entry import DRIFT, FINDING, MAX_TEXT, SPEC, check_ids, drift_key, kind_of, latest_expiry, normalise_target, spec_key
from .store import DEFAULT_FILE, add_entries, lint, load, read_text, remove_entries

SUMMARY_FILE = "summary.json"
MAX_SUMMARY_BYTES = 256 * 1024 * 1024
MAX_EXAMPLE_MESSAGE = 500
LEGACY_OPERATION = "GET /campaign"  # a summary without an operation is an older one, of GET /campaign


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="known_command", required=True, metavar="ACTION")
    add = sub.add_parser("add", help="acknowledge the findings of a run: one entry per distinct fingerprint",
                         description="Add one entry per distinct fingerprint among the findings of the run in "
                                     "REPORT_DIR (its summary.json), its breaking drift entries and breaking "
                                     "published changes; print what was added; add nothing twice.")
    add.add_argument("report_dir", metavar="REPORT_DIR", help="the run's --report-dir (or its summary.json)")
    add.add_argument("--reason", required=True, help="why the deviation is acknowledged (required; shown wherever it is)")
    add.add_argument("--expires", required=True, metavar="YYYY-MM-DD",
                     help="the last day the entry acknowledges anything: not in the past, at most a year ahead")
    add.add_argument("--ticket", default=None, metavar="URL", help="where it is tracked (shown wherever the entry is)")
    add.add_argument("--check", default=None, metavar="CHECK_ID",
                     help="only the findings of this check (a registry id, spec.<rule> or drift.<change>)")
    add.add_argument("--target", default=None, metavar="URL",
                     help="the base URL the entries apply to (default: any target)")
    add.add_argument("--file", default=None, metavar="FILE", help=f"the known-deviations file (default: ./{DEFAULT_FILE})")
    prune = sub.add_parser("prune", help="remove the entries a complete run did not see",
                           description="Remove exactly the entries the run in REPORT_DIR reported not seen: the run "
                                       "was complete, exercised the entry's check on its operation and did not see "
                                       "it. An entry whose check the run did not exercise is never touched.")
    prune.add_argument("report_dir", metavar="REPORT_DIR", help="the run's --report-dir (or its summary.json)")
    prune.add_argument("--file", default=None, metavar="FILE", help=f"the known-deviations file (default: ./{DEFAULT_FILE})")
    check = sub.add_parser("check", help="lint the file without running anything",
                           description="Lint the known-deviations file: entries without reason or expires, unknown "
                                       "check ids, dates that are not dates, duplicate ids, ids that are not the "
                                       "fingerprint of their operation, check and locus. Exit 1 when it finds any.")
    check.add_argument("--file", default=None, metavar="FILE", help=f"the known-deviations file (default: ./{DEFAULT_FILE})")


def execute(args: argparse.Namespace) -> int:
    shown = args.file or DEFAULT_FILE
    if args.known_command == "check":
        return check(Path(shown), shown, clock.today())
    summary = read_summary(Path(args.report_dir))
    if args.known_command == "add":
        return add(summary, Path(shown), shown, reason=args.reason, expires=args.expires, ticket=args.ticket,
                   only_check=args.check, target=args.target, today=clock.today())
    return prune(summary, Path(shown), shown, args.report_dir)


# -- the run's summary --------------------------------------------------------------------------------
def read_summary(path: Path) -> dict[str, Any]:
    """REPORT_DIR/summary.json (or the file named), bounded and checked: every finding's fingerprint
    must be the fingerprint of its operation, check and locus."""
    file = path / SUMMARY_FILE if path.is_dir() else path
    if not file.is_file():
        raise ConfigError(f"{path}: no {SUMMARY_FILE} (the --report-dir of a `vapi-contract run`)")
    try:
        size = file.stat().st_size
        if size > MAX_SUMMARY_BYTES:
            raise ConfigError(f"{file}: {size} bytes, more than a run's summary may hold")
        summary = json.loads(file.read_bytes())
    except OSError as exc:
        raise ConfigError(f"{file}: cannot be read: {exc.strerror or exc}") from None
    except (ValueError, RecursionError):
        raise ConfigError(f"{file}: not JSON (a summary.json written by `vapi-contract run`)") from None
    if not isinstance(summary, dict) or not isinstance(summary.get("violations", []), list):
        raise ConfigError(f"{file}: not a run summary (no violations list)")
    operation = summary.get("operation") if isinstance(summary.get("operation"), str) else LEGACY_OPERATION
    summary["operation"] = operation
    for number, v in enumerate(_violations(summary), start=1):
        if not all(isinstance(v.get(k), str) for k in ("check", "locus", "fingerprint")):
            raise ConfigError(f"{file}: finding {number} has no fingerprint, check and locus (a summary of an older version?)")
        if fingerprint(operation, v["check"], v["locus"]) != v["fingerprint"]:
            raise ConfigError(f"{file}: finding {number}: its fingerprint {v['fingerprint']} is not that of its "
                              "operation, check and locus")
    return summary


def _violations(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings of a summary: its violations, then those its known deviations acknowledged."""
    found = [v for v in summary.get("violations") or [] if isinstance(v, dict)]
    known = summary.get("known") if isinstance(summary.get("known"), dict) else {}
    for item in known.get("matched") or []:
        if isinstance(item, dict):
            found += [f for f in item.get("findings") or [] if isinstance(f, dict) and f.get("kind", FINDING) == FINDING]
    return found


def candidates(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """One candidate entry per distinct fingerprint among the run's findings, breaking drift entries
    and breaking published changes, in the order found, each with its first finding as example."""
    operation = summary["operation"]
    out: dict[str, dict[str, Any]] = {}

    def take(check: str, locus: str, message: str, request: str) -> None:
        ident = fingerprint(operation, check, locus)
        if ident not in out:
            out[ident] = {"id": ident, "operation": operation, "check": check, "locus": locus,
                          "message": message, "request": request}

    for v in _violations(summary):
        take(v["check"], v["locus"], str(v.get("message") or ""), str(v.get("request") or ""))
    for d in summary.get("drift") or []:
        if isinstance(d, dict) and d.get("breaking"):
            take(*drift_key(d), str(d.get("message") or d.get("change") or ""), "")
    spec = summary.get("spec_diff") if isinstance(summary.get("spec_diff"), dict) else {}
    for c in spec.get("changes") or []:
        if isinstance(c, dict) and c.get("breaking"):
            take(*spec_key(c), str(c.get("message") or c.get("change") or ""), "")
    return list(out.values())


# -- add -------------------------------------------------------------------------------------------------
def _expiry(text: str, today: date) -> date:
    try:
        expires = date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        expires = None
    if expires is None:
        raise ConfigError(f"--expires {text!r} is not a date (YYYY-MM-DD)")
    if expires < today:
        raise ConfigError(f"--expires {expires} is in the past (today is {today})")
    latest = latest_expiry(today)
    if expires > latest:
        raise ConfigError(f"--expires {expires} is more than a year ahead (at most {latest}): acknowledge for a "
                          "year at most, then look again")
    return expires


def _checked_text(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text:
        raise ConfigError(f"{option} is empty")
    if len(text) > MAX_TEXT or any(not ch.isprintable() for ch in text):
        raise ConfigError(f"{option}: at most {MAX_TEXT} printable characters on one line")
    return text


def _example(message: str, request: str) -> dict[str, str]:
    message = " ".join(message.split())
    if len(message) > MAX_EXAMPLE_MESSAGE:
        message = message[: MAX_EXAMPLE_MESSAGE - 1] + "…"
    return {"message": message, "request": request if len(request) <= MAX_TEXT else ""}


def add(summary: dict[str, Any], path: Path, shown: str, *, reason: str, expires: str, ticket: str | None = None,
        only_check: str | None = None, target: str | None = None, today: date | None = None) -> int:
    """``known add`` (see the module doc); prints what it added and what it left out."""
    today = today or clock.today()
    reason_text = _checked_text(reason, "--reason")
    ticket_text = _checked_text(ticket, "--ticket")
    until = _expiry(expires, today)
    if only_check is not None and only_check not in check_ids():
        raise ConfigError(f"--check {only_check!r} is not a check id (a check of the registry, spec.<rule> or drift.<change>)")
    target_url = normalise_target(target, summary["operation"]) if target else None
    existing = load(path, shown).by_id() if path.exists() else {}
    found = [c for c in candidates(summary) if only_check is None or c["check"] == only_check]
    if not found:
        scope = f" of {only_check}" if only_check else ""
        print(f"{shown}: nothing to add: the run has no finding{scope} (violation, breaking drift or breaking "
              "published change)")
        return int(ExitCode.OK)
    new, lines = [], []
    for c in found:
        there = existing.get(c["id"])
        if there is not None:
            state = f", expired on {there.expires}: renew it by editing its expires" if there.expired(today) else ""
            lines.append(f"  = {c['id']}  {c['check']}  {c['locus']}: already in the file (entry {there.index}{state})")
            continue
        new.append({"id": c["id"], "operation": c["operation"], "check": c["check"], "locus": c["locus"],
                    "reason": reason_text, "ticket": ticket_text, "expires": until, "added": today, "target": target_url,
                    "example": _example(c["message"], c["request"])})
        lines.append(f"  + {c['id']}  {c['operation']}  {c['check']}  {c['locus']}")
        if c["message"]:
            lines.append(f"      e.g. {_example(c['message'], '')['message']}")
    if new:
        add_entries(path, shown, new)
    print(f"{shown}: added {len(new)} entr{'y' if len(new) == 1 else 'ies'} (expires {until}"
          + (f", {ticket_text}" if ticket_text else "") + (f", target {target_url}" if target_url else "") + "):")
    print("\n".join(lines))
    if new:
        print(f"Review {shown} and commit it: runs read it (vapi-contract known check lints it).")
    return int(ExitCode.OK)


# -- prune -----------------------------------------------------------------------------------------------
def prunable(summary: dict[str, Any], entries) -> tuple[list, str]:
    """The entries of ``entries`` the run reported not seen and may be removed, and why none
    may be when the run cannot tell (an incomplete or partial run)."""
    known = summary.get("known") if isinstance(summary.get("known"), dict) else {}
    if summary.get("only"):
        return [], f"a partial run (--only {summary.get('only')}) says nothing about the other checks"
    if summary.get("complete") is not True or summary.get("verdict") not in ("pass", "fail"):
        return [], f"the run was not complete (verdict {summary.get('verdict')})"
    not_seen = {str(i.get("id")) for i in known.get("not_seen") or [] if isinstance(i, dict)}
    coverage = summary.get("coverage") if isinstance(summary.get("coverage"), dict) else {}
    spec = summary.get("spec_diff") if isinstance(summary.get("spec_diff"), dict) else None
    run_target = known.get("target")
    out = []
    for e in entries:
        if e.id not in not_seen or e.operation != summary["operation"]:
            continue
        if e.target is not None and e.target != run_target:
            continue
        kind = kind_of(e.check)
        exercised = (kind == DRIFT or (kind == SPEC and spec is not None and not spec.get("unreadable"))
                     or (kind == FINDING and coverage.get(e.check) == "exercised"))
        if exercised:
            out.append(e)
    return out, ""


def prune(summary: dict[str, Any], path: Path, shown: str, report_dir: str) -> int:
    """``known prune`` (see the module doc); prints what it removed and what it kept."""
    entries = load(path, shown).entries
    removable, why = prunable(summary, entries)
    if why:
        print(f"{shown}: nothing removed: {why}; an entry is removed only when a complete run exercised its check "
              f"and did not see it ({len(entries)} entries kept)")
        return int(ExitCode.OK)
    if not removable:
        print(f"{shown}: nothing removed: the run in {report_dir} saw every entry it could ({len(entries)} entries kept)")
        return int(ExitCode.OK)
    removed = remove_entries(path, shown, {e.id for e in removable})
    print(f"{shown}: removed {len(removed)} entr{'y' if len(removed) == 1 else 'ies'} the complete run of "
          f"{summary['operation']} in {report_dir} did not see:")
    for e in removed:
        print(f"  - {e.id}  {e.check}  {e.locus}  ({e.reason}{', ' + e.ticket if e.ticket else ''})")
    print(f"kept {len(entries) - len(removed)} entr{'y' if len(entries) - len(removed) == 1 else 'ies'}")
    return int(ExitCode.OK)


# -- check -----------------------------------------------------------------------------------------------
def check(path: Path, shown: str, today: date) -> int:
    """``known check``: every problem of the file, one line each (exit 1), else a one-line summary
    of it with the entries expired or expiring within a week (exit 0)."""
    if not path.exists():
        raise ConfigError(f"{shown}: no such file")
    read_text(path, shown)  # unreadable, too large, not UTF-8: exit 2
    entries, problems = lint(path, shown)
    for line in problems:
        print(line)
    from .matching import WARN_DAYS

    expired = [e for e in entries if e.expired(today)]
    soon = [e for e in entries if 0 <= e.days_left(today) <= WARN_DAYS]
    for e in expired:
        print(f"{shown}: {e.label}: expired on {e.expires}: its findings fail runs again (renew or remove it)")
    for e in soon:
        print(f"{shown}: {e.label}: expires in {e.days_left(today)} day(s) ({e.expires})")
    if problems:
        print(f"{shown}: {len(problems)} problem(s)", file=sys.stderr)
        return int(ExitCode.VIOLATION)
    print(f"{shown}: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}, valid"
          + (f"; {len(expired)} expired" if expired else "") + (f"; {len(soon)} expiring within {WARN_DAYS} days" if soon else ""))
    return int(ExitCode.OK)


__all__ = ["add", "add_arguments", "candidates", "check", "execute", "prunable", "prune", "read_summary"]
