"""The model of GET /campaign the checks work from, read from a pinned contract.

``EndpointModel.load(root)`` reads ``contracts/campaign-list.openapi.json`` under ``root`` (the
repository's pin when ``root`` is None; ``derive --out DIR`` writes such a root) and gives:

* ``parameters``: every query parameter the contract declares, with its type, format, enum,
  range, default (schema ``default``, else the description's "Defaults to X.") and description;
* ``metadata``: every field of ``PaginationMeta`` (type, required-ness, description);
* ``campaign_fields``: the properties of ``Campaign`` (what a result exposes).

What the document cannot express is fixed below as constants, each naming the doc line it comes
from: the *role* of a parameter (a paging parameter, an instant bound, an equality filter, the
sort column) and the meaning of the metadata fields the oracles know.  A contract element with
no role and no oracle is reported by name (``no_oracle``), never silently dropped; an element an
oracle depends on that the contract no longer declares (``limit`` removed, ``totalItems``
removed) stops the run with one line naming it (:class:`ContractModelError`, exit 2).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .additions import documented_default
from .derive import CONTRACT_FILE, OPERATION
from .locate import contract_root

# -- what the docs fix and the document cannot express ------------------------------------------
# "This will return items where the createdAt is greater than the specified value." (createdAtGt;
#  Lt "less than", Ge "greater than or equal to", Le "less than or equal to"; the same for updatedAt)
BOUND_SUFFIXES = {"Gt": "gt", "Lt": "lt", "Ge": "ge", "Le": "le"}
_BOUND = re.compile(r"^(?P<field>[a-z][A-Za-z0-9]*?)(?P<op>Gt|Lt|Ge|Le)$")
# page: "This is the page number to return. Defaults to 1."
PAGE_PARAM = "page"
# limit: "This is the maximum number of items to return. Defaults to 100."
LIMIT_PARAM = "limit"
# sortOrder: "This is the sort order for pagination. Defaults to 'DESC'."  (ASC | DESC)
ORDER_PARAM = "sortOrder"
ORDER_VALUES = ("ASC", "DESC")
# sortBy (2026-04-14): "This is the column to sort by. Defaults to 'createdAt'."
SORT_PARAM = "sortBy"
_SORT_DESCRIPTION = re.compile(r"column to sort by", re.I)
# The documented order without sortBy: "sortOrder: This is the sort order for pagination." orders
# by createdAt (the List Campaigns page; ties may come in any order).
DEFAULT_SORT_COLUMN = "createdAt"
# Metadata fields whose meaning an oracle knows, with the line it reads (PaginationMeta):
#   itemsPerPage = the limit in force, totalItems = items matching the filters, currentPage = page
#   (required; the docs' metadata example), and the optional fields a later document may add:
#   totalPages  "This is the total number of pages."            = ceil(totalItems / itemsPerPage)
#   hasNextPage "This is true when a page follows this one."    = currentPage < totalPages
#   sortOrder   "This is the sort order of the results."        = the sortOrder in force
PAGING_METADATA = ("itemsPerPage", "totalItems", "currentPage")
ORACLE_METADATA = {
    "totalPages": "pagination.total-pages",
    "hasNextPage": "pagination.has-next-page",
    "sortOrder": "pagination.sort-order-echo",
}
# What today's engine sends whatever the contract says: a contract without one of these cannot be
# checked by it (the run explains it and exits 2).
RELIED_ON_PARAMETERS = ("page", "limit", "sortOrder", "id", "status",
                        *(f"{f}{s}" for f in ("createdAt", "updatedAt") for s in BOUND_SUFFIXES))
RELIED_ON_METADATA = PAGING_METADATA


class ContractModelError(ConfigError):
    """The contract lacks (or changed the type of) an element the checks rely on (exit 2)."""


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


@dataclass(frozen=True)
class MetaField:
    name: str
    type: str | None = None
    format: str | None = None
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class Bound:
    """An instant bound (``createdAtGe``): item[field] <op> value."""

    param: str
    field: str
    op: str  # gt | lt | ge | le


@dataclass(frozen=True)
class EndpointModel:
    parameters: tuple[Parameter, ...]
    metadata: tuple[MetaField, ...]
    campaign_fields: tuple[str, ...] = ()
    root: Path | None = None
    source: dict = field(default_factory=dict, compare=False)

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, root: Path | str | None = None) -> "EndpointModel":
        """The model of the contract under ``root`` (the repository's pin when None), cached."""
        return _load(Path(root).resolve() if root is not None else contract_root().resolve())

    @classmethod
    def pinned(cls) -> "EndpointModel":
        """The model of the repository's pinned contract."""
        return _pinned()

    @classmethod
    def from_contract(cls, contract: dict, root: Path | None = None, source: dict | None = None) -> "EndpointModel":
        method, path = OPERATION
        operation = ((contract.get("paths") or {}).get(path) or {}).get(method) or {}
        components = (contract.get("components") or {}).get("schemas") or {}
        params = []
        for p in operation.get("parameters") or []:
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
        meta_schema = _deref(components.get("PaginationMeta") or {}, components)
        required = set(meta_schema.get("required") or ())
        metadata = tuple(
            MetaField(name, _type(_deref(s, components)), _deref(s, components).get("format"), name in required,
                      (s.get("description") or _deref(s, components).get("description") or ""))
            for name, s in (meta_schema.get("properties") or {}).items())
        campaign = _deref(components.get("Campaign") or {}, components)
        return cls(tuple(params), metadata, tuple(campaign.get("properties") or ()), root, source or {})

    # -- parameters ------------------------------------------------------------------------------
    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def has(self, name: str) -> bool:
        return self.param(name) is not None

    def param(self, name: str) -> Parameter | None:
        return _named(self.parameters, name)

    def enum_values(self, name: str) -> tuple[str, ...]:
        """The declared values of an enum parameter (empty when it has none)."""
        p = self.param(name)
        return p.enum or () if p else ()

    def default(self, name: str, fallback: Any = None) -> Any:
        p = self.param(name)
        return p.default if p is not None and p.default is not None else fallback

    @property
    def bounds(self) -> tuple[Bound, ...]:
        out = []
        for p in self.parameters:
            m = _BOUND.match(p.name)
            if m and m["field"] in self.campaign_fields and p.format == "date-time":
                out.append(Bound(p.name, m["field"], BOUND_SUFFIXES[m["op"]]))
        return tuple(out)

    @property
    def equality_filters(self) -> tuple[str, ...]:
        """Parameters named after a Campaign field (id, status): results whose field equals the value."""
        bounds = {b.param for b in self.bounds}
        return tuple(p.name for p in self.parameters
                     if p.name in self.campaign_fields and p.name not in bounds and p.type in ("string", None))

    @property
    def sort_param(self) -> Parameter | None:
        """The sort-column parameter (sortBy), when the contract declares one."""
        for p in self.parameters:
            if p.enum and (p.name == SORT_PARAM or _SORT_DESCRIPTION.search(p.description)):
                return p
        return None

    @property
    def sort_columns(self) -> tuple[str, ...]:
        p = self.sort_param
        return p.enum or () if p else ()

    @property
    def default_sort_column(self) -> str:
        """The documented default column ("Defaults to 'createdAt'."); createdAt without sortBy."""
        p = self.sort_param
        return str(p.default) if p is not None and p.default is not None else DEFAULT_SORT_COLUMN

    def role(self, name: str) -> str | None:
        """paging | order | sort | bound | equality, or None (no oracle knows the parameter)."""
        if name in (PAGE_PARAM, LIMIT_PARAM):
            return "paging"
        if name == ORDER_PARAM:
            return "order"
        sort = self.sort_param
        if sort is not None and sort.name == name:
            return "sort"
        if name in {b.param for b in self.bounds}:
            return "bound"
        if name in self.equality_filters:
            return "equality"
        return None

    # -- metadata --------------------------------------------------------------------------------
    @property
    def metadata_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.metadata)

    def has_meta(self, name: str) -> bool:
        return self.meta(name) is not None

    def meta(self, name: str) -> MetaField | None:
        return _named(self.metadata, name)

    @property
    def documented_metadata(self) -> tuple[str, ...]:
        """The metadata fields with a documented meaning: required ones, described ones, and those
        an oracle knows.  (Optional fields with neither, e.g. itemsBeyondRetention, are typed only:
        ``type_only_metadata``.)"""
        return tuple(m.name for m in self.metadata
                     if m.required or m.description or m.name in ORACLE_METADATA or m.name in PAGING_METADATA)

    @property
    def type_only_metadata(self) -> tuple[str, ...]:
        documented = set(self.documented_metadata)
        return tuple(m.name for m in self.metadata if m.name not in documented)

    # -- what can be checked ---------------------------------------------------------------------
    def no_oracle(self) -> list[str]:
        """Contract elements no oracle checks, by name ("query parameter X", "metadata field Y")."""
        out = [f"query parameter {p.name}" for p in self.parameters if self.role(p.name) is None]
        out += [f"metadata field {name}" for name in self.documented_metadata
                if name not in PAGING_METADATA and name not in ORACLE_METADATA]
        return out

    def supports(self, element: str) -> bool:
        """``param:NAME`` / ``meta:NAME`` / ``sort`` — is the element in this contract?"""
        kind, _, name = element.partition(":")
        if kind == "param":
            return self.has(name)
        if kind == "meta":
            return self.has_meta(name)
        if kind == "sort":
            return self.sort_param is not None
        return False

    def require(self) -> "EndpointModel":
        """Raise :class:`ContractModelError` naming the first element the checks rely on that this
        contract no longer declares (or declares with another type); return self otherwise."""
        where = self.root if self.root is not None else "the contract"
        for name in RELIED_ON_PARAMETERS:
            p = self.param(name)
            if p is None:
                raise ContractModelError(
                    f"the contract in {where} no longer declares the query parameter {name!r}, which the checks rely on: "
                    f"review the published change (vapi-contract diff) before accepting it")
            if name in (PAGE_PARAM, LIMIT_PARAM) and p.type not in ("number", "integer"):
                raise ContractModelError(f"the contract in {where} types the query parameter {name!r} as {p.type!r}, "
                                         "not a number: the paging checks rely on it")
            if name == ORDER_PARAM and not set(ORDER_VALUES) <= set(p.enum or ()):
                raise ContractModelError(f"the contract in {where} no longer offers {'/'.join(ORDER_VALUES)} for the query "
                                         f"parameter {name!r}: the order checks rely on them")
        for name in RELIED_ON_METADATA:
            if not self.has_meta(name):
                raise ContractModelError(
                    f"the contract in {where} no longer declares the metadata field {name!r} (PaginationMeta), "
                    "which the checks rely on: review the published change before accepting it")
        return self

    def summary(self) -> dict[str, Any]:
        """What summary.json records about the contract surface the run worked from."""
        return {
            "parameters": list(self.parameter_names),
            "metadata": list(self.documented_metadata),
            "type_only_metadata": list(self.type_only_metadata),
            "no_oracle": self.no_oracle(),
        }


def _named(items, name: str):
    """The parameter or metadata field called ``name`` (None when the contract has none)."""
    return next((item for item in items if item.name == name), None)


def _type(schema: dict) -> str | None:
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    return t


def _deref(schema: Any, components: dict, depth: int = 0) -> dict:
    if not isinstance(schema, dict):
        return {}
    ref = schema.get("$ref")
    if isinstance(ref, str) and depth < 8:
        name = ref.rsplit("/", 1)[-1]
        return _deref(components.get(name) or {}, components, depth + 1)
    return schema


@lru_cache(maxsize=1)
def _pinned() -> EndpointModel:
    return _load(contract_root().resolve())


@lru_cache(maxsize=8)
def _load(root: Path) -> EndpointModel:
    path = root / CONTRACT_FILE
    try:
        contract = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"no contract at {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigError(f"the contract {path} is not JSON: {exc}") from None
    return EndpointModel.from_contract(contract, root)
