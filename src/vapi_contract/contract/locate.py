"""Where the pinned contract lives: the repository's top-level ``contracts/`` and ``schemas/``
(editable install, tests, a clean clone), or the copies packaged into the wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def contract_root() -> Path:
    """The directory holding ``contracts/`` and ``schemas/``."""
    for candidate in (_PACKAGE.parent.parent, _PACKAGE / "_data"):
        if (candidate / "contracts" / "campaign-list.openapi.json").is_file():
            return candidate
    raise FileNotFoundError("the pinned contract is missing: run `vapi-contract derive --from <document>`")
