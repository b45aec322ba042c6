"""Fixtures: one conformant reference target per test module (real HTTP), in-process targets for
the many-variant tests, and the 2026-04-11 document derived to a temporary directory."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from local_target import CAMPAIGNS, SEED, local
from vapi_contract.reference.server import running_target

SHARED_DOCS = Path(__file__).resolve().parents[3] / "shared" / "docs"


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
