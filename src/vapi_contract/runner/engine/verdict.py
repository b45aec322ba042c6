"""The end of a run: which checks it exercised, and its one verdict.

A run is *complete* when it exercised every applicable check (with ``--only CHECK``: that check),
no stage's essential pass was cut short, and every element of the contract has an oracle.

* A confirmed violation fails the run: ``fail``, exit 1.
* Otherwise a run that is not complete is ``incomplete`` — on the console, in summary.json, the
  report, junit.xml and the history — and exits 4: a gate that did not check everything never
  passes silently.  ``--allow-incomplete`` changes the exit code to 0, never the verdict.
* Otherwise it passes: ``pass``, exit 0.  ``pass`` always means "every check was exercised".

A run stopped by a signal is ``interrupted`` (exit 128 + the signal: 130 SIGINT, 143 SIGTERM);
one that could not be carried out (key rejected, target unreachable) is ``error`` with its
error's exit code.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import ExitCode
from ...invariants.registry import applicable


@dataclass(frozen=True)
class Verdict:
    name: str  # pass | fail | incomplete | interrupted | error
    exit_code: int
    complete: bool


def coverage(endpoint, exercised: set[str]) -> dict[str, str]:
    """Every check that concerns ``endpoint``: exercised | not-exercised."""
    return {cid: ("exercised" if cid in exercised else "not-exercised") for cid in applicable(endpoint)}


def decide(*, failed: bool, coverage: dict[str, str], only: str | None, cut_short: bool, no_oracle: bool,
           allow_incomplete: bool = False) -> Verdict:
    """The verdict of a run carried out to its end (see the module doc)."""
    if only is not None:
        complete = coverage.get(only) == "exercised"
    else:
        complete = all(v == "exercised" for v in coverage.values()) and not cut_short and not no_oracle
    if failed:
        return Verdict("fail", int(ExitCode.VIOLATION), complete)
    if not complete:
        return Verdict("incomplete", int(ExitCode.OK if allow_incomplete else ExitCode.INCOMPLETE), False)
    return Verdict("pass", int(ExitCode.OK), True)


def interrupted(signum: int) -> Verdict:
    """A run stopped by ``signum`` (SIGINT, SIGTERM): it wrote what it had; exit 128 + the signal."""
    return Verdict("interrupted", 128 + int(signum), False)


def errored(exit_code: int) -> Verdict:
    """A run that could not be carried out (key rejected, target unreachable)."""
    return Verdict("error", int(exit_code), False)


__all__ = ["Verdict", "coverage", "decide", "errored", "interrupted"]
