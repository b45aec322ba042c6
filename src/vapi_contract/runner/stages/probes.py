"""Stage ``probes`` (``run --probe-undocumented``): query parameters the contract does not
document — does the target honour them?

The docs are silent on unknown parameters, so the suite never *fails* on them (the reference
target ignores them).  But a parameter that changes the answer is new behaviour, and the
morning-after report should say so: Vapi documented ``sortBy`` in the 2026-04-14 document; an API
that honours it before the pin says so is drift worth knowing.  Candidates: the parameters later
documents introduced (``Endpoint.later_parameters``) and, with
``--published-spec``, every parameter that document adds; those the checked contract declares are
left out.

Only on request: these are requests a production API never asked for.  Each probe compares one
page (the default limit, pinned) with and without the parameter; a difference is confirmed by
fetching the baseline again (live data moves).
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from ..engine.context import RunContext


def candidates(endpoint, spec_diff=None) -> dict[str, tuple[str, ...]]:
    """Parameter -> values to try: the later parameters and those a published document adds (its
    enum values, or one harmless sample), without the ones ``endpoint`` declares."""
    added = spec_diff.added_parameters if spec_diff is not None else {}
    wanted = {**dict(endpoint.later_parameters), **{name: tuple(values) or ("1",) for name, values in added.items()}}
    return {name: values for name, values in wanted.items() if endpoint.param(name) is None}


class Probe:
    """The stage's ``run(ctx, essential)``, with its candidates."""

    def __init__(self, wanted: Mapping[str, Sequence[str]]):
        self.wanted = dict(wanted)

    def __call__(self, ctx: RunContext, essential: bool) -> None:
        base = ctx.pinned(ctx.at_limit([], ctx.endpoint.limit.default))
        baseline = ctx.fetch(base)
        if baseline.status != 200 or len(baseline.results) < 2:
            ctx.note("undocumented parameters not probed: the baseline page has fewer than 2 items")
            return
        for name, values in self.wanted.items():
            changed = [v for v in values if _differs(ctx, base, baseline, name, v)]
            if changed:
                again = ctx.fetch(base)
                if _ids(ctx, again) != _ids(ctx, baseline):  # the data moved under us: no conclusion
                    continue
                examples = ", ".join(f"{name}={v}" for v in changed)
                ctx.drift_parameter(name, f"{examples} reorders or filters the page", len(changed))


def _ids(ctx: RunContext, obs) -> list:
    return [item.get(ctx.endpoint.identity) for item in obs.results if isinstance(item, dict)]


def _differs(ctx: RunContext, base: Iterable, baseline, name: str, value: str) -> bool:
    obs = ctx.fetch([*base, (name, value)])
    return obs.status == 200 and _ids(ctx, obs) != _ids(ctx, baseline)
