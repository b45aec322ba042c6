"""The run's one verdict: a failure fails; a run that did not exercise every check is
``incomplete`` (exit 4 unless ``--allow-incomplete``), never a pass."""

from __future__ import annotations

import itertools

from vapi_contract.errors import ExitCode
from vapi_contract.runner.engine.verdict import decide, interrupted

COVERAGE = {"shape.body-schema": "exercised", "auth.wrong-key": "not-exercised"}
FULL = {"shape.body-schema": "exercised"}


def verdict(failed, only, allow_incomplete=False, cut_short=False, no_oracle=False, coverage=COVERAGE):
    v = decide(failed=failed, coverage=coverage, only=only, cut_short=cut_short, no_oracle=no_oracle,
               allow_incomplete=allow_incomplete)
    return v.name, v.exit_code, v.complete


def test_only_decides_on_its_check():
    assert verdict(False, "shape.body-schema") == ("pass", ExitCode.OK, True)
    assert verdict(False, "auth.wrong-key") == ("incomplete", ExitCode.INCOMPLETE, False)
    assert verdict(True, "auth.wrong-key") == ("fail", ExitCode.VIOLATION, False)


def test_an_unexercised_check_makes_the_run_incomplete_and_exit_4_by_default():
    assert verdict(False, None) == ("incomplete", ExitCode.INCOMPLETE, False)
    assert verdict(False, None, coverage=FULL) == ("pass", ExitCode.OK, True)


def test_allow_incomplete_changes_the_exit_code_never_the_verdict():
    assert verdict(False, None, allow_incomplete=True) == ("incomplete", ExitCode.OK, False)
    assert verdict(False, "auth.wrong-key", allow_incomplete=True) == ("incomplete", ExitCode.OK, False)
    assert verdict(True, None, allow_incomplete=True) == ("fail", ExitCode.VIOLATION, False)


def test_a_stage_cut_short_or_an_element_without_oracle_is_incomplete():
    for reason in ("cut_short", "no_oracle"):
        assert verdict(False, None, coverage=FULL, **{reason: True}) == ("incomplete", ExitCode.INCOMPLETE, False), reason


def test_an_incomplete_run_is_never_a_pass():
    for failed, only, allow, cut, no_oracle, coverage in itertools.product(
            (False, True), (None, "shape.body-schema", "auth.wrong-key"), (False, True), (False, True), (False, True),
            (COVERAGE, FULL)):
        name, code, complete = verdict(failed, only, allow, cut, no_oracle, coverage)
        if not complete:
            assert name != "pass" and name in ("fail", "incomplete"), (name, failed, only, allow, cut, no_oracle)
        if name == "pass":
            assert code == ExitCode.OK and not failed


def test_an_interrupted_run_exits_128_plus_the_signal():
    import signal

    assert (interrupted(signal.SIGINT).name, interrupted(signal.SIGINT).exit_code) == ("interrupted", 130)
    assert (interrupted(signal.SIGTERM).name, interrupted(signal.SIGTERM).exit_code) == ("interrupted", 143)
    assert interrupted(signal.SIGTERM).complete is False
