"""Accepting a published change: derive the newer document into a directory, run against it.

The gate run against the reference target's variant that serves the new surface passes and is
complete, the new rows of the coverage matrix are exercised, and every fault of the new surface
is caught in its check.  An element the oracles depend on that a document removes stops the run
with one line naming it (exit 2); an element no oracle knows makes the run incomplete.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vapi_contract.contract.reading import Contract
from vapi_contract.errors import ConfigError
from vapi_contract.runner.suite import run as run_suite
from vapi_contract.runner.config import resolve
from vapi_contract.runner.output.summary import build_summary
from vapi_contract.reference.faults import FAULTS
from sampling import sample

sys.path.insert(0, str(Path(__file__).parent))
import surface_docs as docs  # noqa: E402

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

SURFACE_BUDGET = 60  # requests the surface scenario may add to a gate run
APRIL = "2026-04-11"  # the reference target's April surface (`serve --surface 2026-04-11`)


def _config(tmp_path, contract_dir):
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL", "VAPI_CONTRACT_DIR")}
    return resolve(None, "gate", None, str(tmp_path / "reports"), None, None, 1.0, environ=env,
                   contract_dir=str(contract_dir) if contract_dir else None)


@pytest.fixture(scope="module")
def contracts(tmp_path_factory):
    """The 2026-04-14 document, and one adding totalPages/hasNextPage/sortOrder, each derived."""
    tmp = tmp_path_factory.mktemp("contracts")
    return {
        "sortby": docs.derive_into(docs.load_0414(), tmp, "vapi-openapi.campaign.2026-04-14.json"),
        "metadata": docs.derive_into(docs.with_metadata(docs.load_0414()), tmp, "vapi-openapi.campaign.2026-05-01.json"),
    }


def _rows(summary):
    return {(r["kind"], r["name"]): r["cells"] for r in summary["coverage_matrix"]["rows"]}


def test_sortby_contract_passes_on_the_sortby_variant(contracts, april_contract, tmp_path):
    pinned = run_suite(_config(tmp_path, april_contract), target_options={"surface": APRIL})
    outcome = run_suite(_config(tmp_path, contracts["sortby"]), target_options={"surface": APRIL, "drift": "sortby-parameter"})
    summary = build_summary(outcome)
    assert outcome.violations == [], [(v.check, v.message) for v in outcome.violations[:5]]
    assert outcome.exit_code == 0 and outcome.verdict.complete and summary["not_exercised"] == []
    sort_by = _rows(summary)[("parameter", "sortBy")]
    assert sort_by["pagination"] is True and sort_by["shape"] is True and sort_by["validation"] is True
    for check in ("pagination.sort-by-order", "pagination.sort-by-walk", "pagination.sort-by-reverse", "pagination.sort-by-default"):
        assert outcome.coverage[check] == "exercised", check
    assert "sortBy" in summary["surface"]["parameters"]
    assert 0 < outcome.traffic.requests - pinned.traffic.requests <= SURFACE_BUDGET


def test_april_contract_passes_on_the_april_surface(april_contract, tmp_path):
    """The way back to April: `derive --from` the 2026-04-11 document, then the gate against
    `serve --surface 2026-04-11`: no surface check is listed (not applicable), the run is complete
    and clean, and the model reads April's 13 parameters, 3 metadata fields and 3 statuses."""
    model = Contract.load(april_contract).endpoint("GET /campaign")
    ALL_PARAMS = ("id", "status", "page", "sortOrder", "limit", "createdAtGt", "createdAtLt", "createdAtGe", "createdAtLe",
                  "updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe")
    assert model.parameter_names == ALL_PARAMS
    assert model.documented_metadata == ("itemsPerPage", "totalItems", "currentPage")
    assert model.equality("status").values == ("ended", "in-progress", "scheduled")
    assert model.sort is None and model.no_oracle() == []
    assert Contract.load(april_contract).operations == ("GET /campaign",)
    outcome = run_suite(_config(tmp_path, april_contract), target_options={"surface": APRIL})
    summary = build_summary(outcome)
    assert outcome.violations == [], [(v.check, v.message) for v in outcome.violations[:5]]
    assert outcome.verdict.complete and outcome.exit_code == 0
    assert not any(c["id"].startswith("pagination.sort-by") or c["id"] in ("pagination.total-pages",)
                   for c in summary["checks"])
    assert [r["name"] for r in summary["coverage_matrix"]["rows"] if r["kind"] == "parameter"] == list(ALL_PARAMS)


