"""The catalogue of the reference target's switchable faults and drift variants (what a variant
is, and its hooks: :mod:`.variant`).

Every fault must be observable from the documented contract alone, on the seeded data: shape
faults hit many items of every page, filter faults change realistic answers at seeded instants
(ties and 1 ms neighbours), reliability faults are deterministic (every 5th / 3rd request).
The faults of the 2026-08-18 surface (cursors, five statuses, GET /v2/campaign) are in
:mod:`.current_faults`; a fault whose elements the served surface lacks either brings the drift
variant that serves them, or cannot be served there (:func:`lookup`).

``FAULTS`` and ``DRIFTS`` are the registries (name -> Fault); ``--list-faults`` prints them,
grouped by the surface they need.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, Callable

from ..timeutil import parse_ms
from .current_faults import CURRENT_FAULTS
from .listing import BoundFilter, Problem, Query
from .respond import page_fields
from .seed import PRIMARY_ORG
from .store import Plan
from .surface import SURFACES, Surface
from .surface import surface as surface_named
from ..areas import AREAS
from .variant import ALL_BOUNDS, Fault, InjectedServerError, Interference, set_field, without_field

SLOW_ENV = "VAPI_TARGET_SLOW_SECONDS"
SLOW_DEFAULT = 1.5
__all__ = ["DRIFTS", "FAULTS", "Fault", "InjectedServerError", "Interference", "SLOW_ENV", "catalogue_text",
           "lookup", "needing"]


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






def _paused(c: dict) -> dict:
    if c.get("status") == "scheduled" and c.get("id", "")[:1] in "012345678":
        c["status"] = "paused"
    return c


SORT_BY_VALUES = ("cost", "createdAt", "duration")  # the 2026-04-14 document's sortBy enum


def _sort_by(q: Query) -> Query:
    """sortBy as the 2026-04-14 document describes it ("This is the column to sort by. Defaults to
    'createdAt'."): createdAt, or the hidden cost / duration column; ties by id; sortOrder honoured."""
    value = q.extra("sortBy")
    return q.with_(sort_by=value) if value is not None else q


def _page_metadata(m: dict, q: Query, n: int) -> dict:
    """totalPages, hasNextPage and sortOrder, as their descriptions say (the 2026-08-18 surface's)."""
    return {**m, **page_fields(m["totalItems"], q.limit, m["currentPage"], q.sort_order)}


def _sort_by_overlap(p: Plan, q: Query) -> Plan:
    """Under sortBy, page N starts N-1 items early: each page repeats the previous page's last item."""
    if "sortBy" not in q.given or q.cursor is not None:
        return p
    return replace(p, offset=max(0, p.offset - (q.page - 1)))


# -- the catalogue ----------------------------------------------------------------------------
_FAULTS = [
    # shape
    Fault("missing-required-field", "shape", ("callsCounterEndedVoicemail",),
          "every campaign lacks the required callsCounterEndedVoicemail",
          item=without_field("callsCounterEndedVoicemail"), paths=("/campaign",)),  # CampaignSummary has no such field
    Fault("nested-wrong-type", "shape", ("customers[].assistantOverrides",),
          "a number deep in each customer's assistantOverrides (voice/transcriber/model) is served as a string",
          item=_nested_wrong_type, paths=("/campaign",)),  # CampaignSummary carries no customers
    Fault("status-outside-enum", "shape", ("status",),
          "ended campaigns are served with status 'Ended' (capitalised, outside the enum)",
          item=set_field("status", lambda s: "Ended" if s == "ended" else s)),
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
    Fault("added-campaign-field", "shape", ("maxRetries",),
          "each campaign gains an undeclared maxRetries: 2",
          item=lambda c: {**c, "maxRetries": 2}),
    Fault("added-metadata-fields", "shape", ("totalPages", "hasNextPage", "sortOrder"),
          "metadata gains totalPages, hasNextPage and sortOrder (correct: ceil(totalItems/limit), page < totalPages, the order in force)",
          metadata=_page_metadata, serves=("totalPages", "hasNextPage", "sortOrder")),
    Fault("widened-status-enum", "shape", ("status",),
          "some scheduled campaigns are served with a new status 'paused'",
          item=_paused),
    Fault("removed-required-field", "shape", ("callsCounterQueued",),
          "campaigns lack the required callsCounterQueued",
          item=without_field("callsCounterQueued")),
    Fault("changed-type", "shape", ("callsCounterEnded",),
          "callsCounterEnded is served as a string",
          item=set_field("callsCounterEnded", str)),
    Fault("sortby-parameter", "pagination", ("sortBy",),
          "sortBy is honoured as the 2026-04-14 document describes (createdAt, or the hidden cost / duration; ties by id; sortOrder honoured); other values 400",
          query=_sort_by, params=(("sortBy", SORT_BY_VALUES),), serves=("sortBy",)),
]

# Faults of sortBy and the page metadata (the 2026-04-14 document on): served natively by the
# 2026-08-18 surface; on 2026-04-11 each brings the drift variant that serves its element.
_SURFACE_FAULTS = [
    Fault("sortby-pages-overlap", "pagination", ("sortBy", "page"),
          "under sortBy, page N starts N-1 items early: consecutive pages share a campaign",
          plan=_sort_by_overlap, requires=("sortBy",), implies=("sortby-parameter",)),
    Fault("sortby-sort-order-ignored", "pagination", ("sortBy", "sortOrder"),
          "under sortBy, sortOrder is ignored: always descending",
          plan=lambda p, q: replace(p, descending=True, tiebreak_descending=True) if "sortBy" in q.given else p,
          requires=("sortBy",), implies=("sortby-parameter",)),
    Fault("total-pages-off-by-one", "pagination", ("totalPages",),
          "metadata.totalPages is one more than ceil(totalItems / limit)",
          metadata=lambda m, q, n: {**m, "totalPages": m["totalPages"] + 1} if "totalPages" in m else m,
          requires=("totalPages",), implies=("added-metadata-fields",)),
    Fault("has-next-page-wrong", "pagination", ("hasNextPage",),
          "metadata.hasNextPage is true on the last page too (currentPage <= totalPages)",
          metadata=lambda m, q, n: {**m, "hasNextPage": m["currentPage"] <= m["totalPages"]} if "totalPages" in m else m,
          requires=("hasNextPage",), implies=("added-metadata-fields",)),
]
_FAULTS += _SURFACE_FAULTS + CURRENT_FAULTS

FAULTS: dict[str, Fault] = {f.name: f for f in _FAULTS}
DRIFTS: dict[str, Fault] = {f.name: f for f in _DRIFTS}
assert len(FAULTS) == len(_FAULTS) and len(DRIFTS) == len(_DRIFTS)
assert all(f.area in AREAS for f in _FAULTS)
assert all(n in DRIFTS for f in _FAULTS for n in f.implies)
assert all(set(f.requires) <= {e for n in f.implies for e in DRIFTS[n].serves} for f in _FAULTS if f.implies)


def lookup(fault: str | None, drift: str | None, surface: str | Surface | None = None) -> list[Fault]:
    """The active variants on ``surface`` (default: the default surface).  KeyError with the known
    names for an unknown one; ValueError for a fault the surface cannot show (it lacks an element
    the fault is about and no drift variant serves it).  A fault whose elements the surface lacks
    brings the drift variants it implies, first (its hooks run after theirs: a fault of served
    totalPages alters the value the variant serves).  ``drift`` may name several variants,
    comma-separated (the surface of a later document: ``sortby-parameter,added-metadata-fields``);
    one that only serves what the surface serves natively is left out (it would add nothing)."""
    served = surface_named(surface)
    active: list[Fault] = []
    wanted = [(fault, FAULTS, "fault")] + [(d.strip(), DRIFTS, "drift") for d in (drift or "").split(",") if d.strip()]
    for name, registry, kind in wanted:
        if name is None:
            continue
        if name not in registry:
            raise KeyError(f"unknown {kind} {name!r}; known: {', '.join(sorted(registry))}")
        active.append(registry[name])
    implied: list[Fault] = []
    for f in active:
        if f.served_by(served):
            continue
        if not f.implies:
            missing = sorted(set(f.requires) - served.elements)
            raise ValueError(f"fault {f.name!r} needs {', '.join(missing)}, which the {served.name} surface does not"
                             f" serve (see --list-faults)")
        implied += [DRIFTS[n] for n in f.implies if DRIFTS[n] not in active]
    return [v for v in dict.fromkeys(implied + active) if v.adds_to(served)]


def needing(surface: Surface) -> list[Fault]:
    """The faults ``surface`` cannot show by itself (their elements are not all served)."""
    return [f for f in _FAULTS if not f.served_by(surface)]


def catalogue_text() -> str:
    """What ``serve --list-faults`` prints: the faults every surface shows, then the faults of
    elements some surfaces lack, under the surfaces that serve them."""
    width = max(len(n) for n in (*FAULTS, *DRIFTS))

    def row(f: Fault, kind: str) -> str:
        notes = [f"needs {', '.join(f.requires)}"] if f.requires else []
        notes += [f"only {', '.join(f.paths)}"] if f.paths else []
        notes += [f"elsewhere serves {', '.join(f.implies)}"] if f.implies else []
        return f"  {f.name:<{width}}  {kind:<11}  {f.description}" + (f" [{'; '.join(notes)}]" if notes else "")

    everywhere = [f for f in _FAULTS if all(f.served_by(s) for s in SURFACES.values())]
    lines = ["Faults (--fault NAME), on every surface:"] + [row(f, f.area) for f in everywhere]
    groups: dict[tuple[tuple[str, ...], bool], list[Fault]] = {}
    for f in _FAULTS:
        if f not in everywhere:
            native = tuple(name for name, s in SURFACES.items() if f.served_by(s))
            groups.setdefault((native, bool(f.implies)), []).append(f)
    for (native, implies), faults in groups.items():
        lacking = ", ".join(name for name in SURFACES if name not in native)
        how = f"on {lacking} with the drift variant it names" if implies else f"not on {lacking}"
        lines += ["", f"Faults of the {' and '.join(native)} surface ({how}; caught with a contract that declares"
                      f" the element it needs):"] + [row(f, f.area) for f in faults]
    lines += ["", "Drift variants (--drift NAME):"]

    def where(f: Fault) -> str:
        native = [n for n, s in SURFACES.items() if not f.adds_to(s)]
        if not native:
            return ""
        return (f" [only on {', '.join(n for n in SURFACES if n not in native)}: {', '.join(native)} serves"
                f" {', '.join(f.serves)} natively]")

    lines += [row(f, "drift") + where(f) for f in _DRIFTS]
    return "\n".join(lines)
