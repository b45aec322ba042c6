"""The stages of a run, in one table, in the order of their value.

A stage is a function ``run(ctx, essential)``: it sends its requests through the
:class:`~..engine.context.RunContext` and reports what it saw through it.  ``essential`` is the
cheap pass every run affords (a few requests, independent of the data, which together exercise
every check); otherwise the deep pass, which the planner gives a share of what is left (``weight``).

Each row declares the checks of the registry it can exercise, the contract elements it needs
(the vocabulary of a check's ``requires``) and the stages whose reads it builds on.  The run's
stages are the rows whose needs the endpoint supports (:func:`select`); ``run --only CHECK`` runs
the rows that can exercise CHECK and the rows they build on.  A test holds the table to the
registry: every applicable check has a selected stage that can exercise it, every declared check
exists, and a run exercises a check only in a stage that declares it.

A listing without windows (it declares no createdAt bound: GET /v2/campaign/{id}/contacts, GET
/v2/knowledge-base; ``Endpoint.no_windows``) runs the rows that do not need ``windows``: every
answer's checks, auth, inputs (and each sort column the items carry, judged on its answer),
defaults, the walks judged when the listing reads the same before and after them, the filters
answer by answer (membership), and the counts of an enum filter's values
measured twice alike (the partition; a repeated filter's values together); the checks of the others require
windows too, so they are absent from its report, not "not exercised".

==========  ===========================================================  ======
stage       what it checks                                                weight
==========  ===========================================================  ======
auth        no key / a wrong key -> 401                                   -
inputs      out-of-contract values rejected, edge values accepted         -
            (without windows: each sort column the items carry)
defaults    no paging parameters == their documented defaults             -
            (when the contract documents a default limit)
survey      the newest page: the organisation's size and window 0         -
filters     every filter inside windows, against the window's read        0.35
            (without windows: every filter's answer, membership only)
walks       page walks over windows, prefixes, the last page, past end    0.30
            (when the listing has pages: not the array family; without
            windows: walks judged when page 1 reads the same around them)
counts      split, partition and tightening relations on totalItems       0.10
            (the array family: on complete window reads; without windows:
            an enum filter's partition, on two rounds of counts that agree)
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

from ...invariants import access, filtering, pagemeta, paging, reliability, shape
from ...invariants import counters as counter_checks, cursors as cursor_checks, inputs as input_checks
from ...invariants import operations as operation_checks, sorting as sort_checks
from ..engine.planner import Stage
from . import auth, counts, cursors, defaults, filters, fuzz, include_counters, inputs, operations, probes, sorting, \
    tenancy, walks

# what every answer is judged on, and every page of a valid query (a valid query must be accepted)
EVERY_ANSWER = (shape.BODY_SCHEMA, shape.CONTENT_TYPE, reliability.NO_5XX, reliability.RESPONSE_TIME,
                reliability.RESPONSE_BOUNDED, reliability.RESPONSE_COMPLETE, reliability.WELL_FORMED_JSON)
EVERY_PAGE = (input_checks.ACCEPTS_VALID, paging.LIMIT_RESPECTED, paging.ITEMS_PER_PAGE, paging.CURRENT_PAGE,
              paging.PAGE_SIZE, paging.ORDER, pagemeta.TOTAL_PAGES, pagemeta.HAS_NEXT_PAGE, pagemeta.SORT_ORDER_ECHO)
# a pinned query (every read a stage compares) carries the pins, which are filters
PINNED_PAGE = (*EVERY_ANSWER, *EVERY_PAGE, filtering.MEMBERSHIP)
WALKED = (paging.WALK_COMPLETE, paging.WALK_DISJOINT, paging.WALK_ORDERED, paging.TOTAL_STABLE, paging.PAST_END)
_SURVEY = ("survey",)
_WINDOWS = ("windows",)  # the stages that read windows or pinned queries (the survey's)


def survey(ctx, essential: bool) -> None:
    """Stage ``survey``: the newest page of the pinned listing and window 0 (shared by the stages)."""
    ctx.survey.window(0)


STAGES: tuple[Stage, ...] = (
    Stage("auth", (access.MISSING_KEY, access.WRONG_KEY), auth.run),
    Stage("inputs", (*EVERY_ANSWER, *EVERY_PAGE, filtering.MEMBERSHIP, input_checks.REJECTS_INVALID, input_checks.ERROR_BODY,
                     sort_checks.ORDER), inputs.run),
    Stage("defaults", (*PINNED_PAGE, paging.DEFAULTS), defaults.run, needs=("limit-default",)),
    Stage("survey", PINNED_PAGE, survey, needs=_WINDOWS),
    Stage("filters", (*PINNED_PAGE, filtering.COMPLETENESS), filters.run, needs=("filters",), after=_SURVEY, weight=0.35),
    Stage("walks", (*PINNED_PAGE, *WALKED), walks.run, needs=("pages",), after=_SURVEY, weight=0.3),
    Stage("counts", (*PINNED_PAGE, filtering.METAMORPHIC), counts.run, needs=("counts",), after=_SURVEY, weight=0.1),
    Stage("sorting", (*PINNED_PAGE, sort_checks.ORDER, sort_checks.WALK, sort_checks.REVERSE, sort_checks.DEFAULT,
                      input_checks.REJECTS_INVALID, input_checks.ERROR_BODY), sorting.run, needs=("sort", *_WINDOWS),
          after=_SURVEY),
    Stage("cursors", (*PINNED_PAGE, cursor_checks.WALK, cursor_checks.END, cursor_checks.MALFORMED, input_checks.ERROR_BODY,
                      sort_checks.ORDER),
          cursors.run, needs=("cursor", *_WINDOWS), after=_SURVEY, weight=0.15),
    Stage("counters", (*PINNED_PAGE, counter_checks.INCLUDED, counter_checks.WITHIN_DIALED), include_counters.run,
          needs=("counters", *_WINDOWS), after=_SURVEY),
    Stage("operations", (*PINNED_PAGE, operation_checks.AGREE), operations.run, needs=("sibling", *_WINDOWS),
          after=_SURVEY),
    Stage("fuzz", (*EVERY_ANSWER, *EVERY_PAGE, filtering.MEMBERSHIP, input_checks.REJECTS_INVALID, input_checks.ERROR_BODY,
                   counter_checks.INCLUDED, counter_checks.WITHIN_DIALED, sort_checks.ORDER),
          fuzz.run, weight=0.25),
    Stage("tenancy", (access.SINGLE_ORG,), tenancy.run, needs=("organisation",), after=_SURVEY, final=True),
)
PROBES = "probes"  # the stage --probe-undocumented adds (drift: no check of the registry)


def select(endpoint, probe_with=None, only: str | None = None) -> list[Stage]:
    """The run's stages, in table order: those whose needs ``endpoint`` supports; with ``only``,
    those that can exercise that check and the stages they build on; the probes stage
    (``probe_with``: its candidates) when asked for, never with ``only``."""
    stages = [s for s in STAGES if s.applies(endpoint)]
    if only:
        wanted = {s.name for s in stages if only in s.exercisable(endpoint)}
        wanted |= {name for s in stages if s.name in wanted for name in s.after}
        return [s for s in stages if s.name in wanted]
    if probe_with:
        stages.insert(len(stages) - (1 if stages and stages[-1].final else 0),
                      Stage(PROBES, (), probes.Probe(probe_with)))
    return stages