# one fault of every area, on the way back to April (benchmarks/fault_catch.py --surface 2026-04-11
# --contract-dir DIR runs the whole catalogue: 33 of 33 caught)
APRIL_SAMPLE = ("missing-required-field", "page-off-by-one", "created-gt-inclusive", "invalid-enum-accepted",
                "unknown-key-accepted", "other-org-leak", "intermittent-5xx")


def test_the_april_sample_spans_every_area():
    assert {FAULTS[n].area for n in APRIL_SAMPLE} == {f.area for f in FAULTS.values()}
    assert not any(FAULTS[n].requires for n in APRIL_SAMPLE)  # April's surface serves each


@pytest.mark.parametrize("name", sample(APRIL_SAMPLE, 3))  # CI: the first three; make test-sweep: every area
def test_april_contract_catches_faults_on_the_april_surface(name, april_contract, tmp_path):
    outcome = run_suite(_config(tmp_path, april_contract), target_options={"surface": APRIL, "fault": name})
    assert outcome.exit_code == 1 and FAULTS[name].area in {v.area for v in outcome.violations}, \
        [(v.check, v.message) for v in outcome.violations[:5]]


SURFACE_FAULTS = {
    # fault: (contract, extra drift, the check that must catch it)
    "sortby-pages-overlap": ("sortby", None, "pagination.sort-by-walk"),
    "sortby-sort-order-ignored": ("sortby", None, "pagination.sort-by-reverse"),
    "total-pages-off-by-one": ("metadata", "sortby-parameter", "pagination.total-pages"),
    "has-next-page-wrong": ("metadata", "sortby-parameter", "pagination.has-next-page"),
}


def test_every_surface_fault_is_listed_here():
    """The faults that the April surface can show only with the drift variant serving their element."""
    assert set(SURFACE_FAULTS) == {n for n, f in FAULTS.items() if f.implies}


# CI: one fault per contract variant; make test-sweep: all four
@pytest.mark.parametrize("name", sample(sorted(SURFACE_FAULTS), 1, group=lambda name: SURFACE_FAULTS[name][0]))
def test_surface_fault_caught(name, contracts, tmp_path):
    contract, drift, check = SURFACE_FAULTS[name]
    options = {"surface": APRIL, "fault": name, **({"drift": drift} if drift else {})}
    outcome = run_suite(_config(tmp_path, contracts[contract]), target_options=options)
    assert outcome.exit_code == 1, f"{name} not caught"
    assert check in {v.check for v in outcome.violations}, [(v.check, v.message) for v in outcome.violations[:5]]


def test_surface_fault_not_caught_with_the_april_contract(april_contract, tmp_path):
    """The reason those faults need a contract that declares the surface."""
    outcome = run_suite(_config(tmp_path, april_contract), target_options={"surface": APRIL, "fault": "total-pages-off-by-one"})
    assert outcome.exit_code == 0


def test_metadata_contract_passes_on_the_metadata_variant(contracts, tmp_path):
    outcome = run_suite(_config(tmp_path, contracts["metadata"]),
                          target_options={"surface": APRIL, "drift": "sortby-parameter,added-metadata-fields"})
    summary = build_summary(outcome)
    assert outcome.violations == [], [(v.check, v.message) for v in outcome.violations[:5]]
    assert outcome.verdict.complete and outcome.exit_code == 0
    rows = _rows(summary)
    for name in ("totalPages", "hasNextPage", "sortOrder"):
        assert rows[("metadata", name)]["pagination"] is True, name
    for check in ("pagination.total-pages", "pagination.has-next-page", "pagination.sort-order-echo"):
        assert outcome.coverage[check] == "exercised"


