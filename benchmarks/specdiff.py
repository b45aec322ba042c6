"""``vapi-contract diff`` on two whole-API-sized documents (goal: under 2 s).

The shared documents are cut down to GET /campaign (0.7 MB).  The real https://api.vapi.ai/api-json
is the whole API, about 2.7 MB.  This benchmark grows each shared version to that size with the
rest of an API: 60 more paths, each with its own copy of every component (renamed, references
rewritten), so the diff must select GET /campaign and its closure out of 4x the schemas.

    .venv/bin/python benchmarks/specdiff.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from vapi_contract.specdiff import diff_documents

DOCS = Path(__file__).resolve().parent.parent.parent / "shared" / "docs"
TARGET_BYTES = 2_700_000


def whole_api(document: dict) -> dict:
    doc = json.loads(json.dumps(document))
    schemas = doc["components"]["schemas"]
    originals = dict(schemas)
    copies = 0
    while len(json.dumps(doc)) < TARGET_BYTES:
        copies += 1
        prefix = f"Other{copies}"
        text = json.dumps(originals).replace('"#/components/schemas/', f'"#/components/schemas/{prefix}')
        for name, schema in json.loads(text).items():
            schemas[prefix + name] = schema
        for i in range(20):
            doc["paths"][f"/{prefix.lower()}/resource{i}"] = {"get": {
                "parameters": [{"name": "id", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "", "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/{prefix}CampaignPaginatedResponse"}}}}}}}
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for date in ("2026-04-11", "2026-04-14"):
            doc = whole_api(json.loads((DOCS / f"vapi-openapi.campaign.{date}.json").read_text()))
            path = Path(tmp) / f"api-json.{date}.json"
            path.write_text(json.dumps(doc))
            paths.append(path)
        sizes = [p.stat().st_size / 1e6 for p in paths]
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = diff_documents(str(paths[0]), str(paths[1]))
            times.append(time.perf_counter() - t0)
    print(f"documents: {sizes[0]:.2f} MB and {sizes[1]:.2f} MB, {len(doc['paths'])} paths, "
          f"{len(doc['components']['schemas'])} schemas each")
    print(f"diff GET /campaign: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
          f"over {args.repeat} runs; {len(result.changes)} changes (goal < 2000 ms)")
    return 0 if max(times) < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
