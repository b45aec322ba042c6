"""Full-depth customers of each served document, kept beside the reference target.

About one seeded campaign in ten is "full depth": its customers carry assistantOverrides with a
transcriber, voice and model of every provider the document knows (built from the document's
derived schemas by :func:`vapi_contract.contract.instances.full_depth_campaign`).  What is valid
differs between documents (2026-08-18 adds providers and changes enums), so each surface serves
the fragments of its own document: ``fragments/<date>.json``, a list of ``{"kind": "customers" |
"dialPlan", "value": [...]}``.  They are kept here, not built at start, because a surface's
document is not in the repository (the published documents sit beside it; the pin is one of
them), so the reference target serves the same data whatever is pinned.

Regenerate after a document changes (tests check the files against the derived schemas):

    .venv/bin/vapi-contract derive --from ../shared/docs/vapi-openapi.campaign.2026-04-11.json --out ../contract-0411
    .venv/bin/python -m vapi_contract.reference.fragments --contract ../contract-0411 --date 2026-04-11
"""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from pathlib import Path

FRAGMENTS_DIR = Path(__file__).resolve().parent / "fragments"
POOL_SIZE = 48  # covers every transcriber, voice and model alternative of both documents (<= 20 each)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def build(contract: Path) -> list[dict]:
    """The fragments of the derived contract at ``contract`` (its schemas/campaign-list)."""
    from ..contract.instances import full_depth_campaign
    from ..contract.locate import SCHEMAS_SUBDIR

    schemas = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (Path(contract) / SCHEMAS_SUBDIR).glob("*.json")}
    out = []
    for index in range(POOL_SIZE):
        customers = full_depth_campaign(schemas, index)["customers"]
        if index % 4 == 3:
            out.append({"kind": "dialPlan", "value": [{"phoneNumberId": f"pn-{index:04d}", "customers": customers}]})
        else:
            out.append({"kind": "customers", "value": customers})
    return out


def path_of(date: str) -> Path:
    return FRAGMENTS_DIR / f"{date}.json"


def text(fragments: list[dict]) -> str:
    """The file's text (one fragment a line: reviewable diffs)."""
    return "[\n" + ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fragments) + "\n]\n"


@lru_cache(maxsize=None)
def pool(date: str) -> tuple[tuple[str, str], ...]:
    """(kind, JSON text) of the fragments of the document of ``date`` (FileNotFoundError when none
    is kept)."""
    fragments = json.loads(path_of(date).read_text(encoding="utf-8"))
    return tuple((f["kind"], _dumps(f["value"])) for f in fragments)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write fragments/<date>.json from a derived contract")
    parser.add_argument("--contract", required=True, help="a derived contract directory (derive --out DIR)")
    parser.add_argument("--date", required=True, help="the date of the document it was derived from")
    args = parser.parse_args(argv)
    path_of(args.date).write_text(text(build(Path(args.contract))), encoding="utf-8")
    print(f"wrote {path_of(args.date)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
