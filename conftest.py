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
def validator():
    from vapi_contract.contract.validator import Validator

    return Validator.load()


@pytest.fixture(scope="session")
def published_version():
    """``published_version("2026-04-14")``: the shared published document of that date."""

    def locate(date: str) -> Path:
        path = SHARED_DOCS / f"vapi-openapi.campaign.{date}.json"
        if not path.is_file():
            pytest.skip(f"shared input missing: {path.name} (expected in ../shared/docs)")
        return path

    return locate
