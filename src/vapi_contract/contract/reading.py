"""Reading a derived contract: its list operations, and the :class:`~.endpoint.Endpoint` of each.

``Contract.load(root)`` reads ``contracts/campaign-list.openapi.json`` under ``root`` (the
repository's pin, or a directory ``derive --out DIR`` wrote); ``contract.endpoint("GET /campaign")``
is the model of that operation, with every element assigned its role by Vapi's list conventions
(:mod:`.conventions`).  This is where the conventions are read: the Endpoint carries the names
they give, and nothing downstream spells them again.  Schemas are followed through
:func:`.schema_walk.deref`, the package's one reference follower.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from . import conventions as C
from .additions import documented_default
from .endpoint import (Bound, CallMetrics, ContractModelError, Counters, Cursor, Endpoint, EqualityFilter, Envelope,
                       MetaField, PagingMeta, Parameter)
from .locate import CONTRACT_FILE, item_schema_name
from .schema_walk import deref, ref_target, unwrap

ENVELOPE = Envelope(C.RESULTS, C.METADATA, C.TOTAL_ITEMS)
PAGING_META = PagingMeta(C.ITEMS_PER_PAGE, C.TOTAL_ITEMS, C.CURRENT_PAGE, C.TOTAL_PAGES, C.HAS_NEXT_PAGE, C.SORT_ORDER_ECHO)


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
        """Every list operation the engine runs, as ``GET /path``: the paginated family (a 200
        answer with results and metadata) and the array family (a bare array of items, with a
        ``limit``)."""
        out = []
        for path, item in (self.document.get("paths") or {}).items():
            for method, op in (item or {}).items():
                if isinstance(op, dict) and (_listing_schema(op, self._components) is not None
                                             or _array_items(op, path) is not None):
                    out.append(f"{method.upper()} {path}")
        return tuple(out)

    @property
    def campaign_listings(self) -> tuple[str, ...]:
        """The list-campaigns operations among :attr:`operations` (GET /campaign, GET /v2/campaign):
        the product's first use, what ``make run`` and the gate check unless told otherwise."""
        return tuple(o for o in self.operations if C.LISTINGS.match(o.partition(" ")[2]))

    @property
    def default_operation(self) -> str:
        """The operation a run checks unless told otherwise: List Campaigns when the contract
        declares it, else its first list operation."""
        ops = self.operations
        return C.DEFAULT_OPERATION if C.DEFAULT_OPERATION in ops or not ops else ops[0]

    @property
    def _components(self) -> dict:
        return (self.document.get("components") or {}).get("schemas") or {}

    def endpoint(self, operation: str) -> Endpoint:
        """The model of ``operation`` (``GET /campaign``); ConfigError naming the operations the
        contract declares when it has no such list operation."""
        if operation not in self._endpoints:
            self._endpoints[operation] = self._build(operation)
        return self._endpoints[operation]

    def parents(self, endpoint: Endpoint) -> dict[str, Endpoint]:
        """path parameter -> Endpoint of the pinned listing it names an item of, for each of
        ``endpoint``'s path parameters not valued yet (:attr:`Endpoint.unvalued`)."""
        return {name: self.endpoint(label) for name, label in endpoint.unvalued}

    def siblings(self, endpoint: Endpoint) -> dict[str, Endpoint]:
        """label -> Endpoint of the contract's other listings of ``endpoint``'s items."""
        return {label: self.endpoint(label) for label in endpoint.siblings}

    def _build(self, operation: str) -> Endpoint:
        method, _, path = operation.partition(" ")
        op = ((self.document.get("paths") or {}).get(path) or {}).get(method.lower())
        components = self._components
        response = _listing_schema(op, components) if isinstance(op, dict) else None
        array_item = _array_items(op, path) if response is None else None
        if array_item is not None:
            return self._build_array(method, path, op, array_item)
        if response is None:
            where = f" in {self.root}" if self.root is not None else ""
            raise ConfigError(f"the contract{where} has no list operation {operation!r}; it declares: "
                              f"{', '.join(self.operations) or 'none'}")
        body = deref(components.get(response), components) or {}
        props = body.get("properties") or {}
        items = props[C.RESULTS]["items"]  # a $ref, or written inline (GET /v2/phone-number): derive names them
        shared = self._shared(op, _item_name(items, path), items)
        meta = _metadata_name(props[C.METADATA])
        meta_schema = deref(components.get(meta), components) or {}
        required = set(meta_schema.get("required") or ())
        metadata = tuple(
            MetaField(name, _type(deref(s, components) or {}), (deref(s, components) or {}).get("format"), name in required,
                      (s.get("description") or (deref(s, components) or {}).get("description") or ""))
            for name, s in (meta_schema.get("properties") or {}).items())
        item_props, item_fields, params, by_name = shared.item_props, shared.item_fields, shared.params, shared.by_name
        parts = tuple((name, tuple((sub, bool(sub_schema.get("description")))
                                   for sub, sub_schema in ((deref(item_props[name], components) or {}).get("properties")
                                                           or {}).items()))
                      for name in (C.CONTACT_COUNTERS, C.CALL_METRICS) if name in item_props)
        label = f"{method.upper()} {path}"
        sort = next((p for p in params if p.enum and (p.name == C.SORT or C.SORT_DESCRIPTION.search(p.description))), None)
        cursor_meta = next((m for m in metadata if m.name == C.NEXT_CURSOR), None)
        cursor_param = C.CURSOR_PARAM_IN_DESCRIPTION.search(cursor_meta.description) if cursor_meta is not None else None
        flag = by_name.get(C.INCLUDE_COUNTERS)
        counted = tuple(f for f in (C.CONTACT_COUNTERS, C.CALL_METRICS) if f in item_fields)
        order = by_name.get(C.ORDER)
        endpoint = Endpoint(
            method.upper(), path, response, shared.item, meta, item_fields, params, metadata, ENVELOPE, PAGING_META,
            identity=C.IDENTITY, created=C.CREATED, updated=C.UPDATED if C.UPDATED in item_fields else C.CREATED,
            page_name=C.PAGE if C.PAGE in by_name else None, limit_name=C.LIMIT if C.LIMIT in by_name else None,
            order_name=C.ORDER if order is not None else None, bounds=shared.bounds, filters=shared.filters,
            error_schema=shared.error, root=self.root, item_parts=parts, siblings=_siblings(label, self.operations),
            organisation=C.ORGANISATION if C.ORGANISATION in item_fields else None,
            cursor=Cursor(cursor_meta.name, cursor_param["param"]) if cursor_param else None,
            counters=Counters(flag.name, counted) if flag is not None and flag.type == "boolean" else None,
            call_metrics=CallMetrics(C.CALL_METRICS, C.DIALED, C.CONNECTED) if C.CALL_METRICS in item_fields else None,
            sort=sort, ascending=C.ASCENDING, descending=C.DESCENDING,
            later_parameters=tuple((name, values) for name, values in C.LATER_PARAMETERS.items() if name not in by_name),
            document=self.document, path_parameters=shared.path_params, family=C.PAGINATED_FAMILY,
            parents=self._parents(method, path, shared.path_params),
            declared_orders=_declared_orders(sort, item_props, components),
        )
        return _with_unusable(shared.typed(endpoint), by_name, metadata)

    def _shared(self, op: dict, item: str, inline: Any) -> "_Shared":
        """What both families read alike from ``op``: its parameters, its items (``item``: a
        component, or the name derive gives the ``inline`` items schema), their fields (of a
        union, those every alternative declares: :func:`_union_properties`), the bounds and
        filters on those fields, and the 400 body."""
        components = self._components
        params = tuple(_parameter(p, components) for p in op.get("parameters") or [] if p.get("in") == "query")
        path_params = tuple(_parameter(p, components) for p in op.get("parameters") or [] if p.get("in") == "path")
        written = inline if isinstance(inline, dict) and "$ref" not in inline else {}
        item_props = _union_properties(deref(components.get(item) or written, components) or {}, components)
        bad_request = ((op.get("responses") or {}).get("400") or {}).get("content") or {}
        error = ref_target(((bad_request.get("application/json") or {}).get("schema") or {}).get("$ref"))
        bounds = bounds_of(params, tuple(item_props))
        filters = filters_of(params, {name: _type(deref(sub, components) or {}) for name, sub in item_props.items()},
                             {b.param for b in bounds})
        return _Shared(params, path_params, item, item_props, bounds, filters, error)

    def _parents(self, method: str, path: str, path_params) -> tuple[tuple[str, str], ...]:
        """Each path parameter naming an item of a pinned listing (conventions.parent_path), with
        that listing's label: where a run not given the parameter finds a value."""
        labels = ((p.name, f"{method.upper()} {C.parent_path(path, p.name)}") for p in path_params)
        return tuple((name, label) for name, label in labels if label in self.operations)

    def _build_array(self, method: str, path: str, op: dict, item: str) -> Endpoint:
        """An array-family listing (conventions.ARRAY_FAMILY): a bare array of ``item``, ``limit``,
        filters and bounds; no page, no sort order, no metadata (so none of their checks apply)."""
        shared = self._shared(op, item, _array_schema(op).get("items"))  # inline items (GET /tool): derive names them
        by_name, item_fields = shared.by_name, shared.item_fields
        endpoint = Endpoint(
            method.upper(), path, "", item, "", item_fields, shared.params, (), Envelope.bare_array(), PAGING_META,
            identity=C.IDENTITY, created=C.CREATED, updated=C.UPDATED,
            page_name=None, limit_name=C.LIMIT if C.LIMIT in by_name else None, order_name=None,
            bounds=shared.bounds, filters=shared.filters, error_schema=shared.error, root=self.root,
            organisation=C.ORGANISATION if C.ORGANISATION in item_fields else None,
            document=self.document, path_parameters=shared.path_params, family=C.ARRAY_FAMILY,
            parents=self._parents(method, path, shared.path_params))
        read = _with_unusable(shared.typed(endpoint), by_name, ())
        why = [w.replace("no longer declares", "does not declare") for w in read.unusable
               if not any(f"{name!r}" in w for name in (C.PAGE, C.ORDER, *C.PAGING_METADATA))]
        return replace(read, unusable=tuple(why))


