"""Reference target latency: page 1 (limit 100) and a filtered page (status + 60-day createdAt
range, limit 100) at 1,000 / 10,000 / 100,000 campaigns, over real HTTP (keep-alive client).

Goal: the 100,000 figure within 2x of the 1,000 figure.  The filtered query moves its window on
every request (so no count is served from the store's count memo); page 1 repeats one query, as
a dashboard would (its count is memoised after the first request: the data never changes).

    .venv/bin/python benchmarks/target.py [--repeat 60]
"""

from __future__ import annotations

import argparse
import statistics
import time

import httpx

from vapi_contract.reference.listing import Query, plan_for
from vapi_contract.reference.seed import EPOCH_END_MS, SPAN_MS
from vapi_contract.reference.server import running_target
from vapi_contract.timeutil import format_ms

DAY = 86_400_000


def median_ms(client: httpx.Client, params_for, repeat: int) -> float:
    for i in range(5):
        client.get("/campaign", params=params_for(i)).raise_for_status()
    times = []
    for i in range(repeat):
        params = params_for(i + 5)
        t0 = time.perf_counter()
        r = client.get("/campaign", params=params)
        times.append(time.perf_counter() - t0)
        r.raise_for_status()
    return statistics.median(times) * 1000


def filtered(i: int) -> dict[str, str]:
    start = EPOCH_END_MS - SPAN_MS + (i * 7 * DAY) % (SPAN_MS - 60 * DAY)
    return {"status": "ended", "createdAtGe": format_ms(start), "createdAtLt": format_ms(start + 60 * DAY), "limit": "100"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    rows = []
    for n in (1_000, 10_000, 100_000):
        t0 = time.perf_counter()
        with running_target(campaigns=n, seed=1) as target:
            seeded = time.perf_counter() - t0
            plan = plan_for(Query(1, 100, "DESC"), "org-a")
            t1 = time.perf_counter()
            target.store.conn.execute("SELECT COUNT(*) FROM campaign WHERE org = ?", ("org-a",)).fetchone()
            raw_count = (time.perf_counter() - t1) * 1000
            with httpx.Client(base_url=target.base_url, headers={"Authorization": f"Bearer {target.api_key}"}) as client:
                page1 = median_ms(client, lambda i: {"limit": "100"}, args.repeat)
                filt = median_ms(client, filtered, args.repeat)
                size = len(client.get("/campaign").content)
            rows.append((n, seeded, page1, filt, raw_count, size))
            del plan
    print(f"{'campaigns':>10} {'seed+start s':>12} {'page1 ms':>9} {'filtered ms':>12} {'COUNT(*) ms':>12} {'page1 bytes':>12}")
    for n, seeded, page1, filt, raw, size in rows:
        print(f"{n:>10,} {seeded:>12.2f} {page1:>9.2f} {filt:>12.2f} {raw:>12.2f} {size:>12,}")
    base = rows[0]
    print(f"100k / 1k: page1 {rows[-1][2] / base[2]:.2f}x, filtered {rows[-1][3] / base[3]:.2f}x")


if __name__ == "__main__":
    main()
