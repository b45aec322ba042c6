"""Every check the suite runs, in one table: id, rule, doc source, the contract elements it needs,
the coverage-matrix rows it concerns, how it is judged, and what tells its findings apart.

Two kinds of entry:

* **single-response** checks carry ``judge(call)`` and ``exercised_by(call)`` (a
  :class:`~.response.Call`: one answer in its context); :func:`~.response.check_response` runs
  them on every response of a run and in the schemathesis check, like schemathesis' ``@check``;
* **multi-response** checks have neither: a stage reads several answers and an oracle of
  ``invariants/`` judges them (its :class:`~.model.Judgement` names the checks it exercised).
  Which stage can exercise which check is the stage table's declaration
  (:mod:`vapi_contract.runner.stages`), checked against this table by a test.

Every finding carries a **locus** (``Violation.locus``): what tells one fault apart from another
within its check, in terms that hold whatever the data, the seed, the organisation's size or the
night.  Each row states what its locus is (``Check.locus``); the oracle that produces the finding
fills it in.  With the operation and the check id it makes the finding's :func:`fingerprint`, the
name under which history compares nights and a team acknowledges a known deviation.

Applicability (``requires``, the vocabulary of :meth:`~vapi_contract.contract.endpoint.Endpoint.supports`,
shared with the stages' needs): ``pages`` a page parameter (walks, page numbers, the page
metadata: not the array family), ``order`` a documented order (sortOrder: not the array family,
which documents none), ``sort`` a sort-column parameter, ``filters`` any filter,
``enum-filter`` an enum filter, ``cursor`` keyset cursors, ``counters`` the includeCounters flag,
``sibling`` another listing of the same items, ``organisation`` an item field naming it,
``meta:ROLE`` a metadata field of that role, ``field:call-metrics`` the item field of call
outcomes, ``counts`` a count relation to measure (a filter inside windows; without windows an enum
filter over totalItems), ``windows`` createdAt bounds that cut windows and pin queries to the run's snapshot
(the checks comparing answers over windows or pins: filter completeness, the sort-column relations,
cursor walks, the walk's order; a listing without them, GET /v2/campaign/{id}/contacts, is judged
answer by answer, its walks and counts on reads that agree before and after), ``limit-default`` a documented default limit (GET /v2/knowledge-base has none: a read
without ``limit`` has no limit to judge).  On a contract without them the check is not applicable
(not listed).  Matrix rows
(``rows``): ``params`` / ``meta`` / ``fields`` every parameter / metadata field / item field,
``param:ROLE`` the parameters of a role (page-number, page-size, order, sort, counters, bounds,
created-bounds, equality, enum-filters), ``meta:ROLE`` the metadata field of a role
(items-per-page, total-items, current-page, total-pages, has-next-page, sort-order,
next-cursor), ``field:counted`` / ``field:call-metrics`` the item fields of those roles.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable

from ..areas import COVERAGE_COLUMNS
from . import access, counters, cursors, filtering, inputs, operations, pagemeta, paging, reliability, shape, sorting


@dataclass(frozen=True)
class Check:
    id: str
    rule: str  # one plain sentence
    source: str  # the doc line (or contract element) the rule comes from
    locus: str  # what tells one finding of this check apart from another (the fingerprint's third part)
    requires: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    judge: Callable | None = None  # single-response: judge(call) -> violations
    exercised_by: Callable | None = None  # single-response: did this call exercise the check?

    @property
    def area(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def single_response(self) -> bool:
        return self.judge is not None

    def applies(self, endpoint) -> bool:
        return all(endpoint.supports(e) for e in self.requires)

    def concerns(self, endpoint, kind: str, name: str) -> bool:
        """Is matrix row ``name`` (``kind`` parameter | metadata | item-field) one this check
        asserts about?"""
        for row in self.rows:
            row_kind, _, role = row.partition(":")
            if kind == "parameter" and (row == "params" or row_kind == "param" and name in _params(endpoint, role)):
                return True
            if kind == "metadata" and (row == "meta" or row_kind == "meta" and endpoint.meta_name(role) == name):
                return True
            if kind == "item-field" and (row == "fields" or row_kind == "field" and name in _fields(endpoint, role)):
                return True
        return False


def _params(endpoint, role: str) -> set[str]:
    if role == "bounds":
        return {b.param for b in endpoint.bounds}
    if role == "created-bounds":
        return {b.param for b in endpoint.bounds if b.field == endpoint.created}
    if role == "equality":
        return {f.param for f in endpoint.filters}
    if role == "enum-filters":
        return {f.param for f in endpoint.enum_filters}
    return {p for p in endpoint.parameter_names if endpoint.role(p) == role}


def _fields(endpoint, role: str) -> set[str]:
    if role == "counted":
        return set(endpoint.counters.fields) if endpoint.counters is not None else set()
    if role == "call-metrics":
        return {endpoint.call_metrics.field} if endpoint.call_metrics is not None else set()
    return set()


def fingerprint(operation: str, check: str, locus: str) -> str:
    """The finding's short stable name: the same fault on the same operation gives the same
    fingerprint across seeds, sizes, nights and data (the locus holds nothing that varies with
    them); two faults the check tells apart give two."""
    return hashlib.sha256(f"{operation}\x1f{check}\x1f{locus}".encode("utf-8")).hexdigest()[:12]


# -- the doc lines --------------------------------------------------------------------------------------
_DOC_LIMIT = "limit: number, 0-1000. \"This is the maximum number of items to return. Defaults to 100.\""
_DOC_PAGE = "page: number, >=1. \"This is the page number to return. Defaults to 1.\""
_DOC_ORDER = "sortOrder: enum ASC|DESC. \"This is the sort order for pagination. Defaults to 'DESC'.\""
_DOC_SORT_BY = "sortBy: enum createdAt|duration|cost (2026-04-14 on). \"This is the column to sort by. Defaults to 'createdAt'.\""
_DOC_GT = "createdAtGt: \"This will return items where the createdAt is greater than the specified value.\" (and the other seven bounds)"
_DOC_TOTAL = "metadata.totalItems (PaginationMeta, required)"
_DOC_CURSOR = ("PaginationMeta.nextCursor (2026-08-18): \"Opaque cursor for the next page under keyset pagination. Pass it "
               "back as the `cursor` query param to fetch the next page without an OFFSET scan. Present only when a further "
               "page likely exists.\"")
_DOC_COUNTERS = ("includeCounters (GET /v2/campaign): \"When true, every campaign in the response includes `contactCounters` "
                 "and `callMetrics`.\"")
# what a walk showed (the page-walk checks' loci, and the cursor and sort-column walks')
_WALK_LOCUS = ("what the walk showed: more or fewer items than totalItems, other items than a one-page read, an item on "
               "two pages, the column and direction out of order, totalItems varying, a page past the end with items")


# -- single-response predicates ---------------------------------------------------------------------------
def _paged(c) -> bool:
    return c.paging is not None


def _ordered_by_created(c) -> bool:
    return c.paging is not None and c.sort_column[0] == c.endpoint.created and len(c.obs.results) > 1


def _ordered_by_explicit_column(c) -> bool:
    column, explicit = c.sort_column
    return c.paging is not None and explicit and column in c.endpoint.item_fields and len(c.obs.results) > 1


def _pages_countable(role: str) -> Callable:
    return lambda c: c.paging is not None and c.carries(c.endpoint.meta_name(role)) and \
        pagemeta.expected_pages(c.endpoint, c.obs.metadata) is not None


CHECKS: dict[str, Check] = {c.id: c for c in [
    Check(shape.BODY_SCHEMA, "Every 2xx body matches the operation's paginated response schema, at full depth, formats asserted.",
          "Response: results (list of Campaign), metadata (PaginationMeta) — CampaignPaginatedResponse in the published OpenAPI document",
          "the place in the schema: the instance location with indices and map keys as *, down to the field at fault "
          "(the missing property of required), then the keyword",
          rows=("params", "meta", "fields"), exercised_by=lambda c: c.ok,
          judge=lambda c: shape.body_schema(c.obs, c.validator, c.endpoint)),
    Check(shape.CONTENT_TYPE, "Every 2xx response is JSON (Content-Type application/json).", "200 Retrieved — application/json",
          "the media type served (or missing)", exercised_by=lambda c: c.ok, judge=lambda c: shape.content_type(c.obs)),
    Check(paging.LIMIT_RESPECTED, "A page never holds more results than the limit in force.", _DOC_LIMIT,
          "which paging parameters the query named (or: defaults)",
          rows=("param:page-size",), exercised_by=_paged, judge=lambda c: paging.limit_respected(c.obs, c.paging)),
    Check(paging.ITEMS_PER_PAGE, "metadata.itemsPerPage equals the limit in force (100 when absent).", _DOC_LIMIT,
          "which paging parameters the query named (or: defaults)",
          requires=("pages",), rows=("param:page-size", "meta:items-per-page"), exercised_by=_paged,
          judge=lambda c: paging.items_per_page(c.obs, c.paging, c.endpoint.paging_meta.items_per_page)),
    Check(paging.CURRENT_PAGE, "metadata.currentPage equals the requested page (1 when absent).", _DOC_PAGE,
          "which paging parameters the query named (or: defaults)",
          requires=("pages",), rows=("param:page-number", "meta:current-page"), exercised_by=_paged,
          judge=lambda c: paging.current_page(c.obs, c.paging, c.endpoint.paging_meta.current_page)),
    Check(paging.PAGE_SIZE, "A page holds min(limit, totalItems - (page-1)*limit) results: full pages before the last, the remainder on it.",
          _DOC_LIMIT + " / " + _DOC_TOTAL, "which paging parameters the query named, and more or fewer results than due",
          requires=("pages",), rows=("param:page-number", "param:page-size", "meta:total-items"), exercised_by=_paged,
          judge=lambda c: paging.page_size(c.obs, c.paging)),
    Check(paging.ORDER, "Results are ordered by createdAt in the requested direction (DESC when absent).", _DOC_ORDER,
          "the column and the direction", requires=("order",), rows=("param:order",), exercised_by=_ordered_by_created,
          judge=lambda c: paging.page_order(c.obs, c.endpoint.created, c.paging)),
    Check(paging.DEFAULTS, "Without parameters the answer equals page=1, limit=100, sortOrder=DESC (the array family: "
          "without limit, the same items as limit=100, judged on two complete reads of one window).",
          _DOC_PAGE + " / " + _DOC_LIMIT + " / " + _DOC_ORDER,
          "what differs: the metadata fields, the sequence of creation instants (the array family: the items held)",
          requires=("limit-default",), rows=("param:page-number", "param:page-size", "param:order")),
    Check(paging.WALK_COMPLETE, "Walking all pages yields exactly totalItems results.", _DOC_TOTAL,
          "more or fewer items than totalItems, or other items than a one-page read",
          requires=("pages",), rows=("param:page-number", "meta:total-items")),
    Check(paging.WALK_DISJOINT, "Walking all pages never yields the same item twice.", _DOC_PAGE, "an item on two pages",
          requires=("pages",), rows=("param:page-number",)),
    Check(paging.WALK_ORDERED, "The concatenated walk is ordered by createdAt in the requested direction.", _DOC_ORDER,
          "the column and the direction", requires=("pages", "order", "windows"), rows=("param:order",)),
    Check(paging.TOTAL_STABLE, "totalItems is the same on every page of one query, past the end included.", _DOC_TOTAL,
          "totalItems varies", requires=("pages",), rows=("meta:total-items",)),
    Check(paging.PAST_END, "A page past the end is 200 with no results.", _DOC_PAGE,
          "items past the end, or the status class answered", requires=("pages",), rows=("param:page-number",)),
    Check(filtering.MEMBERSHIP, "Every returned item satisfies every filter of the query (filters are ANDed).",
          "id, status and " + _DOC_GT,
          "the filters the item fails (an enum filter with its value; a bound written with a UTC offset; @bound for an item "
          "at the bound's very instant), among the filters the query combined",
          requires=("filters",), rows=("param:bounds", "param:equality"),
          exercised_by=lambda c: bool(c.filters) and bool(c.obs.results),
          judge=lambda c: filtering.membership(c.endpoint, c.obs, c.scaffolding)),
    Check(filtering.COMPLETENESS, "No item that satisfies the filters is missing, and totalItems (where the listing has it) counts exactly them.",
          "id, status and " + _DOC_GT, "missing or beyond the window, and the query's filters (as for membership)",
          requires=("filters", "windows"), rows=("param:bounds", "param:equality", "meta:total-items")),
    Check(filtering.METAMORPHIC, "totalItems(createdAtLt=t) + totalItems(createdAtGe=t) = totalItems(), the values of an enum "
          "filter (status) partition the whole, an enum filter given several values counts the items of each, and a "
          "tighter filter never returns more (a listing without windows: judged on two rounds of counts that agree; "
          "the array family, without "
          "totalItems: the two sides of a split, and the values of an enum filter, hold a window's items each once, "
          "judged on complete reads).", _DOC_GT,
          "the relation: a split (its two bounds), a partition (its enum filter), a tightening (its bounds)",
          requires=("counts",), rows=("param:created-bounds", "param:enum-filters", "meta:total-items")),
    Check(inputs.REJECTS_INVALID, "A value outside the documented type, range or enum gets a 4xx, never a 2xx or 5xx.",
          "Query parameters: page >=1, limit 0-1000, status/sortOrder enums, date-time bounds",
          "what makes the query invalid (each parameter and how: out of range, not in its enum, ...) and the status class",
          rows=("params",), exercised_by=lambda c: c.verdict.kind == inputs.INVALID,
          judge=lambda c: inputs.rejects_invalid(c.obs, c.verdict)),
    Check(inputs.ACCEPTS_VALID, "Every documented, valid combination of parameters gets 200.", "Query parameters (all optional)",
          "the status answered", rows=("params",), exercised_by=lambda c: c.valid,
          judge=lambda c: inputs.accepts_valid(c.obs, c.verdict)),
    Check(inputs.ERROR_BODY, "A 400 carries a JSON error body (NestJS: message, statusCode).", "contract addition: 400 BadRequestError",
          "the place in the error schema and the keyword (as for shape.body-schema)",
          exercised_by=lambda c: c.obs.status == 400,
          judge=lambda c: inputs.error_body(c.obs, c.validator, c.endpoint.error_schema)),
    Check(access.MISSING_KEY, "A request without a key gets 401.", "Authentication: Authorization Bearer", "the status answered"),
    Check(access.WRONG_KEY, "A request with an unknown key gets 401.", "Authentication: Authorization Bearer", "the status answered"),
    Check(access.SINGLE_ORG, "Every item seen with one key belongs to one orgId.",
          "orgId: \"the unique identifier for the org that this campaign belongs to\"", "the organisation field",
          requires=("organisation",)),
    Check(reliability.NO_5XX, "No request is answered with a 5xx.", "200 Retrieved (and the documented 400/401)",
          "the status, and how the docs classify the query (valid, invalid, undecided)",
          exercised_by=lambda c: True, judge=lambda c: reliability.no_server_error(c.obs, c.verdict.kind)),
    Check(reliability.RESPONSE_TIME, "Every response arrives within --max-response-time.", "run configuration",
          "slower than the limit", exercised_by=lambda c: True, judge=lambda c: reliability.in_time(c.obs, c.max_seconds)),
    Check(reliability.RESPONSE_BOUNDED, "Every response fits the reader's bounds: a body of at most --max-response-bytes "
          "(16 MiB by default) on the wire and once decoded, JSON nested at most 64 deep, at most 500,000 arrays and "
          "objects and 2,000,000 values.", "RFC 8259 §9 (an implementation may set limits on the size of texts and the "
          "depth of nesting); a 1000-item page of full campaigns is about 2 MB, nested 15 deep",
          "the kind of bound crossed (too-large on the wire or decoded, too-deep, too-many values)",
          exercised_by=lambda c: True, judge=lambda c: reliability.bounded(c.obs)),
    Check(reliability.RESPONSE_COMPLETE, "Every response arrives whole within its deadline (3 x --max-response-time, at "
          "least 2 s, headers and body): the body its framing announces, in a Content-Encoding the request accepted that decodes.",
          "RFC 9112 §6 (message body length), RFC 9110 §8.4 (Content-Encoding), run configuration",
          "how the body fell short (stalled, cut, undecodable)",
          exercised_by=lambda c: True, judge=lambda c: reliability.complete(c.obs)),
    Check(reliability.WELL_FORMED_JSON, "Every body that is JSON (2xx, or a JSON Content-Type) is one well-formed JSON "
          "text: UTF-8, no NaN or Infinity, no number beyond a double, no name twice in one object.",
          "RFC 8259 §4 (names SHOULD be unique), §6 (Infinity and NaN are not permitted), §8.1 (UTF-8); "
          "200 Retrieved — application/json",
          "what the JSON reader refused (NaN or Infinity, a duplicate name, not UTF-8, not JSON)",
          exercised_by=lambda c: reliability.expects_json(c.obs) and (c.obs.body is not None or c.obs.defect is not None),
          judge=lambda c: reliability.well_formed(c.obs)),
    # the contract surface later documents add
    Check(sorting.ORDER, "Under sortBy=C, where results expose C, results and walks are ordered by C in the requested direction (ties in any order).",
          _DOC_SORT_BY, "the column and the direction (under a walk: the sortBy value first)",
          requires=("sort",), rows=("param:sort",), exercised_by=_ordered_by_explicit_column,
          judge=lambda c: paging.page_order(c.obs, c.sort_column[0], c.paging, check=sorting.ORDER,
                                            declared=c.endpoint.declared_order(c.sort_column[0]))),
    Check(sorting.WALK, "A walk under each sortBy value is complete and disjoint, with the same totalItems and the same items as without sortBy.",
          _DOC_SORT_BY + " / " + _DOC_TOTAL, "the sortBy value, then " + _WALK_LOCUS, requires=("sort", "windows"),
          rows=("param:sort",)),
    Check(sorting.REVERSE, "Under each sortBy value, sortOrder=ASC is the reverse of DESC apart from ties.",
          _DOC_SORT_BY + " / " + _DOC_ORDER, "the sortBy value", requires=("sort", "order", "windows"),
          rows=("param:sort", "param:order")),
    Check(sorting.DEFAULT, "Without sortBy the answer equals sortBy=<its documented default>.",
          _DOC_SORT_BY, "the sortBy value", requires=("sort", "windows"), rows=("param:sort",)),
    Check(pagemeta.TOTAL_PAGES, "metadata.totalPages = ceil(totalItems / itemsPerPage).",
          "PaginationMeta.totalPages (number)", "above or below the count due (or not a number)",
          requires=("meta:total-pages",), rows=("meta:total-pages",),
          exercised_by=_pages_countable("total-pages"), judge=lambda c: pagemeta.total_pages(c.endpoint, c.obs)),
    Check(pagemeta.HAS_NEXT_PAGE, "metadata.hasNextPage is true exactly when currentPage < totalPages (ceil(totalItems / itemsPerPage)).",
          "PaginationMeta.hasNextPage (boolean)", "the value served, and on or before the last page",
          requires=("meta:has-next-page",), rows=("meta:has-next-page",),
          exercised_by=_pages_countable("has-next-page"), judge=lambda c: pagemeta.has_next_page(c.endpoint, c.obs)),
    Check(cursors.WALK, "Following nextCursor from page 1 yields the query's items, each once, in its order: the same items "
          "as the query read whole, whatever its filters, sortOrder, sortBy and limit; no page above the limit.",
          _DOC_CURSOR, _WALK_LOCUS + "; or a page above the limit",
          requires=("cursor", "windows"), rows=("meta:next-cursor", "param:page-size", "param:order", "param:sort")),
    Check(cursors.END, "When no further page exists, nextCursor is absent, or it leads to an empty page.", _DOC_CURSOR,
          "items after the last page, or a chain without end", requires=("cursor", "windows"), rows=("meta:next-cursor",)),
    Check(cursors.MALFORMED, "A malformed cursor is rejected with a 4xx that says why, never a 2xx or 5xx.", _DOC_CURSOR,
          "the status class (and a 4xx without a message)", requires=("cursor", "windows"), rows=("meta:next-cursor",)),
    Check(counters.INCLUDED, "With includeCounters=true every item carries contactCounters and callMetrics.", _DOC_COUNTERS,
          "the fields missing", requires=("counters",), rows=("param:counters", "field:counted"),
          exercised_by=lambda c: c.ok and bool(c.obs.results) and counters.asked(c.endpoint, c.obs),
          judge=lambda c: counters.included(c.endpoint, c.obs)),
    Check(counters.WITHIN_DIALED, "callMetrics.connected never exceeds callMetrics.dialed.",
          "CampaignCallMetrics.connected: \"This is the number of those calls a human picked up.\" (of the dialed ones)",
          "connected above dialed", requires=("field:call-metrics",), rows=("field:call-metrics",),
          exercised_by=lambda c: c.ok and counters.carries_metrics(c.endpoint, c.obs),
          judge=lambda c: counters.connected_within_dialed(c.endpoint, c.obs)),
    Check(operations.AGREE, "Two list operations of the contract (GET /campaign, GET /v2/campaign) answer the same query "
          "with the same totalItems, the same items and the same order.",
          "List Campaigns V2: the same query parameters as List Campaigns, items as CampaignSummary",
          "the other operation, and other items or another order", requires=("sibling", "windows"), rows=("meta:total-items",)),
    Check(pagemeta.SORT_ORDER_ECHO, "metadata.sortOrder is the sort order in force (the requested one, DESC when absent).",
          "PaginationMeta.sortOrder (enum ASC|DESC) / " + _DOC_ORDER, "the sort order in force",
          requires=("order", "meta:sort-order"), rows=("meta:sort-order",),
          exercised_by=lambda c: c.paging is not None and c.carries(c.endpoint.meta_name("sort-order")),
          judge=lambda c: pagemeta.sort_order_echo(c.endpoint, c.obs, c.paging.sort_order)),
]}


def applicable(endpoint) -> dict[str, Check]:
    """The checks that concern ``endpoint``: every check whose contract elements it declares."""
    return {cid: c for cid, c in CHECKS.items() if c.applies(endpoint)}


def single_response(endpoint) -> tuple[Check, ...]:
    """The applicable checks one response is judged on (what :func:`~.response.check_response` runs)."""
    return tuple(c for c in applicable(endpoint).values() if c.single_response)


def matrix_rows(endpoint) -> list[tuple[str, str, bool, dict[str, list[str]]]]:
    """(name, kind, typed only, column -> the applicable checks of that column concerning the row)
    for every row of the coverage matrix: the declared query parameters, the metadata fields (those
    with a documented meaning, then those typed only), the item fields an oracle reads, then their
    properties typed only.  A typed-only row is checked for its shape alone (a typed-only query
    parameter, conventions' "typed only", also for the validation of the values it is sent with)."""
    checks = applicable(endpoint).values()
    typed = set(endpoint.typed_only_parameters)
    rows = ([(name, "parameter", name in typed) for name in endpoint.parameter_names]
            + [(name, "metadata", False) for name in endpoint.documented_metadata]
            + [(name, "metadata", True) for name in endpoint.type_only_metadata]
            + [(name, "item-field", False) for name, _ in endpoint.item_parts]
            + [(name, "item-field", True) for name in endpoint.type_only_item_fields])
    out = []
    for name, kind, typed_only in rows:
        by_column: dict[str, list[str]] = {}
        for check in checks:
            if check.area in COVERAGE_COLUMNS and check.concerns(endpoint, kind, name) and \
                    (not typed_only or check.id == shape.BODY_SCHEMA
                     or kind == "parameter" and check.area == "validation"):  # a typed-only parameter: sent, answers shaped
                by_column.setdefault(check.area, []).append(check.id)
        out.append((name, kind, typed_only, by_column))
    return out