@dataclass(frozen=True)
class _Shared:
    """What the paginated and the array readings of a listing share (:meth:`Contract._shared`)."""

    params: tuple[Parameter, ...]
    path_params: tuple[Parameter, ...]
    item: str  # the items' schema: a component, or the name derive gives inline items
    item_props: dict[str, Any]  # the fields every item carries (of a union: every alternative's)
    bounds: tuple[Bound, ...]
    filters: tuple[EqualityFilter, ...]
    error: str | None  # the 400 body's schema

    @property
    def by_name(self) -> dict[str, Parameter]:
        return {p.name: p for p in self.params}

    @property
    def item_fields(self) -> tuple[str, ...]:
        return tuple(self.item_props)

    def typed(self, endpoint: Endpoint) -> Endpoint:
        """``endpoint`` with its typed-only parameters: described, and no role covers them."""
        typed = tuple(p.name for p in self.params if endpoint.role(p.name) is None and p.description.strip())
        return replace(endpoint, typed=typed) if typed else endpoint


def _union_properties(schema: dict, components: dict) -> dict:
    """The properties of an item schema; of a union of item schemas (GET /tool's ``anyOf``; both
    phone-number listings' ``allOf: [{if: provider const X, then: X}]``), those every alternative
    declares (what every item carries, whichever alternative it is), in either family."""
    alternatives = schema.get("anyOf") or schema.get("oneOf") or \
        [c["then"] for c in schema.get("allOf") or () if isinstance(c, dict) and isinstance(c.get("then"), dict)]
    own = schema.get("properties") or {}  # a discriminated union (GET /phone-number: allOf if provider, then X)
    if not alternatives:
        return own
    props = [(deref(a, components) or {}).get("properties") or {} for a in alternatives]
    return {**own, **{name: sub for name, sub in props[0].items() if all(name in p for p in props[1:])}}


