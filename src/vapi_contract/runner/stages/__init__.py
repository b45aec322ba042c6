"""The stages of a run, in one table, in the order of their value.

A stage is a function ``run(ctx, essential)``: it sends its requests through the
:class:`~..engine.context.RunContext` and reports what it saw through it.  ``essential`` is the
cheap pass every run affords (a few requests, independent of the data, which together exercise
every check); otherwise the deep pass, which the planner gives a share of what is left (``weight``).

==========  ===========================================================  ======
stage       what it checks                                                weight
==========  ===========================================================  ======
auth        no key / a wrong key -> 401                                   -
inputs      out-of-contract values rejected, edge values accepted         -
defaults    no paging parameters == their documented defaults             -
survey      the newest page: the organisation's size and window 0         -
filters     every filter inside windows, against the window's read        0.35
walks       page walks over windows, prefixes, the last page, past end    0.30
counts      split, partition and tightening relations on totalItems       0.10
sorting     the sort column (when the contract declares one)              -
cursors     keyset cursors walked like pages (when declared)              0.15
counters    includeCounters=true: every item's counters (when declared)   -
operations  the same query through the contract's other list operation    -
fuzz        schemathesis' positive and negative cases                     0.25
probes      undocumented parameters (``--probe-undocumented``)            -
tenancy     one organisation in everything seen (final, no request)       -
==========  ===========================================================  ======
"""

from __future__ import annotations

from ..engine.planner import Stage
from . import auth, counters, counts, cursors, defaults, filters, fuzz, inputs, operations, probes, sorting, tenancy, walks
from .windows import Survey

_SHAPE_AND_RELIABILITY = frozenset({"shape", "reliability"})


def table(endpoint, probe_with=None) -> list[Stage]:
    """Every stage that applies to ``endpoint`` (``probe_with``: the probes stage's candidates, or
    None without ``--probe-undocumented``)."""
    stages = [
        Stage("auth", frozenset({"auth"}), auth.run),
        Stage("inputs", frozenset({"validation"}) | _SHAPE_AND_RELIABILITY, inputs.run),
        Stage("defaults", frozenset({"pagination"}) | _SHAPE_AND_RELIABILITY, defaults.run),
        Stage("survey", frozenset({"pagination", "filters", "tenancy"}) | _SHAPE_AND_RELIABILITY, survey),
        Stage("filters", frozenset({"filters"}) | _SHAPE_AND_RELIABILITY, filters.run, 0.35),
        Stage("walks", frozenset({"pagination"}) | _SHAPE_AND_RELIABILITY, walks.run, 0.3),
        Stage("counts", frozenset({"filters", "reliability"}), counts.run, 0.1),
    ]
    if endpoint.sort is not None:
        stages.append(Stage("sorting", frozenset({"pagination", "validation"}) | _SHAPE_AND_RELIABILITY, sorting.run))
    if endpoint.cursor is not None:
        stages.append(Stage("cursors", frozenset({"pagination", "validation"}) | _SHAPE_AND_RELIABILITY, cursors.run, 0.15))
    if endpoint.counters is not None:
        stages.append(Stage("counters", _SHAPE_AND_RELIABILITY, counters.run))
    if endpoint.siblings:
        stages.append(Stage("operations", frozenset({"pagination"}) | _SHAPE_AND_RELIABILITY, operations.run))
    stages.append(Stage("fuzz", frozenset({"validation"}) | _SHAPE_AND_RELIABILITY, fuzz.run, 0.25))
    if probe_with:
        stages.append(Stage("probes", frozenset({"drift"}), probes.Probe(probe_with)))
    if endpoint.organisation is not None:
        stages.append(Stage("tenancy", frozenset({"tenancy"}), tenancy.run, final=True))
    return stages


def survey(ctx, essential: bool) -> None:
    """Stage ``survey``: the newest page of the pinned listing and window 0 (shared by the stages)."""
    ctx.survey.window(0)


def select(ctx, config, spec_diff=None, only: str | None = None) -> list[Stage]:
    """The run's stages: the table for its endpoint; with ``only``, those that can produce
    findings of that check's area (no probes)."""
    ctx.survey = Survey(ctx, ctx.rng)
    wanted = probes.candidates(ctx.endpoint, spec_diff) if config.probe_undocumented and only is None else None
    stages = table(ctx.endpoint, wanted)
    if only:
        area = only.split(".", 1)[0]
        stages = [s for s in stages if area in s.areas]
    return stages
