"""Switchable faults and drift of the reference target: data plus small hooks.

A :class:`Fault` is one small, realistic bug.  The server runs the same pipeline for every
request and calls the active variant's hooks at fixed points (none of them is required):

  authenticate(key, keys) -> org | None    who the bearer key is (default: exact key match)
  before(n) -> Interference | None         reliability: delay or fail the n-th listing request
  validate(problems) -> problems           which input problems are reported (400)
  query(q) -> q                            how the validated query is interpreted
  plan(plan, q) -> plan                    the SQL plan (joiner, org scope, order, offset, limit)
  item(campaign) -> campaign               each served campaign (parsed; only when hooked)
  metadata(meta, q, n) -> meta             the metadata object (n = results on the page)

Every fault must be observable from the documented contract alone, on the seeded data: shape
faults hit many items of every page, filter faults change realistic answers at seeded instants
(ties and 1 ms neighbours), reliability faults are deterministic (every 5th / 3rd request).

``FAULTS`` and ``DRIFTS`` are the registries (name -> Fault); ``--list-faults`` prints them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping

from ..timeutil import parse_ms
from .listing import BoundFilter, Problem, Query
from .seed import PRIMARY_ORG
from .store import ORDER_COLUMNS, Plan

AREAS = ("shape", "pagination", "filters", "validation", "auth", "tenancy", "reliability")
SLOW_ENV = "VAPI_TARGET_SLOW_SECONDS"
SLOW_DEFAULT = 1.5
ALL_BOUNDS = tuple(f"{f}{op}" for f in ("createdAt", "updatedAt") for op in ("Gt", "Lt", "Ge", "Le"))


class InjectedServerError(Exception):
    """Raised by a hook to make the server answer 500 (as an unhandled exception would)."""


@dataclass(frozen=True)
class Interference:
    delay: float = 0.0  # seconds to wait before answering
    status: int | None = None  # answer this 5xx instead


@dataclass(frozen=True)
class Fault:
    name: str
    area: str
    touches: tuple[str, ...]  # query params and/or response fields it affects
    description: str
    authenticate: Callable[[str | None, Mapping[str, str]], str | None] | None = None
    before: Callable[[int], Interference | None] | None = None
    validate: Callable[[list[Problem]], list[Problem]] | None = None
    query: Callable[[Query], Query] | None = None
    plan: Callable[[Plan, Query], Plan] | None = None
    item: Callable[[dict], dict] | None = None
    metadata: Callable[[dict, Query, int], dict] | None = None
    # enum query parameters the variant documents beyond the pinned contract (validated, 400 otherwise)
    params: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # contract elements (query parameters, metadata fields) a fault is about: only a contract that
    # declares them can catch it (the fault-catch self-test with the pinned contract skips it)
    requires: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()  # drift variants served with it (the ones that serve those elements)


# -- small helpers used by the hooks ----------------------------------------------------------
def _map_bounds(fn: Callable[[BoundFilter], BoundFilter]) -> Callable[[Query], Query]:
    return lambda q: q.with_(bounds=tuple(fn(b) for b in q.bounds))


def _when(param: str, **changes) -> Callable[[BoundFilter], BoundFilter]:
    return lambda b: replace(b, **changes) if b.param == param else b


def _offset_ignored(b: BoundFilter) -> BoundFilter:
    """Read the wall-clock part as UTC, dropping the written offset."""
    text = b.text
    if len(text) > 6 and text[-6] in "+-" and text[-3] == ":":
        return replace(b, ms=parse_ms(text[:-6] + "Z"))
    return b


def _drop(*kinds: str, params: tuple[str, ...] = ()) -> Callable[[list[Problem]], list[Problem]]:
    return lambda problems: [p for p in problems if not (p.kind in kinds and (not params or p.param in params))]


def _raise_on_date(problems: list[Problem]) -> list[Problem]:
    if any(p.kind == "date" for p in problems):
        raise InjectedServerError("Invalid time value")  # what `new Date(text).toISOString()` throws
    return problems


def _first_number_as_string(node: Any, depth: int = 0) -> bool:
    """Turn the first numeric leaf at depth >= 1 of a nested config into its string form."""
    if isinstance(node, dict):
        for key, value in node.items():
            if depth >= 1 and isinstance(value, (int, float)) and not isinstance(value, bool):
                node[key] = str(value)
                return True
            if isinstance(value, (dict, list)) and _first_number_as_string(value, depth + 1):
                return True
    elif isinstance(node, list):
        return any(_first_number_as_string(v, depth + 1) for v in node)
    return False


def _nested_wrong_type(c: dict) -> dict:
    for customer in c.get("customers", []) + [cu for e in c.get("dialPlan", []) for cu in e.get("customers", [])]:
        overrides = customer.get("assistantOverrides")
        if isinstance(overrides, dict):
            for part in ("voice", "transcriber", "model"):
                if _first_number_as_string(overrides.get(part)):
                    break
    return c


def _js_date_string(c: dict) -> dict:
    """updatedAt as JavaScript's Date.prototype.toString() would write it."""
    from datetime import datetime, timezone

    dt = datetime.fromtimestamp(parse_ms(c["updatedAt"]) / 1000, tz=timezone.utc)
    c["updatedAt"] = dt.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")
    return c


