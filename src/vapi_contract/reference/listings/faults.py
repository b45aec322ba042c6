"""Generic faults of the generated listings: one small, realistic bug each, applicable to any
listing that has the element it is about (``serve --fault NAME`` / ``running_target(fault=NAME)``).

``NAME=PARAM`` aims a fault at one parameter (``generic-equality-filter-ignored=sessionId``: only
that filter is ignored, on every listing declaring it); without it, every parameter of the role.
Each fault is defined by the documented rule the suite should find broken, in its area; it applies
to the generated listings (the campaign listings have their catalogue of the same rules,
:mod:`..faults`).  Hook points (:mod:`.respond`): ``authenticate``, ``before`` (the n-th request),
``validate`` (input problems), ``query``, ``plan``, ``items`` (parsed items) and ``metadata``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Mapping

from ..listing import Problem
from ..seed import PRIMARY_ORG
from ...areas import AREAS
from ..variant import InjectedServerError, Interference
from .model import PAGINATED, Listing
from .query import Query
from .store import Plan

PREFIX = "generic-"


@dataclass(frozen=True)
class GenericFault:
    name: str
    area: str
    rule: str  # the documented rule the suite should find broken
    doc: str  # the doc line it comes from
    description: str  # what the fault does
    applies: Callable[[Listing, str | None], bool]  # (listing, the parameter aimed at) -> can it show?
    target: str | None = None  # NAME=PARAM
    authenticate: Callable[[str | None, Mapping[str, str]], str | None] | None = None
    before: Callable[[int], Interference | None] | None = None
    validate: Callable[[list[Problem], Listing], list[Problem]] | None = None
    query: Callable[[Query, Listing, str | None], Query] | None = None
    plan: Callable[[Plan, Query, Listing], Plan] | None = None
    items: Callable[[list[dict], Query, Listing, str | None], list[dict]] | None = None
    metadata: Callable[[dict, Query, int], dict] | None = None

    @property
    def label(self) -> str:
        return self.name + (f"={self.target}" if self.target else "")

    def on(self, listing: Listing) -> bool:
        return self.applies(listing, self.target)


# -- what a listing must have for a fault to show ---------------------------------------------------
def _has(*roles: str) -> Callable[[Listing, str | None], bool]:
    def check(listing: Listing, target: str | None) -> bool:
        params = listing.having(*roles)
        return any(target is None or p.name == target for p in params)
    return check


def _paginated(listing: Listing, target: str | None) -> bool:
    return listing.family == PAGINATED


def _required_field(listing: Listing, target: str | None) -> bool:
    return bool(_missing(listing, target))


def _missing(listing: Listing, target: str | None) -> str | None:
    """The required field the fault leaves out: the one named, or the first one that is not the
    item's identity or an instant."""
    if target is not None:
        return target if target in listing.required else None
    return next((f for f in listing.required if f not in ("id", "createdAt", "updatedAt")), None)


def _every(listing: Listing, target: str | None) -> bool:
    return True


def _unparented(listing: Listing, target: str | None) -> bool:
    """Not under a parent: a parent's items are its organisation's (a campaign's contacts)."""
    return listing.parent is None


# -- hooks ----------------------------------------------------------------------------------------
def _aimed(target: str | None, name: str) -> bool:
    return target is None or target == name


def _without_equality(q: Query, listing: Listing, target: str | None) -> Query:
    return q.with_(equal=tuple((p, v) for p, v in q.equal if not _aimed(target, p.name)))


def _without_lists(q: Query, listing: Listing, target: str | None) -> Query:
    return q.with_(lists=tuple((p, vs) for p, vs in q.lists if not _aimed(target, p.name)))


def _first_of_lists(q: Query, listing: Listing, target: str | None) -> Query:
    return q.with_(lists=tuple((p, vs[:1] if _aimed(target, p.name) else vs) for p, vs in q.lists))


def _inclusive_bounds(q: Query, listing: Listing, target: str | None) -> Query:
    widened = {"gt": "ge", "lt": "le"}
    return q.with_(bounds=tuple((replace(p, op=widened.get(p.op, p.op)) if _aimed(target, p.name) else p, ms)
                               for p, ms in q.bounds))


