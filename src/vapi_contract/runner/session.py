"""One run: sends every request through the ContractClient, judges each response with the
single-response invariants, and records violations, coverage and counts.

A suspected violation is confirmed by sending the same request once more: live data moves while
a run goes on (a campaign created or updated mid-run), and a nightly run that cries wolf gets
ignored.  Only violations seen on both answers are reported.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from ..contract.validator import Validator
from ..drift import DriftCollector
from ..errors import RequestBudgetExhausted
from ..http import NO_AUTH, ContractClient, WrongKey
from ..invariants import CHECKS, COVERAGE_COLUMNS, Observation, Violation
from ..invariants.response import check_response
from ..query import ALL_PARAMS
from ..timeutil import format_ms
from .config import RunConfig

Params = Sequence[tuple[str, str]]
DOCUMENTED_PARAMETERS = frozenset(ALL_PARAMS)
# findings that a campaign created or changed mid-run could cause: re-checked once before reported.
# A 5xx, a slow answer, a wrong status or a malformed body is a fact the moment it is seen.
MOVING_DATA_AREAS = frozenset({"pagination", "filters", "tenancy"})
MATRIX_AREAS = frozenset(COVERAGE_COLUMNS)


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
        self.recorder = Recorder()
        self.snapshot_ms = snapshot_ms  # live targets: consistency checks pinned to createdAtLe=snapshot
        self.drift = DriftCollector(self.validator.schemas)

    # -- sending -------------------------------------------------------------------------------
    def fetch(self, params: Params = (), auth: Any = None) -> Observation:
        """Send one GET /campaign and return what came back (no judging)."""
        kwargs = {} if auth is None else {"auth": auth}
        response = self.client.list_campaigns(list(params), **kwargs)
        self.last_response = response
        exchange = self.client.last_exchange
        try:
            body = response.json() if response.content else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        return Observation(tuple((str(k), str(v)) for k, v in params), response.status_code, body,
                           response.headers.get("content-type", ""), exchange.elapsed, exchange.curl)

    def observe(self, params: Params = (), auth: Any = None, confirm: bool = True) -> Observation:
        """Send, judge with every single-response invariant, confirm suspicions once, record."""
        obs = self.fetch(params, auth)
        if obs.status == 200:
            self.drift.observe_page(obs.body)
        found, exercised = check_response(obs, self.validator, self.config.max_response_time)
        self.recorder.exercised |= exercised
        self.recorder.cover(obs.params, exercised)
        moving = [v for v in found if v.area in MOVING_DATA_AREAS]
        if moving and confirm:
            again = self.fetch(params, auth)
            found_again, _ = check_response(again, self.validator, self.config.max_response_time)
            confirmed = {v.check for v in found_again}
            found = [v for v in found if v.area not in MOVING_DATA_AREAS or v.check in confirmed]
        self.recorder.add(found)
        return obs

    def judge(self, found: list[Violation], exercised: Iterable[str], recheck: Callable[[], list[Violation]] | None = None,
              params: Params = ()) -> None:
        """Record the result of a multi-response invariant (over queries using ``params``); re-run
        it once before believing it."""
        self.recorder.exercised |= set(exercised)
        self.recorder.cover(params, exercised)
        if any(v.area in MOVING_DATA_AREAS for v in found) and recheck is not None:
            confirmed = {v.check for v in recheck()}
            found = [v for v in found if v.check in confirmed]
        self.recorder.add(found)

    def note(self, text: str) -> None:
        self.recorder.notes.append(text)

    # -- helpers -------------------------------------------------------------------------------
    def pinned(self, params: Params) -> list[tuple[str, str]]:
        """Pin a consistency query to the run's snapshot (live targets only)."""
        params = list(params)
        if self.snapshot_ms is not None and not any(k == "createdAtLe" for k, _ in params):
            params.append(("createdAtLe", format_ms(self.snapshot_ms)))
        return params

    def walk(self, params: Params, limit: int, max_pages: int | None = None) -> list[Observation]:
        """Pages 1.. of a query at ``limit`` until a short page (or ``max_pages``)."""
        pages: list[Observation] = []
        page = 1
        while max_pages is None or page <= max_pages:
            obs = self.observe([*params, ("limit", str(limit)), ("page", str(page))])
            pages.append(obs)
            if obs.status != 200 or len(obs.results) < limit:
                break
            total = obs.metadata.get("totalItems")
            if isinstance(total, (int, float)) and page * limit >= total:
                break
            page += 1
        return pages

    def total(self, params: Params) -> int | None:
        obs = self.observe([*params, ("limit", "1")])
        total = obs.metadata.get("totalItems") if obs.status == 200 else None
        return int(total) if isinstance(total, (int, float)) and not isinstance(total, bool) else None


__all__ = ["NO_AUTH", "Recorder", "RequestBudgetExhausted", "Run", "WrongKey"]
