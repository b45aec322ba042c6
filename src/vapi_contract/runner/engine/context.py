"""The run context: the one API a stage uses to send requests and report what it saw.

A stage is ``run(ctx, essential)`` (see :mod:`..stages`).  Through the context it

* sends: :meth:`RunContext.fetch` (an answer, unjudged), :meth:`~RunContext.observe` (judged with
  every single-response check; a finding that moving data could cause is re-observed once
  before it is believed), and the helpers :meth:`~RunContext.read`, :meth:`~RunContext.walk`,
  :meth:`~RunContext.total`;
* pins consistency queries to the run's snapshot (:meth:`~RunContext.pinned`) and marks window
  bounds as scaffolding (:meth:`~RunContext.scaffold`: not what a check tests);
* reports: :meth:`~RunContext.settle` (a movement-aware :class:`Judgement` of a multi-response
  rule), :meth:`~RunContext.note`, and what it did to tell movement from a fault
  (:meth:`~RunContext.reobserved`, :meth:`~RunContext.rewalked`, :meth:`~RunContext.left_snapshot`).

It never hands out its parts: findings, movement and budgets are the engine's, read by it at the
end (:class:`Findings`, :class:`~.movement.Movement`).  Budgets: the planner gives each stage a
request cap and a deadline (:meth:`~RunContext.limits`); when either is reached the next request
raises :class:`StageExhausted` and the planner moves on.

What something in front of the API answers (a redirect, a throttle, a WAF's block page:
:func:`~vapi_contract.http.frontdoor.front_door`) is never judged: :meth:`RunContext.fetch`
raises :class:`AnsweredInFront`, the stage stops there (its checks stay unexercised on that
answer), and every later request of the stage is refused before it is sent.
"""

from __future__ import annotations

import enum
import random
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from ...areas import MOVING_DATA_AREAS
from ...errors import TargetUnreachable
from ...http import ContractClient
from ...http.frontdoor import front_door, what_answered
from ...invariants import Judgement, Observation, Reference, Violation, access, cursors
from ...invariants.registry import single_response
from ...invariants.response import Call, check_response
from ...timeutil import format_ms
from .movement import Movement
from .outage import NoWatch
from .reading import observation
from .windows import Survey

Params = Sequence[tuple[str, str]]


class StageOutcome(enum.Enum):
    """How a stage's pass ended (the planner records it; the report says it in these words)."""

    DONE = "done"
    REQUEST_SHARE = "request share spent"
    TIME_SHARE = "time share spent"
    RUN_BUDGET = "run budget spent"
    RUN_TIME = "run time spent"  # the run's deadline passed during a request or a wait
    NO_ANSWER = "no answer"  # one request got no answer (the outage rule watches the run)
    OUTAGE = "outage"  # the outage rule ended the run here
    NOT_RUN = "not run"
    IN_FRONT = "answered from in front of the API"
    INTERRUPTED = "interrupted"


class StageExhausted(Exception):
    """The current stage reached its request cap or its deadline (not an error: the planner
    records what the stage could not do and moves on)."""

    def __init__(self, outcome: StageOutcome):
        super().__init__(outcome.value)
        self.outcome = outcome


class AnsweredInFront(Exception):
    """Something in front of the API answered the current stage (see the module doc); the text
    says what answered and to which request.  ``kind``: redirect | throttled | blocked."""

    def __init__(self, kind: str, answered: str, exchange=None):
        super().__init__(answered)
        self.kind = kind
        self.exchange = exchange