def _sort_ignored(q: Query, listing: Listing, target: str | None) -> Query:
    if q.sort is None or not _aimed(target, q.sort) or listing.default_sort is None:
        return q
    return q.with_(sort=listing.default_sort)


def _drop_field(items: list[dict], q: Query, listing: Listing, target: str | None) -> list[dict]:
    name = _missing(listing, target)
    return [{k: v for k, v in item.items() if k != name} for item in items]


def _limit_ignored(q: Query, listing: Listing, target: str | None) -> Query:
    limit = next(iter(listing.having("limit")), None)
    default = int(limit.default) if limit is not None and limit.default is not None else 100
    return q.with_(limit=default)


def _drop_range(problems: list[Problem], listing: Listing) -> list[Problem]:
    return [p for p in problems if not (p.param == "limit" and p.kind == "range")]


def _clamped_limit(q: Query, listing: Listing, target: str | None) -> Query:
    return q.with_(limit=max(q.limit, 0))


def _every_fifth(n: int) -> Interference | None:
    return Interference(status=500) if n % 5 == 0 else None


def _raise_on_date(problems: list[Problem], listing: Listing) -> list[Problem]:
    if any(p.kind == "date" for p in problems):
        raise InjectedServerError("Invalid time value")
    return problems


def _define(name: str, area: str, rule: str, doc: str, description: str, applies, **hooks) -> GenericFault:
    return GenericFault(PREFIX + name, area, rule, doc, description, applies, **hooks)


