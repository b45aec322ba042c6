"""``vapi-contract derive --from PATH_OR_URL [--out DIR] [--date YYYY-MM-DD] [--operation "GET /path"]... [--check]``.

Pins every listing of the document (``contract.listings``: both families), or the ``--operation``s
named, and prints one line per listing pinned: its operation, family and item schema."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="source", required=True, metavar="PATH_OR_URL",
                        help="published OpenAPI document (file, or https://api.vapi.ai/api-json)")
    parser.add_argument("--out", default=".", metavar="DIR",
                        help="root under which contracts/ and schemas/ are written (default: .)")
    parser.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                        help="publication date to record (default: from the file name or the HTTP headers)")
    parser.add_argument("--operation", action="append", default=None, metavar='"GET /path"',
                        help="pin this listing only (repeatable: a subset; default: every listing of the document)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the committed files differ from what would be derived")


def execute(args: argparse.Namespace) -> int:
    from pathlib import Path

    import json

    from .derive import derive, write
    from .locate import PROVENANCE_FILE
    from .source import load_source
    from .self_check import validate_contract

    source = load_source(args.source, date=args.date)
    derived = derive(source, args.operation)
    out = Path(args.out)
    if args.check:
        import tempfile

        stale = [str(p) for p, content in derived.files.items()
                 if not (out / p).exists() or (out / p).read_bytes() != content]
        for p in stale:
            print(f"differs: {p}")
        # what the pin would be must also be a valid contract here (exit 2 otherwise), as for a
        # real derive: this is where an environment missing a validator's dependency shows
        with tempfile.TemporaryDirectory(prefix="vapi-derive-check-") as scratch:
            write(derived, Path(scratch))
            validate_contract(Path(scratch))
        print(f"{len(derived.files) - len(stale)}/{len(derived.files)} derived files up to date; contract valid")
        return 1 if stale else 0
    changed = write(derived, out)
    validate_contract(out)
    width = max(len(x.operation) for x in derived.listings)
    for x in derived.listings:  # one line each: operation, family, item schema
        print(f"  {x.operation:<{width}}  {x.family:<9}  {x.item}")
    operations = ", ".join(json.loads(derived.files[PROVENANCE_FILE])["operations"])
    print(f"derived {operations} from {source.name} (sha256 {source.sha256[:12]}…, date {source.date}): "
          f"{derived.component_count} component schemas, {derived.repair_count} repairs, "
          f"{len(derived.files)} files, {len(changed)} changed; contract valid")
    return 0
