"""Every check the suite runs, in one table: id, rule, doc source, the contract elements it needs,
the coverage-matrix rows it concerns, and how it is judged.

Two kinds of entry:

* **single-response** checks carry ``judge(call)`` and ``exercised_by(call)`` (a
  :class:`~.response.Call`: one answer in its context); :func:`~.response.check_response` runs
  them on every response of a run and in the schemathesis check, like schemathesis' ``@check``;
* **multi-response** checks are judged by an oracle over several answers (``oracle`` names it);
  the oracle's :class:`~.model.Judgement` says which checks it exercised.

Adding a check is one entry here plus its oracle.  The report, the summary, the console, the
coverage matrix and ``run --only`` all read this table.

Applicability (``requires``): ``sort`` a sort-column parameter, ``meta:NAME`` a metadata field,
``field:NAME`` an item field, ``filters`` any filter, ``enum-filter`` an enum filter, ``cursor``
keyset cursors, ``counters`` the includeCounters flag, ``sibling`` another list operation.  On a
contract without them the check is not applicable (not listed).  Matrix rows (``rows``):
``params`` / ``meta`` / ``fields`` every parameter / metadata field / item field, ``param:ROLE``
the parameters of a role (page-number, page-size, order, sort, counters, bounds, created-bounds,
equality, enum-filters), ``meta:NAME``, ``field:NAME``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..contract import conventions as C
from . import access, counters, cursors, filtering, inputs, operations, pagemeta, paging, reliability, shape, sorting

COVERAGE_COLUMNS = ("shape", "pagination", "filters", "validation")


@dataclass(frozen=True)
class Check:
    id: str
    rule: str  # one plain sentence
    source: str  # the doc line (or contract element) the rule comes from
    requires: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    judge: Callable | None = None  # single-response: judge(call) -> violations
    exercised_by: Callable | None = None  # single-response: did this call exercise the check?
    oracle: Callable | None = None  # multi-response: the pure function that judges it

    @property
    def area(self) -> str:
        return self.id.split(".", 1)[0]

    def applies(self, endpoint) -> bool:
        return all(endpoint.supports(e) for e in self.requires)

    def concerns(self, endpoint, kind: str, name: str) -> bool:
        """Is matrix row ``name`` (``kind`` parameter | metadata | item-field) one this check
        asserts about?"""
        for row in self.rows:
            if kind == "parameter" and (row == "params" or row.startswith("param:") and name in _params(endpoint, row[6:])):
                return True
            if kind == "metadata" and (row == "meta" or row == f"meta:{name}"):
                return True
            if kind == "item-field" and (row == "fields" or row == f"field:{name}"):
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


# -- single-response predicates ---------------------------------------------------------------------------
def _paged(c) -> bool:
    return c.paging is not None


def _ordered_by_created(c) -> bool:
    return c.paging is not None and c.sort_column[0] == c.endpoint.created and len(c.obs.results) > 1


def _ordered_by_explicit_column(c) -> bool:
    column, explicit = c.sort_column
    return c.paging is not None and explicit and column in c.endpoint.item_fields and len(c.obs.results) > 1


def _pages_countable(field: str) -> Callable:
    return lambda c: c.paging is not None and c.carries(field) and pagemeta.expected_pages(c.obs.metadata) is not None


CHECKS: dict[str, Check] = {c.id: c for c in [
    Check(shape.BODY_SCHEMA, "Every 2xx body matches the operation's paginated response schema, at full depth, formats asserted.",
          "Response: results (list of Campaign), metadata (PaginationMeta) — CampaignPaginatedResponse in the published OpenAPI document",
          rows=("params", "meta", "fields"), exercised_by=lambda c: c.ok,
          judge=lambda c: shape.body_schema(c.obs, c.validator, c.endpoint)),
    Check(shape.CONTENT_TYPE, "Every 2xx response is JSON (Content-Type application/json).", "200 Retrieved — application/json",
          exercised_by=lambda c: c.ok, judge=lambda c: shape.content_type(c.obs)),
    Check(paging.LIMIT_RESPECTED, "A page never holds more results than the limit in force.", _DOC_LIMIT,
          rows=("param:page-size",), exercised_by=_paged, judge=lambda c: paging.limit_respected(c.obs, c.paging)),
    Check(paging.ITEMS_PER_PAGE, "metadata.itemsPerPage equals the limit in force (100 when absent).", _DOC_LIMIT,
          rows=("param:page-size", f"meta:{C.ITEMS_PER_PAGE}"), exercised_by=_paged,
          judge=lambda c: paging.items_per_page(c.obs, c.paging)),
    Check(paging.CURRENT_PAGE, "metadata.currentPage equals the requested page (1 when absent).", _DOC_PAGE,
          rows=("param:page-number", f"meta:{C.CURRENT_PAGE}"), exercised_by=_paged,
          judge=lambda c: paging.current_page(c.obs, c.paging)),
    Check(paging.PAGE_SIZE, "A page holds min(limit, totalItems - (page-1)*limit) results: full pages before the last, the remainder on it.",
          _DOC_LIMIT + " / " + _DOC_TOTAL, rows=("param:page-number", "param:page-size", f"meta:{C.TOTAL_ITEMS}"), exercised_by=_paged,
          judge=lambda c: paging.page_size(c.obs, c.paging)),
    Check(paging.ORDER, "Results are ordered by createdAt in the requested direction (DESC when absent).", _DOC_ORDER,
          rows=("param:order",), exercised_by=_ordered_by_created,
          judge=lambda c: paging.page_order(c.obs, c.endpoint.created, c.paging.sort_order)),
    Check(paging.DEFAULTS, "Without parameters the answer equals page=1, limit=100, sortOrder=DESC.",
          _DOC_PAGE + " / " + _DOC_LIMIT + " / " + _DOC_ORDER, rows=("param:page-number", "param:page-size", "param:order"),
          oracle=paging.defaults),
    Check(paging.WALK_COMPLETE, "Walking all pages yields exactly totalItems results.", _DOC_TOTAL,
          rows=("param:page-number", f"meta:{C.TOTAL_ITEMS}"), oracle=paging.walk),
    Check(paging.WALK_DISJOINT, "Walking all pages never yields the same item twice.", _DOC_PAGE,
          rows=("param:page-number",), oracle=paging.walk),
    Check(paging.WALK_ORDERED, "The concatenated walk is ordered by createdAt in the requested direction.", _DOC_ORDER,
          rows=("param:order",), oracle=paging.walk),
    Check(paging.TOTAL_STABLE, "totalItems is the same on every page of one query, past the end included.", _DOC_TOTAL,
          rows=(f"meta:{C.TOTAL_ITEMS}",), oracle=paging.walk),
    Check(paging.PAST_END, "A page past the end is 200 with no results.", _DOC_PAGE, rows=("param:page-number",), oracle=paging.walk),
    Check(filtering.MEMBERSHIP, "Every returned item satisfies every filter of the query (filters are ANDed).",
          "id, status and " + _DOC_GT, requires=("filters",), rows=("param:bounds", "param:equality"),
          exercised_by=lambda c: bool(c.filters) and bool(c.obs.results),
          judge=lambda c: filtering.membership(c.endpoint, c.obs)),
    Check(filtering.COMPLETENESS, "No item that satisfies the filters is missing, and totalItems counts exactly them.",
          "id, status and " + _DOC_GT, requires=("filters",),
          rows=("param:bounds", "param:equality", f"meta:{C.TOTAL_ITEMS}"), oracle=filtering.window_completeness),
    Check(filtering.METAMORPHIC, "totalItems(createdAtLt=t) + totalItems(createdAtGe=t) = totalItems(), the values of an enum "
          "filter (status) partition the whole, and a tighter filter never returns more.", _DOC_GT, requires=("filters",),
          rows=("param:created-bounds", "param:enum-filters", f"meta:{C.TOTAL_ITEMS}"), oracle=filtering.split_at),
    Check(inputs.REJECTS_INVALID, "A value outside the documented type, range or enum gets a 4xx, never a 2xx or 5xx.",
          "Query parameters: page >=1, limit 0-1000, status/sortOrder enums, date-time bounds", rows=("params",),
          exercised_by=lambda c: c.verdict.kind == inputs.INVALID, judge=lambda c: inputs.rejects_invalid(c.obs, c.verdict)),
    Check(inputs.ACCEPTS_VALID, "Every documented, valid combination of parameters gets 200.", "Query parameters (all optional)",
          rows=("params",), exercised_by=lambda c: c.valid, judge=lambda c: inputs.accepts_valid(c.obs, c.verdict)),
    Check(inputs.ERROR_BODY, "A 400 carries a JSON error body (NestJS: message, statusCode).", "contract addition: 400 BadRequestError",
          exercised_by=lambda c: c.obs.status == 400,
          judge=lambda c: inputs.error_body(c.obs, c.validator, c.endpoint.error_schema)),
    Check(access.MISSING_KEY, "A request without a key gets 401.", "Authentication: Authorization Bearer", oracle=access.rejected),
    Check(access.WRONG_KEY, "A request with an unknown key gets 401.", "Authentication: Authorization Bearer", oracle=access.rejected),
    Check(access.SINGLE_ORG, "Every item seen with one key belongs to one orgId.",
          "orgId: \"the unique identifier for the org that this campaign belongs to\"", requires=(f"field:{C.ORGANISATION}",),
          oracle=access.single_org),
    Check(reliability.NO_5XX, "No request is answered with a 5xx.", "200 Retrieved (and the documented 400/401)",
          exercised_by=lambda c: True, judge=lambda c: reliability.no_server_error(c.obs)),
    Check(reliability.RESPONSE_TIME, "Every response arrives within --max-response-time.", "run configuration",
          exercised_by=lambda c: True, judge=lambda c: reliability.in_time(c.obs, c.max_seconds)),
    Check(reliability.RESPONSE_BOUNDED, "Every response fits the reader's bounds: a body of at most --max-response-bytes "
          "(16 MiB by default) on the wire and once decoded, JSON nested at most 64 deep, at most 500,000 arrays and "
          "objects and 2,000,000 values.", "RFC 8259 §9 (an implementation may set limits on the size of texts and the "
          "depth of nesting); a 1000-item page of full campaigns is about 2 MB, nested 15 deep",
          exercised_by=lambda c: True, judge=lambda c: reliability.bounded(c.obs)),
    Check(reliability.RESPONSE_COMPLETE, "Every response arrives whole within its deadline (3 x --max-response-time, at "
          "least 2 s, headers and body): the body its framing announces, in a Content-Encoding the request accepted that decodes.",
          "RFC 9112 §6 (message body length), RFC 9110 §8.4 (Content-Encoding), run configuration",
          exercised_by=lambda c: True, judge=lambda c: reliability.complete(c.obs)),
    Check(reliability.WELL_FORMED_JSON, "Every body that is JSON (2xx, or a JSON Content-Type) is one well-formed JSON "
          "text: UTF-8, no NaN or Infinity, no number beyond a double, no name twice in one object.",
          "RFC 8259 §4 (names SHOULD be unique), §6 (Infinity and NaN are not permitted), §8.1 (UTF-8); "
          "200 Retrieved — application/json",
          exercised_by=lambda c: reliability.expects_json(c.obs) and (c.obs.body is not None or c.obs.defect is not None),
          judge=lambda c: reliability.well_formed(c.obs)),
    # the contract surface later documents add
    Check(sorting.ORDER, "Under sortBy=C, where results expose C, results and walks are ordered by C in the requested direction (ties in any order).",
          _DOC_SORT_BY, requires=("sort",), rows=("param:sort",), exercised_by=_ordered_by_explicit_column,
          judge=lambda c: paging.page_order(c.obs, c.sort_column[0], c.paging.sort_order, check=sorting.ORDER)),
    Check(sorting.WALK, "A walk under each sortBy value is complete and disjoint, with the same totalItems and the same items as without sortBy.",
          _DOC_SORT_BY + " / " + _DOC_TOTAL, requires=("sort",), rows=("param:sort",), oracle=sorting.under_sort),
    Check(sorting.REVERSE, "Under each sortBy value, sortOrder=ASC is the reverse of DESC apart from ties.",
          _DOC_SORT_BY + " / " + _DOC_ORDER, requires=("sort",), rows=("param:sort", "param:order"),
          oracle=sorting.reverse_apart_from_ties),
    Check(sorting.DEFAULT, "Without sortBy the answer equals sortBy=<its documented default>.",
          _DOC_SORT_BY, requires=("sort",), rows=("param:sort",), oracle=sorting.default_column),
    Check(pagemeta.TOTAL_PAGES, "metadata.totalPages = ceil(totalItems / itemsPerPage).",
          "PaginationMeta.totalPages (number)", requires=(f"meta:{C.TOTAL_PAGES}",), rows=(f"meta:{C.TOTAL_PAGES}",),
          exercised_by=_pages_countable(C.TOTAL_PAGES), judge=lambda c: pagemeta.total_pages(c.obs)),
    Check(pagemeta.HAS_NEXT_PAGE, "metadata.hasNextPage is true exactly when currentPage < totalPages (ceil(totalItems / itemsPerPage)).",
          "PaginationMeta.hasNextPage (boolean)", requires=(f"meta:{C.HAS_NEXT_PAGE}",), rows=(f"meta:{C.HAS_NEXT_PAGE}",),
          exercised_by=_pages_countable(C.HAS_NEXT_PAGE), judge=lambda c: pagemeta.has_next_page(c.obs)),
    Check(cursors.WALK, "Following nextCursor from page 1 yields the query's items, each once, in its order: the same items "
          "as the query read whole, whatever its filters, sortOrder, sortBy and limit; no page above the limit.",
          _DOC_CURSOR, requires=("cursor",), rows=(f"meta:{C.NEXT_CURSOR}", "param:page-size", "param:order", "param:sort"),
          oracle=cursors.walk),
    Check(cursors.END, "When no further page exists, nextCursor is absent, or it leads to an empty page.", _DOC_CURSOR,
          requires=("cursor",), rows=(f"meta:{C.NEXT_CURSOR}",), oracle=cursors.walk),
    Check(cursors.MALFORMED, "A malformed cursor is rejected with a 4xx that says why, never a 2xx or 5xx.", _DOC_CURSOR,
          requires=("cursor",), rows=(f"meta:{C.NEXT_CURSOR}",), oracle=cursors.rejected),
    Check(counters.INCLUDED, "With includeCounters=true every item carries contactCounters and callMetrics.", _DOC_COUNTERS,
          requires=("counters",), rows=("param:counters", f"field:{C.CONTACT_COUNTERS}", f"field:{C.CALL_METRICS}"),
          exercised_by=lambda c: c.ok and bool(c.obs.results) and counters.asked(c.endpoint, c.obs),
          judge=lambda c: counters.included(c.obs)),
    Check(counters.WITHIN_DIALED, "callMetrics.connected never exceeds callMetrics.dialed.",
          "CampaignCallMetrics.connected: \"This is the number of those calls a human picked up.\" (of the dialed ones)",
          requires=(f"field:{C.CALL_METRICS}",), rows=(f"field:{C.CALL_METRICS}",),
          exercised_by=lambda c: c.ok and counters.carries_metrics(c.obs), judge=lambda c: counters.connected_within_dialed(c.obs)),
    Check(operations.AGREE, "Two list operations of the contract (GET /campaign, GET /v2/campaign) answer the same query "
          "with the same totalItems, the same items and the same order.",
          "List Campaigns V2: the same query parameters as List Campaigns, items as CampaignSummary", requires=("sibling",),
          rows=(f"meta:{C.TOTAL_ITEMS}",), oracle=operations.agree),
    Check(pagemeta.SORT_ORDER_ECHO, "metadata.sortOrder is the sort order in force (the requested one, DESC when absent).",
          "PaginationMeta.sortOrder (enum ASC|DESC) / " + _DOC_ORDER, requires=(f"meta:{C.SORT_ORDER_ECHO}",),
          rows=(f"meta:{C.SORT_ORDER_ECHO}",), exercised_by=lambda c: c.paging is not None and c.carries(C.SORT_ORDER_ECHO),
          judge=lambda c: pagemeta.sort_order_echo(c.obs, c.paging.sort_order)),
]}


def applicable(endpoint) -> dict[str, Check]:
    """The checks that concern ``endpoint``: every check whose contract elements it declares."""
    return {cid: c for cid, c in CHECKS.items() if c.applies(endpoint)}


def single_response(endpoint) -> tuple[Check, ...]:
    """The applicable checks one response is judged on (what :func:`~.response.check_response` runs)."""
    return tuple(c for c in applicable(endpoint).values() if c.judge is not None)


def matrix_rows(endpoint) -> list[tuple[str, str, bool, dict[str, list[str]]]]:
    """(name, kind, typed only, column -> the applicable checks of that column concerning the row)
    for every row of the coverage matrix: the declared query parameters, the metadata fields (those
    with a documented meaning, then those typed only), the item fields an oracle reads, then their
    properties typed only.  A typed-only row is checked for its shape alone."""
    checks = applicable(endpoint).values()
    rows = ([(name, "parameter", False) for name in endpoint.parameter_names]
            + [(name, "metadata", False) for name in endpoint.documented_metadata]
            + [(name, "metadata", True) for name in endpoint.type_only_metadata]
            + [(name, "item-field", False) for name, _ in endpoint.item_parts]
            + [(name, "item-field", True) for name in endpoint.type_only_item_fields])
    out = []
    for name, kind, typed_only in rows:
        by_column: dict[str, list[str]] = {}
        for check in checks:
            if check.area in COVERAGE_COLUMNS and check.concerns(endpoint, kind, name) and \
                    (not typed_only or check.id == shape.BODY_SCHEMA):
                by_column.setdefault(check.area, []).append(check.id)
        out.append((name, kind, typed_only, by_column))
    return out