CATALOGUE: dict[str, GenericFault] = {f.name: f for f in [
    _define("equality-filter-ignored", "filters",
            "every item answered matches each equality filter of the query",
            "assistantId: \"This is the unique identifier for the assistant ...\" (a parameter named after an item field)",
            "an equality filter (=PARAM: that one) is ignored: items of any value are listed",
            _has("equality"), query=_without_equality),
    _define("list-filter-first-only", "filters",
            "a list filter keeps the items matching any of its values",
            "idAny: \"Filter by multiple chat IDs. Provide as comma-separated values.\"",
            "a list filter (=PARAM: that one) keeps only its first value",
            _has("list"), query=_first_of_lists),
    _define("list-filter-ignored", "filters",
            "every item answered matches one of the values of each list filter of the query",
            "status (GET /v2/campaign/{id}/contacts): \"Pass once or multiple times to filter on any of the provided "
            "statuses.\"; idAny: \"Filter by multiple chat IDs. Provide as comma-separated values.\"",
            "a list filter (=PARAM: that one; an array given once or repeated, or comma-separated values) is ignored: "
            "items of any value are listed",
            _has("list"), query=_without_lists),
    _define("page-off-by-one", "pagination",
            "page N holds the items after the first (N-1) x limit in the query's order",
            "page: \"This is the page number to return. Defaults to 1.\"",
            "page N answers the items of page N+1 (offset = page x limit)",
            _has("page"), plan=lambda plan, q, listing: replace(plan, offset=plan.offset + q.limit)
            if plan.after is None else plan),
    _define("limit-ignored", "pagination",
            "a page holds at most limit items",
            "limit: \"This is the maximum number of items to return. Defaults to 100.\"",
            "limit is ignored: every answer holds up to the default number of items",
            _has("limit"), query=_limit_ignored),
    _define("bound-inclusive", "filters",
            "createdAtGt / createdAtLt (and the updatedAt ones) are strict",
            "createdAtGt: \"This will return items where the createdAt is greater than the specified value.\"",
            "a strict bound (=PARAM: that one; else every Gt and Lt) is applied inclusively (>= / <=)",
            lambda listing, target: any(p.op in ("gt", "lt") and (target is None or p.name == target)
                                        for p in listing.having("bound")), query=_inclusive_bounds),
    _define("sort-column-ignored", "pagination",
            "sortBy orders the items by the column it names",
            "sortBy: \"This is the column to sort by. Defaults to 'createdAt'.\"",
            "sortBy (=COLUMN: that value only) is ignored: the default column orders the items",
            lambda listing, target: listing.sort is not None and any(
                c != listing.default_sort and (target is None or c == target) for c in listing.sort_columns),
            query=_sort_ignored),
    _define("sort-order-ignored", "pagination",
            "sortOrder=ASC orders the items ascending",
            "sortOrder: \"This is the sort order for pagination. Defaults to 'DESC'.\"",
            "sortOrder is ignored: always descending",
            _has("order"), query=lambda q, listing, target: q.with_(order="DESC")),
    _define("missing-required-field", "shape",
            "every item carries the fields its schema requires",
            "the item schema's required list",
            "each item lacks a required field (=FIELD: that one; else the first besides id and the instants)",
            _required_field, items=_drop_field),
    _define("total-items-page-count", "pagination",
            "totalItems counts every item matching the filters, on all pages",
            "PaginationMeta.totalItems (required)",
            "metadata.totalItems is the number of items on the page",
            _paginated, metadata=lambda meta, q, n: {**meta, "totalItems": n}),
    _define("filters-or", "filters",
            "the filters of a query combine with AND",
            "every filter of the query must hold (Vapi's list conventions)",
            "filters are combined with OR instead of AND",
            lambda listing, target: len(listing.having("equality", "list", "bound", "search", "flag")) >= 2,
            plan=lambda plan, q, listing: replace(plan, joiner="OR")),
    _define("limit-over-max-accepted", "validation",
            "a limit outside its documented range is a 400",
            "limit: minimum 0, maximum 1000",
            "a limit above its maximum (or below its minimum) is answered 200",
            _has("limit"), validate=_drop_range, query=_clamped_limit),
    _define("malformed-date-500", "validation",
            "a malformed date-time bound is a 400, never a 5xx",
            "createdAtGt: format date-time",
            "a bound that is not RFC 3339 crashes the handler (500)",
            _has("bound"), validate=_raise_on_date),
    _define("missing-key-accepted", "auth",
            "a request without a bearer key is a 401",
            "security: bearer",
            "a request without an Authorization header is served as the primary organisation",
            _every, authenticate=lambda key, keys: keys.get(key) if key else PRIMARY_ORG),
    _define("tenant-leak", "tenancy",
            "a key lists its own organisation's items only",
            "orgId: \"This is the unique identifier for the org that this ... belongs to.\"",
            "the organisation scope is dropped: other organisations' items are listed too",
            _unparented, plan=lambda plan, q, listing: replace(plan, org=None)),
    _define("intermittent-5xx", "reliability",
            "a valid request is never answered 5xx",
            "200 (the only documented answer)",
            "every 5th request to a generated listing is answered 500",
            _every, before=_every_fifth),
]}
assert all(f.area in AREAS for f in CATALOGUE.values())


def lookup(text: str | None) -> GenericFault | None:
    """The generic fault ``text`` names (``NAME`` or ``NAME=PARAM``), None for another name (a
    campaign fault); KeyError naming the generic faults for an unknown ``generic-`` one."""
    if not text or not text.startswith(PREFIX):
        return None
    name, _, target = text.partition("=")
    if name not in CATALOGUE:
        raise KeyError(f"unknown fault {name!r}; the generic ones: {', '.join(CATALOGUE)}")
    return replace(CATALOGUE[name], target=target or None)


def catalogue_text(listings: tuple[Listing, ...] = ()) -> str:
    """What ``serve --list-faults`` adds: each generic fault, its area and rule, and the generated
    listings it applies to (of the contract served)."""
    width = max(len(n) for n in CATALOGUE)
    lines = ["Generic faults (--fault NAME, or NAME=PARAM to aim at one parameter), on the generated listings:"]
    for f in CATALOGUE.values():
        lines.append(f"  {f.name:<{width}}  {f.area:<11}  {f.description}; rule: {f.rule}")
        if listings:
            on = [x.label for x in listings if f.on(x)]
            lines.append(f"  {'':<{width}}  {'':<11}  applies to {len(on)}: {', '.join(on) or 'none'}")
    if not listings:
        lines.append("  (serve --contract-dir DIR --list-faults: the listings each applies to)")
    return "\n".join(lines)
