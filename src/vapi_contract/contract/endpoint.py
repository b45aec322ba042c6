"""The model of one list operation, read from a derived contract: the :class:`Endpoint`.

``Contract.load(root)`` reads ``contracts/campaign-list.openapi.json`` under ``root`` (the
repository's pin, or a directory ``derive --out DIR`` wrote); ``contract.endpoint("GET /campaign")``
is the model of that operation.  It holds everything the engine and the oracles use, read from
the contract and assigned a role by Vapi's list conventions (:mod:`.conventions`):

* the method, the path and the schemas of the body, the items and the metadata;
* the paging parameters (page, limit, sort order, sort column) with their ranges and defaults;
* the instant bounds and the equality filters, with every value of an enum filter;
* the metadata fields, and which of them an oracle knows.

An element no role covers is named by :meth:`Endpoint.no_oracle` ("query parameter X"); an
element the engine cannot run without (``limit``, ``totalItems``, the createdAt bounds, ...)
missing or retyped raises :class:`ContractModelError` (exit 2) naming it.  An Endpoint is a
value: built once from the contract a run checks, then passed explicitly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from . import conventions as C
from .additions import documented_default
from .locate import CONTRACT_FILE


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
    """A parameter named after an item field: items whose field equals the value."""

    param: str
    values: tuple[str, ...] | None  # every declared value of an enum filter (None: any string)
    identity: bool = False  # the filter on the items' identity (``id``)


@dataclass(frozen=True)
class Cursor:
    """Keyset pagination: the metadata field that carries the next page's cursor, and the query
    parameter it is passed back as (read from the field's description)."""

    meta: str  # nextCursor
    param: str  # cursor


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
    error_schema: str | None = None  # the 400 answer's body (the contract's addition BadRequestError)
    root: Path | None = field(default=None, compare=False)  # the contract root it was read from
    # item fields whose values an oracle reads (contactCounters, callMetrics) -> their properties,
    # each with whether its schema describes it (an undescribed one is typed only: shape only)
    item_parts: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...] = ()
    siblings: tuple[str, ...] = ()  # the contract's other list operations (GET /v2/campaign for GET /campaign)

    # -- identity --------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        """``GET /campaign``: how reports, the CLI and history name the operation."""
        return f"{self.method} {self.path}"

    # -- parameters ------------------------------------------------------------------------------
    @cached_property
    def _by_name(self) -> dict[str, Parameter]:
        return {p.name: p for p in self.parameters}

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def param(self, name: str) -> Parameter | None:
        return self._by_name.get(name)

    def _required_param(self, name: str) -> Parameter:
        p = self.param(name)
        if p is None:
            raise ContractModelError(f"{self._where()} no longer declares the query parameter {name!r}, which the checks "
                                     "rely on: review the published change (vapi-contract diff) before accepting it")
        return p

    @property
    def page(self) -> Parameter:
        return self._required_param(C.PAGE)

    @property
    def limit(self) -> Parameter:
        return self._required_param(C.LIMIT)

    @property
    def order(self) -> Parameter:
        return self._required_param(C.ORDER)

    @property
    def max_limit(self) -> int:
        """The largest page the docs allow (limit's maximum): one request reads this many items."""
        return int(self.limit.maximum)

    def default(self, name: str) -> Any:
        p = self.param(name)
        return None if p is None else p.default

    @property
    def paging_defaults(self) -> tuple[tuple[str, str], ...]:
        """page, limit and sort order written out at their documented defaults."""
        return tuple((p.name, str(p.default)) for p in (self.page, self.limit, self.order))

    @cached_property
    def sort(self) -> Parameter | None:
        """The sort-column parameter (sortBy), when the contract declares one."""
        for p in self.parameters:
            if p.enum and (p.name == C.SORT or C.SORT_DESCRIPTION.search(p.description)):
                return p
        return None

    @property
    def sort_columns(self) -> tuple[str, ...]:
        return self.sort.enum or () if self.sort is not None else ()

    @property
    def default_sort_column(self) -> str:
        """The documented default column ("Defaults to 'createdAt'."); the creation instant, by
        which the listing is documented to be ordered, without a sort parameter."""
        return str(self.sort.default) if self.sort is not None and self.sort.default is not None else C.CREATED

    @cached_property
    def bounds(self) -> tuple[Bound, ...]:
        out = []
        for p in self.parameters:
            m = C.BOUND_NAME.match(p.name)
            if m and m["field"] in self.item_fields and p.format == "date-time":
                out.append(Bound(p.name, m["field"], C.BOUND_SUFFIXES[m["op"]]))
        return tuple(out)

    @cached_property
    def _bounds_by_param(self) -> dict[str, Bound]:
        return {b.param: b for b in self.bounds}

    def bound(self, param: str) -> Bound | None:
        return self._bounds_by_param.get(param)

    def bound_for(self, field_name: str, op: str) -> Bound | None:
        """The bound on ``field_name`` with ``op`` (gt | lt | ge | le), if the contract declares it."""
        return next((b for b in self.bounds if b.field == field_name and b.op == op), None)

    @cached_property
    def filters(self) -> tuple[EqualityFilter, ...]:
        """Parameters named after an item field that are not bounds (id, status)."""
        return tuple(EqualityFilter(p.name, p.enum, p.name == C.IDENTITY) for p in self.parameters
                     if p.name in self.item_fields and p.name not in self._bounds_by_param and p.type in ("string", None))

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
        """The item fields an item key keeps besides its identity and instants: those of the
        non-identity equality filters (status), in the contract's order."""
        return tuple(f.param for f in self.filters if not f.identity)

    def is_filter(self, name: str) -> bool:
        return name in self._bounds_by_param or name in self._filters_by_param

    # -- instants --------------------------------------------------------------------------------
    @property
    def created(self) -> str:
        """The creation instant field (the documented order; windows are ranges of it)."""
        return C.CREATED

    @property
    def updated(self) -> str:
        """The modification instant field (a change moves it)."""
        return C.UPDATED

    @property
    def identity(self) -> str:
        return C.IDENTITY

    @property
    def organisation(self) -> str | None:
        """The item field naming the organisation an item belongs to (tenancy), if items have one."""
        return C.ORGANISATION if C.ORGANISATION in self.item_fields else None

    @property
    def pins(self) -> tuple[Bound, ...]:
        """The upper bounds that pin a query to a snapshot: createdAtLe and updatedAtLe."""
        return tuple(b for b in (self.bound_for(self.created, "le"), self.bound_for(self.updated, "le")) if b is not None)

    @cached_property
    def cursor(self) -> Cursor | None:
        """Keyset pagination, when the contract's metadata declares a next-page cursor whose
        description names the query parameter it is passed back as."""
        meta = self.meta(C.NEXT_CURSOR)
        found = C.CURSOR_PARAM_IN_DESCRIPTION.search(meta.description) if meta is not None else None
        return Cursor(meta.name, found["param"]) if found else None

    @property
    def counters(self) -> Parameter | None:
        """The boolean parameter asking for every item's contactCounters and callMetrics."""
        p = self.param(C.INCLUDE_COUNTERS)
        return p if p is not None and p.type == "boolean" else None

    def role(self, name: str) -> str | None:
        """page-number | page-size | order | sort | cursor | counters | bound | equality, or None
        (no oracle knows the parameter)."""
        if name == C.PAGE:
            return "page-number"
        if name == C.LIMIT:
            return "page-size"
        if name == C.ORDER:
            return "order"
        if self.sort is not None and self.sort.name == name:
            return "sort"
        if self.cursor is not None and self.cursor.param == name:
            return "cursor"
        if self.counters is not None and self.counters.name == name:
            return "counters"
        if name in self._bounds_by_param:
            return "bound"
        if name in self._filters_by_param:
            return "equality"
        return None

    # -- metadata --------------------------------------------------------------------------------
    @cached_property
    def _meta_by_name(self) -> dict[str, MetaField]:
        return {m.name: m for m in self.metadata}

    def meta(self, name: str) -> MetaField | None:
        return self._meta_by_name.get(name)

    def has_meta(self, name: str) -> bool:
        return name in self._meta_by_name

    @property
    def known_metadata(self) -> tuple[str, ...]:
        """Metadata fields an oracle knows the meaning of (conventions), among those declared."""
        cursor = self.cursor.meta if self.cursor is not None else None
        return tuple(m.name for m in self.metadata if m.name in C.PAGING_METADATA or m.name in C.PAGE_METADATA
                     or m.name == cursor)

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
        """``param:NAME`` / ``meta:NAME`` / ``field:NAME`` / ``sort`` / ``filters`` / ``enum-filter`` /
        ``cursor`` / ``counters`` / ``sibling`` (another list operation in the contract): does the
        contract declare the element?"""
        kind, _, name = element.partition(":")
        if kind == "param":
            return self.param(name) is not None
        if kind == "meta":
            return self.has_meta(name)
        if kind == "field":
            return name in self.item_fields
        if kind == "sort":
            return self.sort is not None
        if kind == "filters":
            return bool(self.filters or self.bounds)
        if kind == "enum-filter":
            return bool(self.enum_filters)
        if kind == "cursor":
            return self.cursor is not None
        if kind == "counters":
            return self.counters is not None
        if kind == "sibling":
            return bool(self.siblings)
        return False

    def require(self) -> "Endpoint":
        """Raise :class:`ContractModelError` naming the first element the engine relies on that the
        contract no longer declares (or declares with another type); return self otherwise."""
        for p in (self.page, self.limit):
            if not p.numeric:
                raise ContractModelError(f"{self._where()} types the query parameter {p.name!r} as {p.type!r}, not a "
                                         "number: the paging checks rely on it")
        if self.limit.maximum is None:
            raise ContractModelError(f"{self._where()} gives the query parameter {self.limit.name!r} no maximum: "
                                     "the checks read windows of that many items")
        if not set(C.ORDER_VALUES) <= set(self.order.enum or ()):
            raise ContractModelError(f"{self._where()} no longer offers {'/'.join(C.ORDER_VALUES)} for the query "
                                     f"parameter {self.order.name!r}: the order checks rely on them")
        for name in C.PAGING_METADATA:
            if not self.has_meta(name):
                raise ContractModelError(f"{self._where()} no longer declares the metadata field {name!r}, which the "
                                         "checks rely on: review the published change before accepting it")
        for fld, ops in ((self.created, ("gt", "lt", "ge", "le")), (self.updated, ("le",))):
            for op in ops:
                if self.bound_for(fld, op) is None:
                    suffix = next(s for s, o in C.BOUND_SUFFIXES.items() if o == op)
                    raise ContractModelError(f"{self._where()} no longer declares the date-time bound {fld}{suffix!s}, "
                                             "which the windows and the snapshot pins rely on")
        for name in (self.identity, self.created, self.updated):
            if name not in self.item_fields:
                raise ContractModelError(f"{self._where()}: items ({self.item_schema}) no longer have the field "
                                         f"{name!r}, which the checks rely on")
        return self

    def _where(self) -> str:
        return f"the contract's {self.label}" + (f" in {self.root}" if self.root is not None else "")

    def summary(self) -> dict[str, Any]:
        """What summary.json records about the operation the run worked from."""
        return {
            "operation": self.label,
            "parameters": list(self.parameter_names),
            "metadata": list(self.documented_metadata),
            "type_only_metadata": list(self.type_only_metadata),
            "type_only_item_fields": list(self.type_only_item_fields),
            "no_oracle": self.no_oracle(),
        }


