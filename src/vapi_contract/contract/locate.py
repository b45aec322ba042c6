"""Where the pinned contract lives: the repository's top-level ``contracts/`` and ``schemas/``
(editable install, tests, a clean clone), or the copies packaged into the wheel; or, for a run,
a directory given with ``run --contract-dir DIR`` / ``$VAPI_CONTRACT_DIR`` (what ``derive --out DIR``
writes)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
CONTRACT_DIR_ENV = "VAPI_CONTRACT_DIR"
# the files of a derived contract, under its root
CONTRACT_FILE = Path("contracts") / "campaign-list.openapi.json"
PROVENANCE_FILE = Path("contracts") / "provenance.json"
SCHEMAS_SUBDIR = Path("schemas") / "campaign-list"
SCHEMA_BASE = "https://vapi-contract.invalid/schemas/campaign-list/"  # the schema files' $id base
_CONTRACT, _SCHEMAS = CONTRACT_FILE, SCHEMAS_SUBDIR


def contract_root(override: Path | str | None = None) -> Path:
    """The directory holding ``contracts/`` and ``schemas/`` (``override`` when given)."""
    if override is not None:
        return Path(override)
    for candidate in (_PACKAGE.parent.parent, _PACKAGE / "_data"):
        if (candidate / _CONTRACT).is_file():
            return candidate
    raise FileNotFoundError("the pinned contract is missing: run `vapi-contract derive --from <document>`")


def check_contract_dir(directory: Path | str) -> Path:
    """``directory`` when it holds a derived contract (``contracts/`` and ``schemas/`` as ``derive
    --out`` writes them); ConfigError (exit 2) naming what is missing otherwise."""
    from ..errors import ConfigError

    root = Path(directory)
    for needed in (_CONTRACT, _SCHEMAS):
        if not (root / needed).exists():
            raise ConfigError(f"--contract-dir {root}: no {needed} there (write one with `vapi-contract derive --from DOC --out {root}`)")
    return root
