"""Validation speed: for pages of 1, 100 and 1000 full-depth campaigns, print the time to parse
the JSON text, to validate with the compiled engine (jsonschema-rs, the hot path) and with the
pure-Python engine (jsonschema), and the ratio validation/parse (goal: < 1 at 1000 items).

    .venv/bin/python benchmarks/validation.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from vapi_contract.contract.reading import Contract
from vapi_contract.contract.instances import full_depth_campaign
from vapi_contract.contract.locate import contract_root
from vapi_contract.contract.validator import Validator


def median_seconds(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--slow-repeat", type=int, default=3, help="repeats for the pure-Python engine")
    args = parser.parse_args()

    validator = Validator.load(contract_root())
    page = Contract.load(contract_root()).endpoint("GET /campaign").response_schema
    campaigns = [full_depth_campaign(validator.schemas, i) for i in range(1000)]
    fast, slow = validator.fast(page), validator.explaining(page)
    print(f"{'items':>6} {'bytes':>10} {'parse ms':>9} {'rs ms':>8} {'jsonschema ms':>14} {'rs/parse':>9}")
    for size in (1, 100, 1000):
        text = json.dumps({"results": campaigns[:size],
                           "metadata": {"itemsPerPage": size, "totalItems": 5000, "currentPage": 1}})
        body = json.loads(text)
        assert fast.is_valid(body) and slow.is_valid(body)
        parse = median_seconds(lambda: json.loads(text), args.repeat)
        rs = median_seconds(lambda: fast.is_valid(body), args.repeat)
        py = median_seconds(lambda: slow.is_valid(body), args.slow_repeat)
        print(f"{size:>6} {len(text):>10} {parse * 1e3:>9.2f} {rs * 1e3:>8.2f} {py * 1e3:>14.1f} {rs / parse:>9.2f}")


if __name__ == "__main__":
    main()