@dataclass
class Findings:
    """What a run has found so far: violations (each distinct (check, message) once, with how
    often it was seen), the checks exercised (and by which stage), notes, and per query parameter
    the checks exercised on answers to queries using it (the coverage matrix)."""

    violations: list[Violation] = field(default_factory=list)
    exercised: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    occurrences: Counter = field(default_factory=Counter)  # (check, message) -> times seen
    exercised_with: dict[str, set[str]] = field(default_factory=dict)  # query parameter -> check ids
    exercised_in: dict[str, set[str]] = field(default_factory=dict)  # stage -> check ids it exercised

    def add(self, found: Iterable[Violation]) -> None:
        for v in found:
            key = (v.check, v.message)
            self.occurrences[key] += 1
            if self.occurrences[key] == 1:
                self.violations.append(v)

    def cover(self, names: Iterable[str], exercised: Iterable[str]) -> None:
        exercised = set(exercised)
        for name in names:
            self.exercised_with.setdefault(name, set()).update(exercised)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def only(self, check: str) -> "Findings":
        """The findings of one check (``run --only``)."""
        return Findings([v for v in self.violations if v.check == check], set(self.exercised), list(self.notes),
                        Counter({k: n for k, n in self.occurrences.items() if k[0] == check}), self.exercised_with,
                        self.exercised_in)


def request_line(exchange) -> str:
    """``GET https://api.vapi.ai/campaign?limit=1 without a key``: a request in a few words."""
    query = "&".join(f"{k}={v}" for k, v in exchange.params)
    who = {"none": " without a key", "wrong": " with a wrong key", "override": " with another key"}.get(exchange.auth, "")
    return f"{exchange.method} {exchange.url}{'?' + query if query else ''}{who}"


