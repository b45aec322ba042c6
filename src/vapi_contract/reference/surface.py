"""What the reference target serves: its own model of the documented listings.

The reference target is a second, independent reading of the docs: it does not import the
suite's model of the contract (``contract/endpoint.py``) or its oracles, so that a wrong reading
on one side shows up as a disagreement in the self-tests instead of being shared.  A
:class:`Surface` is that reading, per published document: the list operations (paths), the query
parameters the server accepts (with their ranges, enums and defaults), the statuses its campaigns
can have, and the metadata it answers with.

Doc lines (List Campaigns, Query parameters), as this server implements them:
  page      number >= 1, "Defaults to 1."
  limit     number 0-1000, "Defaults to 100."
  sortOrder ASC | DESC, "Defaults to 'DESC'." (ties by id in the same direction)
  status    the document's enum;  id  a string (equality)
  createdAt{Gt,Lt,Ge,Le}, updatedAt{Gt,Lt,Ge,Le}: date-time; Gt/Lt strict, Ge/Le inclusive.

Two documents are served (``SURFACES``):

* ``2026-04-11``: GET /campaign only; statuses ``ended | in-progress | scheduled``; metadata
  ``itemsPerPage``, ``totalItems``, ``currentPage``; order by createdAt.
* ``2026-08-18`` (the default: Vapi's API as it stands today):
    - ``status`` "scheduled, in-progress, ended, cancelled, archived" (filter and Campaign.status);
    - ``sortBy`` ``createdAt | duration | cost``: "This is the column to sort by. Defaults to
      'createdAt'." (see :mod:`.store` for the hidden cost / duration columns);
    - PaginationMeta ``totalPages``, ``hasNextPage``, ``sortOrder`` and ``nextCursor``: "Opaque
      cursor for the next page under keyset pagination (PRO-3163). Pass it back as the `cursor`
      query param to fetch the next page without an OFFSET scan. Present only when a further page
      likely exists." (see :mod:`.cursor`); ``itemsBeyondRetention``, ``createdAtLe`` and
      ``createdAtGe`` are typed only and optional: never served;
    - GET /v2/campaign, "List Campaigns V2": the same parameters plus ``includeCounters``; items
      are CampaignSummary objects (see :mod:`.summary`).

Contract elements (what a fault ``requires``, :attr:`Surface.elements`) are named as a query
parameter (``sortBy``), a metadata field (``nextCursor``), an enum value of a filter
(``status=cancelled``) or an operation (``GET /v2/campaign``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

INSTANT_FIELDS = ("createdAt", "updatedAt")
BOUND_OPS = {"Gt": "gt", "Lt": "lt", "Ge": "ge", "Le": "le"}
PAGING_METADATA = ("itemsPerPage", "totalItems", "currentPage")
# totalPages = ceil(totalItems / itemsPerPage), hasNextPage = currentPage < totalPages,
# sortOrder = the order in force (Vapi's NestJS paginator's meaning of these names)
PAGE_METADATA = ("totalPages", "hasNextPage", "sortOrder")
NEXT_CURSOR = "nextCursor"
CURSOR = "cursor"  # the query parameter nextCursor's description names
SORT_BY = "sortBy"
INCLUDE_COUNTERS = "includeCounters"


@dataclass(frozen=True)
class Listing:
    """One list operation of a surface: its path, and whether its items are CampaignSummary
    projections (GET /v2/campaign) rather than whole campaigns (GET /campaign)."""

    path: str
    summary: bool = False

    @property
    def label(self) -> str:
        return f"GET {self.path}"


@dataclass(frozen=True)
class Surface:
    name: str  # the date of the document it serves
    path: str = "/campaign"  # GET /campaign ("List Campaigns")
    statuses: tuple[str, ...] = ("ended", "in-progress", "scheduled")  # the document's enum order
    equality_filters: tuple[str, ...] = ("id", "status")  # query parameters that select by equality
    orders: tuple[str, ...] = ("ASC", "DESC")
    default_order: str = "DESC"
    first_page: int = 1
    default_limit: int = 100
    max_limit: int = 1000
    sort_columns: tuple[str, ...] = ()  # sortBy's enum; () = no sortBy parameter (order by createdAt)
    default_sort: str = "createdAt"
    page_metadata: bool = False  # totalPages, hasNextPage, sortOrder
    cursors: bool = False  # nextCursor in the metadata, the cursor query parameter
    summary_path: str | None = None  # GET /v2/campaign ("List Campaigns V2"), when documented
    document: str = ""  # the date of the published document read (default: the name)

    @property
    def date(self) -> str:
        """The date of the published document this surface reads (a variant keeps its document's)."""
        return self.document or self.name

    @property
    def listings(self) -> tuple[Listing, ...]:
        first = Listing(self.path)
        return (first,) if self.summary_path is None else (first, Listing(self.summary_path, summary=True))

    def listing(self, path: str) -> Listing | None:
        """The list operation served at ``path`` (a trailing slash allowed), None for another path."""
        wanted = path.rstrip("/") or "/"
        return next((x for x in self.listings if x.path == wanted), None)

    @property
    def bounds(self) -> dict[str, tuple[str, str]]:
        """Bound parameter -> (instant field, op): createdAtGt -> (createdAt, gt), ..."""
        return {f"{field}{suffix}": (field, op) for field in INSTANT_FIELDS for suffix, op in BOUND_OPS.items()}

    @property
    def parameters(self) -> tuple[str, ...]:
        """Every query parameter GET /campaign reads (others are ignored)."""
        return self.parameters_of(self.listings[0])

    def parameters_of(self, listing: Listing) -> tuple[str, ...]:
        """Every query parameter ``listing`` reads: the documented ones, plus ``cursor`` where
        nextCursor is served (nextCursor's description names it; the document lists no such
        parameter).  Others are ignored."""
        names = (*self.equality_filters, "page", "sortOrder", *((SORT_BY,) if self.sort_columns else ()), "limit",
                 *self.bounds)
        if listing.summary:
            names += (INCLUDE_COUNTERS,)
        if self.cursors:
            names += (CURSOR,)
        return names

    @property
    def metadata_fields(self) -> tuple[str, ...]:
        """The metadata fields every 200 answer carries (nextCursor: when a further item exists)."""
        return (*PAGING_METADATA, *(PAGE_METADATA if self.page_metadata else ()),
                *((NEXT_CURSOR,) if self.cursors else ()))

    @property
    def elements(self) -> frozenset[str]:
        """The contract elements served (see the module doc for the names)."""
        names = {name for listing in self.listings for name in self.parameters_of(listing) if name != CURSOR}
        names |= set(self.metadata_fields)
        if "status" in self.equality_filters:
            names |= {f"status={s}" for s in self.statuses}
        names |= {listing.label for listing in self.listings}
        return frozenset(names)

    def without(self, *filters: str) -> "Surface":
        """The same listing without some equality filters (a list operation of another shape: the
        self-test that the engine is not tied to campaigns' filters)."""
        return replace(self, name=f"{self.name}-without-{'-'.join(filters)}", document=self.date,
                       equality_filters=tuple(f for f in self.equality_filters if f not in filters))


SURFACES = {s.name: s for s in [
    Surface("2026-04-11"),
    Surface("2026-08-18", statuses=("scheduled", "in-progress", "ended", "cancelled", "archived"),
            sort_columns=("createdAt", "duration", "cost"), page_metadata=True, cursors=True,
            summary_path="/v2/campaign"),
]}
DEFAULT_SURFACE = "2026-08-18"


def surface(name: str | Surface | None) -> Surface:
    """The surface called ``name`` (the default when None); KeyError naming the known ones."""
    if isinstance(name, Surface):
        return name
    key = DEFAULT_SURFACE if name is None else name
    if key not in SURFACES:
        raise KeyError(f"unknown surface {key!r}; known: {', '.join(sorted(SURFACES))}")
    return SURFACES[key]