@dataclass(frozen=True)
class Contract:
    """A derived contract: its document and the list operations it declares."""

    document: dict = field(compare=False, repr=False)
    root: Path | None = None
    _endpoints: dict = field(default_factory=dict, compare=False, repr=False)  # operation -> Endpoint, built once

    @classmethod
    def load(cls, root: Path | str) -> "Contract":
        """The contract under ``root`` (read once per process and root)."""
        return _load(Path(root).resolve())

    @property
    def operations(self) -> tuple[str, ...]:
        """Every list operation (a 200 answer with results and metadata), as ``GET /path``."""
        out = []
        for path, item in (self.document.get("paths") or {}).items():
            for method, op in (item or {}).items():
                if isinstance(op, dict) and _listing_schema(op, self._components) is not None:
                    out.append(f"{method.upper()} {path}")
        return tuple(out)

    @property
    def _components(self) -> dict:
        return (self.document.get("components") or {}).get("schemas") or {}

    def endpoint(self, operation: str) -> Endpoint:
        """The model of ``operation`` (``GET /campaign``); ConfigError naming the operations the
        contract declares when it has no such list operation."""
        if operation not in self._endpoints:
            self._endpoints[operation] = self._build(operation)
        return self._endpoints[operation]

    def _build(self, operation: str) -> Endpoint:
        method, _, path = operation.partition(" ")
        op = ((self.document.get("paths") or {}).get(path) or {}).get(method.lower())
        components = self._components
        response = _listing_schema(op, components) if isinstance(op, dict) else None
        if response is None:
            where = f" in {self.root}" if self.root is not None else ""
            raise ConfigError(f"the contract{where} has no list operation {operation!r}; it declares: "
                              f"{', '.join(self.operations) or 'none'}")
        body = _deref(components.get(response) or {}, components)
        props = body.get("properties") or {}
        item = _ref_name((props[C.RESULTS].get("items") or {}))
        meta = _ref_name(props[C.METADATA])
        params = []
        for p in op.get("parameters") or []:
            if p.get("in") != "query":
                continue
            schema = _deref(p.get("schema") or {}, components)
            default = schema.get("default")
            if default is None:
                default = documented_default(p)
            if isinstance(default, float) and default.is_integer():
                default = int(default)
            enum = schema.get("enum")
            params.append(Parameter(
                name=p["name"], type=_type(schema), format=schema.get("format"),
                enum=tuple(str(v) for v in enum) if isinstance(enum, list) else None,
                minimum=schema.get("minimum"), maximum=schema.get("maximum"), default=default,
                description=p.get("description") or schema.get("description") or "", required=bool(p.get("required"))))
        meta_schema = _deref(components.get(meta) or {}, components)
        required = set(meta_schema.get("required") or ())
        metadata = tuple(
            MetaField(name, _type(_deref(s, components)), _deref(s, components).get("format"), name in required,
                      (s.get("description") or _deref(s, components).get("description") or ""))
            for name, s in (meta_schema.get("properties") or {}).items())
        item_schema = _deref(components.get(item) or {}, components)
        bad_request = ((op.get("responses") or {}).get("400") or {}).get("content") or {}
        error = _ref_name((bad_request.get("application/json") or {}).get("schema") or {})
        item_props = item_schema.get("properties") or {}
        parts = tuple((name, tuple((sub, bool(sub_schema.get("description")))
                                   for sub, sub_schema in (_deref(item_props[name], components).get("properties") or {}).items()))
                      for name in (C.CONTACT_COUNTERS, C.CALL_METRICS) if name in item_props)
        siblings = tuple(o for o in self.operations if o != f"{method.upper()} {path}")
        return Endpoint(method.upper(), path, response, item, meta, tuple(item_props), tuple(params), metadata, error,
                        self.root, parts, siblings)


