"""The contract surface the engine's fixed scenarios do not know: what a later document adds.

``contract_surface(run, model, profile, rng)`` reads the run's :class:`EndpointModel` and, for
each element it finds, sends a small, bounded set of requests through the Run and hands what came
back to the pure oracles (:mod:`..invariants.sorting`; the page-metadata oracles run on every
response through ``check_response``):

* a sort-column parameter (``sortBy``): one *window* of at most 1000 campaigns (the whole list
  when it holds at most 1000, else a createdAt window whose bounds come from the first page at
  limit 1000), read whole in one request; then, for each declared column and both orders, the
  same window walked at about a third of its size (so every walk crosses page boundaries) and
  compared with it: complete, disjoint, same totalItems, same campaigns; ordered by the column
  when results expose it; ASC the reverse of DESC apart from ties; no sortBy = the documented
  default column.  Plus one request with a value outside the enum (it must be rejected);
* a newly documented equality filter on a Campaign field (e.g. ``phoneNumberId``): a value from
  the window, filtered within it;
* enum values of an equality filter that the engine does not iterate (e.g. a newly published
  ``status=cancelled``): every declared value filtered within the window, and the values
  partitioning the window.

Cost: 2 + 3 x 2 x (pages per walk, 3-4) + 1 requests for sortBy, 1 per enum value; never more
than :data:`MAX_REQUESTS` whatever the data size.  Consistency comparisons use pinned queries
(``run.pinned``) and every multi-response finding is confirmed by re-running it once
(``run.judge(..., recheck=...)``).  On the 2026-04-11 pin there is nothing to do: no request.

``coverage(run, model)`` is the run's coverage restricted to the checks that concern the contract
(the others are "not applicable", not "not exercised"), and notes every contract element no
oracle checks ("not exercised: no oracle for X"), which makes the run incomplete.
"""

from __future__ import annotations

import math
import random
from typing import Any

from ..invariants import applicable_checks
from ..invariants import sorting
from ..query import EQUALITY_FILTERS
from ..timeutil import InvalidInstant, parse_ms
from .session import Run

WINDOW = 1000  # campaigns read in one request (the documented maximum limit)
PAGES_PER_WALK = 3  # a walk of the window under sortBy takes about this many pages
MAX_REQUESTS = 60
# enum values the engine's own stages iterate already (runner/filters.py, runner/counts.py): not repeated here
# (the engine asks, and partitions by, every status value the checked contract declares)
ENGINE_ENUM_FILTERS = ("status",)
INVALID_SORT_VALUE = "notADocumentedColumn"


def contract_surface(run: Run, model, profile=None, rng: random.Random | None = None) -> None:
    sort = model.sort_param
    new_enums = {name: model.enum_values(name) for name in model.equality_filters
                 if model.enum_values(name) and name not in ENGINE_ENUM_FILTERS}
    new_filters = [name for name in model.equality_filters if name not in EQUALITY_FILTERS and not model.enum_values(name)]
    if sort is None and not new_enums and not new_filters:
        return
    window = _window(run)
    if window is None:
        return
    if sort is not None:
        _sorting(run, model, sort, window)
    for name, values in new_enums.items():
        _enum_filter(run, name, values, window)
    for name in new_filters:
        _equality_filter(run, name, window)


class Window:
    def __init__(self, params: list[tuple[str, str]], obs):
        self.params = params
        self.obs = obs
        self.items = obs.results
        self.ids = [it.get("id") for it in self.items]
        total = obs.metadata.get("totalItems")
        self.total = int(total) if isinstance(total, (int, float)) and not isinstance(total, bool) else None


def _window(run: Run) -> Window | None:
    """At most 1000 campaigns, read whole in one request: the whole (pinned) list when it fits,
    else the createdAt range of the first page at limit 1000 (createdAtGt its last instant,
    createdAtLe its first: every campaign in it is on that page)."""
    top_params = run.pinned([])
    top = run.observe([*top_params, ("limit", str(WINDOW))])
    if top.status != 200:
        run.note(f"contract surface not checked: the first page answered {top.status}")
        return None
    total = top.metadata.get("totalItems")
    if isinstance(total, (int, float)) and total <= WINDOW:
        window = Window(top_params, top)
    else:
        stamps = []
        for item in top.results:
            try:
                stamps.append((parse_ms(item.get("createdAt")), item.get("createdAt")))
            except InvalidInstant:
                pass
        if len(stamps) < 2 or min(stamps)[0] == max(stamps)[0]:
            run.note("contract surface not checked: no createdAt window could be taken from the first page")
            return None
        params = [("createdAtGt", min(stamps)[1]), ("createdAtLe", max(stamps)[1])]
        obs = run.observe([*params, ("limit", str(WINDOW))])
        window = Window(params, obs)
        if obs.status != 200 or window.total is None or window.total > WINDOW:
            run.note(f"contract surface not checked: the createdAt window holds {window.total} campaigns, more than one page")
            return None
    if len(window.items) < 2:
        run.note(f"only {len(window.items)} campaign(s) in the window: sorting is barely exercised")
    return window


