"""A reference target called in-process (no socket): ``local(...)`` builds a service and yields it
with an authorised client of the primary organisation (``server.local_client``)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from vapi_contract.reference.app import CampaignService
from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG
from vapi_contract.reference.server import build_service, local_client

CAMPAIGNS = 300
SEED = 1


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
        service.close()
