"""The model of one list operation: the :class:`Endpoint` value and the roles of its elements.

An Endpoint holds everything the engine and the oracles use, each element with the role Vapi's
list conventions (:mod:`.conventions`) give it:

* the method, the path and the schemas of the body, the items and the metadata; the
  :class:`Envelope` (where an answer holds its items, its metadata and its count);
* the paging parameters (page, limit, sort order, sort column) with their ranges and defaults,
  the directions of the order and the first page;
* the instant bounds and the equality filters, with every value of an enum filter;
* the metadata fields and their roles (:class:`PagingMeta`), the keyset :class:`Cursor`, the
  :class:`Counters` a listing can be asked to include;
* the item fields the oracles read: the identity, the two instants, the organisation.

Consumers read every name from here, never from the conventions: the conventions are read once,
where the contract is (:mod:`.reading` builds Endpoints from a derived contract).  An element no
role covers is named by :meth:`Endpoint.no_oracle` ("query parameter X"); an element the engine
cannot run without (``limit``, ``totalItems``, one createdAt bound of a listing declaring the
others, ...) missing or retyped raises :class:`ContractModelError` (exit 2) naming it; a listing
declaring no createdAt bound runs without windows (:attr:`Endpoint.no_windows`).  An Endpoint is a value: built once from
the contract a run checks, then passed explicitly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import ConfigError


class ContractModelError(ConfigError):
    """The contract lacks (or changed the type of) an element the engine relies on (exit 2)."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str | None = None
    format: str | None = None
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    description: str = ""
    required: bool = False
    min_length: int | None = None  # a string's declared length range
    max_length: int | None = None
    # an array-typed parameter, given once or repeated (its type, format and enum are its items'):
    # contacts' status, "Pass once or multiple times to filter on any of the provided statuses."
    repeated: bool = False

    @property
    def numeric(self) -> bool:
        return self.type in ("number", "integer")


@dataclass(frozen=True)
class MetaField:
    name: str
    type: str | None = None
    format: str | None = None
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class Bound:
    """An instant bound (``createdAtGe``): item[field] <op> value, at millisecond precision."""

    param: str
    field: str
    op: str  # gt | lt | ge | le

    @property
    def strict(self) -> bool:
        return self.op in ("gt", "lt")

    @property
    def lower(self) -> bool:
        return self.op in ("gt", "ge")

    def holds(self, item_ms: int, bound_ms: int) -> bool:
        if self.op == "gt":
            return item_ms > bound_ms
        if self.op == "lt":
            return item_ms < bound_ms
        if self.op == "ge":
            return item_ms >= bound_ms
        return item_ms <= bound_ms


@dataclass(frozen=True)
class EqualityFilter:
    """A parameter selecting by an item field: an equality filter (named after the field: items
    whose field equals the value) or a list filter (``<field>Any``: items whose field is any of
    the comma-separated values)."""

    param: str
    values: tuple[str, ...] | None  # every declared value of an enum filter (None: any string)
    identity: bool = False  # the equality filter on the items' identity (``id``)
    # what a value looks like when the docs' practice is narrower than their type (ids: UUIDs)
    pattern: re.Pattern | None = field(default=None, compare=False)
    field: str = ""  # the item field it selects by (the parameter's name for an equality filter)
    separator: str | None = None  # a list filter's separator between values (None: one value)
    repeated: bool = False  # given once or several times (an array parameter): any of the values given


    def __post_init__(self) -> None:
        if not self.field:
            object.__setattr__(self, "field", self.param)

    @property
    def listing(self) -> bool:
        """A list filter (any of several values)."""
        return self.separator is not None

    def values_of(self, written) -> tuple[str, ...]:
        """The values a query's ``written`` value names (a repeated filter's: every value given, a
        tuple)."""
        if isinstance(written, tuple):
            return written
        return tuple(written.split(self.separator)) if self.separator is not None else (written,)

    def holds(self, item_value, written: str) -> bool:
        """Does an item whose field is ``item_value`` satisfy this filter at ``written``?"""
        return item_value in self.values_of(written)