class RunContext:
    """One run's state and the API its stages use (see the module doc)."""

    def __init__(self, *, endpoint, validator, client: ContractClient, profile, seed: int, max_response_time: float,
                 drift, siblings: dict):
        self.endpoint = endpoint
        self.siblings = dict(siblings)  # label -> Endpoint: the contract's other listings of the same items
        self.validator = validator
        self.client = client
        self.profile = profile
        self.seed = seed
        self.rng = random.Random(seed)
        self.max_response_time = max_response_time
        self.survey = Survey(self, self.rng)  # the windows the stages share, read on first use
        self._stage: str | None = None  # the stage whose requests are on the wire (what it exercises is its own)
        self._checks = single_response(endpoint)
        self._findings = Findings()
        self._movement = Movement()
        self._drift = drift
        self._organisations: dict[str, Observation] = {}  # organisation -> first answer that served it
        self._cap: int | None = None  # the stage stops once this many requests are on the wire
        self._deadline: float | None = None  # ... or at this time.monotonic()
        self._exempt = False  # confirming a finding: not stopped half-way by a stage's limits
        self._in_front: AnsweredInFront | None = None  # what stopped the current stage from in front of the API
        self._scaffolding: set[tuple[str, str]] = set()  # pins and window bounds: not what a check tests
        self.outage = NoWatch()  # the outage rule (engine/outage.py), set by the engine once preflight passed

    # -- what the engine reads at the end ---------------------------------------------------------
    @property
    def findings(self) -> Findings:
        return self._findings

    @property
    def movement(self) -> Movement:
        return self._movement

    @property
    def organisations(self) -> dict[str, Observation]:
        """Each organisation the items seen belonged to, with the first answer that served it."""
        return dict(self._organisations)

    @property
    def snapshot_ms(self) -> int | None:
        return self._movement.snapshot_ms

    def fix_snapshot(self, ms: int) -> None:
        """Preflight fixes the run's snapshot instant (ms)."""
        self._movement.snapshot_ms = ms

    @property
    def requests(self) -> int:
        return self.client.stats.total

    # -- budgets ---------------------------------------------------------------------------------
    @contextmanager
    def limits(self, requests: int | None, deadline: float | None, stage: str | None = None) -> Iterator[None]:
        """Within the block (stage ``stage``'s pass), at most ``requests`` more requests and nothing
        after ``deadline``."""
        saved = self._cap, self._deadline, self._in_front, self._stage
        self._cap = None if requests is None else self.requests + max(0, requests)
        self._deadline = deadline
        self._in_front = None
        self._stage = stage
        try:
            yield
        finally:
            self._cap, self._deadline, self._in_front, self._stage = saved

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
        if self._in_front is not None:  # the stage was stopped: none of its requests goes out again
            raise self._in_front
        if self._exempt:
            return
        if self._cap is not None and self.requests >= self._cap:
            raise StageExhausted(StageOutcome.REQUEST_SHARE)
        if self._deadline is not None and time.monotonic() >= self._deadline:
            raise StageExhausted(StageOutcome.TIME_SHARE)

    # -- sending ---------------------------------------------------------------------------------
    def fetch(self, params: Params = (), auth: Any = None, endpoint=None) -> Observation:
        """Send one request of the operation (or of ``endpoint``, a sibling) and return what came
        back (no judging)."""
        return self._send(params, auth, endpoint)[0]

    def _send(self, params: Params, auth: Any, endpoint) -> tuple[Observation, Any]:
        """One request: (what came back, the HTTP response it came in)."""
        self._check_limits()
        kwargs = {} if auth is None else {"auth": auth}
        endpoint = self.endpoint if endpoint is None else endpoint
        try:
            response = self.client.get(endpoint.url_path, list(params), **kwargs)
        except TargetUnreachable as exc:  # no answer, after the HTTP layer's retries: this stage stops
            self.outage.unanswered(exc.message)  # ... and the run, when the API is down
            raise
        exchange = self.client.last_exchange
        self.outage.answered(exchange)
        kind = front_door(exchange)
        if kind is not None:
            self._in_front = AnsweredInFront(kind, f"{what_answered(exchange, self.client.redactor.scrub)} to "
                                                   f"{request_line(exchange)}", exchange)
            raise self._in_front
        obs = observation(exchange, params, endpoint)
        if obs.status == 200 and auth is None:
            self._movement.saw(obs.keys(endpoint))
            if endpoint.organisation is not None:
                access.organisations(endpoint.organisation, obs, self._organisations)
        return obs, response

    def judge(self, obs: Observation, followed_cursor: bool = False) -> tuple[list[Violation], set[str]]:
        """Every single-response check on ``obs`` (no recording)."""
        return check_response(Call(obs, self.endpoint, self.validator, self.max_response_time, followed_cursor,
                                   frozenset(self._scaffolding)), self._checks)

    def observe(self, params: Params = (), auth: Any = None, confirm: bool = True, followed_cursor: bool = False) -> Observation:
        """Send, judge with every single-response check, confirm suspicions once, record.
        ``followed_cursor``: the query carries a cursor the server issued for this same query."""
        return self.observe_response(params, auth, confirm, followed_cursor)[0]

    def observe_response(self, params: Params = (), auth: Any = None, confirm: bool = True,
                         followed_cursor: bool = False) -> tuple[Observation, Any]:
        """:meth:`observe`, returning the HTTP response too (an outside check, schemathesis', reads it)."""
        obs, response = self._send(params, auth, None)
        if obs.status == 200:
            self._drift.observe_page(obs.body)
        found, exercised = self.judge(obs, followed_cursor)
        self._record_exercised(obs.params, exercised)
        moving = [v for v in found if v.area in MOVING_DATA_AREAS]
        if moving and confirm:
            self._movement.reobservations += 1
            with self.confirming():
                again = self.fetch(params, auth)
            confirmed = {v.check for v in self.judge(again, followed_cursor)[0]}
            self._movement.set_aside += sum(1 for v in moving if v.check not in confirmed)
            found = [v for v in found if v.area not in MOVING_DATA_AREAS or v.check in confirmed]
        self._findings.add(found)
        return obs, response

    # -- reporting -------------------------------------------------------------------------------
    def settle(self, judgement: Judgement, params: Params = ()) -> None:
        """Record a movement-aware judgement of a multi-response rule over queries using
        ``params``: its violations, the checks it exercised, and what it set aside."""
        self._record_exercised(params, judgement.exercised)
        self._movement.set_aside += judgement.set_aside
        self._findings.add(judgement.violations)

    def report(self, violations: Iterable[Violation]) -> None:
        """Violations an outside check (schemathesis') found on an answer already observed."""
        self._findings.add(violations)

    def note(self, text: str) -> None:
        self._findings.note(text)

    def reobserved(self, requests: int = 1) -> None:
        """``requests`` requests were made only to tell movement from a fault."""
        self._movement.reobservations += requests

    def rewalked(self) -> None:
        self._movement.rewalks += 1

    def left_snapshot(self, ids: Iterable[str]) -> None:
        """These items left a pinned set between two reads (changed or deleted)."""
        self._movement.left(ids)

    def drift_parameter(self, name: str, example: str, responses: int) -> None:
        """An undocumented query parameter changed the answer (response drift)."""
        self._drift.note_parameter(name, example, responses)

    def _record_exercised(self, params: Params, exercised: Iterable[str]) -> None:
        exercised = set(exercised)
        self._findings.exercised |= exercised
        if self._stage is not None:
            self._findings.exercised_in.setdefault(self._stage, set()).update(exercised)
        self._findings.cover({k for k, v in params if (k, v) not in self._scaffolding}, exercised)

    # -- helpers ---------------------------------------------------------------------------------
    @property
    def scaffolding(self) -> frozenset:
        """The (name, value) pairs that only delimit what a check reads (see :meth:`scaffold`)."""
        return frozenset(self._scaffolding)

    def scaffold(self, params: Params) -> None:
        """These parameters only delimit what a check reads (pins, window bounds): the coverage
        matrix does not count them as tested."""
        self._scaffolding.update((str(k), str(v)) for k, v in params)

    def pinned(self, params: Params) -> list[tuple[str, str]]:
        """Pin a consistency query to the run's snapshot S: the creation and modification upper
        bounds (createdAtLe=S, updatedAtLe=S), each unless the query bounds that field already."""
        params = list(params)
        if self.snapshot_ms is not None:
            given = {k for k, _ in params}
            pins = [(b.param, format_ms(self.snapshot_ms)) for b in self.endpoint.pins if b.param not in given]
            self._scaffolding.update(pins)
            params += pins
        return params

    def at_limit(self, params: Params, limit: int) -> list[tuple[str, str]]:
        return [*params, (self.endpoint.limit.name, str(limit))]

    def read(self, params: Params) -> tuple[Observation, Reference | None]:
        """One page of a pinned query at the maximum limit: an atomic read of (up to) that many items."""
        obs = self.observe(self.at_limit(params, self.endpoint.max_limit))
        return obs, (Reference.of(obs, self.endpoint) if obs.status == 200 else None)

    def walk(self, params: Params, limit: int, max_pages: int | None = None) -> list[Observation]:
        """Pages 1.. of a query at ``limit`` until a short page (or ``max_pages``)."""
        pages: list[Observation] = []
        page_param = self.endpoint.page.name
        page = self.endpoint.first_page
        while max_pages is None or len(pages) < max_pages:
            obs = self.observe([*self.at_limit(params, limit), (page_param, str(page))])
            pages.append(obs)
            if obs.status != 200 or len(obs.results) < limit:
                break
            total = obs.total_items
            if total is not None and len(pages) * limit >= total:
                break
            page += 1
        return pages

    def cursor_walk(self, params: Params, limit: int, max_pages: int) -> tuple[list[Observation], bool]:
        """Page 1 of a query at ``limit``, then each page its ``nextCursor`` leads to, until a page
        carries none (``ended``) or ``max_pages`` were read.  Returns (pages, ended)."""
        cursor = self.endpoint.cursor
        query = self.at_limit(params, limit)
        pages = [self.observe(query)]
        while len(pages) < max_pages:
            token = cursors.next_cursor(pages[-1], self.endpoint)
            if token is None:
                return pages, True
            pages.append(self.observe([*query, (cursor.param, token)], followed_cursor=True))
        return pages, cursors.next_cursor(pages[-1], self.endpoint) is None

    def total(self, params: Params) -> int | None:
        """totalItems of a query (read at limit 1)."""
        obs = self.observe(self.at_limit(params, 1))
        return None if obs.total_items is None else int(obs.total_items)


__all__ = ["AnsweredInFront", "Findings", "StageOutcome", "RunContext", "StageExhausted"]
