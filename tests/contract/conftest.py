"""The contract suite as plain pytest: `pytest tests/contract [--base-url URL]` (key in
VAPI_API_KEY).  Without a base URL it starts the embedded reference target.  Works under
pytest-xdist: each worker has its own client (and its own target), the rate limit is shared out."""

from __future__ import annotations

import os
import random

import pytest

from vapi_contract.config_defaults import MAX_RESPONSE_TIME, RATE_LIMIT
from vapi_contract.http import ContractClient
from vapi_contract.runner.config import PROFILES, resolve
from vapi_contract.runner.api import preflight
from vapi_contract.runner.session import Run
from vapi_contract.runner.windows import Survey


def pytest_addoption(parser):
    group = parser.getgroup("vapi-contract")
    group.addoption("--base-url", default=os.environ.get("VAPI_BASE_URL"), help="target (default: embedded reference target)")
    group.addoption("--profile", default="gate", choices=sorted(PROFILES))


@pytest.fixture(scope="session")
def suite_run(request, tmp_path_factory):
    base_url = request.config.getoption("--base-url")
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if base_url:
        config = resolve(base_url, request.config.getoption("--profile"), None, str(tmp_path_factory.mktemp("r")),
                         RATE_LIMIT / workers, None, MAX_RESPONSE_TIME)
        with ContractClient(config.base_url, config.api_key, rate_limit=config.rate_limit) as client:
            run = Run(config, client)
            preflight(run)
            yield run
        return
    from vapi_contract.target.server import running_target

    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL")}
    config = resolve(None, request.config.getoption("--profile"), None, str(tmp_path_factory.mktemp("r")), None, None,
                     MAX_RESPONSE_TIME, environ=env)
    with running_target() as target, ContractClient(target.base_url, target.api_key, rate_limit=0) as client:
        run = Run(config.with_target(target.base_url, target.api_key), client)
        preflight(run)
        yield run


@pytest.fixture(scope="session")
def survey(suite_run):
    """The organisation's size and its windows, read once per session (seeded)."""
    return Survey(suite_run, random.Random(0))


@pytest.fixture(scope="session")
def window_keys(survey):
    """The campaign keys of window 0 (the newest page of the pinned listing)."""
    part = survey.window(0)
    return list(part.reference.keys) if part is not None else []


@pytest.fixture
def run(suite_run):
    """The session's Run with a fresh violation list for this test."""
    suite_run.recorder.violations.clear()
    return suite_run


@pytest.fixture
def rng():
    return random.Random(0)
