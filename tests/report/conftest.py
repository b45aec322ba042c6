"""Report tests: real runs of the suite, passing and failing, whose report directories the tests
read (one of each per test process)."""

from __future__ import annotations

import pytest
from report_helpers import RunDir, run_suite

from vapi_contract.reference.server import running_target


@pytest.fixture(scope="session")
def passing_run(tmp_path_factory) -> RunDir:
    """The suite against the embedded, conformant reference target."""
    return run_suite(tmp_path_factory.mktemp("passing"))


@pytest.fixture(scope="session")
def failing_run(tmp_path_factory) -> RunDir:
    """The suite against a target that drops a required field and serves an undeclared status."""
    with running_target(fault="missing-required-field", drift="widened-status-enum") as target:
        return run_suite(tmp_path_factory.mktemp("failing"), target.base_url, target.api_key)


REAL_RUNS = {"passing_run", "failing_run"}


def pytest_collection_modifyitems(items):
    """A report test that reads a real run of the suite is an end-to-end test (``-m e2e``)."""
    for item in items:
        if REAL_RUNS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)
