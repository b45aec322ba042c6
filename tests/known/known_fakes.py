"""Entries and findings for the known-deviation unit tests, each id the real fingerprint of what it names."""

from __future__ import annotations

from datetime import date

from vapi_contract.invariants import Violation, fingerprint
from vapi_contract.known.entry import Entry

OP, V2 = "GET /campaign", "GET /v2/campaign"
TODAY = date(2026, 12, 5)


def entry(check: str = "filters.membership", locus: str = "status=archived", operation: str = OP, *,
          expires: date = date(2027, 3, 1), target: str | None = None, index: int = 1, reason: str = "vendor bug",
          ticket: str | None = "https://tracker.example/T-1") -> Entry:
    return Entry(fingerprint(operation, check, locus), operation, check, locus, reason, expires, ticket, TODAY, target,
                 index=index)


def violation(check: str = "filters.membership", locus: str = "status=archived", message: str = "") -> Violation:
    return Violation(check, message or f"{check} fails at {locus}", locus=locus)


def toml_entry(check: str = "filters.membership", locus: str = "status=archived", operation: str = OP, *,
               expires: str = "2027-03-01", added: str = "2026-12-05", extra: str = "", drop: tuple[str, ...] = ()) -> str:
    """One [[deviation]] table as a person would write it."""
    fields = {"id": f'"{fingerprint(operation, check, locus)}"', "operation": f'"{operation}"', "check": f'"{check}"',
              "locus": f'"{locus}"', "reason": '"vendor bug"', "expires": expires, "added": added}
    lines = ["[[deviation]]"] + [f"{k} = {v}" for k, v in fields.items() if k not in drop]
    return "\n".join(lines) + ("\n" + extra if extra else "") + "\n"