def _every(n: int, what: Callable[[], Interference]) -> Callable[[int], Interference | None]:
    return lambda count: what() if count % n == 0 else None


def _slow() -> Interference:
    try:
        return Interference(delay=float(os.environ.get(SLOW_ENV, SLOW_DEFAULT)))
    except ValueError:
        return Interference(delay=SLOW_DEFAULT)


def _unstable_ties(plan: Plan, q: Query) -> Plan:
    """Ties on createdAt broken one way on odd pages and the other way on even pages."""
    return replace(plan, tiebreak_descending=(q.page % 2 == 0))


def _without(key: str) -> Callable[[dict], dict]:
    def hook(c: dict) -> dict:
        c.pop(key, None)
        return c
    return hook


def _set(key: str, fn: Callable[[Any], Any]) -> Callable[[dict], dict]:
    def hook(c: dict) -> dict:
        if key in c:
            c[key] = fn(c[key])
        return c
    return hook


def _paused(c: dict) -> dict:
    if c.get("status") == "scheduled" and c.get("id", "")[:1] in "012345678":
        c["status"] = "paused"
    return c


SORT_BY_VALUES = ("cost", "createdAt", "duration")  # the 2026-04-14 document's sortBy enum


def _sort_by(p: Plan, q: Query) -> Plan:
    """sortBy as the 2026-04-14 document describes it ("This is the column to sort by. Defaults to
    'createdAt'."): createdAt, or the hidden cost / duration column; ties by id; sortOrder honoured."""
    value = q.extra("sortBy")
    return replace(p, order_column=ORDER_COLUMNS[value]) if value in SORT_BY_VALUES else p


