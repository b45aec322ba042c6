"""One known deviation: the value, what its id is made of, and how an entry of the file is read.

An entry names one finding by its fingerprint (:func:`~vapi_contract.invariants.registry.fingerprint`
of the operation, the check and the locus): ``id`` *is* that fingerprint, and reading checks it
against the three, so the entry a reviewer reads is exactly what it acknowledges.  Three kinds:

* a **check's finding**: ``check`` is a registry id (``filters.membership``), ``locus`` the
  finding's (``status=archived``);
* a **breaking drift entry** of the run: ``check`` is ``drift.<change>``
  (``drift.required-property-removed``), ``locus`` its pointer (``/results/*/callsCounterQueued``);
* a **breaking change of the published document** (``run --published-spec``): ``check`` is
  ``spec.<rule id>`` (``spec.response-property-removed``), ``locus`` its pointer, followed by the
  value concerned when the change names one (two enum values removed at one pointer are two
  changes: acknowledging one never hides the other).

Everything read here comes from a file a person edits: every field is checked, and a problem is
one line naming the entry and the field (:class:`Problem`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from ..invariants.registry import CHECKS, fingerprint

SPEC_PREFIX, DRIFT_PREFIX = "spec.", "drift."
FINDING, DRIFT, SPEC = "finding", "drift", "spec"  # the kinds of entry (what the check id says)
FIELDS = ("id", "operation", "check", "locus", "reason", "ticket", "expires", "added", "target", "example")
EXAMPLE_FIELDS = ("message", "request")
_ID = re.compile(r"^[0-9a-f]{12}$")
_OPERATION = re.compile(r"^[A-Z]+ /\S*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = 2000  # characters of a reason, a locus, an example line: a file is read by people
MAX_VALUE_IN_LOCUS = 120  # a spec change's value longer than this is named by its hash
MAX_EXPIRY_DAYS = 366  # an entry lives at most a year (add refuses more, the file's reader too)


def check_ids() -> set[str]:
    """Every check id an entry may name: the registry's, ``spec.<rule>`` for every rule of the
    spec diff and ``drift.<change>`` for every kind of response drift."""
    from ..drift.response import BREAKING
    from ..specdiff.rules import RULES

    return set(CHECKS) | {SPEC_PREFIX + r for r in RULES} | {DRIFT_PREFIX + c for c in BREAKING}


def kind_of(check: str) -> str:
    return SPEC if check.startswith(SPEC_PREFIX) else DRIFT if check.startswith(DRIFT_PREFIX) else FINDING


def drift_key(d: Mapping[str, Any]) -> tuple[str, str]:
    """(check, locus) of a drift entry of the summary (``{"change", "pointer", ...}``)."""
    return DRIFT_PREFIX + str(d.get("change") or ""), str(d.get("pointer") or "")


def spec_key(c: Mapping[str, Any]) -> tuple[str, str]:
    """(check, locus) of a change of the published document (``{"change", "pointer", "value", ...}``):
    the pointer, then the value concerned as JSON when the change names one (its sha256 when long)."""
    locus = str(c.get("pointer") or "")
    value = c.get("value")
    if value is not None:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
        if len(text) > MAX_VALUE_IN_LOCUS:
            text = "#" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        locus = f"{locus} {text}"
    return SPEC_PREFIX + str(c.get("change") or ""), locus


@dataclass(frozen=True)
class Entry:
    """One acknowledged deviation, as the file says it (dates as dates, the target normalised)."""

    id: str
    operation: str
    check: str
    locus: str
    reason: str
    expires: date
    ticket: str | None = None
    added: date | None = None
    target: str | None = None  # the base URL it applies to (normalised); None: any target
    example_message: str = ""
    example_request: str = ""
    index: int = field(default=0, compare=False)  # its place in the file, 1-based

    @property
    def kind(self) -> str:
        return kind_of(self.check)

    @property
    def label(self) -> str:
        """``entry 3 (id 84be2eb13ad2)``: how messages name it."""
        return f"entry {self.index} (id {self.id})"

    def days_left(self, today: date) -> int:
        """Days until it expires: 0 on its last day, negative once expired."""
        return (self.expires - today).days

    def expired(self, today: date) -> bool:
        """An entry is in force through its ``expires`` day and expired from the next."""
        return today > self.expires

    def to_dict(self) -> dict[str, Any]:
        """The entry as summary.json carries it."""
        return {"id": self.id, "operation": self.operation, "check": self.check, "locus": self.locus,
                "reason": self.reason, "ticket": self.ticket, "expires": self.expires.isoformat(),
                "added": self.added.isoformat() if self.added else None, "target": self.target,
                "example": {"message": self.example_message, "request": self.example_request}}


@dataclass(frozen=True)
class Problem:
    """Why (part of) the file cannot be used: one line naming the entry and the field."""

    where: str  # "entry 2 (id be785197f3d1)", or "" for the file as a whole
    field: str  # the field at fault, or ""
    message: str

    def line(self, path: str) -> str:
        parts = [path] + [p for p in (self.where, self.field) if p]
        return ": ".join(parts) + f": {self.message}"


def parse_date(value: Any) -> date | None:
    """A TOML date (``2027-03-01``) or the same written as a string; None for anything else
    (a date-time, a number, ``"next quarter"``, ``"2027-02-30"``)."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def latest_expiry(start: date) -> date:
    """The latest ``expires`` allowed for an entry added on ``start``: a year later."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


def normalise_target(url: str, operation: str = "") -> str:
    """A base URL as runs compare them (lower-case scheme and host, no trailing '/', the
    operation's own path dropped); ConfigError when it is no usable base URL."""
    from ..http.urls import check_base_url

    path = operation.split(" ", 1)[1] if " " in operation else ""
    return check_base_url(url, operations=[path] if path else [])


def _text(value: Any, name: str, where: str, problems: list[Problem], *, required: bool) -> str | None:
    if value is None:
        if required:
            problems.append(Problem(where, name, "missing (required)"))
        return None
    if not isinstance(value, str):
        problems.append(Problem(where, name, f"must be a string (got {type(value).__name__})"))
        return None
    text = value.strip()
    if not text:
        problems.append(Problem(where, name, "empty" + (" (required)" if required else "")))
        return None
    if len(text) > MAX_TEXT:
        problems.append(Problem(where, name, f"longer than {MAX_TEXT} characters"))
        return None
    if any(not ch.isprintable() and ch not in "\n\t" for ch in text):
        problems.append(Problem(where, name, "contains control characters"))
        return None
    return text


def read_entry(raw: Any, index: int, known_checks: set[str]) -> tuple[Entry | None, list[Problem]]:
    """The entry of the file's ``index``-th ``[[deviation]]`` table (``raw``: its plain value),
    or None and what is wrong with it."""
    problems: list[Problem] = []
    ident = raw.get("id") if isinstance(raw, Mapping) else None
    where = f"entry {index}" + (f" (id {ident})" if isinstance(ident, str) and _ID.match(ident) else "")
    if not isinstance(raw, Mapping):
        return None, [Problem(where, "", "is not a table of fields")]
    for name in raw:
        if name not in FIELDS:
            problems.append(Problem(where, str(name), f"unknown field (the fields: {', '.join(FIELDS)})"))
    values: dict[str, Any] = {}
    for name in ("id", "operation", "check", "locus", "reason"):
        values[name] = _text(raw.get(name), name, where, problems, required=True)
    values["ticket"] = _text(raw.get("ticket"), "ticket", where, problems, required=False)
    if values["id"] is not None and not _ID.match(values["id"]):
        problems.append(Problem(where, "id", f"{values['id']!r} is not a fingerprint (12 hex digits)"))
        values["id"] = None
    if values["operation"] is not None and not _OPERATION.match(values["operation"]):
        problems.append(Problem(where, "operation", f"{values['operation']!r} is not \"METHOD /path\""))
        values["operation"] = None
    if values["check"] is not None and values["check"] not in known_checks:
        problems.append(Problem(where, "check", f"unknown check id {values['check']!r} (a check of the registry, "
                                               "spec.<rule> or drift.<change>)"))
        values["check"] = None
    if None not in (values["id"], values["operation"], values["check"], values["locus"]):
        due = fingerprint(values["operation"], values["check"], values["locus"])
        if due != values["id"]:
            problems.append(Problem(where, "id", f"{values['id']} is not the fingerprint of its operation, check and "
                                                 f"locus ({due}): an entry acknowledges exactly what it names"))
    dates: dict[str, date | None] = {}
    for name, required in (("expires", True), ("added", False)):
        given = raw.get(name)
        if given is None:
            if required:
                problems.append(Problem(where, name, "missing (required, a date: YYYY-MM-DD)"))
            dates[name] = None
            continue
        dates[name] = parse_date(given)
        if dates[name] is None:
            problems.append(Problem(where, name, f"{_shown(given)} is not a date (YYYY-MM-DD)"))
    if dates["expires"] and dates["added"]:
        if dates["expires"] < dates["added"]:
            problems.append(Problem(where, "expires", f"{dates['expires']} is before added ({dates['added']})"))
        elif dates["expires"] > latest_expiry(dates["added"]):
            problems.append(Problem(where, "expires", f"{dates['expires']} is more than a year after added "
                                                      f"({dates['added']}): an entry lives a year at most"))
    target = _text(raw.get("target"), "target", where, problems, required=False)
    if target is not None:
        from ..errors import ConfigError

        try:
            target = normalise_target(target, values["operation"] or "")
        except ConfigError as exc:
            problems.append(Problem(where, "target", exc.message))
            target = None
    example = raw.get("example")
    message = request = ""
    if example is not None:
        if not isinstance(example, Mapping):
            problems.append(Problem(where, "example", "must be a table (message, request)"))
        else:
            for name in example:
                if name not in EXAMPLE_FIELDS:
                    problems.append(Problem(where, f"example.{name}", "unknown field (message, request)"))
            message = _text(example.get("message"), "example.message", where, problems, required=False) or ""
            request = _text(example.get("request"), "example.request", where, problems, required=False) or ""
    if problems:
        return None, problems
    return Entry(values["id"], values["operation"], values["check"], values["locus"], values["reason"],
                 dates["expires"], values["ticket"], dates["added"], target, message, request, index), []


def read_entries(rows: Iterable[Any]) -> tuple[list[Entry], list[Problem]]:
    """Every entry of the file and every problem, in file order; a repeated id is a problem of
    the later entry."""
    known_checks = check_ids()
    entries: list[Entry] = []
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for index, raw in enumerate(rows, start=1):
        entry, found = read_entry(raw, index, known_checks)
        problems.extend(found)
        if entry is None:
            continue
        if entry.id in first:
            problems.append(Problem(entry.label, "id", f"duplicate of entry {first[entry.id]}"))
            continue
        first[entry.id] = index
        entries.append(entry)
    return entries, problems


def _shown(value: Any) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False) if not isinstance(value, (date, datetime)) else str(value)
    return text if len(text) <= 60 else text[:59] + "…"


__all__ = ["DRIFT", "DRIFT_PREFIX", "Entry", "FINDING", "Problem", "SPEC", "SPEC_PREFIX", "check_ids", "drift_key",
           "kind_of", "latest_expiry", "parse_date", "read_entries", "spec_key"]