def test_declared_metadata_never_served_leaves_the_run_incomplete(contracts, tmp_path):
    outcome = run_suite(_config(tmp_path, contracts["metadata"]), target_options={"surface": APRIL, "drift": "sortby-parameter"})
    assert (outcome.verdict.name, outcome.exit_code, outcome.verdict.complete) == ("incomplete", 4, False)
    assert outcome.coverage["pagination.total-pages"] == "not-exercised"


def test_element_without_oracle_is_named_and_makes_the_run_incomplete(tmp_path):
    document = docs.load_0414()
    document["paths"]["/campaign"]["get"]["parameters"].append(
        {"name": "phoneNumberId", "in": "query", "required": False, "schema": {"type": "string"}})
    document["components"]["schemas"]["PaginationMeta"]["properties"]["nextCursor"] = {
        "type": "string", "description": "This is the cursor of the next page."}
    contract = docs.derive_into(document, tmp_path, "vapi-openapi.campaign.2026-05-04.json")
    model = Contract.load(contract).endpoint("GET /campaign")
    assert model.no_oracle() == ["metadata field nextCursor"]  # phoneNumberId is a Campaign field: an equality filter
    document["paths"]["/campaign"]["get"]["parameters"].append(
        {"name": "region", "in": "query", "required": False, "schema": {"type": "string"}})
    contract = docs.derive_into(document, tmp_path, "vapi-openapi.campaign.2026-05-05.json")
    assert Contract.load(contract).endpoint("GET /campaign").no_oracle() == ["query parameter region", "metadata field nextCursor"]
    outcome = run_suite(_config(tmp_path, contract), only=None, target_options={"surface": APRIL, "drift": "sortby-parameter"})
    summary = build_summary(outcome)
    assert outcome.verdict.complete is False and summary["verdict"] != "pass"
    assert "not exercised: no oracle for query parameter region" in summary["notes"]
    assert "not exercised: no oracle for metadata field nextCursor" in summary["notes"]
    assert ("parameter", "region") in _rows(summary)


@pytest.mark.parametrize("edit, element", [
    (lambda d: docs.without_parameter(d, "limit"), "'limit'"),
    (lambda d: docs.without_parameter(d, "page"), "'page'"),
    (lambda d: docs.without_metadata(d, "totalItems"), "'totalItems'"),
])
def test_removed_element_explained(edit, element, tmp_path):
    contract = docs.derive_into(edit(docs.load_0414()), tmp_path, "vapi-openapi.campaign.2026-05-06.json")
    with pytest.raises(ConfigError) as caught:
        run_suite(_config(tmp_path, contract))
    assert element in caught.value.message and "\n" not in caught.value.message


def test_upgrade_path_from_the_command_line(tmp_path):
    """`derive --from NEWER --out DIR` then `run --contract-dir DIR`: the whole procedure; a removed
    `limit` exits 2 naming it."""
    cli = [sys.executable, "-m", "vapi_contract"]
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL", "VAPI_CONTRACT_DIR")}
    newer = tmp_path / "vapi-openapi.campaign.2026-05-07.json"
    newer.write_text(json.dumps(docs.without_parameter(docs.load_0414(), "limit")))
    out = tmp_path / "newer"
    derived = subprocess.run([*cli, "derive", "--from", str(newer), "--out", str(out)], capture_output=True, text=True, env=env)
    assert derived.returncode == 0, derived.stderr
    run = subprocess.run([*cli, "run", "--contract-dir", str(out), "--report-dir", str(tmp_path / "r")],
                         capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 2
    errors = [line for line in run.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "'limit'" in errors[0] and "Traceback" not in run.stderr
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert summary["verdict"] == "error" and "'limit'" in summary["error"]
