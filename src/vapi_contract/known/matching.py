"""Which state each known deviation ends a run in: one pure function of the entries, the run's
findings, what the run could see, and today.

* **matched** — a finding of the run has the entry's id (its fingerprint): the finding is *known*,
  reported with the entry and not as a violation (it changes neither the verdict nor the exit code);
* **not seen** — the run was complete and full (no ``--only``), the entry's check was exercised
  on its operation, and nothing matched: the API may have been fixed; ``known prune`` removes it;
* **expired** — today is past its ``expires``: it matches nothing, and its findings fail the run;
* **not checked** — applicable, in force, nothing matched, but the run cannot tell whether the
  deviation is gone (incomplete, partial, the check not exercised, no published document compared);
* **not applicable** — an entry of another operation, or naming another target: this run says
  nothing about it (neither matched nor not seen).

Matching is by id alone, and the id is the fingerprint of (operation, check, locus): what the
suite tells apart (another filter, another enum value, another missing field, another paging
error, the other operation) has another id, so acknowledging one fault never hides another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from .entry import DRIFT, SPEC, Entry

MATCHED, NOT_SEEN, EXPIRED, NOT_CHECKED, NOT_APPLICABLE = "matched", "not-seen", "expired", "not-checked", "not-applicable"
STATES = (MATCHED, NOT_SEEN, EXPIRED, NOT_CHECKED, NOT_APPLICABLE)
WARN_DAYS = 7  # an entry this close to its expiry is warned about on the console and in the report


@dataclass(frozen=True)
class Found:
    """A finding of the run as matching sees it: its id (fingerprint), kind, check and locus, and
    the run's own record of it (a Violation, a drift entry, a change of the published document),
    carried along for the outputs and never read here."""

    id: str
    kind: str  # entry.FINDING | DRIFT | SPEC
    check: str
    locus: str
    item: Any = None


@dataclass(frozen=True)
class RunFacts:
    """What the run can say about an entry: its operation and target, whether it was complete and
    full (no ``--only``), which checks it exercised, whether it judged drift and compared a
    published document."""

    operation: str
    target: str | None  # the base URL checked, normalised (None: unknown)
    complete: bool
    only: str | None = None
    exercised: frozenset = frozenset()
    drift_checked: bool = False
    spec_checked: bool = False


@dataclass(frozen=True)
class Settled:
    """One entry's end: its state, the findings it holds (matched: acknowledged; expired: failing
    again), why it is not checked / not applicable, and the days until it expires."""

    entry: Entry
    state: str
    findings: tuple[Found, ...] = ()
    why: str = ""
    days_left: int = 0

    @property
    def expiring(self) -> bool:
        """In force and within :data:`WARN_DAYS` of its expiry (the console and the report warn)."""
        return self.state in (MATCHED, NOT_SEEN, NOT_CHECKED) and 0 <= self.days_left <= WARN_DAYS


@dataclass(frozen=True)
class Outcome:
    """Every entry's end in one run (file order), and the day it was judged on."""

    file: str | None
    today: date
    target: str | None
    settled: tuple[Settled, ...] = ()

    def of(self, state: str) -> list[Settled]:
        return [s for s in self.settled if s.state == state]

    @property
    def known_ids(self) -> frozenset:
        """The ids of the findings this run reports as known (never as violations)."""
        return frozenset(s.entry.id for s in self.settled if s.state == MATCHED)

    @property
    def expired_ids(self) -> dict[str, Entry]:
        return {s.entry.id: s.entry for s in self.settled if s.state == EXPIRED}


def applies(entry: Entry, operation: str, target: str | None) -> str:
    """"" when ``entry`` concerns a run of ``operation`` against ``target``, else why not."""
    if entry.operation != operation:
        return f"an entry of {entry.operation}, not {operation}"
    if entry.target is not None and entry.target != target:
        return f"an entry for the target {entry.target}"
    return ""


def in_force(entries: Iterable[Entry], operation: str, target: str | None, today: date) -> dict[str, Entry]:
    """id -> entry of the entries that acknowledge findings of this run: applicable, not expired.
    The verdict leaves out exactly the findings with these ids."""
    return {e.id: e for e in entries if not applies(e, operation, target) and not e.expired(today)}


def _checked(entry: Entry, facts: RunFacts) -> str:
    """"" when the run would have seen ``entry``'s deviation, else why it cannot tell."""
    if facts.only is not None:
        return f"a partial run (--only {facts.only})"
    if not facts.complete:
        return "the run was not complete"
    if entry.kind == DRIFT:
        return "" if facts.drift_checked else "the run judged no response drift"
    if entry.kind == SPEC:
        return "" if facts.spec_checked else "the run compared no published document (--published-spec)"
    return "" if entry.check in facts.exercised else f"the run did not exercise {entry.check}"


def settle(entries: Iterable[Entry], found: Iterable[Found], facts: RunFacts, today: date,
           file: str | None = None) -> Outcome:
    """Each entry's state in a run that found ``found`` (see the module doc)."""
    by_id: dict[str, list[Found]] = {}
    for f in found:
        by_id.setdefault(f.id, []).append(f)
    settled = []
    for entry in entries:
        days = entry.days_left(today)
        why = applies(entry, facts.operation, facts.target)
        mine = tuple(by_id.get(entry.id, ()))
        if why:
            settled.append(Settled(entry, NOT_APPLICABLE, why=why, days_left=days))
        elif entry.expired(today):
            settled.append(Settled(entry, EXPIRED, mine, why=f"expired on {entry.expires.isoformat()}", days_left=days))
        elif mine:
            settled.append(Settled(entry, MATCHED, mine, days_left=days))
        else:
            unknown = _checked(entry, facts)
            settled.append(Settled(entry, NOT_CHECKED if unknown else NOT_SEEN, why=unknown or
                                   "a complete run exercised its check and did not see it", days_left=days))
    return Outcome(file, today, facts.target, tuple(settled))


__all__ = ["EXPIRED", "Found", "MATCHED", "NOT_APPLICABLE", "NOT_CHECKED", "NOT_SEEN", "Outcome", "RunFacts", "STATES",
           "Settled", "WARN_DAYS", "applies", "in_force", "settle"]
