"""One run: sends every request through the ContractClient, judges each response with the
single-response invariants, and records violations, coverage, movement and counts.

Live data moves while a run goes on (see :mod:`vapi_contract.invariants.model`).  Two defences
live here: every consistency query is pinned to the run's snapshot (:meth:`Run.pinned`), and a
single-response finding that moving data could cause (page size, order, membership) is
re-observed once before it is believed.  Findings that span requests are judged by the pure
invariants, which say whether the data held still (:class:`~vapi_contract.invariants.model.Judgement`);
:meth:`Run.settle` records them and counts what was set aside.

Budgets: the planner (:mod:`.plan`) gives each stage a request cap and a deadline; when either
is reached, the next request raises :class:`StageExhausted` and the planner moves on.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..contract.validator import Validator
from ..drift import DriftCollector
from ..errors import RequestBudgetExhausted
from ..http import NO_AUTH, ContractClient, WrongKey
from ..invariants import CHECKS, COVERAGE_COLUMNS, Observation, Violation
from ..invariants.model import Judgement, Reference
from ..invariants.response import check_response
from ..query import ALL_PARAMS, MAX_LIMIT
from ..timeutil import format_ms
from .config import RunConfig
from .movement import Movement

Params = Sequence[tuple[str, str]]
DOCUMENTED_PARAMETERS = frozenset(ALL_PARAMS)
# findings that a campaign created or changed mid-run could cause: re-checked once before reported.
# A 5xx, a slow answer, a wrong status or a malformed body is a fact the moment it is seen.
MOVING_DATA_AREAS = frozenset({"pagination", "filters", "tenancy"})
MATRIX_AREAS = frozenset(COVERAGE_COLUMNS)
PINS = ("updatedAtLe", "createdAtLe")


class StageExhausted(Exception):
    """The current stage reached its request cap or its deadline (not an error: the planner
    records what the stage could not do and moves on)."""


@dataclass
class Recorder:
    violations: list[Violation] = field(default_factory=list)
    exercised: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # what could not be checked, and why
    occurrences: Counter = field(default_factory=Counter)  # (check, message) -> times seen
    parameter_areas: dict[str, set[str]] = field(default_factory=dict)  # query parameter -> areas checked with it

    def cover(self, params: Iterable[tuple[str, str]], exercised: Iterable[str]) -> None:
        """Note which areas of check were exercised by responses to queries using each parameter."""
        areas = {cid.split(".", 1)[0] for cid in exercised} & MATRIX_AREAS
        for name in {k for k, _ in params}:  # every name: the matrix shows the ones the contract declares
            self.parameter_areas.setdefault(name, set()).update(areas)

    def add(self, found: Iterable[Violation]) -> None:
        for v in found:
            key = (v.check, v.message)
            self.occurrences[key] += 1
            if self.occurrences[key] == 1:
                self.violations.append(v)

    def coverage(self) -> dict[str, str]:
        return {cid: ("exercised" if cid in self.exercised else "not-exercised") for cid in CHECKS}


class Run:
    def __init__(self, config: RunConfig, client: ContractClient, validator: Validator | None = None,
                 snapshot_ms: int | None = None):
        self.config = config
        self.client = client
        self.validator = validator or Validator.load()
        self.model = getattr(self.validator, "model", None)  # the checked contract's EndpointModel
        self.recorder = Recorder()
        self.drift = DriftCollector(self.validator.schemas)
        self.movement = Movement(snapshot_ms)
        self.orgs: dict[str, Observation] = {}  # orgId -> first answer that served it (tenancy)
        self.progress = None  # an optional progress display: .stage(name, planned_requests)
        self._cap: int | None = None  # the stage stops once this many requests are on the wire
        self._deadline: float | None = None  # ... or at this time.monotonic()
        self._exempt = False  # confirming a finding: not stopped half-way by a stage's limits
        self._scaffolding: set[tuple[str, str]] = set()  # pins and window bounds: not what a check tests

    @property
    def snapshot_ms(self) -> int | None:
        return self.movement.snapshot_ms

    @snapshot_ms.setter
    def snapshot_ms(self, value: int | None) -> None:
        self.movement.snapshot_ms = value

    @property
    def requests(self) -> int:
        return self.client.stats.total

    # -- budgets -------------------------------------------------------------------------------
    @contextmanager
    def limits(self, requests: int | None, deadline: float | None) -> Iterator[None]:
        """Within the block, at most ``requests`` more requests and nothing after ``deadline``."""
        saved = self._cap, self._deadline
        self._cap = None if requests is None else self.requests + max(0, requests)
        self._deadline = deadline
        try:
            yield
        finally:
            self._cap, self._deadline = saved

    @contextmanager
    def confirming(self) -> Iterator[None]:
        """Requests that confirm a finding already seen are not cut off by the stage's limits
        (the run's request budget still applies)."""
        saved, self._exempt = self._exempt, True
        try:
            yield
        finally:
            self._exempt = saved

    def _check_limits(self) -> None:
        if self._exempt:
            return
        if self._cap is not None and self.requests >= self._cap:
            raise StageExhausted("request share spent")
        if self._deadline is not None and time.monotonic() >= self._deadline:
            raise StageExhausted("time share spent")

    # -- sending -------------------------------------------------------------------------------
    def fetch(self, params: Params = (), auth: Any = None) -> Observation:
        """Send one GET /campaign and return what came back (no judging)."""
        self._check_limits()
        kwargs = {} if auth is None else {"auth": auth}
        response = self.client.list_campaigns(list(params), **kwargs)
        self.last_response = response
        exchange = self.client.last_exchange
        try:
            body = response.json() if response.content else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        obs = Observation(tuple((str(k), str(v)) for k, v in params), response.status_code, body,
                          response.headers.get("content-type", ""), exchange.elapsed, exchange.curl)
        if obs.status == 200 and auth is None:
            self.movement.saw(obs.results)
            for item in obs.results:
                org = item.get("orgId")
                if isinstance(org, str) and org not in self.orgs:
                    self.orgs[org] = obs
        return obs

    def observe(self, params: Params = (), auth: Any = None, confirm: bool = True) -> Observation:
        """Send, judge with every single-response invariant, confirm suspicions once, record."""
        obs = self.fetch(params, auth)
        if obs.status == 200:
            self.drift.observe_page(obs.body)
        found, exercised = check_response(obs, self.validator, self.config.max_response_time)
        self.recorder.exercised |= exercised
        self._cover(obs.params, exercised)
        moving = [v for v in found if v.area in MOVING_DATA_AREAS]
        if moving and confirm:
            self.movement.reobservations += 1
            with self.confirming():
                again = self.fetch(params, auth)
            found_again, _ = check_response(again, self.validator, self.config.max_response_time)
            confirmed = {v.check for v in found_again}
            self.movement.set_aside += sum(1 for v in moving if v.check not in confirmed)
            found = [v for v in found if v.area not in MOVING_DATA_AREAS or v.check in confirmed]
        self.recorder.add(found)
        return obs

    def judge(self, found: list[Violation], exercised: Iterable[str], recheck: Callable[[], list[Violation]] | None = None,
              params: Params = ()) -> None:
        """Record the result of a multi-response invariant (over queries using ``params``); re-run
        it once before believing it."""
        self.recorder.exercised |= set(exercised)
        self._cover(params, exercised)
        if any(v.area in MOVING_DATA_AREAS for v in found) and recheck is not None:
            self.movement.reobservations += 1
            with self.confirming():
                confirmed = {v.check for v in recheck()}
            self.movement.set_aside += sum(1 for v in found if v.check not in confirmed)
            found = [v for v in found if v.check in confirmed]
        self.recorder.add(found)

    def settle(self, judgement: Judgement, exercised: Iterable[str], params: Params = ()) -> None:
        """Record a movement-aware judgement: its violations, and what it set aside."""
        self.recorder.exercised |= set(exercised)
        self._cover(params, exercised)
        self.movement.set_aside += judgement.set_aside
        self.recorder.add(judgement.violations)

    def note(self, text: str) -> None:
        if text not in self.recorder.notes:
            self.recorder.notes.append(text)

    # -- helpers -------------------------------------------------------------------------------
    def scaffold(self, params: Params) -> None:
        """These parameters only delimit what a check reads (pins, window bounds): the coverage
        matrix does not count them as tested."""
        self._scaffolding.update((str(k), str(v)) for k, v in params)

    def _cover(self, params: Params, exercised: Iterable[str]) -> None:
        self.recorder.cover([p for p in params if tuple(p) not in self._scaffolding], exercised)

    def pinned(self, params: Params) -> list[tuple[str, str]]:
        """Pin a consistency query to the run's snapshot S: ``updatedAtLe=S`` and ``createdAtLe=S``
        (each unless the query bounds that field from above already)."""
        params = list(params)
        if self.snapshot_ms is not None:
            given = {k for k, _ in params}
            pins = [(pin, format_ms(self.snapshot_ms)) for pin in PINS if pin not in given]
            self._scaffolding.update(pins)
            params += pins
        return params

    def read(self, params: Params) -> tuple[Observation, Reference | None]:
        """One page of a pinned query at limit 1000: an atomic read of (up to) 1000 campaigns."""
        obs = self.observe([*params, ("limit", str(MAX_LIMIT))])
        return obs, (Reference.of(obs) if obs.status == 200 else None)

    def walk(self, params: Params, limit: int, max_pages: int | None = None) -> list[Observation]:
        """Pages 1.. of a query at ``limit`` until a short page (or ``max_pages``)."""
        pages: list[Observation] = []
        page = 1
        while max_pages is None or page <= max_pages:
            obs = self.observe([*params, ("limit", str(limit)), ("page", str(page))])
            pages.append(obs)
            if obs.status != 200 or len(obs.results) < limit:
                break
            total = obs.total_items
            if total is not None and page * limit >= total:
                break
            page += 1
        return pages

    @property
    def statuses(self) -> tuple[str, ...]:
        """The status values the checked contract declares (the pin's when no model is known)."""
        from ..query import STATUSES

        return (self.model.enum_values("status") if self.model is not None else ()) or STATUSES

    def total(self, params: Params) -> int | None:
        obs = self.observe([*params, ("limit", "1")])
        return None if obs.total_items is None else int(obs.total_items)


__all__ = ["NO_AUTH", "Recorder", "RequestBudgetExhausted", "Run", "StageExhausted", "WrongKey"]
