"""Known deviations in a run, at the one place its verdict is decided (``runner/suite.py``):

    ack = Acknowledgement.of(config.known, config.today, operation, base_url,
                             violations, drift_entries, spec_changes)
    violations = ack.unknown_violations      # what the verdict and the violation lists see
    failed = ack.failing                     # a finding (or breaking drift / spec change) not acknowledged
    ... verdict = decide(failed=failed, ...)
    outcome = ack.settle(complete=verdict.complete, only=only, exercised=..., spec_checked=...)

Every finding of the run gets its id here (the fingerprint of the operation, the check and the
locus: the same function summary.json uses); the findings whose id an entry in force names are
acknowledged, every other one fails the run as before.  The outcome (:class:`.matching.Outcome`)
travels in the run's result: summary.json, the console, the report, junit.xml and the history
show its states and none of them recomputes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from ..invariants.registry import fingerprint
from .entry import DRIFT, FINDING, SPEC, drift_key, normalise_target, spec_key
from .matching import Found, Outcome, RunFacts, in_force, settle
from .store import KnownFile


def found_in(operation: str, violations: Iterable[Any], drift: Iterable[dict], spec_changes: Iterable[dict]) -> list[Found]:
    """The run's findings as matching sees them: every violation, every *breaking* drift entry and
    every *breaking* change of the published document (what can fail a run), each with its id."""
    found = [Found(fingerprint(operation, v.check, v.locus), FINDING, v.check, v.locus, v) for v in violations]
    for d in drift:
        if isinstance(d, dict) and d.get("breaking"):
            check, locus = drift_key(d)
            found.append(Found(fingerprint(operation, check, locus), DRIFT, check, locus, d))
    for c in spec_changes:
        if isinstance(c, dict) and c.get("breaking"):
            check, locus = spec_key(c)
            found.append(Found(fingerprint(operation, check, locus), SPEC, check, locus, c))
    return found


def run_target(base_url: str | None) -> str | None:
    """The base URL a run checked, as entries' ``target`` is compared with it."""
    if not base_url:
        return None
    from ..errors import ConfigError

    try:
        return normalise_target(base_url)
    except ConfigError:
        return base_url


@dataclass(frozen=True)
class Acknowledgement:
    """A run's findings against its known-deviations file (see the module doc)."""

    known: KnownFile | None
    today: date
    operation: str
    target: str | None
    found: tuple[Found, ...] = ()
    acknowledged: dict = field(default_factory=dict)  # id -> Entry: the entries in force for this run

    @classmethod
    def of(cls, known: KnownFile | None, today: date, operation: str, base_url: str | None,
           violations: Iterable[Any] = (), drift: Iterable[dict] = (), spec_changes: Iterable[dict] = ()) -> "Acknowledgement":
        target = run_target(base_url)
        entries = known.entries if known is not None else ()
        return cls(known, today, operation, target, tuple(found_in(operation, violations, drift, spec_changes)),
                   in_force(entries, operation, target, today))

    @property
    def unknown_violations(self) -> list[Any]:
        """The run's violations less the acknowledged ones, in the order found."""
        return [f.item for f in self.found if f.kind == FINDING and f.id not in self.acknowledged]

    @property
    def failing(self) -> bool:
        """A violation, a breaking drift entry or a breaking published change that no entry in force
        acknowledges: the run fails."""
        return any(f.id not in self.acknowledged for f in self.found)

    def settle(self, *, complete: bool, only: str | None = None, exercised: Iterable[str] = (),
               spec_checked: bool = False) -> Outcome:
        """Every entry's state (:func:`.matching.settle`) once the verdict says whether the run was complete."""
        facts = RunFacts(self.operation, self.target, complete, only, frozenset(exercised), drift_checked=True,
                         spec_checked=spec_checked)
        entries = self.known.entries if self.known is not None else ()
        return settle(entries, self.found, facts, self.today, self.known.path if self.known is not None else None)


__all__ = ["Acknowledgement", "found_in", "run_target"]
