"""Fixtures: one conformant reference target per test module, and an HTTP client for it."""

from __future__ import annotations

import httpx
import pytest

from vapi_contract.reference.server import running_target

CAMPAIGNS = 300
SEED = 1


@pytest.fixture(scope="module")
def target():
    with running_target(campaigns=CAMPAIGNS, seed=SEED) as t:
        yield t


@pytest.fixture(scope="module")
def client(target):
    with httpx.Client(base_url=target.base_url, headers={"Authorization": f"Bearer {target.api_key}"},
                      timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def items(target):
    """The primary organisation's campaigns, as stored."""
    return target.campaigns()
