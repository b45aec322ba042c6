"""A run's verdict, as the run decided it.

``summary["verdict"]`` is the one verdict of a run: the report's banner, junit.xml and the
history line show exactly it, and nothing here recomputes or reinterprets it (a run whose
summary says ``pass`` with ``complete: false`` is a PASS everywhere; the report says beside it
that not every check was exercised).  A summary without a verdict is an ``error``.

A verdict other than pass and fail (incomplete, interrupted, error) is never green in a CI
viewer: :func:`reason` is the sentence junit.xml's failing (or erroring) run testcase carries.
"""

from __future__ import annotations

from typing import Any

from . import budget

VERDICTS = {
    "pass": "The contract holds",
    "fail": "The contract is violated",
    "incomplete": "The run is incomplete",
    "interrupted": "The run was interrupted",
    "error": "The run could not complete",
}
SYMBOLS = {"pass": "✓", "fail": "✗", "incomplete": "…", "interrupted": "■", "error": "!"}
NOT_GREEN = ("incomplete", "interrupted", "error")  # verdicts that are a failure of the run itself
NAMED_CHECKS = 8  # unexercised checks named in a reason; the rest are counted


def of(summary: dict[str, Any]) -> str:
    """``summary["verdict"]`` as given; ``error`` when the summary names none."""
    given = summary.get("verdict")
    return given if isinstance(given, str) and given else "error"


def style(verdict: str) -> str:
    """The verdict the page is coloured as: itself when known, else ``error``."""
    return verdict if verdict in VERDICTS else "error"


def reason(summary: dict[str, Any]) -> str:
    """Why a run whose verdict is not pass or fail is not green, in the summary's own words:
    its error, the checks it did not exercise and the budget's stopped stages."""
    given = of(summary)
    error = str(summary.get("error") or "")
    if given == "error":
        return error or "the run stopped before it could check the contract"
    parts = [error or ("the run was stopped before it finished" if given == "interrupted"
                       else "the run could not check everything")]
    unexercised = [str(c) for c in summary.get("not_exercised") or []]
    if unexercised:
        named = ", ".join(unexercised[:NAMED_CHECKS]) + (f" and {len(unexercised) - NAMED_CHECKS} more"
                                                         if len(unexercised) > NAMED_CHECKS else "")
        parts.append(f"not exercised: {named}")
    parts.extend(budget.stopped_lines(summary))
    return "; ".join(parts)