def filters_of(params, field_types: dict[str, str | None], bound_names: set[str]) -> tuple[EqualityFilter, ...]:
    """The equality and list filters (conventions: a string parameter named after a string item
    field; ``<field>Any``, comma-separated, on one), in the contract's order."""
    out = []
    for p in params:
        if p.type != "string" or p.name in bound_names:
            continue
        if field_types.get(p.name) == "string":
            identity = p.name == C.IDENTITY
            out.append(EqualityFilter(p.name, p.enum, identity, C.UUID if identity else None, repeated=p.repeated))
            continue
        stem = p.name[:-len(C.LIST_SUFFIX)]
        if p.name.endswith(C.LIST_SUFFIX) and field_types.get(stem) == "string" and not p.enum \
                and C.COMMA_SEPARATED.search(p.description):
            out.append(EqualityFilter(p.name, None, field=stem, separator=C.LIST_SEPARATOR))
    return tuple(out)


def bounds_of(params, item_fields) -> tuple[Bound, ...]:
    """The instant bounds: a parameter ``<field><Gt|Lt|Ge|Le>`` of format date-time on an item field
    ("createdAtGt: This will return items where the createdAt is greater than the specified value.")."""
    out = []
    for p in params:
        m = C.BOUND_NAME.match(p.name)
        if m and m["field"] in item_fields and p.format == "date-time":
            out.append(Bound(p.name, m["field"], C.BOUND_SUFFIXES[m["op"]]))
    return tuple(out)