def _walk(run: Run, window: Window, extra: list[tuple[str, str]]):
    limit = max(1, math.ceil(len(window.items) / PAGES_PER_WALK))
    max_pages = math.ceil(max(len(window.items), 1) / limit) + 1
    return run.walk([*window.params, *extra], limit, max_pages=max_pages)


def _sorting(run: Run, model, sort, window: Window) -> None:
    walks: dict[tuple[str, str], list] = {}
    for column in sort.enum or ():
        exposed = column in model.campaign_fields
        for order in ("DESC", "ASC"):
            extra = [(sort.name, column), ("sortOrder", order)]
            label = f"{sort.name}={column}&sortOrder={order}"
            pages = _walk(run, window, extra)
            walks[(column, order)] = pages

            def judge_walk(pages, label=label, column=column, order=order, exposed=exposed, extra=extra):
                found = sorting.walk_matches_baseline(pages, window.ids, window.total, label)
                if exposed:
                    found += sorting.walk_order(pages, column, order)
                return found

            exercised = {sorting.WALK} | ({sorting.ORDER} if exposed and len(window.items) > 1 else set())
            run.judge(judge_walk(pages), exercised,
                      recheck=lambda extra=extra, judge_walk=judge_walk: judge_walk(_walk(run, window, extra)),
                      params=extra)
        desc, asc = walks[(column, "DESC")], walks[(column, "ASC")]
        if len(window.items) > 1:
            run.judge(sorting.reverse_apart_from_ties(desc, asc, column, exposed), {sorting.REVERSE},
                      recheck=lambda c=column, e=exposed: sorting.reverse_apart_from_ties(
                          _walk(run, window, [(sort.name, c), ("sortOrder", "DESC")]),
                          _walk(run, window, [(sort.name, c), ("sortOrder", "ASC")]), c, e),
                      params=[(sort.name, column), ("sortOrder", "ASC")])
    default = model.default_sort_column
    if (default, "DESC") in walks:
        exposed = default in model.campaign_fields
        run.judge(sorting.default_column([window.obs], walks[(default, "DESC")], default, exposed), {sorting.DEFAULT},
                  recheck=lambda: sorting.default_column(
                      [run.observe([*window.params, ("limit", str(WINDOW))])],
                      _walk(run, window, [(sort.name, default), ("sortOrder", "DESC")]), default, exposed),
                  params=[(sort.name, default)])
    else:
        run.note(f"not exercised: the documented default of {sort.name} ({default!r}) is not one of its values")
    run.observe([(sort.name, INVALID_SORT_VALUE), ("limit", "1")])  # outside the enum: must be rejected


def _enum_filter(run: Run, name: str, values, window: Window) -> None:
    totals: dict[str, int] = {}
    observations = []
    for value in values:
        params = [*window.params, (name, value), ("limit", str(WINDOW))]
        obs = run.observe(params)
        observations.append(obs)
        run.judge(sorting.enum_filter(obs, window.items, name, value), {"filters.completeness"},
                  recheck=lambda params=params, value=value: sorting.enum_filter(run.observe(params), window.items, name, value),
                  params=[(name, value)])
        total = obs.metadata.get("totalItems") if obs.status == 200 else None
        if isinstance(total, (int, float)) and not isinstance(total, bool):
            totals[value] = int(total)
    if window.total is not None and len(totals) == len(values):
        run.judge(sorting.enum_partition(name, window.total, totals, observations), {"filters.metamorphic"},
                  params=[(name, "")])


def _equality_filter(run: Run, name: str, window: Window) -> None:
    """A newly documented equality filter on a Campaign field (not an enum): a value taken from the
    window, filtered within it."""
    value = next((it.get(name) for it in window.items if isinstance(it.get(name), str) and it.get(name)), None)
    if value is None:
        run.note(f"not exercised: no campaign in the window has a {name} to filter by")
        return
    params = [*window.params, (name, value), ("limit", str(WINDOW))]
    obs = run.observe(params)
    run.judge(sorting.enum_filter(obs, window.items, name, value), {"filters.completeness"},
              recheck=lambda: sorting.enum_filter(run.observe(params), window.items, name, value), params=[(name, value)])


def coverage(run: Run, model) -> dict[str, str]:
    """The run's coverage over the checks that concern the contract; each contract element no
    oracle checks is noted by name (the run is then incomplete)."""
    for element in model.no_oracle():
        text = f"not exercised: no oracle for {element}"
        if text not in run.recorder.notes:
            run.note(text)
    checks = applicable_checks(model)
    return {cid: status for cid, status in run.recorder.coverage().items() if cid in checks}


def surface_summary(model) -> dict[str, Any]:
    return model.summary()
