"""Every check the suite runs: a stable id, its area, and the documented rule it enforces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    id: str
    rule: str  # one plain sentence
    source: str  # the doc line (or contract element) the rule comes from
    # contract elements the check is about ("sort": a sort-column parameter; "meta:NAME": a
    # PaginationMeta field): on a contract without them the check is not applicable (not listed)
    requires: tuple[str, ...] = ()

    @property
    def area(self) -> str:
        return self.id.split(".", 1)[0]


_DOC_LIMIT = "limit: double, 0-1000. \"This is the maximum number of items to return. Defaults to 100.\""
_DOC_PAGE = "page: double, >=1. \"This is the page number to return. Defaults to 1.\""
_DOC_SORT = "sortOrder: enum ASC|DESC. \"This is the sort order for pagination. Defaults to 'DESC'.\""
_DOC_SORT_BY = "sortBy: enum cost|createdAt|duration (2026-04-14). \"This is the column to sort by. Defaults to 'createdAt'.\""
_DOC_GT = "createdAtGt: \"This will return items where the createdAt is greater than the specified value.\" (and the other seven bounds)"

CHECKS: dict[str, Check] = {c.id: c for c in [
    Check("shape.body-schema", "Every 2xx body matches the paginated Campaign response schema, at full depth, formats asserted.",
          "Response: results (list of Campaign), metadata (PaginationMeta) — CampaignPaginatedResponse in the published OpenAPI document"),
    Check("shape.content-type", "Every 2xx response is JSON (Content-Type application/json).", "200 Retrieved — application/json"),
    Check("pagination.limit-respected", "A page never holds more results than the limit in force.", _DOC_LIMIT),
    Check("pagination.items-per-page", "metadata.itemsPerPage equals the limit in force (100 when absent).", _DOC_LIMIT),
    Check("pagination.current-page", "metadata.currentPage equals the requested page (1 when absent).", _DOC_PAGE),
    Check("pagination.page-size", "A page holds min(limit, totalItems - (page-1)*limit) results: full pages before the last, the remainder on it.", _DOC_LIMIT + " / metadata.totalItems"),
    Check("pagination.order", "Results are ordered by createdAt in the requested direction (DESC when absent).", _DOC_SORT),
    Check("pagination.defaults", "Without parameters the answer equals page=1, limit=100, sortOrder=DESC.", _DOC_PAGE + " / " + _DOC_LIMIT + " / " + _DOC_SORT),
    Check("pagination.walk-complete", "Walking all pages yields exactly totalItems results.", "metadata.totalItems"),
    Check("pagination.walk-disjoint", "Walking all pages never yields the same campaign twice.", _DOC_PAGE),
    Check("pagination.walk-ordered", "The concatenated walk is ordered by createdAt in the requested direction.", _DOC_SORT),
    Check("pagination.total-stable", "totalItems is the same on every page of one query, past the end included.", "metadata.totalItems"),
    Check("pagination.past-end", "A page past the end is 200 with no results.", _DOC_PAGE),
    Check("filters.membership", "Every returned campaign satisfies every filter of the query (filters are ANDed).",
          "id, status and " + _DOC_GT),
    Check("filters.completeness", "No campaign that satisfies the filters is missing, and totalItems counts exactly them.",
          "id, status and " + _DOC_GT),
    Check("filters.metamorphic", "totalItems(createdAtLt=t) + totalItems(createdAtGe=t) = totalItems(), the statuses partition the whole, and a tighter filter never returns more.",
          _DOC_GT),
    Check("validation.rejects-invalid", "A value outside the documented type, range or enum gets a 4xx, never a 2xx or 5xx.",
          "Query parameters: page >=1, limit 0-1000, status/sortOrder enums, date-time bounds"),
    Check("validation.accepts-valid", "Every documented, valid combination of parameters gets 200.", "Query parameters (all optional)"),
    Check("validation.error-body", "A 400 carries a JSON error body (NestJS: message, statusCode).", "contract addition: 400 BadRequestError"),
    Check("auth.missing-key", "A request without a key gets 401.", "Authentication: Authorization Bearer"),
    Check("auth.wrong-key", "A request with an unknown key gets 401.", "Authentication: Authorization Bearer"),
    Check("tenancy.single-org", "Every campaign seen with one key belongs to one orgId.", "orgId: \"the unique identifier for the org that this campaign belongs to\""),
    Check("reliability.no-5xx", "No request is answered with a 5xx.", "200 Retrieved (and the documented 400/401)"),
    Check("reliability.response-time", "Every response arrives within --max-response-time.", "run configuration"),
    # the contract surface a later document may add (runner/surface.py, invariants/sorting.py and pagemeta.py)
    Check("pagination.sort-by-order", "Under sortBy=C, where results expose C, results and walks are ordered by C in the requested direction (ties in any order).",
          _DOC_SORT_BY, requires=("sort",)),
    Check("pagination.sort-by-walk", "A walk under each sortBy value is complete and disjoint, with the same totalItems and the same campaigns as without sortBy.",
          _DOC_SORT_BY + " / metadata.totalItems", requires=("sort",)),
    Check("pagination.sort-by-reverse", "Under each sortBy value, sortOrder=ASC is the reverse of DESC apart from ties.",
          _DOC_SORT_BY + " / " + _DOC_SORT, requires=("sort",)),
    Check("pagination.sort-by-default", "Without sortBy the answer equals sortBy=<its documented default>.",
          _DOC_SORT_BY, requires=("sort",)),
    Check("pagination.total-pages", "metadata.totalPages = ceil(totalItems / itemsPerPage).",
          "PaginationMeta.totalPages: \"This is the total number of pages.\"", requires=("meta:totalPages",)),
    Check("pagination.has-next-page", "metadata.hasNextPage is true exactly when currentPage < totalPages (ceil(totalItems / itemsPerPage)).",
          "PaginationMeta.hasNextPage: \"This is true when a page follows this one.\"", requires=("meta:hasNextPage",)),
    Check("pagination.sort-order-echo", "metadata.sortOrder is the sort order in force (the requested one, DESC when absent).",
          "PaginationMeta.sortOrder: \"This is the sort order of the results.\" / " + _DOC_SORT, requires=("meta:sortOrder",)),
]}


def applicable_checks(model) -> dict[str, Check]:
    """The checks that concern the contract ``model`` describes (an EndpointModel): every check
    whose contract elements the contract declares (for the 2026-04-11 pin, the original 24)."""
    return {cid: c for cid, c in CHECKS.items() if all(model.supports(e) for e in c.requires)}


# The coverage matrix (summary.json, report.html): the kinds of check it has columns for, and, for
# each metadata field, the checks of each kind that assert something about it.
COVERAGE_COLUMNS = ("shape", "pagination", "filters", "validation")
METADATA_CHECKS: dict[str, dict[str, tuple[str, ...]]] = {
    "itemsPerPage": {"shape": ("shape.body-schema",), "pagination": ("pagination.items-per-page",)},
    "totalItems": {"shape": ("shape.body-schema",),
                   "pagination": ("pagination.walk-complete", "pagination.total-stable", "pagination.page-size"),
                   "filters": ("filters.completeness", "filters.metamorphic")},
    "currentPage": {"shape": ("shape.body-schema",), "pagination": ("pagination.current-page",)},
    # optional fields a later document may add (rows only when the contract declares them)
    "totalPages": {"shape": ("shape.body-schema",), "pagination": ("pagination.total-pages",)},
    "hasNextPage": {"shape": ("shape.body-schema",), "pagination": ("pagination.has-next-page",)},
    "sortOrder": {"shape": ("shape.body-schema",), "pagination": ("pagination.sort-order-echo",)},
}


def check_info(check_id: str) -> Check:
    return CHECKS[check_id]
