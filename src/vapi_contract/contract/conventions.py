"""Vapi's list conventions: what the engine recognises in a list operation, declared once.

Vapi's list operations (``GET /campaign``, ``GET /v2/campaign``, and the other ``List ...`` pages
of its API reference) share one shape: paging parameters, a sort order, eight instant bounds, and a
``{results, metadata}`` body.  The published document types these elements but cannot say what
they *mean*; the doc lines quoted here do.  :class:`~.endpoint.Endpoint` reads a contract and
assigns each declared element its role by these names; the engine and the oracles then work from
the Endpoint only.  An element no role covers is named "not exercised: no oracle for X"; a role
the engine needs that the contract lacks stops the run with one line naming it.

This module is the only place where a parameter name, a metadata field name or an item field
name of the listing is spelled.
"""

from __future__ import annotations

import re

# the operation a run checks unless told otherwise ("List Campaigns")
DEFAULT_OPERATION = "GET /campaign"
# the list-campaigns operations a contract pins: GET /campaign ("List Campaigns") and its versions
# (GET /v2/campaign, "List Campaigns V2", from the 2026-08-18 document on)
LISTINGS = re.compile(r"^(?:/(?P<version>v\d+))?/campaign$")

# -- listings under a path parameter -------------------------------------------------------------
# A path parameter whose path before it is a listing's path names one item of that listing by its
# identity: GET /v2/campaign/{id} is "Get Campaign V2" (CampaignController_findOneV2; id: "The
# unique identifier for the resource."), and GET /v2/campaign/{id}/contacts ("Get Campaign V2
# Contacts") lists that campaign's contacts.  Where that listing is pinned, a run not given the
# parameter (--path-param) finds a value there: an item's identity.
def parent_path(path: str, name: str) -> str:
    """The path of the listing whose item ``{name}`` in ``path`` names (``/v2/campaign`` for
    ``id`` in ``/v2/campaign/{id}/contacts``)."""
    return path.split("{" + name + "}", 1)[0].rstrip("/")


# -- the body --------------------------------------------------------------------------------------
# "200 Retrieved": {"results": [...], "metadata": {...}} (CampaignPaginatedResponse)
RESULTS = "results"
METADATA = "metadata"
# The array family (GET /call, GET /assistant, ...): "200 OK": {"type": "array", "items": Call}, a
# bare JSON array of at most ``limit`` items, without page, metadata or a documented order.
# limit: "This is the maximum number of items to return." -- a read is complete (holds every
# item its query selects) only when it returned fewer items than the limit; one of exactly
# ``limit`` items may have been cut.
ARRAY_FAMILY = "array"
PAGINATED_FAMILY = "paginated"

# -- item fields the oracles read ----------------------------------------------------------------------
# Campaign.id: "This is the unique identifier for the campaign."
IDENTITY = "id"
# Campaign.createdAt: "This is the ISO 8601 date-time string of when the campaign was created."
# The listing's documented order (without a sort column) is by this instant.
CREATED = "createdAt"
# Campaign.updatedAt: "This is the ISO 8601 date-time string of when the campaign was last updated."
# Every change of a campaign moves it: a later updatedAt than the run's snapshot = changed since.
# Items without it (GET /eval/run's EvalRun: "createdAt: This is the ISO 8601 date-time string of
# when the eval run was created.", and no updatedAt) carry no modification instant: the creation
# instant stands in for it (Endpoint.modification_seen is False).  Their pinned set (createdAtLe=S)
# still never gains an item and only shrinks by deletion; an item changed in place keeps its id
# and createdAt, so what is judged of them across reads (identity, createdAt, the order by it,
# counts) cannot move, and a filtered field's change is seen in the item's values
# (ItemKey.version); a column that may change unseen (sortBy=cost) is judged within one answer only.
UPDATED = "updatedAt"
# Campaign.orgId: "This is the unique identifier for the org that this campaign belongs to."
ORGANISATION = "orgId"

# -- paging parameters -----------------------------------------------------------------------------
# page: "This is the page number to return. Defaults to 1."  (number, >= 1): pages count from 1
PAGE = "page"
FIRST_PAGE = 1
# limit: "This is the maximum number of items to return. Defaults to 100."  (number, 0-1000)
LIMIT = "limit"
# sortOrder: "This is the sort order for pagination. Defaults to 'DESC'."  (ASC | DESC)
ORDER = "sortOrder"
ASCENDING, DESCENDING = "ASC", "DESC"
ORDER_VALUES = (ASCENDING, DESCENDING)
# sortBy (2026-04-14 on): "This is the column to sort by. Defaults to 'createdAt'."
SORT = "sortBy"
SORT_DESCRIPTION = re.compile(r"column to sort by", re.I)
# A sort column ordered by its enum (GET /v2/campaign/{id}/contacts' sortBy: "`status` sorts by the
# enum's declaration order rather than alphabetically, which means it reads as a lifecycle: pending,
# dispatched, completed, failed, skipped, predial-failed."): ascending in the item field's enum order.
DECLARATION_ORDER = re.compile(r"`(?P<column>[A-Za-z_][A-Za-z0-9_]*)` sorts by the enum's declaration order", re.I)
# Parameters later documents introduced, with values to try (``run --probe-undocumented`` sends
# them when the checked contract does not declare them, and reports one the API honours as drift).
LATER_PARAMETERS = {SORT: ("cost", "duration", "createdAt")}  # 2026-04-14

