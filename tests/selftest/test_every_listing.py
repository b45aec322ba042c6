"""Every pinned listing is run by the same engine (issue 25), against the reference target the pin
generates them on (``reference/listings``: its own reading of the contract, independent of the
suite's).  A sample per area, gate profile, small listings, to keep CI short:

* on a clean target, GET /chat, GET /session and GET /v2/phone-number (paginated; the phone numbers
  written inline, a union by ``provider``, each item validated against its provider's schema) and
  the two listings without windows pass, complete, with no finding;
* a generic fault switched on fails the run on the check of its area: an equality filter ignored
  (filters.membership), a list filter keeping its first value only (filters.completeness), page N
  answering page N+1 (pagination), a required item field missing (shape);
* a typed-only parameter is sent, its answers shape-checked, and it is listed as typed only in the
  summary and the coverage matrix, without making the run incomplete;
* GET /eval/run, whose items carry no updatedAt (pinned by createdAt only), passes complete with no
  finding while its data moves (creations, deletions, changes in place), and fails on a fault;
* the listings without windows (no createdAt bound: GET /v2/campaign/{id}/contacts, GET
  /v2/knowledge-base) pass complete, also while their data moves, judged answer by answer; their
  status filter ignored (filters.membership) and limit ignored (pagination.limit-respected) fail.
"""

from __future__ import annotations

import pytest

from vapi_contract.reference.server import running_target
from vapi_contract.runner.config import resolve
from vapi_contract.runner.output.summary import build_summary
from vapi_contract.runner.suite import run as run_suite

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

ITEMS = 150  # per generated listing: several pages at the walks' sizes, a few seconds a run


def gate(tmp_path, operation: str, fault: str | None = None, churn: float = 0.0):
    config = resolve(None, "gate", None, str(tmp_path / "reports"), None, None, 5.0, environ={}, operation=operation)
    with running_target(fault=fault, items=ITEMS, churn=churn) as target:
        return run_suite(config, target=target)


WITHOUT_WINDOWS = ["GET /v2/campaign/{id}/contacts", "GET /v2/knowledge-base"]


@pytest.mark.parametrize("operation", ["GET /chat", "GET /session", "GET /v2/phone-number", *WITHOUT_WINDOWS])  # GET /eval/run: under churn, below
def test_a_clean_listing_passes_complete(tmp_path, operation):
    result = gate(tmp_path, operation)
    assert result.violations == [], [(v.check, v.message) for v in result.violations[:5]]
    assert (result.verdict.name, result.verdict.complete) == ("pass", True), result.findings.notes
    assert result.endpoint.label == operation


@pytest.mark.parametrize("operation", WITHOUT_WINDOWS)
def test_a_listing_without_windows_raises_no_false_alarm_while_its_data_moves(tmp_path, operation):
    """No window, no pin: every check it runs is judged on one answer, or on reads that agree
    (pagination.defaults; the walks and the status counts, judged when the listing reads the same
    around them), so churn (contacts changing status, knowledge bases created, changed and
    deleted) raises nothing, and the window checks are absent, not "not exercised"."""
    config = resolve(None, "gate", None, str(tmp_path / "reports"), None, None, 5.0, environ={}, operation=operation)
    with running_target(items=ITEMS, churn=0.3) as target:
        result = run_suite(config, target=target)
        changed = target.service.listings.churn.stats
    assert changed["creation"] and changed["deletion"], changed  # the data moved
    assert result.violations == [], [(v.check, v.message) for v in result.violations[:5]]
    assert (result.verdict.name, result.verdict.complete) == ("pass", True), result.findings.notes
    summary = build_summary(result)
    assert summary["surface"]["no_windows"] and summary["not_exercised"] == []
    assert not {"pagination.walk-ordered", "filters.completeness"} & {c["id"] for c in summary["checks"]}


@pytest.mark.parametrize("operation, fault, check, locus", [
    ("GET /chat", "generic-equality-filter-ignored=sessionId", "filters.membership", "sessionId"),
    ("GET /chat", "generic-list-filter-first-only=assistantIdAny", "filters.completeness", "missing for assistantIdAny"),
    pytest.param("GET /session", "generic-list-filter-first-only=idAny", "filters.completeness", "missing for idAny", marks=pytest.mark.sweep),  # the same check on another listing: make test-sweep
    ("GET /chat", "generic-page-off-by-one", "pagination.walk-complete", None),
    ("GET /session", "generic-missing-required-field", "shape.body-schema", None),
    pytest.param("GET /eval/run", "generic-page-off-by-one", "pagination.walk-complete", None, marks=pytest.mark.sweep),  # the same check on another listing: make test-sweep
    ("GET /eval/run", "generic-bound-inclusive=createdAtGt", "filters.membership", "createdAtGt@bound"),
    ("GET /v2/campaign/{id}/contacts", "generic-list-filter-ignored=status", "filters.membership", None),
    ("GET /v2/campaign/{id}/contacts", "generic-sort-column-ignored=status", "pagination.sort-by-order", "status ascending"),
    ("GET /v2/campaign/{id}/contacts", "generic-list-filter-first-only=status", "filters.metamorphic",
     "any of several status values"),
    pytest.param("GET /v2/campaign/{id}/contacts", "generic-page-off-by-one", "pagination.walk-complete", None, marks=pytest.mark.sweep),  # the same check on another listing: make test-sweep
    ("GET /v2/knowledge-base", "generic-limit-ignored", "pagination.limit-respected", None),
])
def test_a_generic_fault_fails_on_its_check(tmp_path, operation, fault, check, locus):
    result = gate(tmp_path, operation, fault)
    assert result.verdict.name == "fail"
    fired = {v.check for v in result.violations}
    assert check in fired, (fault, fired)
    if locus is not None:
        assert any(v.locus == locus for v in result.violations if v.check == check), \
            [v.locus for v in result.violations if v.check == check]