def _page_metadata(m: dict, q: Query, n: int) -> dict:
    """totalPages, hasNextPage and sortOrder, as their descriptions say."""
    pages = -(-m["totalItems"] // q.limit) if q.limit else 0
    return {**m, "totalPages": pages, "hasNextPage": q.page < pages, "sortOrder": q.sort_order}


def _sort_by_overlap(p: Plan, q: Query) -> Plan:
    """Under sortBy, page N starts N-1 items early: each page repeats the previous page's last item."""
    if q.extra("sortBy") is None:
        return p
    return replace(p, offset=max(0, p.offset - (q.page - 1)))


# -- the catalogue ----------------------------------------------------------------------------
_FAULTS = [
    # shape
    Fault("missing-required-field", "shape", ("callsCounterEndedVoicemail",),
          "every campaign lacks the required callsCounterEndedVoicemail",
          item=_without("callsCounterEndedVoicemail")),
    Fault("nested-wrong-type", "shape", ("customers[].assistantOverrides",),
          "a number deep in each customer's assistantOverrides (voice/transcriber/model) is served as a string",
          item=_nested_wrong_type),
    Fault("status-outside-enum", "shape", ("status",),
          "ended campaigns are served with status 'Ended' (capitalised, outside the enum)",
          item=_set("status", lambda s: "Ended" if s == "ended" else s)),
    Fault("malformed-date-time", "shape", ("updatedAt",),
          "updatedAt is written in JavaScript Date.toString() form, not RFC 3339",
          item=_js_date_string),
    Fault("metadata-number-as-string", "shape", ("itemsPerPage",),
          "metadata.itemsPerPage is the limit as a string ('100')",
          metadata=lambda m, q, n: {**m, "itemsPerPage": str(m["itemsPerPage"])}),
    # pagination
    Fault("page-off-by-one", "pagination", ("page",),
          "page N returns the items of page N+1 (offset = page * limit)",
          plan=lambda p, q: replace(p, offset=p.offset + q.limit)),
    Fault("total-items-page-count", "pagination", ("totalItems",),
          "totalItems is the number of items on the page, not the number matching the filters",
          metadata=lambda m, q, n: {**m, "totalItems": n}),
    Fault("unstable-tie-order", "pagination", ("page", "sortOrder"),
          "campaigns sharing a createdAt are ordered differently on odd and even pages (repeats/skips)",
          plan=_unstable_ties),
    Fault("sort-order-ignored", "pagination", ("sortOrder",),
          "sortOrder=ASC is ignored: always newest first",
          query=lambda q: q.with_(sort_order="DESC")),
    Fault("wrong-default-limit", "pagination", ("limit", "itemsPerPage"),
          "without a limit, pages hold 10 items (documented default: 100)",
          query=lambda q: q if "limit" in q.given else q.with_(limit=10)),
    Fault("wrong-default-sort", "pagination", ("sortOrder",),
          "without a sortOrder, oldest first (documented default: DESC)",
          query=lambda q: q if "sortOrder" in q.given else q.with_(sort_order="ASC")),
    Fault("limit-plus-one", "pagination", ("limit",),
          "each page holds limit + 1 items (the look-ahead row is not trimmed)",
          plan=lambda p, q: replace(p, limit=p.limit + 1) if p.limit > 0 else p),
    Fault("current-page-zero-based", "pagination", ("currentPage",),
          "metadata.currentPage is zero-based (page - 1)",
          metadata=lambda m, q, n: {**m, "currentPage": m["currentPage"] - 1}),
    Fault("items-per-page-count", "pagination", ("itemsPerPage",),
          "metadata.itemsPerPage is the number of items on the page, not the limit in force",
          metadata=lambda m, q, n: {**m, "itemsPerPage": n}),
    # filters
    Fault("created-gt-inclusive", "filters", ("createdAtGt",),
          "createdAtGt is applied as >= (campaigns created exactly at the bound leak in)",
          query=_map_bounds(_when("createdAtGt", op="ge"))),
    Fault("created-le-exclusive", "filters", ("createdAtLe",),
          "createdAtLe is applied as < (campaigns created exactly at the bound are missing)",
          query=_map_bounds(_when("createdAtLe", op="lt"))),
    Fault("created-lt-inclusive", "filters", ("createdAtLt",),
          "createdAtLt is applied as <=",
          query=_map_bounds(_when("createdAtLt", op="le"))),
    Fault("updated-ge-exclusive", "filters", ("updatedAtGe",),
          "updatedAtGe is applied as >",
          query=_map_bounds(_when("updatedAtGe", op="gt"))),
    Fault("updated-filter-on-created", "filters", ("updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe"),
          "the updatedAt bounds are compared with createdAt",
          query=_map_bounds(lambda b: replace(b, field="createdAt") if b.field == "updatedAt" else b)),
    Fault("timezone-offset-ignored", "filters", ALL_BOUNDS,
          "a bound written with a UTC offset (+02:00) is read as if it were UTC",
          query=_map_bounds(_offset_ignored)),
    Fault("bound-truncated-to-seconds", "filters", ALL_BOUNDS,
          "instant bounds lose their milliseconds (truncated to the second)",
          query=_map_bounds(lambda b: replace(b, ms=b.ms - b.ms % 1000))),
    Fault("status-filter-ignored", "filters", ("status",),
          "the status filter is ignored",
          query=lambda q: q.with_(status=None)),
    Fault("id-filter-ignored", "filters", ("id",),
          "the id filter is ignored",
          query=lambda q: q.with_(id=None)),
    Fault("filters-or", "filters", ("id", "status", *ALL_BOUNDS),
          "filters are combined with OR instead of AND",
          plan=lambda p, q: replace(p, joiner="OR")),
    # validation
    Fault("limit-over-max-accepted", "validation", ("limit",),
          "limit above 1000 (or below 0) is accepted and answered 200",
          validate=_drop("range", params=("limit",)),
          query=lambda q: q.with_(limit=max(q.limit, 0))),
    Fault("invalid-enum-accepted", "validation", ("status", "sortOrder"),
          "an unknown status or sortOrder is ignored and answered 200",
          validate=_drop("enum")),
    Fault("page-below-one-accepted", "validation", ("page",),
          "page=0 / negative / non-numeric page is answered 200 as page 1",
          validate=_drop("range", "number", params=("page",))),
    Fault("malformed-date-500", "validation", ALL_BOUNDS,
          "a date-time bound that is not RFC 3339 crashes the handler (500 instead of 400)",
          validate=_raise_on_date),
    # auth
    Fault("missing-key-accepted", "auth", ("Authorization",),
          "a request without an Authorization header is served as the primary organisation",
          authenticate=lambda key, keys: keys.get(key) if key else PRIMARY_ORG),
    Fault("unknown-key-accepted", "auth", ("Authorization",),
          "any bearer key is accepted (unknown keys are served as the primary organisation)",
          authenticate=lambda key, keys: keys.get(key, PRIMARY_ORG) if key else None),
    # tenancy
    Fault("other-org-leak", "tenancy", ("orgId", "totalItems"),
          "the organisation scope is dropped: other organisations' campaigns are listed too",
          plan=lambda p, q: replace(p, org=None)),
    # reliability
    Fault("intermittent-5xx", "reliability", ("status code",),
          "every 5th listing request is answered 500",
          before=_every(5, lambda: Interference(status=500))),
    Fault("slow-responses", "reliability", ("latency",),
          f"every 3rd listing request waits ${SLOW_ENV} seconds (default {SLOW_DEFAULT}) before answering",
          before=_every(3, _slow)),
]

_DRIFTS = [
    Fault("added-campaign-field", "shape", ("maxConcurrency",),
          "each campaign gains an undeclared maxConcurrency: 5",
          item=lambda c: {**c, "maxConcurrency": 5}),
    Fault("added-metadata-fields", "shape", ("totalPages", "hasNextPage", "sortOrder"),
          "metadata gains totalPages, hasNextPage and sortOrder (correct: ceil(totalItems/limit), page < totalPages, the order in force)",
          metadata=_page_metadata),
    Fault("widened-status-enum", "shape", ("status",),
          "some scheduled campaigns are served with a new status 'paused'",
          item=_paused),
    Fault("removed-required-field", "shape", ("callsCounterQueued",),
          "campaigns lack the required callsCounterQueued",
          item=_without("callsCounterQueued")),
    Fault("changed-type", "shape", ("callsCounterEnded",),
          "callsCounterEnded is served as a string",
          item=_set("callsCounterEnded", str)),
    Fault("sortby-parameter", "pagination", ("sortBy",),
          "sortBy is honoured as the 2026-04-14 document describes (createdAt, or the hidden cost / duration; ties by id; sortOrder honoured); other values 400",
          plan=_sort_by, params=(("sortBy", SORT_BY_VALUES),)),
]

# Faults of the surface later documents add: caught only with a contract that declares it
# (`derive --from` the newer document, then `run --contract-dir`); each implies the drift variant
# that serves that surface, so `serve --fault NAME` serves it.
_SURFACE_FAULTS = [
    Fault("sortby-pages-overlap", "pagination", ("sortBy", "page"),
          "under sortBy, page N starts N-1 items early: consecutive pages share a campaign",
          plan=_sort_by_overlap, requires=("sortBy",), implies=("sortby-parameter",)),
    Fault("sortby-sort-order-ignored", "pagination", ("sortBy", "sortOrder"),
          "under sortBy, sortOrder is ignored: always descending",
          plan=lambda p, q: replace(p, descending=True, tiebreak_descending=True) if q.extra("sortBy") else p,
          requires=("sortBy",), implies=("sortby-parameter",)),
    Fault("total-pages-off-by-one", "pagination", ("totalPages",),
          "metadata.totalPages is one more than ceil(totalItems / limit)",
          metadata=lambda m, q, n: {**m, "totalPages": m["totalPages"] + 1} if "totalPages" in m else m,
          requires=("totalPages",), implies=("added-metadata-fields",)),
    Fault("has-next-page-wrong", "pagination", ("hasNextPage",),
          "metadata.hasNextPage is true on the last page too (currentPage <= totalPages)",
          metadata=lambda m, q, n: {**m, "hasNextPage": q.page <= m["totalPages"]} if "totalPages" in m else m,
          requires=("hasNextPage",), implies=("added-metadata-fields",)),
]
_FAULTS += _SURFACE_FAULTS

FAULTS: dict[str, Fault] = {f.name: f for f in _FAULTS}
DRIFTS: dict[str, Fault] = {f.name: f for f in _DRIFTS}
assert len(FAULTS) == len(_FAULTS) and len(DRIFTS) == len(_DRIFTS)
assert all(f.area in AREAS for f in _FAULTS)


def lookup(fault: str | None, drift: str | None) -> list[Fault]:
    """The active variants (KeyError with the known names for an unknown one).  A fault's implied
    drift variants come first (its hooks run after theirs: a fault of served totalPages alters the
    value the variant serves).  ``drift`` may name several variants, comma-separated (the surface
    of a later document: ``sortby-parameter,added-metadata-fields``)."""
    active: list[Fault] = []
    wanted = [(fault, FAULTS, "fault")] + [(d.strip(), DRIFTS, "drift") for d in (drift or "").split(",") if d.strip()]
    for name, registry, kind in wanted:
        if name is None:
            continue
        if name not in registry:
            raise KeyError(f"unknown {kind} {name!r}; known: {', '.join(sorted(registry))}")
        active.append(registry[name])
    implied = [DRIFTS[n] for f in active for n in f.implies if DRIFTS[n] not in active]
    return list(dict.fromkeys(implied + active))


def catalogue_text() -> str:
    """What ``serve --list-faults`` prints."""
    width = max(len(n) for n in (*FAULTS, *DRIFTS))
    lines = ["Faults (--fault NAME):"]
    lines += [f"  {f.name:<{width}}  {f.area:<11}  {f.description}" for f in _FAULTS if not f.requires]
    lines += ["", "Faults of the surface later documents add (--fault NAME; serve the variant they imply,"
              " caught with a contract that declares the element: run --contract-dir):"]
    lines += [f"  {f.name:<{width}}  {f.area:<11}  {f.description} [needs {', '.join(f.requires)}; serves "
              f"{', '.join(f.implies)}]" for f in _SURFACE_FAULTS]
    lines += ["", "Drift variants (--drift NAME):"]
    lines += [f"  {f.name:<{width}}  {'drift':<11}  {f.description}" for f in _DRIFTS]
    return "\n".join(lines)