# -- filters -----------------------------------------------------------------------------------------
# createdAtGt: "This will return items where the createdAt is greater than the specified value."
# Lt "less than", Ge "greater than or equal to", Le "less than or equal to"; the same four for
# updatedAt.  A parameter <field><Suffix> with format date-time, on an item field, is a bound.
BOUND_SUFFIXES = {"Gt": "gt", "Lt": "lt", "Ge": "ge", "Le": "le"}
BOUND_NAME = re.compile(r"^(?P<field>[a-z][A-Za-z0-9]*?)(?P<op>Gt|Lt|Ge|Le)$")
# A string parameter named after a string item field (id, status; GET /chat's assistantId: "This is
# the unique identifier for the assistant to filter by", GET /session's name: "This is the name of
# the session to filter by."): items whose field equals the value.  Filters combine with AND
# (every filter of the query must hold).  A parameter named after a field that is no string (GET
# /session's assistantOverrides, an object) is no equality filter.
# A list filter: a string parameter <field>Any on a string item field, whose description says its
# values are comma-separated (GET /chat's idAny: "Filter by multiple chat IDs. Provide as
# comma-separated values."): items whose field is any of the values.
# A query parameter typed as an array of values (contacts' status: "Pass once or multiple times to
# filter on any of the provided statuses.") is given once or repeated; named after a string item
# field, it selects the items whose field is any of the values given (its items' enum, if any).
LIST_SUFFIX = "Any"
COMMA_SEPARATED = re.compile(r"comma-separated", re.I)
LIST_SEPARATOR = ","
# Typed only: a parameter no role covers whose description gives it a meaning no oracle can
# judge from an item (GET /session's search-like customer fields copied from a create request:
# "number: This is the number of the customer."; booleans such as standaloneOnly: "Only include
# simulations that are not part of a suite"; customerNumberAny, whose stem is no item field; a
# free-text search: "This will search phone numbers by name, number, or SIP URI (partial match,
# case-insensitive)").  Such a parameter is sent with valid (and, where its type admits one,
# invalid) values and its answers are shape-checked; it never makes a run incomplete.  A
# parameter with neither a role nor a description has no documented meaning at all: "not
# exercised: no oracle" (the run is incomplete until someone reads it).
SEARCH = "search"

# -- metadata fields (PaginationMeta) -----------------------------------------------------------------
# required, typed number; their meaning is the docs' metadata example and the paging lines above:
ITEMS_PER_PAGE = "itemsPerPage"  # the limit in force
TOTAL_ITEMS = "totalItems"  # how many items match the filters (all pages)
CURRENT_PAGE = "currentPage"  # the page returned
# optional, added by later documents, with Vapi's (NestJS paginator's) meaning for these names:
TOTAL_PAGES = "totalPages"  # ceil(totalItems / itemsPerPage)
HAS_NEXT_PAGE = "hasNextPage"  # currentPage < totalPages
SORT_ORDER_ECHO = "sortOrder"  # the sort order in force
PAGING_METADATA = (ITEMS_PER_PAGE, TOTAL_ITEMS, CURRENT_PAGE)
PAGE_METADATA = (TOTAL_PAGES, HAS_NEXT_PAGE, SORT_ORDER_ECHO)
# nextCursor (2026-08-18): "Opaque cursor for the next page under keyset pagination (PRO-3163).
# Pass it back as the `cursor` query param to fetch the next page without an OFFSET scan.
# Present only when a further page likely exists."  The query parameter is read from these words
# (the document does not declare it among the operation's parameters).
NEXT_CURSOR = "nextCursor"
CURSOR_PARAM_IN_DESCRIPTION = re.compile(r"as the `(?P<param>[A-Za-z_][A-Za-z0-9_]*)` query param", re.I)

# -- what a listing can be asked to include ------------------------------------------------------------
# includeCounters (GET /v2/campaign): "When true, every campaign in the response includes
# `contactCounters` and `callMetrics`. ... Defaults to false."
INCLUDE_COUNTERS = "includeCounters"
CONTACT_COUNTERS = "contactCounters"  # "These are the per-status contact counts for this campaign."
CALL_METRICS = "callMetrics"  # "These are the call-level outcomes for this campaign"
# CampaignCallMetrics: dialed "This is the number of contacts a call was actually placed for.";
# connected "This is the number of those calls a human picked up." (those: the dialed ones)
DIALED, CONNECTED = "dialed", "connected"

# -- values --------------------------------------------------------------------------------------------
# Instants are RFC 3339 date-times compared at millisecond precision (see timeutil).  Ids are UUIDs
# in practice, though the docs type ``id`` only as a string.
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
