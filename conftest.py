"""Repository-wide pytest configuration: where the shared inputs and the pinned contract live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent
SHARED_DOCS = REPO_ROOT.parent / "shared" / "docs"
PUBLISHED_2026_04_11 = SHARED_DOCS / "vapi-openapi.campaign.2026-04-11.json"
PUBLISHED_2026_04_14 = SHARED_DOCS / "vapi-openapi.campaign.2026-04-14.json"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def published_doc() -> Path:
    """The published 2026-04-11 document the committed contract was derived from (an input that
    sits beside the repository, never copied into it)."""
    if not PUBLISHED_2026_04_11.is_file():
        pytest.skip(f"shared input missing: {PUBLISHED_2026_04_11.name} (expected in ../shared/docs)")
    return PUBLISHED_2026_04_11


@pytest.fixture(scope="session")
def pin_root() -> Path:
    """The root of the pinned contract (contracts/ and schemas/)."""
    from vapi_contract.contract.locate import contract_root

    return contract_root().resolve()


@pytest.fixture(scope="session")
def validator(pin_root):
    from vapi_contract.contract.validator import Validator

    return Validator.load(pin_root)


@pytest.fixture(scope="session")
def endpoint(pin_root):
    """The pinned contract's GET /campaign."""
    from vapi_contract.contract.endpoint import Contract

    return Contract.load(pin_root).endpoint("GET /campaign").require()


@pytest.fixture(scope="session")
def published_version():
    """``published_version("2026-04-14")``: the shared published document of that date."""

    def locate(date: str) -> Path:
        path = SHARED_DOCS / f"vapi-openapi.campaign.{date}.json"
        if not path.is_file():
            pytest.skip(f"shared input missing: {path.name} (expected in ../shared/docs)")
        return path

    return locate
