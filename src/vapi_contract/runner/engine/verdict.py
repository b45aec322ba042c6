"""The end of a run: which checks it exercised, and its one verdict.

A run is *complete* when it exercised every applicable check (with ``--only CHECK``: that check),
no stage's essential pass was cut short, and every element of the contract has an oracle.  A
failure fails (exit 1).  An incomplete run is never a silent pass: with ``--only`` (nothing was
checked) or ``--require-complete`` it is ``incomplete`` (exit 4); otherwise it passes (0) and
says it is not complete.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import ExitCode
from ...invariants.registry import applicable


@dataclass(frozen=True)
class Verdict:
    name: str  # pass | fail | incomplete | error
    exit_code: int
    complete: bool


def coverage(endpoint, exercised: set[str]) -> dict[str, str]:
    """Every check that concerns ``endpoint``: exercised | not-exercised."""
    return {cid: ("exercised" if cid in exercised else "not-exercised") for cid in applicable(endpoint)}


def decide(*, failed: bool, coverage: dict[str, str], only: str | None, cut_short: bool, no_oracle: bool,
           require_complete: bool) -> Verdict:
    if only is not None:
        complete = coverage.get(only) == "exercised"
    else:
        complete = all(v == "exercised" for v in coverage.values()) and not cut_short and not no_oracle
    if failed:
        return Verdict("fail", int(ExitCode.VIOLATION), complete)
    if not complete and (only is not None or require_complete):
        return Verdict("incomplete", int(ExitCode.INCOMPLETE), complete)
    return Verdict("pass", int(ExitCode.OK), complete)


def errored(exit_code: int) -> Verdict:
    """A run that could not be carried out (key rejected, target unreachable)."""
    return Verdict("error", int(exit_code), False)
