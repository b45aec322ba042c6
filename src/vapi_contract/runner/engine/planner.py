"""The budget planner: which stage runs when, with how many requests and how much time.

A run has a request budget (``--max-requests``) and a wall-clock budget (``--max-duration``).
Stages run in the order of their value.  First every stage's *essential* pass: a few requests
each, independent of the organisation's size, which together exercise every check (auth, input
validation and defaults first: they cost nothing that grows with the data).  Then the *deep*
passes share what is left of both budgets by weight (more windows, instants, walks and
generated cases), each cut off when its share is spent.  Last, the *final* stages judge what the
whole run saw (tenancy; no request).  A stage whose essential pass could not finish makes the
run incomplete, and the summary says which and why; a deep pass cut short only means less
depth.  The same seed gives the same requests on the same data.

A stage also stops when something in front of the API answered it (a redirect, a throttle, a
WAF's block page: :class:`~.context.AnsweredInFront`): its outcome says what answered, and its
checks are not judged on that answer; and when one of its requests got no answer at all after the
HTTP layer's retries (``no answer: ...``).  When the run's deadline passes during a request or a
wait (:class:`~vapi_contract.errors.OutOfTime`: the HTTP layer waits past it for nothing, a
Retry-After included) the stage stops, its outcome says what was waiting, and no later stage
sends a request.  An outage (:class:`~vapi_contract.errors.Outage`, ``outage.py``) and a signal
(:class:`~.interrupt.Interrupted`) stop the run: the running stage is recorded (``outage: ...``,
``interrupted (SIGTERM)``) before the error goes on up.

The planner emits :class:`~.events.StageStarted` and :class:`~.events.StageFinished` to the
engine's observers (the progress display).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from ...errors import OutOfTime, Outage, RequestBudgetExhausted, TargetUnreachable
from ...invariants.registry import CHECKS, applicable
from . import events
from .context import AnsweredInFront, StageOutcome, RunContext, StageExhausted
from .interrupt import Interrupted


@dataclass(frozen=True)
class Stage:
    """One row of the stage table: ``run(ctx, essential)`` sends its requests through ``ctx``.

    It declares the checks of the registry it can exercise (``checks``), the contract elements it
    needs to run at all (``needs``, in the vocabulary of a check's ``requires``:
    :meth:`~vapi_contract.contract.endpoint.Endpoint.supports`) and the stages whose reads it
    builds on (``after``).  Its areas follow from its checks."""

    name: str
    checks: tuple[str, ...]
    run: Callable[[RunContext, bool], None]
    needs: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    weight: float = 0.0  # share of the deep budget; 0: the stage has no deep pass
    final: bool = False  # runs once, after the deep passes (judges what the whole run saw)

    @property
    def areas(self) -> frozenset[str]:
        return frozenset(CHECKS[c].area for c in self.checks)

    def applies(self, endpoint) -> bool:
        """The endpoint declares every element the stage needs."""
        return all(endpoint.supports(n) for n in self.needs)

    def exercisable(self, endpoint) -> frozenset[str]:
        """The checks this stage can exercise on ``endpoint`` (those of its checks that apply)."""
        return frozenset(self.checks) & frozenset(applicable(endpoint))


@dataclass
class StageRecord:
    name: str
    phase: str  # essential | deep | final
    requests: int
    seconds: float
    granted: int | None  # requests granted (None: whatever the run budget allows)
    outcome: StageOutcome
    detail: str = ""  # what answered in front of the API; which signal; why the stage did not run

    @property
    def text(self) -> str:
        """How reports say it: ``done``, ``request share spent``, ``not run: run budget spent``,
        ``answered from in front of the API: ...``, ``interrupted (SIGTERM)``."""
        if self.outcome is StageOutcome.INTERRUPTED:
            return f"{self.outcome.value} ({self.detail})"
        if self.outcome is StageOutcome.OUTAGE:  # the outage rule's message says it: "outage: ...", "throttled: ..."
            return self.detail
        return f"{self.outcome.value}: {self.detail}" if self.detail else self.outcome.value

    @property
    def done(self) -> bool:
        return self.outcome is StageOutcome.DONE

    def to_dict(self) -> dict:
        return {"stage": self.name, "phase": self.phase, "requests": self.requests, "seconds": round(self.seconds, 3),
                "granted": self.granted, "outcome": self.text}


@dataclass
class Planner:
    ctx: RunContext
    stages: list[Stage]
    max_requests: int
    max_duration: float | None
    emit: Callable[[object], None] = lambda event: None
    clock: Callable[[], float] = time.monotonic
    records: list[StageRecord] = field(default_factory=list)
    exhausted: bool = False  # the run's request budget is spent
    deadline: float | None = None  # the run's deadline on ``clock`` (None: max_duration from the start of execute)
    out_of_time: bool = False  # the run's deadline passed during a request or a wait

    def execute(self) -> None:
        start = self.clock()
        deadline = self.deadline
        if deadline is None and self.max_duration is not None:
            deadline = start + self.max_duration
        for stage in self.stages:
            if not stage.final:
                self._pass(stage, "essential", None, deadline)
        deep = [s for s in self.stages if s.weight > 0]
        for index, stage in enumerate(deep):
            weight_left = sum(s.weight for s in deep[index:])
            share = stage.weight / weight_left
            granted = int(max(0, self.max_requests - self.ctx.requests) * share)
            until = None if deadline is None else self.clock() + max(0.0, deadline - self.clock()) * share
            self._pass(stage, "deep", granted, until)
        for stage in self.stages:
            if stage.final:
                self._pass(stage, "final", None, None)

    def _pass(self, stage: Stage, phase: str, granted: int | None, deadline: float | None) -> None:
        if phase != "final" and (self.exhausted or self.out_of_time or (deadline is not None and self.clock() >= deadline)
                                 or granted == 0):
            reason = (StageOutcome.RUN_BUDGET if self.exhausted else StageOutcome.RUN_TIME if self.out_of_time
                      else StageOutcome.TIME_SHARE if granted != 0 else StageOutcome.REQUEST_SHARE)
            self._record(StageRecord(stage.name, phase, 0, 0.0, granted, StageOutcome.NOT_RUN, reason.value))
            return
        self.emit(events.StageStarted(stage.name, phase, granted))
        t0, r0, outcome, detail = self.clock(), self.ctx.requests, StageOutcome.DONE, ""
        try:
            with self.ctx.limits(granted, deadline, stage=stage.name):
                stage.run(self.ctx, phase == "essential")
        except StageExhausted as exc:
            outcome = exc.outcome
        except AnsweredInFront as exc:
            outcome, detail = StageOutcome.IN_FRONT, str(exc)
        except RequestBudgetExhausted:
            self.exhausted, outcome = True, StageOutcome.RUN_BUDGET
        except OutOfTime as exc:
            self.out_of_time, outcome, detail = True, StageOutcome.RUN_TIME, exc.message
        except Outage as exc:
            self._record(StageRecord(stage.name, phase, self.ctx.requests - r0, self.clock() - t0, granted,
                                     StageOutcome.OUTAGE, exc.message))
            raise
        except TargetUnreachable as exc:  # one request got no answer: this stage stops (the outage rule watches the run)
            outcome, detail = StageOutcome.NO_ANSWER, exc.message
        except Interrupted as stop:
            self._record(StageRecord(stage.name, phase, self.ctx.requests - r0, self.clock() - t0, granted,
                                     StageOutcome.INTERRUPTED, stop.name))
            raise
        self._record(StageRecord(stage.name, phase, self.ctx.requests - r0, self.clock() - t0, granted, outcome, detail))

    def _record(self, record: StageRecord) -> None:
        self.records.append(record)
        self.emit(events.StageFinished(record))

    @property
    def cut_short(self) -> list[StageRecord]:
        """Essential passes that did not finish: the checks they carry may be unexercised."""
        return [r for r in self.records if r.phase == "essential" and not r.done]

    @property
    def answered_in_front(self) -> list[StageRecord]:
        """Passes of any phase that something in front of the API answered (see the module doc)."""
        return [r for r in self.records if r.outcome is StageOutcome.IN_FRONT]

    def to_dict(self) -> dict:
        return {"max_requests": self.max_requests, "max_duration_s": self.max_duration,
                "stages": [r.to_dict() for r in self.records]}
