"""The run's one verdict: a failure fails; an incomplete run is never a silent pass."""

from __future__ import annotations

from vapi_contract.errors import ExitCode
from vapi_contract.runner.engine.verdict import decide

COVERAGE = {"shape.body-schema": "exercised", "auth.wrong-key": "not-exercised"}


def verdict(failed, only, require_complete=False, cut_short=False, no_oracle=False):
    v = decide(failed=failed, coverage=COVERAGE, only=only, cut_short=cut_short, no_oracle=no_oracle,
               require_complete=require_complete)
    return v.name, v.exit_code, v.complete


def test_only_decides_on_its_check():
    assert verdict(False, "shape.body-schema") == ("pass", ExitCode.OK, True)
    assert verdict(False, "auth.wrong-key") == ("incomplete", ExitCode.INCOMPLETE, False)
    assert verdict(True, "auth.wrong-key") == ("fail", ExitCode.VIOLATION, False)


def test_an_unexercised_check_makes_the_run_incomplete():
    assert verdict(False, None) == ("pass", ExitCode.OK, False)  # reported, not failed
    assert verdict(False, None, require_complete=True) == ("incomplete", ExitCode.INCOMPLETE, False)


def test_a_stage_cut_short_or_an_element_without_oracle_is_incomplete():
    full = {"shape.body-schema": "exercised"}
    for reason in ({"cut_short": True}, {"no_oracle": True}):
        v = decide(failed=False, coverage=full, only=None, require_complete=True, **{"cut_short": False, "no_oracle": False, **reason})
        assert (v.name, v.complete) == ("incomplete", False), reason
    assert decide(failed=False, coverage=full, only=None, cut_short=False, no_oracle=False, require_complete=True).name == "pass"
