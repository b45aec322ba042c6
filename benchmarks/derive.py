"""How long `derive` takes on Vapi's whole document (25 listings, 981 schemas) and on the
campaign-only one: reading the document, deriving the pin, writing it, and checking that it is
valid OpenAPI with valid schemas (what `derive --from` does, in that order; `--check` as well).

    .venv/bin/python benchmarks/derive.py [--repeat 3] [--docs ../shared/docs]

Prints the median of each step per document.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from vapi_contract.contract.derive import derive, write
from vapi_contract.contract.source import load_source
from vapi_contract.contract.validate_contract import validate_contract

DOCUMENTS = ("vapi-openapi.2026-08-18.json", "vapi-openapi.campaign.2026-08-18.json")


def measure(path: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    source = load_source(str(path))
    t1 = time.perf_counter()
    derived = derive(source)
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="vapi-derive-bench-") as scratch:
        write(derived, Path(scratch))
        t3 = time.perf_counter()
        validate_contract(Path(scratch))
        t4 = time.perf_counter()
    times.update(read=t1 - t0, derive=t2 - t1, write=t3 - t2, validate=t4 - t3, total=t4 - t0)
    times["listings"] = len(derived.listings)
    times["files"] = len(derived.files)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--docs", default=str(Path(__file__).resolve().parents[2] / "shared" / "docs"))
    args = parser.parse_args()
    print(f"{'document':<40} {'listings':>8} {'files':>6} {'read':>7} {'derive':>7} {'write':>7} {'validate':>9} {'total':>7}")
    for name in DOCUMENTS:
        path = Path(args.docs) / name
        if not path.is_file():
            print(f"{name:<40} missing")
            continue
        runs = [measure(path) for _ in range(args.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f"{name:<40} {int(med['listings']):>8} {int(med['files']):>6} {med['read']:>6.2f}s {med['derive']:>6.2f}s"
              f" {med['write']:>6.2f}s {med['validate']:>8.2f}s {med['total']:>6.2f}s")


if __name__ == "__main__":
    main()
