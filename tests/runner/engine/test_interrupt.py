"""SIGTERM and SIGINT end a run with its reports written (issue 18, item 4): the handler turns
the first signal into :class:`Interrupted` (exit 128 + the signal), a second one while the reports
are written is ignored, and the planner records which stage was running."""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager

import pytest

from vapi_contract.runner.engine.interrupt import Interrupted, interruptible
from vapi_contract.runner.engine.planner import Planner, Stage


@pytest.mark.parametrize("sig, code, name", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT")])
def test_a_signal_raises_interrupted_once_and_the_handlers_are_restored(sig, code, name):
    before = signal.getsignal(sig)
    with interruptible() as signals:
        with pytest.raises(Interrupted) as info:
            os.kill(os.getpid(), sig)
        assert (info.value.exit_code, info.value.name) == (code, name)
        assert signals.received == [name]
        signals.wrap_up()  # writing the reports: a second signal does not cut it short
        os.kill(os.getpid(), sig)
        assert signals.received == [name, name]
    assert signal.getsignal(sig) is before
    assert not isinstance(Interrupted(signal.SIGTERM), Exception)  # no `except Exception` swallows it


class _Context:
    requests = 0

    @contextmanager
    def limits(self, granted, deadline, stage=None):
        yield


def test_the_planner_records_the_stage_a_signal_stopped():
    def slow(ctx, essential):
        raise Interrupted(signal.SIGTERM)

    planner = Planner(_Context(), [Stage("auth", (), lambda ctx, essential: None),
                                   Stage("walks", (), slow, weight=0.3)], 100, None)
    with pytest.raises(Interrupted):
        planner.execute()
    assert [(r.name, r.phase, r.text) for r in planner.records] == [
        ("auth", "essential", "done"), ("walks", "essential", "interrupted (SIGTERM)")]
