"""The engine's stages against a target, as plain pytest: `pytest tests/runner [--base-url URL]`
(key in VAPI_API_KEY).  Without a base URL it starts the embedded reference target.  Works under
pytest-xdist: each worker has its own context (and its own target); the rate limit is shared out."""

from __future__ import annotations

import os

import pytest

from vapi_contract.settings import MAX_RESPONSE_TIME, RATE_LIMIT
from vapi_contract.drift import DriftCollector
from vapi_contract.http import ContractClient
from vapi_contract.runner.config import PROFILES, resolve
from vapi_contract.runner.engine.context import RunContext
from vapi_contract.runner.engine.preflight import preflight


def pytest_addoption(parser):
    group = parser.getgroup("vapi-contract")
    group.addoption("--base-url", default=os.environ.get("VAPI_BASE_URL"), help="target (default: embedded reference target)")
    group.addoption("--profile", default="gate", choices=sorted(PROFILES))


def _context(config, client) -> RunContext:
    ctx = RunContext(endpoint=config.endpoint, validator=config.validator, client=client, profile=config.profile, seed=0,
                     max_response_time=config.max_response_time,
                     drift=DriftCollector(config.validator.schemas, config.endpoint), siblings=config.siblings)
    preflight(ctx, config.snapshot_margin)
    return ctx


@pytest.fixture(scope="session")
def suite_context(request, tmp_path_factory):
    base_url = request.config.getoption("--base-url")
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if base_url:
        config = resolve(base_url, request.config.getoption("--profile"), None, str(tmp_path_factory.mktemp("r")),
                         RATE_LIMIT / workers, None, MAX_RESPONSE_TIME)
        with ContractClient(config.base_url, config.api_key, rate_limit=config.rate_limit) as client:
            yield _context(config, client)
        return
    from vapi_contract.reference.server import running_target

    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL")}
    config = resolve(None, request.config.getoption("--profile"), None, str(tmp_path_factory.mktemp("r")), None, None,
                     MAX_RESPONSE_TIME, environ=env)
    with running_target() as target, ContractClient(target.base_url, target.api_key, rate_limit=0) as client:
        yield _context(config.with_target(target.base_url, target.api_key), client)


@pytest.fixture(scope="session")
def window_keys(suite_context):
    """The item keys of window 0 (the newest page of the pinned listing)."""
    part = suite_context.survey.window(0)
    return list(part.reference.keys) if part is not None else []


@pytest.fixture
def ctx(suite_context):
    """The session's context with a fresh violation list for this test."""
    suite_context.findings.violations.clear()
    return suite_context