@dataclass(frozen=True)
class Cursor:
    """Keyset pagination: the metadata field that carries the next page's cursor, and the query
    parameter it is passed back as (read from the field's description)."""

    meta: str  # nextCursor
    param: str  # cursor


@dataclass(frozen=True)
class Envelope:
    """Where an answer of the listing holds its items (``results``), its metadata and, in the
    metadata, how many items match the query (``total``)."""

    results: str
    metadata: str
    total: str
    bare: bool = False  # the array family: the body is the bare array of items (no metadata, no count)

    @classmethod
    def bare_array(cls) -> "Envelope":
        """The array family's answer: a bare JSON array of items, nothing else."""
        return cls("", "", "", bare=True)

    def items(self, body: Any) -> list:
        if self.bare:
            return body if isinstance(body, list) else []
        found = body.get(self.results) if isinstance(body, dict) else None
        return found if isinstance(found, list) else []

    def meta(self, body: Any) -> dict:
        found = body.get(self.metadata) if isinstance(body, dict) and not self.bare else None
        return found if isinstance(found, dict) else {}

    def total_pointer(self) -> str | None:
        return None if self.bare else f"/{self.metadata}/{self.total}"

    def meta_pointer(self, name: str) -> str:
        return f"/{self.metadata}/{name}"

    @property
    def results_pointer(self) -> str:
        return "" if self.bare else f"/{self.results}"


@dataclass(frozen=True)
class PagingMeta:
    """The metadata fields of a page, by role (None: the contract does not declare it).  Required:
    items per page (the limit in force), total items (all pages), current page.  Optional, from
    later documents: total pages, has next page, the sort order in force."""

    items_per_page: str
    total_items: str
    current_page: str
    total_pages: str | None = None
    has_next_page: str | None = None
    sort_order: str | None = None

    def name(self, role: str) -> str | None:
        """The field of ``role`` (items-per-page, total-items, current-page, total-pages,
        has-next-page, sort-order)."""
        return getattr(self, role.replace("-", "_"), None)

    @property
    def counting(self) -> tuple[str, ...]:
        """The three fields every page carries (the limit, the count, the page)."""
        return (self.items_per_page, self.total_items, self.current_page)


@dataclass(frozen=True)
class CallMetrics:
    """An item field of call outcomes: ``connected`` counts a subset of the ``dialed`` ones."""

    field: str
    dialed: str
    connected: str


@dataclass(frozen=True)
class Counters:
    """A boolean parameter asking every item to include counter fields."""

    param: str
    fields: tuple[str, ...]  # the item fields it asks for (contactCounters, callMetrics)


