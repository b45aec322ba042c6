"""The run's scenarios, in order.  Each sends requests through the Run and hands what came back
to the pure invariants; none asserts anything itself."""

from __future__ import annotations

import random
import uuid
from typing import Any

from ..invariants import access, filtering, paging
from ..query import BOUNDS, STATUSES
from ..timeutil import InvalidInstant, format_ms, parse_ms, with_offset
from .session import NO_AUTH, Run, WrongKey


def auth(run: Run) -> None:
    """No key / an unknown key: 401."""
    for check, mode in (("auth.missing-key", NO_AUTH), ("auth.wrong-key", WrongKey())):
        obs = run.fetch([("limit", "1")], auth=mode)
        run.judge(access.rejected(obs, check), {check},
                  recheck=lambda c=check, m=mode: access.rejected(run.fetch([("limit", "1")], auth=m), c))


def defaults(run: Run) -> None:
    """No parameters == page=1&limit=100&sortOrder=DESC."""
    bare = run.observe([])
    explicit = run.observe([("page", "1"), ("limit", "100"), ("sortOrder", "DESC")])
    run.judge(paging.defaults(bare, explicit), {"pagination.defaults"},
              recheck=lambda: paging.defaults(run.fetch([]), run.fetch([("page", "1"), ("limit", "100"), ("sortOrder", "DESC")])))


def reference(run: Run) -> list[dict[str, Any]]:
    """All campaigns (pinned to the snapshot), walked at the largest limit: the data the filter
    checks compare with.  Its own walk invariants are judged too."""
    pages = run.walk(run.pinned([]), 1000)
    judge_walk(run, pages, "DESC", 1000)
    items = [item for p in pages for item in p.results]
    run.judge(access.single_org(pages), {"tenancy.single-org"} if items else set())
    if len(items) < 3:
        run.note(f"only {len(items)} campaign(s) visible: walks, filters and ordering are barely exercised")
    return items


