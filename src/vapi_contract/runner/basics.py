"""The checks whose cost does not depend on the data: bearer auth, input validation, defaults.

They run first: a handful of requests that every run can afford, whatever the organisation's
size.  Doc lines: "Authentication: AuthorizationBearer"; the query parameters' types, ranges and
enums (page >= 1, limit 0-1000, status and sortOrder enums, date-time bounds); "Defaults to 1",
"Defaults to 100", "Defaults to 'DESC'".
"""

from __future__ import annotations

from ..invariants import access, paging
from ..query import BOUNDS
from .session import NO_AUTH, Run, WrongKey

BAD_INPUTS = [
    [("page", "0")], [("page", "-1")], [("page", "first")], [("limit", "1001")], [("limit", "-1")],
    [("limit", "lots")], [("status", "paused")], [("sortOrder", "SIDEWAYS")], [("id", "")],
] + [[(b.param, "not-a-date")] for b in BOUNDS] + [[("createdAtGt", "2025-01-01T10:00:00Z"), ("limit", "5000")]]

VALID_EDGES = [[("limit", "1000")], [("limit", "1")], [("page", "1"), ("limit", "1")], [("sortOrder", "ASC")],
               [("createdAtGe", "2000-01-01T00:00:00Z")], [("updatedAtLt", "2999-12-31T23:59:59.999+14:00")]]
EXPLICIT_DEFAULTS = [("page", "1"), ("limit", "100"), ("sortOrder", "DESC")]


def auth(run: Run) -> None:
    """No key / an unknown key: 401."""
    for check, mode in (("auth.missing-key", NO_AUTH), ("auth.wrong-key", WrongKey())):
        obs = run.fetch([("limit", "1")], auth=mode)
        run.judge(access.rejected(obs, check), {check},
                  recheck=lambda c=check, m=mode: access.rejected(run.fetch([("limit", "1")], auth=m), c))


def inputs(run: Run) -> None:
    """Out-of-contract values are rejected with 4xx; edge values inside it are accepted."""
    for params in BAD_INPUTS + VALID_EDGES:
        run.observe(params)


def defaults(run: Run, attempts: int = 2) -> None:
    """No paging parameters == page=1&limit=100&sortOrder=DESC.  Both reads are pinned, so equal
    totals prove they saw the same campaigns; a pair read while the data moved is read again
    (``attempts`` at most), then set aside.  The bare request (no parameter at all) is judged on
    its own too: itemsPerPage 100, currentPage 1, newest first."""
    run.observe([])
    for attempt in range(attempts):
        if attempt:
            run.movement.reobservations += 2
        bare = run.observe(run.pinned([]))
        explicit = run.observe(run.pinned(EXPLICIT_DEFAULTS))
        if bare.metadata.get("totalItems") == explicit.metadata.get("totalItems"):
            run.judge(paging.defaults(bare, explicit), {"pagination.defaults"})
            return
    run.movement.set_aside += 1
    run.note("pagination.defaults: the data moved during each comparison; not judged")
