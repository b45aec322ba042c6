"""The engine is not tied to campaigns' filters: a list operation of Vapi's conventions that has
neither a ``status`` nor an ``id`` filter is checked with the checks that apply.

The document is the published 2026-08-18 one (its campaign listings, as the pin has them) with the two filters removed from
GET /campaign; the reference target serves the same listing without them.  The gate is complete with no false alarm, and a paging
fault and a bound fault are still caught in their areas.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from vapi_contract.contract.reading import Contract
from vapi_contract.invariants import applicable
from vapi_contract.reference.server import running_target
from vapi_contract.reference.surface import DEFAULT_SURFACE, SURFACES
from vapi_contract.runner.config import resolve
from vapi_contract.runner.suite import run as run_suite

sys.path.insert(0, str(Path(__file__).parent))
import surface_docs as docs  # noqa: E402

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

SERVED = SURFACES[DEFAULT_SURFACE].without("status", "id")


@pytest.fixture(scope="module")
def contract(tmp_path_factory, published_version):
    document = docs.load(published_version("2026-08-18"))  # the campaign listings of the pin's day
    for name in ("status", "id"):
        docs.without_parameter(document, name)
    return docs.derive_into(document, tmp_path_factory.mktemp("no-filters"), "vapi-openapi.campaign.2026-08-19.json")


def config(tmp_path, contract):
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL", "VAPI_CONTRACT_DIR")}
    return resolve(None, "gate", None, str(tmp_path / "reports"), None, None, 5.0, environ=env, contract_dir=str(contract))


def test_the_endpoint_has_no_equality_filter(contract):
    endpoint = Contract.load(contract).endpoint("GET /campaign").require()
    assert endpoint.filters == () and len(endpoint.bounds) == 8 and endpoint.no_oracle() == []
    checks = applicable(endpoint)
    assert {"filters.completeness", "filters.membership", "filters.metamorphic", "pagination.walk-complete"} <= set(checks)


def test_complete_and_no_false_alarm(contract, tmp_path):
    with running_target(surface=SERVED) as target:
        result = run_suite(config(tmp_path, contract), target=target)
    assert result.violations == [], [(v.check, v.message) for v in result.violations[:5]]
    assert result.exit_code == 0 and result.verdict.complete, result.coverage
    asked = {name for name, _ in result.findings.exercised_with.items()}
    assert "status" not in asked and "id" not in asked


@pytest.mark.parametrize("fault, area", [("page-off-by-one", "pagination"), ("created-gt-inclusive", "filters")])
def test_a_paging_fault_and_a_bound_fault_are_caught(contract, tmp_path, fault, area):
    with running_target(surface=SERVED, fault=fault) as target:
        result = run_suite(config(tmp_path, contract), target=target)
    assert result.exit_code == 1 and area in {v.area for v in result.violations}, \
        [(v.check, v.message) for v in result.violations[:5]]