def judge_walk(run: Run, pages, sort_order: str, limit: int) -> None:
    if not pages or pages[0].status != 200:
        return
    total = pages[0].metadata.get("totalItems")
    past = None
    if isinstance(total, (int, float)) and not isinstance(total, bool):
        last = max(1, -(-int(total) // limit))
        past = run.observe([*pages[0].params[:-2], ("limit", str(limit)), ("page", str(last + 1))])
    exercised = {"pagination.total-stable", "pagination.walk-complete", "pagination.walk-ordered"}
    if len(pages) > 1:
        exercised.add("pagination.walk-disjoint")
    if past is not None:
        exercised.add("pagination.past-end")
    run.judge(paging.walk(pages, sort_order, past), exercised, params=pages[0].params)


def walks(run: Run, profile) -> None:
    """Full walks at several limits and both orders; prefix walks at tiny limits."""
    for limit in profile.full_walk_limits:
        for order in (("DESC", "ASC") if limit in (1000, 7, 37) else ("DESC",)):
            params = run.pinned([("sortOrder", order)])
            judge_walk(run, run.walk(params, limit), order, limit)
    for limit in profile.prefix_walk_limits:
        pages = run.walk(run.pinned([]), limit, max_pages=profile.prefix_pages)
        prefix_checks = ("pagination.walk-disjoint", "pagination.walk-ordered")  # a prefix cannot be complete
        run.judge([v for v in paging.walk(pages, "DESC") if v.check in prefix_checks], set(prefix_checks),
                  params=pages[0].params if pages else ())


def instants(items, field: str) -> list[int]:
    """The parseable values of ``field`` (a malformed one is the shape check's finding)."""
    out = []
    for item in items:
        try:
            out.append(parse_ms(item.get(field)))
        except InvalidInstant:
            pass
    return out


def probe_instants(items, rng: random.Random, count: int) -> list[tuple[str, int]]:
    """Instants worth probing: shared createdAt values (ties), 1 ms neighbours, random others;
    for createdAt and updatedAt."""
    out: list[tuple[str, int]] = []
    for field in ("createdAt", "updatedAt"):
        values = instants(items, field)
        stamps = sorted(set(values))
        if not stamps:
            continue
        counts: dict[int, int] = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        ties = [s for s, c in counts.items() if c > 1]
        neighbours = [b for a, b in zip(stamps, stamps[1:]) if b - a == 1]
        chosen = (ties[:1] + neighbours[:1] + rng.sample(stamps, min(len(stamps), count)))[: max(count, 2)]
        out.extend((field, s) for s in chosen)
    return out


def filters(run: Run, items, profile, rng: random.Random) -> None:
    """Each filter, at boundaries taken from the data (exactly at a timestamp, 1 ms either side,
    written with a UTC offset), compared with the reference; combinations ANDed."""
    if not items:
        run.note("no campaigns: filter correctness could not be checked")
        return
    exercised = {"filters.completeness"}

    def check(params):
        pages = run.walk(run.pinned(params), 1000)
        run.judge(filtering.completeness(pages, items, run.snapshot_ms), exercised,
                  recheck=lambda: filtering.completeness(run.walk(run.pinned(params), 1000), items, run.snapshot_ms),
                  params=params)

    probes = probe_instants(items, rng, profile.probe_instants)
    for bound in BOUNDS:
        for field, stamp in [i for i in probes if i[0] == bound.field][: profile.probe_instants]:
            for delta in (0, -1, 1):
                check([(bound.param, format_ms(stamp + delta))])
        field_instants = [i for i in probes if i[0] == bound.field]
        if field_instants:
            stamp = field_instants[0][1]
            check([(bound.param, with_offset(stamp, 120))])
            check([(bound.param, with_offset(stamp, -330))])
    for status in STATUSES:
        check([("status", status)])
    sample = rng.sample(items, min(2, len(items)))
    for item in sample:
        check([("id", item["id"])])
    check([("id", str(uuid.UUID(int=rng.getrandbits(128))))])
    # ANDed combinations and a contradictory pair
    created = sorted(instants(items, "createdAt")) or [0]
    lo, hi = created[len(created) // 4], created[3 * len(created) // 4]
    check([("createdAtGe", format_ms(lo)), ("createdAtLt", format_ms(hi))])
    check([("status", sample[0]["status"]), ("createdAtLe", format_ms(hi)), ("updatedAtGt", format_ms(lo)), ("sortOrder", "ASC")])
    check([("createdAtGt", format_ms(hi)), ("createdAtLt", format_ms(lo))])


def metamorphic(run: Run, items, rng: random.Random) -> None:
    """Relations that need no oracle: split at t, status partition, tighter never returns more."""
    whole = run.total(run.pinned([]))
    if whole is None or not items:
        return
    stamps = sorted(instants(items, "createdAt"))
    if not stamps:
        return
    exercised = {"filters.metamorphic"}
    for stamp in rng.sample(stamps, min(2, len(stamps))):
        at = format_ms(stamp)
        lt, ge = run.total(run.pinned([("createdAtLt", at)])), run.total(run.pinned([("createdAtGe", at)]))
        if lt is not None and ge is not None:
            run.judge(filtering.split_at(whole, lt, ge, at), exercised, params=[("createdAtLt", at), ("createdAtGe", at)])
    by_status = {s: run.total(run.pinned([("status", s)])) for s in STATUSES}
    if all(v is not None for v in by_status.values()):
        run.judge(filtering.status_partition(whole, by_status), exercised, params=[("status", "")])
    lo = format_ms(stamps[len(stamps) // 3])
    hi = format_ms(stamps[2 * len(stamps) // 3])
    loose = run.total(run.pinned([("createdAtGe", lo)]))
    tight = run.total(run.pinned([("createdAtGe", lo), ("updatedAtLe", hi)]))
    if loose is not None and tight is not None:
        run.judge(filtering.monotone(tight, loose, f"createdAtGe={lo}&updatedAtLe={hi}"), exercised,
                  params=[("createdAtGe", lo), ("updatedAtLe", hi)])


BAD_INPUTS = [
    [("page", "0")], [("page", "-1")], [("page", "first")], [("limit", "1001")], [("limit", "-1")],
    [("limit", "lots")], [("status", "paused")], [("sortOrder", "SIDEWAYS")], [("id", "")],
] + [[(b.param, "not-a-date")] for b in BOUNDS] + [[("createdAtGt", "2025-01-01T10:00:00Z"), ("limit", "5000")]]

VALID_EDGES = [[("limit", "1000")], [("limit", "1")], [("page", "1"), ("limit", "1")], [("sortOrder", "ASC")],
               [("createdAtGe", "2000-01-01T00:00:00Z")], [("updatedAtLt", "2999-12-31T23:59:59.999+14:00")]]


def inputs(run: Run) -> None:
    """Out-of-contract values are rejected with 4xx; edge values inside it are accepted."""
    for params in BAD_INPUTS + VALID_EDGES:
        run.observe(params)
