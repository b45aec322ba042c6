"""Published documents for the surface tests, built from the shared 2026-04-14 one."""

from __future__ import annotations

import json
from pathlib import Path

DOCS = Path(__file__).resolve().parents[3] / "shared" / "docs"
DOC_0414 = DOCS / "vapi-openapi.campaign.2026-04-14.json"

# what a later document could say about the three page-metadata fields (Vapi's own style)
METADATA_FIELDS = {
    "totalPages": {"type": "number", "description": "This is the total number of pages."},
    "hasNextPage": {"type": "boolean", "description": "This is true when a page follows this one."},
    "sortOrder": {"type": "string", "enum": ["ASC", "DESC"], "description": "This is the sort order of the results."},
}


def load(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_0414() -> dict:
    return load(DOC_0414)


def with_metadata(document: dict) -> dict:
    """``document`` with totalPages, hasNextPage and sortOrder added to PaginationMeta (optional)."""
    document["components"]["schemas"]["PaginationMeta"]["properties"].update(json.loads(json.dumps(METADATA_FIELDS)))
    return document


def without_parameter(document: dict, name: str) -> dict:
    op = document["paths"]["/campaign"]["get"]
    op["parameters"] = [p for p in op["parameters"] if p.get("name") != name]
    return document


def without_metadata(document: dict, name: str) -> dict:
    meta = document["components"]["schemas"]["PaginationMeta"]
    meta["properties"].pop(name, None)
    meta["required"] = [r for r in meta.get("required", []) if r != name]
    return document


def derive_into(document: dict, tmp: Path, name: str) -> Path:
    """Write ``document`` as ``name`` (a dated file name) and derive it into ``tmp/name-contract``;
    returns that contract directory (what `derive --from DOC --out DIR` writes)."""
    from vapi_contract.contract.derive import derive, write
    from vapi_contract.contract.source import load_source

    path = tmp / name
    path.write_text(json.dumps(document), encoding="utf-8")
    out = tmp / (path.stem + "-contract")
    write(derive(load_source(str(path))), out)
    return out
