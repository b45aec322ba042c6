"""The budget planner: every essential pass first, then the deep passes share what is left by
weight, then the final stages; each pass ends with one outcome of a closed set."""

from __future__ import annotations

from contextlib import contextmanager

from vapi_contract.errors import RequestBudgetExhausted
from vapi_contract.runner.engine.context import AnsweredInFront, StageOutcome, StageExhausted
from vapi_contract.runner.engine.planner import Planner, Stage


class FakeContext:
    """Counts requests; records the limits each pass got."""

    def __init__(self):
        self.requests = 0
        self.passes: list[tuple[str | None, int | None]] = []

    @contextmanager
    def limits(self, granted, deadline, stage=None):
        self.passes.append((stage, granted))
        yield


def spend(n: int, then=None):
    def run(ctx, essential):
        ctx.requests += n
        if then is not None:
            raise then
    return run


def names(planner):
    return [(r.name, r.phase, r.text) for r in planner.records]


def test_essential_then_deep_by_weight_then_final():
    ctx = FakeContext()
    stages = [Stage("a", ("shape.body-schema",), spend(10)), Stage("b", ("shape.body-schema",), spend(10), weight=0.75),
              Stage("c", ("shape.body-schema",), spend(10), weight=0.25), Stage("z", ("tenancy.single-org",), spend(0), final=True)]
    planner = Planner(ctx, stages, max_requests=130, max_duration=None)
    planner.execute()
    assert names(planner) == [("a", "essential", "done"), ("b", "essential", "done"), ("c", "essential", "done"),
                              ("b", "deep", "done"), ("c", "deep", "done"), ("z", "final", "done")]
    # 100 requests left after the essential passes: b gets 75 % of them, c all that is then left
    assert ctx.passes[3] == ("b", 75) and ctx.passes[4] == ("c", 90) and ctx.passes[5] == ("z", None)
    assert planner.cut_short == [] and planner.answered_in_front == []


def test_outcomes_are_a_closed_set_and_say_why():
    ctx = FakeContext()
    stages = [Stage("share", ("shape.body-schema",), spend(1, StageExhausted(StageOutcome.REQUEST_SHARE))),
              Stage("front", ("shape.body-schema",), spend(1, AnsweredInFront("blocked", "a WAF's page to GET /campaign"))),
              Stage("budget", ("shape.body-schema",), spend(1, RequestBudgetExhausted("spent"))),
              Stage("later", ("shape.body-schema",), spend(1), weight=1.0)]
    planner = Planner(ctx, stages, max_requests=100, max_duration=None)
    planner.execute()
    assert names(planner) == [
        ("share", "essential", "request share spent"),
        ("front", "essential", "answered from in front of the API: a WAF's page to GET /campaign"),
        ("budget", "essential", "run budget spent"),
        ("later", "essential", "not run: run budget spent"),
        ("later", "deep", "not run: run budget spent")]
    assert [r.outcome for r in planner.records][:3] == [StageOutcome.REQUEST_SHARE, StageOutcome.IN_FRONT, StageOutcome.RUN_BUDGET]
    assert [r.name for r in planner.cut_short] == ["share", "front", "budget", "later"]
    assert [r.name for r in planner.answered_in_front] == ["front"]
    assert planner.to_dict()["stages"][1]["outcome"].startswith("answered from in front of the API: ")


def test_a_pass_past_the_deadline_is_not_run():
    ctx = FakeContext()
    clock = iter([0.0, 0.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0])
    planner = Planner(ctx, [Stage("a", ("shape.body-schema",), spend(1), weight=1.0)], max_requests=100, max_duration=5.0,
                      clock=lambda: next(clock))
    planner.execute()
    assert names(planner)[-1] == ("a", "deep", "not run: time share spent")
