"""Fixtures: one conformant reference target per test module (real HTTP), in-process targets for
the many-variant tests, and the 2026-04-11 document derived to a temporary directory."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from vapi_contract.reference.app import CampaignService
from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG
from vapi_contract.reference.server import build_service, local_client, running_target

CAMPAIGNS = 300
SEED = 1
SHARED_DOCS = Path(__file__).resolve().parents[3] / "shared" / "docs"


@dataclass
class Local:
    """A reference target called in-process: its service and an authorised client (primary org)."""

    service: CampaignService
    client: httpx.Client

    @property
    def store(self):
        return self.service.store

    @property
    def surface(self):
        return self.service.surface

    def campaigns(self, org: str = PRIMARY_ORG) -> list[dict]:
        return self.service.store.campaigns(org)

    def client_for(self, key: str | None) -> httpx.Client:
        """Another client of the same app (``key`` None: no Authorization header)."""
        return local_client(self.service, key)


@contextmanager
def local(campaigns: int = CAMPAIGNS, seed: int = SEED, **options):
    """``build_service(campaigns, seed, **options)`` with an in-process client."""
    service = build_service(campaigns, seed, **options)
    try:
        with local_client(service, ORG_KEYS[PRIMARY_ORG], timeout=30) as client:
            yield Local(service, client)
    finally:
        service.store.close()


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


@pytest.fixture(scope="module")
def app():
    """The conformant default target, in-process (module-scoped: never mutate it)."""
    with local() as t:
        yield t


@pytest.fixture(scope="session")
def contract_0411(tmp_path_factory) -> Path:
    """The 2026-04-11 document derived to a temporary directory (what `derive --from ... --out DIR`
    writes); skipped when the shared published documents are not beside the repository."""
    document = SHARED_DOCS / "vapi-openapi.campaign.2026-04-11.json"
    if not document.is_file():
        pytest.skip(f"shared input missing: {document.name} (expected in ../shared/docs): the 2026-04-11 surface's"
                    " bodies are checked against its derived schemas")
    from vapi_contract.contract.derive import derive, write
    from vapi_contract.contract.source import load_source

    out = tmp_path_factory.mktemp("contract-2026-04-11")
    write(derive(load_source(str(document))), out)
    return out


@pytest.fixture(scope="session")
def validator_0411(contract_0411):
    from vapi_contract.contract.validator import Validator

    return Validator.load(contract_0411)
