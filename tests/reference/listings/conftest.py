"""Fixtures of the generated listings' tests: the reference target serving Vapi's whole document of
2026-08-18 (the session's `whole_contract`: every listing derived into a temporary directory),
in-process, built once per test process and never mutated (the fault tests swap the generic
faults in and out: `with_faults`)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from vapi_contract.reference.seed import ORG_A, ORG_B, ORG_KEYS
from vapi_contract.reference.server import build_service, local_client

ITEMS = 300
SEED = 1


@pytest.fixture(scope="session")
def service(whole_contract):
    built = build_service(seed=SEED, contract_root=whole_contract, items=ITEMS)
    yield built
    built.store.close()
    built.listings.close()


@pytest.fixture(scope="session")
def listings(service):
    return service.listings


@pytest.fixture(scope="session")
def client(service):
    with local_client(service, ORG_KEYS[ORG_A], timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def client_b(service):
    with local_client(service, ORG_KEYS[ORG_B], timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def suite_validator(whole_contract):
    """The suite's own validator of the whole contract (the reference never uses it)."""
    from vapi_contract.contract.validator import Validator

    return Validator.load(whole_contract)


@pytest.fixture
def with_faults(listings):
    """``with with_faults("generic-...")``: the shared service with that generic fault active."""
    from vapi_contract.reference.listings.faults import lookup

    @contextmanager
    def active(*names: str):
        saved = listings.faults
        listings.faults = [lookup(n) for n in names]
        try:
            yield
        finally:
            listings.faults = saved

    return active