def _with_unusable(endpoint: Endpoint, by_name: dict[str, Parameter], metadata) -> Endpoint:
    """``endpoint`` with what the engine cannot run without and the contract lacks, in words
    (``unusable``), and why it cannot be windowed nor pinned (``no_windows``).

    The createdAt bounds come as a set: a listing declaring none of them (GET
    /v2/campaign/{id}/contacts, GET /v2/knowledge-base) is read without windows or pins, and its
    checks that need them do not apply; one declaring some but not all of them (or bounds on items
    without the instant) changed in a way to review, and is unusable.  sortOrder ("This is the sort
    order for pagination", by createdAt) is required of a paginated listing whose items carry the
    creation instant; contacts, which carry none, come in their documented sortBy order."""
    why: list[str] = []
    windowed = any(b.field == C.CREATED for b in endpoint.bounds)
    for name in (C.PAGE, C.LIMIT, C.ORDER):
        if name == C.ORDER and not endpoint.instants:
            continue
        if name not in by_name:
            why.append(f"no longer declares the query parameter {name!r}, which the checks rely on: review the published "
                       "change (vapi-contract diff) before accepting it")
    for name in (C.PAGE, C.LIMIT):
        p = by_name.get(name)
        if p is not None and not p.numeric:
            why.append(f"types the query parameter {p.name!r} as {p.type!r}, not a number: the paging checks rely on it")
    page = by_name.get(C.PAGE)
    if page is not None and page.numeric and page.minimum is None:
        why.append(f"gives the query parameter {page.name!r} no minimum: the walks start at the first page")
    limit = by_name.get(C.LIMIT)
    if limit is not None and limit.numeric and limit.maximum is None:
        why.append(f"gives the query parameter {limit.name!r} no maximum: the checks read windows of that many items")
    order = by_name.get(C.ORDER)
    if order is not None and not set(C.ORDER_VALUES) <= set(order.enum or ()):
        why.append(f"no longer offers {'/'.join(C.ORDER_VALUES)} for the query parameter {order.name!r}: the order checks "
                   "rely on them")
    declared = {m.name for m in metadata}
    for name in C.PAGING_METADATA:
        if name not in declared:
            why.append(f"no longer declares the metadata field {name!r}, which the checks rely on: review the published "
                       "change before accepting it")
    for fld, ops in ((C.CREATED, ("gt", "lt", "ge", "le")), (endpoint.updated, ("le",))) if windowed else ():
        for op in ops:  # updated: see conventions
            if endpoint.bound_for(fld, op) is None:
                suffix = next(s for s, o in C.BOUND_SUFFIXES.items() if o == op)
                why.append(f"no longer declares the date-time bound {fld}{suffix}, which the windows and the snapshot pins "
                           "rely on")
    for name in dict.fromkeys((C.IDENTITY, *((C.CREATED, endpoint.updated) if windowed else ()))):
        if name not in endpoint.item_fields:
            why.append(f"items ({endpoint.item_schema}) no longer have the field {name!r}, which the checks rely on")
    no_windows = () if windowed else (
        "declares no createdAt bound" + ("" if endpoint.instants else f" and its items ({endpoint.item_schema}) carry no "
                                         f"{C.CREATED}") + ": no window can be cut and no query pinned to the run's "
        "snapshot, so the checks that compare answers over windows or pins do not apply",)
    return replace(endpoint, unusable=tuple(why), no_windows=no_windows)