@dataclass(frozen=True)
class Endpoint:
    method: str  # upper case: GET
    path: str
    response_schema: str  # component names in the contract's schemas
    item_schema: str
    metadata_schema: str
    item_fields: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    metadata: tuple[MetaField, ...]
    envelope: Envelope
    paging_meta: PagingMeta
    identity: str  # the item field naming an item
    created: str  # the creation instant field (the documented order; windows are ranges of it)
    updated: str  # the modification instant field (a change moves it); the creation one where items have none
    # the paging parameters' names (None: the contract lacks it; require() says so)
    page_name: str | None
    limit_name: str | None
    order_name: str | None
    bounds: tuple[Bound, ...] = ()
    filters: tuple[EqualityFilter, ...] = ()  # parameters named after an item field that are not bounds (id, status)
    error_schema: str | None = None  # the 400 answer's body (the contract's addition BadRequestError)
    root: Path | None = field(default=None, compare=False)  # the contract root it was read from
    # item fields whose values an oracle reads (contactCounters, callMetrics) -> their properties,
    # each with whether its schema describes it (an undescribed one is typed only: shape only)
    item_parts: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...] = ()
    siblings: tuple[str, ...] = ()  # the contract's other listings of the same items (GET /v2/campaign for GET /campaign)
    organisation: str | None = None  # the item field naming the organisation an item belongs to (tenancy)
    cursor: Cursor | None = None  # keyset pagination, when the metadata declares a next-page cursor
    counters: Counters | None = None  # the parameter asking for every item's counters
    call_metrics: CallMetrics | None = None  # the item field of call outcomes, when items have one
    sort: Parameter | None = None  # the sort-column parameter (sortBy), when declared
    ascending: str = ""  # the values of the order parameter meaning oldest / newest first
    descending: str = ""
    # parameters later documents introduced that this one lacks -> values to try (--probe-undocumented)
    later_parameters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # what the engine cannot run without that the contract lacks or retyped, each said in words
    # (require() raises the first); found where the contract is read
    unusable: tuple[str, ...] = ()
    # the contract document it was read from (schemathesis generates its cases from it)
    document: dict = field(default_factory=dict, compare=False, repr=False)
    # query parameters with a documented meaning no oracle judges (conventions: typed only): sent
    # with valid and invalid values, their answers shape-checked; never "no oracle"
    typed: tuple[str, ...] = ()
    # the path's parameters (GET /provider/{provider}/{resourceName}) and the values a run gives them
    path_parameters: tuple[Parameter, ...] = ()
    path_values: tuple[tuple[str, str], ...] = ()
    # the listing's family (conventions): paginated ({results, metadata}, pages, an order) or array
    # (a bare array at most ``limit`` long: no page, no metadata, no documented order)
    family: str = "paginated"  # conventions.PAGINATED_FAMILY | ARRAY_FAMILY, set where the contract is read

    # path parameter -> the pinned listing whose item it names (conventions.parent_path): where a
    # run not given its value finds one (GET /v2/campaign/{id}/contacts: id -> GET /v2/campaign)
    parents: tuple[tuple[str, str], ...] = ()
    # why the listing cannot be cut into windows nor pinned to the run's snapshot, in words (it
    # declares no createdAt bound: GET /v2/campaign/{id}/contacts, GET /v2/knowledge-base); empty:
    # it can.  Such a listing runs without the checks that compare answers over windows or pins
    # (``supports("windows")`` is False), never with a weaker form of them.
    no_windows: tuple[str, ...] = ()
    # sort columns ordered by their enum's declaration order, not by value (contacts' status:
    # "`status` sorts by the enum's declaration order rather than alphabetically"), with the order
    declared_orders: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def bare(self) -> bool:
        """The array family: answers are bare arrays; a read is complete only below the limit,
        windows are cut by the creation bounds, no order is asserted."""
        return self.envelope.bare

    # -- identity --------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        """``GET /campaign``: how reports, the CLI and history name the operation."""
        return f"{self.method} {self.path}"

    @property
    def url_path(self) -> str:
        """The path requests go to: :attr:`path` with the run's path-parameter values."""
        out = self.path
        for name, value in self.path_values:
            out = out.replace("{" + name + "}", quote(value, safe=""))
        return out

    def with_path_values(self, given: dict[str, str]) -> "Endpoint":
        """This listing with its path parameters valued: ``given`` (``run --path-param NAME=VALUE``),
        else the one value an enum allows (resourceName: ``pronunciation-dictionary``), else left
        for the run to find in its parent listing (:attr:`parents`, :attr:`unvalued`).  ConfigError
        (exit 2) naming a parameter that is none of these, a value outside its enum, or a name the
        path does not have."""
        declared = {p.name: p for p in self.path_parameters}
        parents = dict(self.parents)
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise ConfigError(f"--path-param {unknown[0]}: {self.label} has no path parameter {unknown[0]!r}"
                              + (f" (it has: {', '.join(declared)})" if declared else " (it has none)"))
        values = []
        for name, p in declared.items():
            value = given.get(name)
            if value is None and p.enum and len(p.enum) == 1:
                value = p.enum[0]
            if value is None and name in parents:
                continue  # found at run time, in the parent listing
            if value is None:
                choices = f" ({' | '.join(p.enum)})" if p.enum else ""
                raise ConfigError(f"{self.label} takes the path parameter {name!r}{choices}: give it with "
                                  f"--path-param {name}=VALUE")
            if p.enum and value not in p.enum:
                raise ConfigError(f"--path-param {name}={value}: not one of {', '.join(p.enum)}")
            values.append((name, value))
        return replace(self, path_values=tuple(values))

    def with_path_value(self, name: str, value: str) -> "Endpoint":
        """This listing with ``name`` (one of :attr:`unvalued`) valued ``value`` (found at run time)."""
        return replace(self, path_values=(*self.path_values, (name, value)))

    @property
    def unvalued(self) -> tuple[tuple[str, str], ...]:
        """(path parameter, parent listing) of every path parameter without a value yet."""
        valued = {name for name, _ in self.path_values}
        return tuple((name, parent) for name, parent in self.parents if name not in valued)

    # -- parameters ------------------------------------------------------------------------------
    @cached_property
    def _by_name(self) -> dict[str, Parameter]:
        return {p.name: p for p in self.parameters}

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def param(self, name: str) -> Parameter | None:
        return self._by_name.get(name)

    def _paging(self, name: str | None, role: str) -> Parameter:
        found = self.param(name) if name is not None else None
        if found is None:
            raise ContractModelError(f"{self._where()} no longer declares the {role} query parameter, which the checks "
                                     "rely on: review the published change (vapi-contract diff) before accepting it")
        return found

    @property
    def page(self) -> Parameter:
        return self._paging(self.page_name, "page-number")

    @property
    def limit(self) -> Parameter:
        return self._paging(self.limit_name, "page-size")

    @property
    def order(self) -> Parameter:
        return self._paging(self.order_name, "order")

    @property
    def first_page(self) -> int:
        """The first page's number: the page parameter's minimum."""
        return int(self.page.minimum)

    @property
    def max_limit(self) -> int:
        """The largest page the docs allow (limit's maximum): one request reads this many items."""
        return int(self.limit.maximum)

    def default(self, name: str) -> Any:
        p = self.param(name)
        return None if p is None else p.default

    @property
    def paging_defaults(self) -> tuple[tuple[str, str], ...]:
        """page, limit and sort order written out at their documented defaults (the array family:
        limit alone; a listing without sortOrder: page and limit)."""
        if self.bare:
            return ((self.limit.name, str(self.limit.default)),)
        return tuple((p.name, str(p.default)) for p in (self.page, self.limit, *((self.order,) if self.order_name else ())))

    @property
    def instants(self) -> bool:
        """Do the items carry the creation instant?  Without it (contacts) no window can be cut
        and an item's key holds its identity and filtered values only."""
        return self.created in self.item_fields

    def declared_order(self, column: str) -> tuple[str, ...] | None:
        """The values of ``column`` in the order a sort by it follows, when the docs say it sorts by
        its enum's declaration order (None: by value)."""
        return dict(self.declared_orders).get(column)

    @property
    def directions(self) -> tuple[str, str]:
        """(newest first, oldest first): the order parameter's two values."""
        return (self.descending, self.ascending)

    def other_direction(self, direction: str) -> str:
        return self.ascending if direction == self.descending else self.descending

    @property
    def sort_columns(self) -> tuple[str, ...]:
        return self.sort.enum or () if self.sort is not None else ()

    @property
    def default_sort_column(self) -> str:
        """The documented default column ("Defaults to 'createdAt'."); the creation instant, by
        which the listing is documented to be ordered, without a sort parameter."""
        return str(self.sort.default) if self.sort is not None and self.sort.default is not None else self.created

    @cached_property
    def _bounds_by_param(self) -> dict[str, Bound]:
        return {b.param: b for b in self.bounds}

    def bound(self, param: str) -> Bound | None:
        return self._bounds_by_param.get(param)

    def bound_for(self, field_name: str, op: str) -> Bound | None:
        """The bound on ``field_name`` with ``op`` (gt | lt | ge | le), if the contract declares it."""
        return next((b for b in self.bounds if b.field == field_name and b.op == op), None)

    @cached_property
    def _filters_by_param(self) -> dict[str, EqualityFilter]:
        return {f.param: f for f in self.filters}

    def equality(self, param: str) -> EqualityFilter | None:
        return self._filters_by_param.get(param)

    @property
    def enum_filters(self) -> tuple[EqualityFilter, ...]:
        return tuple(f for f in self.filters if f.values)

    @property
    def identity_filter(self) -> EqualityFilter | None:
        return next((f for f in self.filters if f.identity), None)

    @property
    def value_fields(self) -> tuple[str, ...]:
        """The item fields an item key keeps besides its identity and instants: those the
        filters select by (status, assistantId), each once, in the contract's order."""
        return tuple(dict.fromkeys(f.field for f in self.filters if f.field != self.identity))

    @property
    def list_filters(self) -> tuple[EqualityFilter, ...]:
        return tuple(f for f in self.filters if f.listing)

    @property
    def typed_only_parameters(self) -> tuple[str, ...]:
        """Query parameters with a documented meaning no oracle judges: shape only."""
        return tuple(p.name for p in self.parameters if self.role(p.name) == "typed")

    @property
    def typed_only_sort_columns(self) -> tuple[str, ...]:
        """Sort columns the items do not carry (GET /chat's ``duration``): the order they give
        cannot be read from an answer, so they are sent and shape-checked only."""
        return tuple(c for c in self.sort_columns if c not in self.item_fields)

    def is_filter(self, name: str) -> bool:
        return name in self._bounds_by_param or name in self._filters_by_param

    @property
    def pins(self) -> tuple[Bound, ...]:
        """The upper bounds that pin a query to a snapshot: createdAtLe and updatedAtLe."""
        return tuple(dict.fromkeys(b for b in (self.bound_for(self.created, "le"), self.bound_for(self.updated, "le"))
                                   if b is not None))

    @property
    def modification_seen(self) -> bool:
        """Do the items carry a modification instant of their own (updatedAt)?  Without one
        (GET /eval/run) the creation instant stands in for it (conventions.UPDATED): an item
        changed in place is seen only in the values its key keeps, so a column that may change
        (sortBy=cost) is judged within one answer, never across reads."""
        return self.updated != self.created

    @cached_property
    def _roles(self) -> dict[str, str]:
        roles = {self.page_name: "page-number", self.limit_name: "page-size", self.order_name: "order"}
        if self.sort is not None:
            roles[self.sort.name] = "sort"
        if self.cursor is not None:
            roles[self.cursor.param] = "cursor"
        if self.counters is not None:
            roles[self.counters.param] = "counters"
        roles.update({b.param: "bound" for b in self.bounds})
        roles.update({f.param: "list" if f.listing else "equality" for f in self.filters})
        roles.update({name: "typed" for name in self.typed if name not in roles})
        roles.pop(None, None)
        return roles

    def role(self, name: str) -> str | None:
        """page-number | page-size | order | sort | cursor | counters | bound | equality | list |
        typed (shape only), or None (no oracle knows the parameter)."""
        return self._roles.get(name)

    # -- metadata --------------------------------------------------------------------------------
    @cached_property
    def _meta_by_name(self) -> dict[str, MetaField]:
        return {m.name: m for m in self.metadata}

    def meta(self, name: str) -> MetaField | None:
        return self._meta_by_name.get(name)

    def has_meta(self, name: str) -> bool:
        return name in self._meta_by_name

    def meta_name(self, role: str) -> str | None:
        """The declared metadata field of ``role`` (items-per-page, total-items, current-page,
        total-pages, has-next-page, sort-order, next-cursor), or None."""
        if role == "next-cursor":
            return self.cursor.meta if self.cursor is not None else None
        name = self.paging_meta.name(role)
        return name if name is not None and self.has_meta(name) else None

    @property
    def known_metadata(self) -> tuple[str, ...]:
        """Metadata fields an oracle knows the meaning of (their roles), among those declared."""
        pm = self.paging_meta
        known = {pm.items_per_page, pm.total_items, pm.current_page, pm.total_pages, pm.has_next_page, pm.sort_order,
                 self.cursor.meta if self.cursor is not None else None} - {None}
        return tuple(m.name for m in self.metadata if m.name in known)

    @property
    def documented_metadata(self) -> tuple[str, ...]:
        """The metadata fields with a documented meaning: required, described or known to an oracle.
        (Optional fields with neither, e.g. itemsBeyondRetention, are typed only.)"""
        known = set(self.known_metadata)
        return tuple(m.name for m in self.metadata if m.required or m.description or m.name in known)

    @property
    def type_only_metadata(self) -> tuple[str, ...]:
        documented = set(self.documented_metadata)
        return tuple(m.name for m in self.metadata if m.name not in documented)

    @property
    def type_only_item_fields(self) -> tuple[str, ...]:
        """Properties of the item fields an oracle reads that their schema types but does not
        describe (``contactCounters.pending``): only their shape is checked."""
        return tuple(f"{part}.{name}" for part, names in self.item_parts for name, described in names if not described)

    # -- what can be checked ---------------------------------------------------------------------
    def no_oracle(self) -> list[str]:
        """Contract elements no oracle checks, by name ("query parameter X", "metadata field Y")."""
        known = set(self.known_metadata)
        out = [f"query parameter {p.name}" for p in self.parameters if self.role(p.name) is None]
        out += [f"metadata field {name}" for name in self.documented_metadata if name not in known]
        return out

    def supports(self, element: str) -> bool:
        """Does the contract declare ``element``?  The vocabulary of a check's and a stage's needs:
        ``pages`` (a page parameter), ``order`` (a documented order), ``sort``, ``filters`` (any filter), ``enum-filter``, ``cursor``, ``counters``, ``sibling``
        (another listing of the same items), ``organisation`` (an item field naming it),
        ``meta:ROLE`` (a metadata field of that role: :meth:`meta_name`), ``field:call-metrics``,
        ``windows`` (createdAt bounds that cut windows and pin queries to the run's snapshot:
        :attr:`no_windows` empty), ``limit-default`` (a documented default limit), ``counts`` (a
        count relation to measure: a filter inside windows, or without windows an enum filter over
        totalItems)."""
        kind, _, name = element.partition(":")
        if kind == "meta":
            return self.meta_name(name) is not None
        if kind == "field":
            return name == "call-metrics" and self.call_metrics is not None
        return {
            "pages": self.page_name is not None,  # a page parameter: walks, page numbers, past the end
            "order": self.order_name is not None,  # a documented order (sortOrder): order checks
            "sort": self.sort is not None,
            "filters": bool(self.filters or self.bounds),
            "enum-filter": bool(self.enum_filters),
            "cursor": self.cursor is not None,
            "counters": self.counters is not None,
            "sibling": bool(self.siblings),
            "organisation": self.organisation is not None,
            "windows": not self.no_windows,
            "counts": bool(self.filters or self.bounds) if not self.no_windows else bool(self.enum_filters) and not self.bare,
            "limit-default": self.limit_name is not None and self.limit.default is not None,
        }.get(kind, False)

    def require(self, valued: bool = True) -> "Endpoint":
        """Raise :class:`ContractModelError` naming the first element the engine relies on that the
        contract no longer declares (or declares with another type), and (``valued``) ConfigError
        naming a path parameter without a value; return self otherwise."""
        if self.unusable:
            raise ContractModelError(f"{self._where()} {self.unusable[0]}")
        if valued and self.unvalued:
            raise ConfigError(f"{self.label}: no value for the path parameter {self.unvalued[0][0]!r}")
        return self

    def _where(self) -> str:
        return f"the contract's {self.label}" + (f" in {self.root}" if self.root is not None else "")

    def summary(self) -> dict[str, Any]:
        """What summary.json records about the operation the run worked from."""
        return {
            "operation": self.label,
            "path_parameters": dict(self.path_values),
            "parameters": list(self.parameter_names),
            "metadata": list(self.documented_metadata),
            "type_only_metadata": list(self.type_only_metadata),
            "type_only_item_fields": list(self.type_only_item_fields),
            "typed_only_parameters": list(self.typed_only_parameters),
            "typed_only_sort_columns": [f"{self.sort.name}={c}" for c in self.typed_only_sort_columns],
            "no_oracle": self.no_oracle(),
            "no_windows": list(self.no_windows),
        }