def _listing_schema(op: dict | None, components: dict) -> str | None:
    """The component name of ``op``'s 200 body when it is a listing ({results: [...], metadata})."""
    if not isinstance(op, dict):
        return None
    content = ((op.get("responses") or {}).get("200") or {}).get("content") or {}
    schema = (content.get("application/json") or {}).get("schema") or {}
    name = _ref_name(schema)
    body = _deref(components.get(name) or {}, components) if name else {}
    props = body.get("properties") or {}
    if C.RESULTS in props and C.METADATA in props and _ref_name(props[C.RESULTS].get("items") or {}) \
            and _ref_name(props[C.METADATA]):
        return name
    return None


def _ref_name(schema: Any) -> str | None:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _type(schema: dict) -> str | None:
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    return t


def _deref(schema: Any, components: dict, depth: int = 0) -> dict:
    """``schema`` with its ``$ref`` followed, and through an ``allOf`` of one ``$ref`` (how the
    document attaches a description to a reference)."""
    if not isinstance(schema, dict):
        return {}
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and _ref_name(all_of[0]) and depth < 8:
        return _deref(all_of[0], components, depth + 1)
    name = _ref_name(schema)
    if name is not None and depth < 8:
        return _deref(components.get(name) or {}, components, depth + 1)
    return schema


@lru_cache(maxsize=8)
def _load(root: Path) -> Contract:
    path = root / CONTRACT_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"no contract at {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigError(f"the contract {path} is not JSON: {exc}") from None
    return Contract(document, root)
