"""The generated listings of the reference target at scale: generation time and page latency, over
real HTTP (keep-alive client), at 100,000 items of GET /chat (paginated) and of GET /call (array),
the other listings at 300 items each.

* generation: the items of the big listing made (:mod:`vapi_contract.reference.listings.generate`)
  and loaded into SQLite with their indexes; the target's whole start-up beside it;
* GET /chat: page 1 (limit 100), a filtered page (assistantId + a 60-day createdAt window, moving
  on every request), a deep page by OFFSET (90% in), the same depth by keyset cursor, sortBy=cost;
* GET /call: the default answer (limit 100, by id), a phoneNumberId filter, a 60-day createdAt
  window at limit 1000.

    .venv/bin/python benchmarks/listings.py [--items 100000] [--repeat 40] [--contract-dir DIR]

Without --contract-dir it derives ../shared/docs/vapi-openapi.2026-08-18.json into a temporary
directory first.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from vapi_contract.reference.listings.generate import Generator
from vapi_contract.reference.listings.groups import groups
from vapi_contract.reference.listings.model import read
from vapi_contract.reference.listings.store import ListingStore
from vapi_contract.reference.seed import EPOCH_END_MS, SPAN_MS
from vapi_contract.reference.server import running_target
from vapi_contract.timeutil import format_ms

DAY = 86_400_000
WHOLE = Path(__file__).resolve().parents[2] / "shared" / "docs" / "vapi-openapi.2026-08-18.json"


def median_ms(client: httpx.Client, path: str, params_for, repeat: int) -> float:
    for i in range(3):
        client.get(path, params=params_for(i)).raise_for_status()
    times = []
    for i in range(repeat):
        params = params_for(i + 3)
        t0 = time.perf_counter()
        r = client.get(path, params=params)
        times.append(time.perf_counter() - t0)
        r.raise_for_status()
    return statistics.median(times) * 1000


def window(i: int, limit: int = 100) -> dict[str, str]:
    start = EPOCH_END_MS - SPAN_MS + (i * 7 * DAY) % (SPAN_MS - 60 * DAY)
    return {"createdAtGe": format_ms(start), "createdAtLt": format_ms(start + 60 * DAY), "limit": str(limit)}


def generation_seconds(root: Path, path: str, n: int) -> tuple[float, float, float]:
    """(making the items of ``path``, the CPU time it took, loading them into SQLite) at ``n``
    items (the CPU time says what a shared machine's load does not)."""
    reading = read(root)
    paths = [x.path for x in reading.listings if x.path not in ("/campaign", "/v2/campaign")]
    made = groups(reading, paths)
    generator = Generator(made, 1, {path: n, "*": 300}, {})
    for g in generator.order():  # what the big listing refers to
        if g.key != generator.group_of(path).key:
            list(generator.rows(g))
    group = generator.group_of(path)
    t0, c0 = time.perf_counter(), time.process_time()
    rows = list(generator.rows(group))
    t1, c1 = time.perf_counter(), time.process_time()
    store = ListingStore()
    store.create(group)
    store.load(group, rows)
    t2 = time.perf_counter()
    store.close()
    return t1 - t0, c1 - c0, t2 - t1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--contract-dir", default=None)
    parser.add_argument("--generation-only", action="store_true", help="measure the generation, start no target")
    args = parser.parse_args()
    scratch = None
    if args.contract_dir is None:
        from vapi_contract.contract.derive import derive, write
        from vapi_contract.contract.source import load_source

        scratch = tempfile.TemporaryDirectory(prefix="vapi-listings-bench-")
        root = Path(scratch.name)
        write(derive(load_source(str(WHOLE))), root)
    else:
        root = Path(args.contract_dir)
    n = args.items
    for path in ("/chat", "/call"):
        made, cpu, loaded = generation_seconds(root, path, n)
        print(f"GET {path}: {n:,} items made in {made:.2f} s ({cpu:.2f} s of CPU, {cpu / n * 1e6:.0f} µs each), loaded"
              f" with indexes in {loaded:.2f} s")
    if args.generation_only:
        return
    t0 = time.perf_counter()
    with running_target(contract_root=root, items={"/chat": n, "/call": n, "*": 300}, startup_timeout=600) as target:
        started = time.perf_counter() - t0
        print(f"target started in {started:.1f} s ({n:,} chats, {n:,} calls, 300 of every other listing)")
        chats = target.items("/chat")
        assistant = max({c.get("assistantId") for c in chats[:2000]} - {None},
                        key=lambda a: sum(c.get("assistantId") == a for c in chats[:2000]))
        phone = next(c["phoneNumberId"] for c in target.items("/call") if "phoneNumberId" in c)
        headers = {"Authorization": f"Bearer {target.api_key}"}
        with httpx.Client(base_url=target.base_url, headers=headers, timeout=60) as client:
            total = client.get("/chat", params={"limit": 1}).json()["metadata"]["totalItems"]
            deep = int(total * 0.9) // 100
            anchor = client.get("/chat", params={"limit": 100, "page": deep}).json()["results"][-1]
            from vapi_contract.reference.cursor import Position, encode
            from vapi_contract.timeutil import parse_ms

            cursor = encode(Position(parse_ms(anchor["createdAt"]), anchor["id"]))
            rows = [
                ("GET /chat page 1, limit 100", "/chat", lambda i: {"limit": "100"}),
                ("GET /chat assistantId + 60-day window", "/chat", lambda i: {"assistantId": assistant, **window(i)}),
                ("GET /chat deep page by OFFSET (90%)", "/chat", lambda i: {"limit": "100", "page": str(deep + 1)}),
                ("GET /chat the same depth by cursor", "/chat", lambda i: {"limit": "100", "cursor": cursor}),
                ("GET /chat sortBy=cost page 1", "/chat", lambda i: {"limit": "100", "sortBy": "cost"}),
                ("GET /call default (limit 100, by id)", "/call", lambda i: {}),
                ("GET /call phoneNumberId", "/call", lambda i: {"phoneNumberId": phone}),
                ("GET /call 60-day window, limit 1000", "/call", lambda i: window(i, 1000)),
            ]
            print(f"{'request':<42} {'median':>9}")
            for label, path, params in rows:
                print(f"{label:<42} {median_ms(client, path, params, args.repeat):>7.1f} ms")
    if scratch is not None:
        scratch.cleanup()


if __name__ == "__main__":
    main()
