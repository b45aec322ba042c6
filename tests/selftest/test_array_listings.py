"""The array family (GET /call, GET /assistant, ...: a bare JSON array, ``limit``, filters and the
eight bounds; no page, no metadata, no documented order) is run by the same engine, against the
reference target generated from the pin (its own reading of the contract; it answers the array
listings by id, not by createdAt, so a client assuming an order the docs do not state is caught).
Gate profile, small listings:

* on a clean target GET /call and GET /assistant pass, complete, with no finding, and the checks
  that need pages, metadata or an order are absent from the report (not "not exercised");
* no false alarm while the calls churn;
* a listing larger than one read (the maximum limit) is read through windows cut by the createdAt
  bounds until a read is complete, and passes complete;
* a generic fault switched on fails the run on the check of its area: an equality filter ignored
  (filters.membership), a strict bound made inclusive (filters.membership at the bound, and the
  createdAtLt / createdAtGe split: filters.metamorphic), limit ignored
  (pagination.limit-respected), a limit over its maximum accepted (validation.rejects-invalid), a
  required item field missing (shape.body-schema).
"""

from __future__ import annotations

import pytest

from vapi_contract.reference.server import running_target
from vapi_contract.runner.config import resolve
from vapi_contract.runner.output.summary import build_summary
from vapi_contract.runner.suite import run as run_suite

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

ITEMS = 150  # per generated listing: one complete read at the maximum limit, a few seconds a run
# the checks an array listing has no element for: pages, page metadata, a documented order, cursors
ABSENT = {"pagination.items-per-page", "pagination.current-page", "pagination.page-size", "pagination.order",
          "pagination.walk-complete", "pagination.walk-disjoint", "pagination.walk-ordered", "pagination.total-stable",
          "pagination.past-end", "pagination.total-pages", "pagination.has-next-page", "pagination.sort-order-echo",
          "cursors.walk", "sorting.order"}


def gate(tmp_path, operation: str, fault: str | None = None, items: int = ITEMS, churn: float = 0.0):
    config = resolve(None, "gate", None, str(tmp_path / "reports"), None, None, 5.0, environ={}, operation=operation)
    with running_target(fault=fault, items=items, churn=churn, churn_seed=7) as target:
        return run_suite(config, target=target)


@pytest.mark.parametrize("operation", ["GET /call", "GET /assistant"])
def test_a_clean_array_listing_passes_complete(tmp_path, operation):
    result = gate(tmp_path, operation)
    assert result.violations == [], [(v.check, v.message) for v in result.violations[:5]]
    assert (result.verdict.name, result.verdict.complete) == ("pass", True)
    summary = build_summary(result)
    checks = {c["id"] for c in summary["checks"]}
    assert not checks & ABSENT, checks & ABSENT  # absent, not "not exercised"
    assert {"pagination.limit-respected", "pagination.defaults", "filters.completeness", "filters.metamorphic"} <= checks
    assert summary["not_exercised"] == []
    assert not {s["stage"] for s in summary["budget"]["stages"]} & {"walks", "sorting", "cursors", "operations"}


def test_a_listing_larger_than_one_read_is_cut_into_windows(tmp_path):
    result = gate(tmp_path, "GET /call", items=1200)  # more than one read at the maximum limit of 1000
    assert result.violations == [], [(v.check, v.message) for v in result.violations[:5]]
    assert (result.verdict.name, result.verdict.complete) == ("pass", True)
    summary = build_summary(result)
    assert not any("not used" in n or "not judged" in n for n in summary["notes"]), summary["notes"]


def test_churning_calls_raise_no_false_alarm(tmp_path):
    """Calls created, changed and deleted while the run reads them (one change every two requests):
    the pinned windows only shrink, so nothing is reported that movement explains."""
    result = gate(tmp_path, "GET /call", churn=0.5)
    assert result.violations == [], [(v.check, v.message) for v in result.violations[:5]]
    assert result.verdict.name == "pass"
    movement = build_summary(result)["movement"]
    assert movement["campaigns_changed"] + movement["campaigns_left_pinned_set"] > 0, movement  # the data did move


@pytest.mark.parametrize("fault, check, locus", [
    ("generic-equality-filter-ignored=assistantId", "filters.membership", "assistantId"),
    ("generic-bound-inclusive=createdAtLt", "filters.metamorphic", "split by createdAtLt + createdAtGe"),
    ("generic-bound-inclusive=createdAtGt", "filters.membership", "createdAtGt@bound"),
    ("generic-limit-ignored", "pagination.limit-respected", None),
    ("generic-limit-over-max-accepted", "validation.rejects-invalid", None),
    ("generic-missing-required-field", "shape.body-schema", None),
])
def test_a_generic_fault_fails_an_array_listing_on_its_check(tmp_path, fault, check, locus):
    result = gate(tmp_path, "GET /call", fault)
    assert result.verdict.name == "fail"
    fired = {v.check for v in result.violations}
    assert check in fired, (fault, fired)
    if locus is not None:
        assert any(v.locus == locus for v in result.violations if v.check == check), \
            [v.locus for v in result.violations if v.check == check]