def _declared_orders(sort: Parameter | None, item_props: dict, components: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The sort columns whose description says they sort "by the enum's declaration order", with
    the item field's enum in that order (conventions.DECLARATION_ORDER)."""
    if sort is None:
        return ()
    out = []
    for m in C.DECLARATION_ORDER.finditer(sort.description):
        column = m["column"]
        enum = (deref(item_props.get(column) or {}, components) or {}).get("enum")
        if column in (sort.enum or ()) and isinstance(enum, list):
            out.append((column, tuple(str(v) for v in enum)))
    return tuple(out)


def _siblings(label: str, operations: tuple[str, ...]) -> tuple[str, ...]:
    """The other list operations of the same items: versions of one listing (``GET /campaign``,
    ``GET /v2/campaign``: conventions.LISTINGS), whose answers to one query must agree."""
    method, _, path = label.partition(" ")
    if not C.LISTINGS.match(path):
        return ()
    return tuple(o for o in operations if o != label and o.startswith(f"{method} ") and C.LISTINGS.match(o.partition(" ")[2]))


def _parameter(p: dict, components: dict) -> Parameter:
    schema = deref(p.get("schema") or {}, components) or {}
    repeated = schema.get("type") == "array" and isinstance(schema.get("items"), dict)
    if repeated:  # conventions: given once or repeated, each value typed by the array's items
        # (a format written on the array itself, GET /squad's idAny: {format: uuid, type: array}, is its values')
        schema = {**({"format": schema["format"]} if "format" in schema else {}), **(deref(schema["items"], components) or {})}
    default = schema.get("default")
    if default is None:
        default = documented_default(p)
    if isinstance(default, float) and default.is_integer():
        default = int(default)
    enum = schema.get("enum")
    return Parameter(
        name=p["name"], type=_type(schema), format=schema.get("format"),
        enum=tuple(str(v) for v in enum) if isinstance(enum, list) else None,
        minimum=schema.get("minimum"), maximum=schema.get("maximum"), default=default,
        description=p.get("description") or schema.get("description") or "", required=bool(p.get("required")),
        min_length=schema.get("minLength"), max_length=schema.get("maxLength"), repeated=repeated)


def _listing_schema(op: dict | None, components: dict) -> str | None:
    """The component name of ``op``'s 200 body when it is a listing ({results: [...], metadata}):
    ``results``' items a ``$ref`` or written inline (``PhoneNumberPaginatedResponse``: a union by
    ``provider``; derive names them, ``locate.item_schema_name``), ``metadata`` a component (or an
    ``allOf`` of one, as the document describes a reference: ``schema_walk.unwrap``)."""
    if not isinstance(op, dict):
        return None
    content = ((op.get("responses") or {}).get("200") or {}).get("content") or {}
    schema = (content.get("application/json") or {}).get("schema") or {}
    name = ref_target(schema.get("$ref")) if isinstance(schema, dict) else None
    body = deref(components.get(name), components) if name else None
    props = (body or {}).get("properties") or {}
    if isinstance(props.get(C.RESULTS), dict) and isinstance(props[C.RESULTS].get("items"), dict) \
            and C.METADATA in props and _metadata_name(props[C.METADATA]):
        return name
    return None


def _item_name(items: dict, path: str) -> str:
    """The name of a listing's item schema: the component its ``$ref`` names, else (items written
    inline: GET /tool, both phone-number listings) the schema derive adds for them."""
    return ref_target(items.get("$ref")) or item_schema_name(path)


def _metadata_name(schema: Any) -> str | None:
    """The component a paginated body's ``metadata`` is: a ``$ref``, or an ``allOf`` of one with a
    description beside it (PhoneNumberPaginatedResponse: "Metadata about the pagination.")."""
    schema = unwrap(schema)
    return ref_target(schema.get("$ref")) if isinstance(schema, dict) else None


def _array_items(op: dict | None, path: str) -> str | None:
    """The item schema's name when ``op`` is an array-family listing: a ``limit`` and a 200 body that
    is a bare JSON array (or lists one first: GET /eval/simulation/run), its items a ``$ref`` or
    written inline (then derive names them: ``locate.item_schema_name``)."""
    if not isinstance(op, dict) or not any(p.get("name") == C.LIMIT and p.get("in") == "query"
                                           for p in op.get("parameters") or []):
        return None
    first = _array_schema(op)
    if not isinstance(first.get("items"), dict):
        return None
    return _item_name(first["items"], path)


def _array_schema(op: dict) -> dict:
    """``op``'s 200 body schema when it is a bare array (or its first alternative that is), else {}."""
    content = ((op.get("responses") or {}).get("200") or {}).get("content") or {}
    schema = (content.get("application/json") or {}).get("schema") or {}
    first = next(iter(schema.get("anyOf") or schema.get("oneOf") or [schema]), {})
    return first if isinstance(first, dict) and first.get("type") == "array" else {}


def _type(schema: dict) -> str | None:
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    return t


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
