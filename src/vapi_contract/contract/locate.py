"""Where the pinned contract lives: the repository's top-level ``contracts/`` and ``schemas/``
(editable install, tests, a clean clone), or the copies packaged into the wheel; or, for a run,
a directory given with ``run --contract-dir DIR`` / ``$VAPI_CONTRACT_DIR`` (what ``derive --out DIR``
writes)."""

from __future__ import annotations

import re
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
CONTRACT_DIR_ENV = "VAPI_CONTRACT_DIR"
# the files of a derived contract, under its root
CONTRACT_FILE = Path("contracts") / "campaign-list.openapi.json"
PROVENANCE_FILE = Path("contracts") / "provenance.json"
SCHEMAS_SUBDIR = Path("schemas") / "campaign-list"
SCHEMA_BASE = "https://vapi-contract.invalid/schemas/campaign-list/"  # the schema files' $id base
_CONTRACT, _SCHEMAS = CONTRACT_FILE, SCHEMAS_SUBDIR
# The file names still say "campaign-list" (the pin held the campaign listings first): every
# listing a contract pins lives there, whatever it lists.  Renaming them would move the committed
# pin and every reader of these constants at once; nothing in them depends on the name.

# -- the schemas derive adds beside the document's components, named after the listing's path -----
# The path's segments that are neither a parameter nor a version, in PascalCase, then the role,
# then the version: GET /campaign -> CampaignListQuery, GET /v2/campaign -> CampaignListQueryV2,
# GET /v2/campaign/{id}/contacts -> CampaignContactsListQueryV2, GET /eval/simulation/run/{id}/item
# -> EvalSimulationRunItemListQuery.
QUERY_SUFFIX = "ListQuery"  # the JSON Schema of a listing's query parameters, as parsed values
ITEM_SUFFIX = "ListItem"  # a listing's items when the document writes them inline (GET /tool's union)
_VERSION = re.compile(r"^v\d+$")


def _path_name(path: str, suffix: str) -> str:
    segments = [s for s in path.split("/") if s and not s.startswith("{")]
    version = next((s.upper() for s in segments if _VERSION.match(s)), "")
    words = [w for s in segments if not _VERSION.match(s) for w in re.split(r"[-_.]", s) if w]
    return "".join(w[:1].upper() + w[1:] for w in words) + suffix + version


def query_schema_name(path: str) -> str:
    """The name of the schema of ``path``'s query parameters (``CampaignListQuery``, ...)."""
    return _path_name(path, QUERY_SUFFIX)


def item_schema_name(path: str) -> str:
    """The name of the schema of ``path``'s items when the document writes them inline
    (``GET /tool`` -> ``ToolListItem``; ``GET /v2/phone-number`` -> ``PhoneNumberListItemV2``)."""
    return _path_name(path, ITEM_SUFFIX)


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