def test_a_listing_without_updated_at_raises_no_false_alarm_under_churn(tmp_path):
    """GET /eval/run is pinned by createdAt only: its runs change in place unseen (no updatedAt), and
    nothing judged across reads can move with them (conventions.UPDATED)."""
    config = resolve(None, "gate", None, str(tmp_path / "reports"), None, None, 5.0, environ={}, operation="GET /eval/run")
    with running_target(items=ITEMS, churn=0.3) as target:
        result = run_suite(config, target=target)
        changed = target.service.listings.churn.stats
    assert changed["creation"] and changed["deletion"] and changed["update"], changed  # the data moved
    assert result.violations == [], [(v.check, v.message) for v in result.violations[:5]]
    assert (result.verdict.name, result.verdict.complete) == ("pass", True), result.findings.notes
    assert result.endpoint.pins == (result.endpoint.bound("createdAtLe"),)


def test_typed_only_parameters_are_sent_shape_checked_and_shown(tmp_path):
    result = gate(tmp_path, "GET /session")
    summary = build_summary(result)
    typed = summary["surface"]["typed_only_parameters"]
    assert {"email", "numberE164CheckEnabled", "customerNumberAny"} <= set(typed)
    assert summary["surface"]["typed_only_sort_columns"] == ["sortBy=duration"]
    rows = {row["name"]: row for row in summary["coverage_matrix"]["rows"] if row["kind"] == "parameter"}
    for name in typed:
        assert rows[name]["typed_only"] is True
        assert rows[name]["cells"]["shape"] is True, (name, rows[name])  # sent, its answer shape-checked
        assert rows[name]["cells"]["filters"] is None  # no filter oracle claims it
    assert summary["verdict"] == "pass"  # typed only never makes the run incomplete


def test_a_listing_under_path_parameters_runs_with_them(tmp_path):
    config = resolve(None, "gate", None, str(tmp_path / "reports"), None, None, 5.0, environ={},
                     operation="GET /provider/{provider}/{resourceName}", path_params={"provider": "cartesia"})
    assert config.endpoint.url_path == "/provider/cartesia/pronunciation-dictionary"
    with running_target(items=ITEMS) as target:
        result = run_suite(config, target=target)
    assert result.violations == [] and result.verdict.name == "pass"


def test_a_path_parameter_not_given_is_exit_2_in_one_line(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "vapi_contract", "run", "--operation",
                           "GET /provider/{provider}/{resourceName}", "--report-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1  # one line, before the first request
    assert done.stderr.splitlines()[-1] == ("vapi-contract: error: GET /provider/{provider}/{resourceName} takes the "
                                            "path parameter 'provider' (cartesia | 11labs): give it with "
                                            "--path-param provider=VALUE")


@pytest.mark.parametrize("fault", [None, "generic-page-off-by-one"])
def test_contacts_larger_than_a_walk_are_walked_over_a_prefix(tmp_path, fault):
    """A campaign with more contacts than ``window_pages`` pages at the maximum limit hold (here: the
    contract's limit maximum lowered to 2; the campaign chosen at the reference's default size has
    28): its first pages are compared with the first read's items
    there, then its last page and the page past the end.  Clean: the walk checks hold (the reference
    answers limits above 2, which the lowered contract calls invalid: validation's finding only);
    page N answering page N+1 fails walk-complete."""
    import json
    import shutil

    root = tmp_path / "contract"
    for part in ("contracts", "schemas/campaign-list"):
        shutil.copytree(part, root / part)
    pin = root / "contracts" / "campaign-list.openapi.json"
    document = json.loads(pin.read_text())
    for p in document["paths"]["/v2/campaign/{id}/contacts"]["get"]["parameters"]:
        if p["name"] == "limit":
            p["schema"]["maximum"] = 2
    pin.write_text(json.dumps(document))
    config = resolve(None, "gate", None, str(tmp_path / "reports"), None, None, 5.0, environ={},
                     operation="GET /v2/campaign/{id}/contacts", contract_dir=str(root))
    with running_target(fault=fault) as target:
        result = run_suite(config, target=target)
    assert result.endpoint.max_limit * config.profile.window_pages < 28
    walked = {"pagination.walk-complete", "pagination.walk-disjoint", "pagination.total-stable", "pagination.past-end"}
    assert all(result.coverage[c] == "exercised" for c in walked), result.coverage
    fired = {v.check for v in result.violations}
    if fault is None:
        assert fired == {"validation.rejects-invalid"}, [(v.check, v.message) for v in result.violations[:5]]
    else:
        assert "pagination.walk-complete" in fired, fired
