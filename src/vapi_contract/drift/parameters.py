"""Probe query parameters the contract does not document: does the target honour them?

The docs are silent on unknown parameters, so the suite never *fails* on them (see
``target/listing.py``: the reference target ignores them).  But a parameter that changes the
answer is new behaviour, and the morning-after report should say so: Vapi documented ``sortBy``
(cost | createdAt | duration) in the 2026-04-14 document; an API that honours it before or
after the pin says so is drift worth knowing.

Only on request (``run --probe-undocumented``): these are requests a production API never asked
for.  The probe compares one page (limit 100, snapshot-pinned) with and without the parameter;
a difference is confirmed by fetching the baseline again (live data moves).
"""

from __future__ import annotations

from typing import Iterable, Sequence

# names introduced by later published versions of the document, with values to try
KNOWN_LATER_PARAMETERS: dict[str, tuple[str, ...]] = {
    "sortBy": ("cost", "duration", "createdAt"),  # 2026-04-14
}


def parameters_from_spec(spec_diff) -> dict[str, tuple[str, ...]]:
    """Parameters a published document adds over the pinned contract (``run --published-spec``),
    with their enum values (or one harmless sample)."""
    added = spec_diff.added_parameters if spec_diff is not None else {}
    return {name: values or ("1",) for name, values in added.items()}


def _ids(obs) -> list:
    return [item.get("id") for item in obs.results if isinstance(item, dict)]


def probe_undocumented(run, candidates: dict[str, Sequence[str]]) -> list[str]:
    """Send each candidate parameter beside a baseline query; note the ones that change the
    answer as drift.  Returns the names found honoured."""
    base = run.pinned([("limit", "100")])
    baseline = run.fetch(base)
    if baseline.status != 200 or len(baseline.results) < 2:
        run.note("undocumented parameters not probed: the baseline page has fewer than 2 campaigns")
        return []
    honoured = []
    for name, values in candidates.items():
        changed = [v for v in values if _differs(run, base, baseline, name, v)]
        if changed:
            again = run.fetch(base)
            if _ids(again) != _ids(baseline):  # the data moved under us: no conclusion
                continue
            examples = ", ".join(f"{name}={v}" for v in changed)
            run.drift.note_parameter(name, f"{examples} reorders or filters the page", len(changed))
            honoured.append(name)
    return honoured


def _differs(run, base: Iterable, baseline, name: str, value: str) -> bool:
    obs = run.fetch([*base, (name, value)])
    return obs.status == 200 and _ids(obs) != _ids(baseline)
