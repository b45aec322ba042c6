"""``vapi-contract diff`` on two whole-API-sized documents (goal: under 2 s each pair).

The shared documents are cut down to GET /campaign (0.7 MB).  The real https://api.vapi.ai/api-json
is the whole API, about 2.7 MB.  This benchmark grows each shared version to that size with the
rest of an API: 60 more paths, each with its own copy of every component (renamed, references
rewritten), so the diff must select GET /campaign and its closure out of 4x the schemas.

Pairs measured: 2026-04-11 -> 2026-04-14 as published; the same with NEW broken, then with OLD
broken (the defects Vapi published: InworldVoice, FallbackInworldVoice and
CreateInworldCredentialDTO referenced but not defined, an enum typed "enum", a value listed twice);
both as YAML; and 2026-04-14 -> 2026-08-18 when that document is there (hundreds of changes).

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
GOAL_S = 2.0


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


def broken(document: dict) -> dict:
    """The defects Vapi published, in one document (before it is grown to a whole API)."""
    doc = json.loads(json.dumps(document))
    schemas = doc["components"]["schemas"]
    for name in ("InworldVoice", "FallbackInworldVoice", "CreateInworldCredentialDTO"):
        schemas.pop(name)
    status = schemas["Campaign"]["properties"]["status"]
    status.update(type="enum", enum=[*status["enum"], status["enum"][0]])
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    published = {date: json.loads(path.read_text()) for date in ("2026-04-11", "2026-04-14", "2026-08-18")
                 if (path := DOCS / f"vapi-openapi.campaign.{date}.json").is_file()}
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        def write(name: str, document: dict, as_yaml: bool = False) -> str:
            path = Path(tmp) / name
            if as_yaml:
                import yaml

                path.write_text(yaml.dump(document, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False))
            else:
                path.write_text(json.dumps(document))
            return str(path)

        grown = {date: whole_api(doc) for date, doc in published.items()}
        old, new = write("old.json", grown["2026-04-11"]), write("new.json", grown["2026-04-14"])
        old_broken = write("old-broken.json", whole_api(broken(published["2026-04-11"])))
        new_broken = write("new-broken.json", whole_api(broken(published["2026-04-14"])))
        pairs = [("as published", old, new), ("NEW broken", old, new_broken), ("OLD broken", old_broken, new),
                 ("both broken", old_broken, new_broken),
                 ("both as YAML", write("old.yaml", grown["2026-04-11"], True), write("new.yaml", grown["2026-04-14"], True))]
        if "2026-08-18" in grown:
            pairs.append(("04-14 -> 08-18", new, write("2026-08-18.json", grown["2026-08-18"])))
        doc = grown["2026-04-14"]
        print(f"documents: about {Path(new).stat().st_size / 1e6:.2f} MB each ({Path(tmp, 'new.yaml').stat().st_size / 1e6:.2f} MB as YAML), "
              f"{len(doc['paths'])} paths, {len(doc['components']['schemas'])} schemas")
        for label, a, b in pairs:
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                result = diff_documents(a, b)
                times.append(time.perf_counter() - t0)
            worst = max(worst, max(times))
            print(f"  {label:15} median {statistics.median(times) * 1000:5.0f} ms, max {max(times) * 1000:5.0f} ms over "
                  f"{args.repeat} runs; {len(result.changes)} changes, {len(result.defects)} defects")
    print(f"slowest: {worst * 1000:.0f} ms (goal < {GOAL_S * 1000:.0f} ms)")
    return 0 if worst < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
