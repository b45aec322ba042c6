"""Reference target latency, over real HTTP (keep-alive client), at 1,000 / 10,000 / 100,000 campaigns
of the default surface (2026-08-18):

* page 1 (limit 100), repeated as a dashboard would (its count is memoised after the first request:
  the data never changes);
* a filtered page (status + 60-day createdAt range, limit 100), its window moving on every request
  (so no count comes from the store's count memo);
* a deep page by OFFSET (page ~ 90% into the organisation, limit 100) and the same items by keyset
  cursor (``cursor=`` the position of the item just before it): "without an OFFSET scan";
* GET /v2/campaign?includeCounters=true (limit 100): the CampaignSummary projection and counters.

Goal: the 100,000 figures within 2x of the 1,000 ones (the deep OFFSET page excepted: that is what
the cursor is for).

    .venv/bin/python benchmarks/target.py [--repeat 60]
"""

from __future__ import annotations

import argparse
import statistics
import time

import httpx

from vapi_contract.reference.cursor import Position, encode
from vapi_contract.reference.seed import EPOCH_END_MS, ORG_A, SPAN_MS
from vapi_contract.reference.server import running_target
from vapi_contract.timeutil import format_ms

DAY = 86_400_000


def median_ms(client: httpx.Client, path: str, params_for, repeat: int) -> float:
    for i in range(5):
        client.get(path, params=params_for(i)).raise_for_status()
    times = []
    for i in range(repeat):
        params = params_for(i + 5)
        t0 = time.perf_counter()
        r = client.get(path, params=params)
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
            total = target.store.conn.execute("SELECT COUNT(*) FROM campaign WHERE org = ?", (ORG_A,)).fetchone()[0]
            deep_page = max(1, total * 9 // 10 // 100)
            before = target.store.conn.execute(
                "SELECT created_ms, id FROM campaign WHERE org = ? ORDER BY created_ms DESC, id DESC LIMIT 1 OFFSET ?",
                (ORG_A, (deep_page - 1) * 100 - 1)).fetchone()
            cursor = encode(Position(*before))
            with httpx.Client(base_url=target.base_url, headers={"Authorization": f"Bearer {target.api_key}"}) as client:
                offset_page = client.get("/campaign", params={"limit": "100", "page": str(deep_page)}).json()["results"]
                cursor_page = client.get("/campaign", params={"limit": "100", "cursor": cursor}).json()["results"]
                assert offset_page == cursor_page and offset_page, "the cursor names the deep page's position"
                page1 = median_ms(client, "/campaign", lambda i: {"limit": "100"}, args.repeat)
                filt = median_ms(client, "/campaign", filtered, args.repeat)
                deep = median_ms(client, "/campaign", lambda i: {"limit": "100", "page": str(deep_page)}, args.repeat)
                keyset = median_ms(client, "/campaign", lambda i: {"limit": "100", "cursor": cursor}, args.repeat)
                v2 = median_ms(client, "/v2/campaign", lambda i: {"limit": "100", "includeCounters": "true"}, args.repeat)
                size = len(client.get("/campaign").content)
            rows.append((n, seeded, page1, filt, deep, keyset, v2, size))
    print(f"{'campaigns':>10} {'seed+start s':>12} {'page1 ms':>9} {'filtered ms':>12} {'offset deep ms':>15}"
          f" {'cursor deep ms':>15} {'v2+counters ms':>15} {'page1 bytes':>12}")
    for n, seeded, page1, filt, deep, keyset, v2, size in rows:
        print(f"{n:>10,} {seeded:>12.2f} {page1:>9.2f} {filt:>12.2f} {deep:>15.2f} {keyset:>15.2f} {v2:>15.2f} {size:>12,}")
    base, big = rows[0], rows[-1]
    print(f"100k / 1k: page1 {big[2] / base[2]:.2f}x, filtered {big[3] / base[3]:.2f}x, cursor deep {big[5] / base[5]:.2f}x,"
          f" v2 {big[6] / base[6]:.2f}x; at 100k the deep page by cursor takes {big[5] / big[4]:.2f}x its OFFSET time")


if __name__ == "__main__":
    main()
