"""A listing as the reference target reads it from a derived contract: its family, its items and
a role for each parameter, by Vapi's conventions (its own reading, independent of the suite's
``contract/endpoint.py``).

**Which operations.**  Every GET of the contract whose 200 body is a list of items:

* ``{results, metadata}`` (a ``$ref`` to a component with both) -> family ``paginated``: answers
  ``{"results": [...], "metadata": {...}}``;
* a bare array -> family ``array``: answers ``[...]``;
* a body that may be either (``GET /eval/simulation/run``: ``oneOf`` [array of SimulationRun,
  SimulationRunsPaginatedResponse]) is served as its first alternative: a bare array of
  SimulationRun, the family of every other ``/eval/simulation`` listing.

**Roles of query parameters** (each with the doc line read):

``page``      "This is the page number to return. Defaults to 1."
``limit``     "This is the maximum number of items to return. Defaults to 100." (its range and default
              from the schema, else the description: GET /v2/campaign/{id}/contacts "Defaults to 50.")
``order``     ``sortOrder``: "This is the sort order for pagination. Defaults to 'DESC'."
``sort``      an enum whose description says "This is the column to sort by": a column the item
              carries (createdAt, Chat's cost) sorts by its value, one it does not (Chat's
              duration, contacts' position) by a hidden column (:mod:`.generate`)
``bound``     ``<field>{Gt,Lt,Ge,Le}``, date-time: "This will return items where the createdAt is
              greater than the specified value." (Gt/Lt strict, Ge/Le inclusive)
``equality``  a parameter named after a field the item carries ("This is the unique identifier for
              the chat to filter by."), or after a property of one of its objects that the
              description names ("This is the number of the customer." -> ``customer.number``), or
              ``<object><Property>`` (``targetType`` -> ``target.type``)
``list``      ``<field>Any`` ("Filter by multiple assistant IDs. Provide as comma-separated values."):
              any of the values; comma-separated for a string, repeated for an array
              (``phoneNumberIdAny``: "with any of the specified phoneNumberIds"); an array-typed
              parameter named after a field is a list too (contacts' ``status``: "Pass once or
              multiple times to filter on any of the provided statuses.")
``flag``      ``standaloneOnly``: "Only include simulations that are not part of a suite" (true: those
              no suite lists; false: no filter)
``search``    ``search``: "This will search phone numbers by name, number, or SIP URI (partial match,
              case-insensitive)."
``cursor``    not declared: ``nextCursor``'s description names it ("Pass it back as the `cursor` query
              param"), where the metadata declares nextCursor
``typed``     anything else (``workflowId`` on sessions, which carry no such field; ``filterStatus``;
              a parameter of schema ``{}``): validated by its type, no effect

**Path parameters**: ``parent`` when the path before it is another listing's (``/v2/campaign/{id}/
contacts``: a campaign of GET /v2/campaign; ``/eval/simulation/run/{id}/item``: a run of GET
/eval/simulation/run); ``field`` when named after an item field (``/provider/{provider}/
{resourceName}``: the items whose provider and resourceName are those).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from ...contract.locate import CONTRACT_FILE, SCHEMAS_SUBDIR

PAGINATED, ARRAY = "paginated", "array"
RESULTS, METADATA = "results", "metadata"
BOUND_NAME = re.compile(r"^(?P<field>[a-z][A-Za-z0-9]*?)(?P<op>Gt|Lt|Ge|Le)$")
BOUND_OPS = {"Gt": "gt", "Lt": "lt", "Ge": "ge", "Le": "le"}
SORT_WORDS = re.compile(r"column to sort by", re.I)
COMMA_WORDS = re.compile(r"comma-separated", re.I)
DEFAULT_WORDS = re.compile(r"Defaults to [`']?([^`'\s]+?)[`']?[.\s—]")
CURSOR_WORDS = re.compile(r"as the `(?P<param>[A-Za-z_][A-Za-z0-9_]*)` query param", re.I)
# a boolean that names no field: the reading of its description (see the module doc)
FLAGS = {"standaloneOnly": "not part of a suite"}
SEARCH = "search"
CAMPAIGN_LISTINGS = ("/campaign", "/v2/campaign")  # hand-written in the reference (surface.py)
ROLES = ("page", "limit", "order", "sort", "bound", "equality", "list", "flag", "search", "cursor", "typed")


@dataclass(frozen=True)
class Param:
    """One parameter of a listing and its role."""

    name: str
    role: str  # one of ROLES (query), or parent | field (path)
    field: str | None = None  # the item field it reads (dotted for an object's property); a bound's instant
    op: str | None = None  # a bound's gt | lt | ge | le
    type: str | None = None  # the JSON type of one value (an array parameter: its items')
    enum: tuple | None = None
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    format: str | None = None
    max_length: int | None = None
    min_length: int | None = None
    repeated: bool = False  # an array: given once or several times
    comma: bool = False  # values separated by commas
    doc: str = ""


@dataclass(frozen=True)
class Listing:
    """One listing as the reference reads it."""

    path: str
    family: str
    item_name: str | None  # the schema file of its items (None: written inline, see item_schema)
    item_schema: dict = field(compare=False, repr=False)  # file form ($ref: Name.json)
    fields: dict = field(compare=False, repr=False)  # top-level item property -> schema (resolved)
    required: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    path_params: tuple[Param, ...] = ()
    metadata: tuple[str, ...] = ()  # the metadata fields the schema declares (paginated)
    cursor: str | None = None  # the query parameter nextCursor's description names

    @property
    def label(self) -> str:
        return f"GET {self.path}"

    @cached_property
    def resource(self) -> str:
        """The thing listed, from the path's last literal segment: ``/v2/phone-number`` -> phoneNumber."""
        last = [s for s in self.path.split("/") if s and not s.startswith("{") and not re.match(r"^v\d+$", s)][-1]
        head, *rest = last.split("-")
        return head + "".join(w[:1].upper() + w[1:] for w in rest)

    @cached_property
    def pattern(self) -> re.Pattern:
        """Matches a request path; groups are the path parameters."""
        parts = []
        for segment in self.path.strip("/").split("/"):
            m = re.fullmatch(r"\{(\w+)\}", segment)
            parts.append(f"(?P<{m[1]}>[^/]+)" if m else re.escape(segment))
        return re.compile("^/" + "/".join(parts) + "/?$")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def having(self, *roles: str) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.role in roles)

    @property
    def sort(self) -> Param | None:
        return next(iter(self.having("sort")), None)

    @property
    def sort_columns(self) -> tuple[str, ...]:
        return tuple(self.sort.enum or ()) if self.sort else ()

    @property
    def default_sort(self) -> str | None:
        """The documented default column, or None (no sortBy: see :mod:`.query` for the order)."""
        return None if self.sort is None else (self.sort.default or self.sort_columns[0])

    @property
    def orders(self) -> tuple[str, ...]:
        p = self.param("sortOrder")
        return tuple(p.enum or ()) if p else ()

    @property
    def default_order(self) -> str:
        p = self.param("sortOrder")
        return str(p.default) if p is not None and p.default else "DESC"

    @property
    def parent(self) -> Param | None:
        return next((p for p in self.path_params if p.role == "parent"), None)

    @property
    def instants(self) -> tuple[str, ...]:
        """The instant fields the bounds read (createdAt, updatedAt), carried by the item or not."""
        return tuple(dict.fromkeys(p.field for p in self.having("bound")))

    def roles(self) -> dict[str, list[str]]:
        """role -> parameter names (what ``serve --list-listings`` prints)."""
        out: dict[str, list[str]] = {}
        for p in (*self.path_params, *self.params):
            out.setdefault(p.role, []).append(p.name + (f"->{p.field}" if p.field and p.field != p.name
                                                         and p.role in ("equality", "list") else ""))
        return out


# -- reading ------------------------------------------------------------------------------------------
class Schemas:
    """The schema files of a derived contract, by name; ``resolve`` follows ``$ref``s and single
    ``allOf`` wrappers."""

    def __init__(self, files: dict[str, dict]):
        self.files = files

    def resolve(self, node: Any, depth: int = 0) -> dict:
        if not isinstance(node, dict) or depth > 16:
            return {}
        ref = node.get("$ref")
        if isinstance(ref, str):
            return self.resolve(self.files.get(ref.rsplit("/", 1)[-1].removesuffix(".json"), {}), depth + 1)
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and not node.get("properties"):
            return self.resolve(all_of[0], depth + 1)
        return node

    def alternatives(self, node: Any) -> list[dict]:
        """The object alternatives of a union (a discriminated dispatch or an anyOf), or [node]."""
        node = self.resolve(node)
        rules = node.get("allOf") if isinstance(node.get("allOf"), list) else []
        if rules and all(isinstance(r, dict) and "then" in r for r in rules):
            out = []
            for r in rules:
                then = self.resolve(r["then"])
                out.extend(self.alternatives(then) if "anyOf" in then else [then])
            return out
        if isinstance(node.get("anyOf"), list):
            return [a for a in (self.resolve(x) for x in node["anyOf"]) if a.get("type") != "null"]
        return [node]

    def properties(self, node: Any) -> dict[str, dict]:
        """Every property any alternative declares (the first declaration of each name)."""
        out: dict[str, dict] = {}
        for alt in self.alternatives(node):
            for name, sub in (alt.get("properties") or {}).items():
                out.setdefault(name, sub)
        return out


def _json_type(schema: dict) -> str | None:
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    return t if isinstance(t, str) else None


def _default(param: dict, schema: dict) -> Any:
    if "default" in schema:
        return schema["default"]
    m = DEFAULT_WORDS.search((param.get("description") or "") + " ")
    if not m:
        return None
    text = m.group(1)
    if _json_type(schema) in ("number", "integer"):
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() else number
    return text


def _object_property(name: str, description: str, fields: dict[str, dict], schemas: Schemas) -> str | None:
    """``target.type`` for ``targetType`` (the name spells the object), ``customer.number`` for
    ``number`` ("This is the number of the customer.": the description names the object); None
    otherwise, or when several objects would do."""
    spelled, named = [], []
    for obj, sub in fields.items():
        props = schemas.properties(sub)
        if name.startswith(obj) and len(name) > len(obj) and name[len(obj)].isupper():
            rest = name[len(obj)].lower() + name[len(obj) + 1:]
            if rest in props:
                spelled.append(f"{obj}.{rest}")
        elif name in props and re.search(rf"\b{re.escape(obj)}\b", description, re.I):
            named.append(f"{obj}.{name}")
    found = spelled or named
    return found[0] if len(found) == 1 else None


def _query_param(p: dict, schema: dict, fields: dict[str, dict], schemas: Schemas, sort_hint: bool) -> Param:
    name, doc = p["name"], p.get("description") or ""
    kind = _json_type(schema)
    items = schemas.resolve(schema.get("items")) if kind == "array" else {}
    one = items if kind == "array" else schema
    base = dict(name=name, type=_json_type(one) or (None if not schema else "string"),
                enum=tuple(one["enum"]) if isinstance(one.get("enum"), list) else None,
                minimum=schema.get("minimum"), maximum=schema.get("maximum"), default=_default(p, schema),
                format=one.get("format") or schema.get("format"), max_length=one.get("maxLength"),
                min_length=one.get("minLength"), repeated=kind == "array", doc=doc)
    if name == "page":
        return Param(role="page", **base)
    if name == "limit":
        return Param(role="limit", **base)
    if name == "sortOrder":
        return Param(role="order", **base)
    if base["enum"] and SORT_WORDS.search(doc) and not base["repeated"]:
        return Param(role="sort", **base)
    m = BOUND_NAME.match(name)
    if m and base["format"] == "date-time":
        return Param(role="bound", field=m["field"], op=BOUND_OPS[m["op"]], **base)
    if name == SEARCH:
        return Param(role="search", **base)
    if not schema:
        return Param(role="typed", **base)  # schema {}: no type to read a value by
    if name.endswith("Any") and len(name) > 3:
        target = name[:-3]
        where = target if target in fields else _object_property(
            {"customerNumber": "number"}.get(target, target), doc, fields, schemas)
        if where is not None:
            return Param(role="list", field=where, comma=not base["repeated"] and bool(COMMA_WORDS.search(doc)), **base)
    if name in fields:
        return Param(role="list" if base["repeated"] else "equality", field=name, **base)
    if base["type"] == "boolean" and name in FLAGS:
        return Param(role="flag", **base)
    nested = _object_property(name, doc, fields, schemas)
    if nested is not None and not base["repeated"]:
        return Param(role="equality", field=nested, **base)
    return Param(role="typed", **base)


def _path_param(p: dict, schema: dict, path: str, fields: dict[str, dict], listing_paths: set[str]) -> Param:
    name = p["name"]
    before = path.split("{" + name + "}", 1)[0].rstrip("/")
    base = dict(name=name, type=_json_type(schema), enum=tuple(schema["enum"]) if isinstance(schema.get("enum"), list)
                else None, format=schema.get("format"), doc=p.get("description") or "")
    if before in listing_paths:
        return Param(role="parent", field=before, **base)
    return Param(role="field", field=name if name in fields else None, **base)


def _body_family(schema: Any, components: dict) -> tuple[str, Any, str | None] | None:
    """(family, items schema (component form), envelope name) of a 200 body."""
    if not isinstance(schema, dict):
        return None
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return ARRAY, schema["items"], None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        props = (components.get(name) or {}).get("properties") or {}
        results = props.get(RESULTS) or {}
        if METADATA in props and isinstance(results.get("items"), dict):
            return PAGINATED, results["items"], name
        return None
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            return _body_family(schema[key][0], components)  # the first alternative (see the module doc)
    return None


def _file_form(node: Any) -> Any:
    """A schema of the contract document with its ``#/components/schemas/X`` refs as ``X.json``."""
    if isinstance(node, dict):
        return {k: (v.rsplit("/", 1)[-1] + ".json" if k == "$ref" and isinstance(v, str) else _file_form(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_file_form(v) for v in node]
    return node


@dataclass(frozen=True)
class ContractReading:
    """Every listing of one derived contract, and its schema files."""

    root: Path
    listings: tuple[Listing, ...]
    schemas: Schemas = field(compare=False, repr=False)

    def listing(self, path: str) -> Listing | None:
        return next((x for x in self.listings if x.path == path), None)


def read(root: Path | str) -> ContractReading:
    """The listings of the contract under ``root`` (read once per process and root)."""
    return _read(Path(root).resolve())


@lru_cache(maxsize=4)
def _read(root: Path) -> ContractReading:
    document = json.loads((root / CONTRACT_FILE).read_text(encoding="utf-8"))
    schemas = Schemas({p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (root / SCHEMAS_SUBDIR).glob("*.json")})
    components = (document.get("components") or {}).get("schemas") or {}
    found: list[tuple[str, dict, tuple]] = []
    for path, item in (document.get("paths") or {}).items():
        op = (item or {}).get("get")
        body = ((((op or {}).get("responses") or {}).get("200") or {}).get("content") or {}).get("application/json") or {}
        family = _body_family(body.get("schema"), components)
        if family is not None:
            found.append((path, op, family))
    # a parent may be a campaign listing the contract leaves out (derive --operation ".../contacts"):
    # the reference serves those whatever the contract (reference/surface.py)
    listing_paths = {path for path, _, _ in found} | set(CAMPAIGN_LISTINGS)
    listings = []
    for path, op, (family, items, envelope) in found:
        ref = items.get("$ref") if isinstance(items, dict) else None
        item_name = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None
        item_schema = schemas.files[item_name] if item_name else _file_form(items)
        fields = {k: schemas.resolve(v) | ({"description": v["description"]} if isinstance(v, dict) and "description"
                                           in v else {}) for k, v in schemas.properties(item_schema).items()}
        alternatives = schemas.alternatives(item_schema)
        required = tuple(sorted(set.intersection(*(set(a.get("required") or ()) for a in alternatives)))) \
            if alternatives else ()
        params, path_params = [], []
        for p in op.get("parameters") or []:
            schema = _file_form(p.get("schema") or {})
            schema = schemas.resolve(schema) if "$ref" in schema else schema
            if p.get("in") == "path":
                path_params.append(_path_param(p, schema, path, fields, listing_paths))
            elif p.get("in") == "query":
                params.append(_query_param(p, schema, fields, schemas, True))
        metadata: tuple[str, ...] = ()
        cursor = None
        if family == PAGINATED:
            meta = schemas.resolve(schemas.resolve(schemas.files.get(envelope, {})).get("properties", {}).get(METADATA))
            metadata = tuple(meta.get("properties") or ())
            found_cursor = CURSOR_WORDS.search(((meta.get("properties") or {}).get("nextCursor") or {}).get("description", ""))
            cursor = found_cursor["param"] if found_cursor else None
            if cursor is not None:
                params.append(Param(cursor, "cursor", type="string", doc="nextCursor: " + found_cursor.group(0)))
        listings.append(Listing(path, family, item_name, item_schema, fields, required, tuple(params),
                                tuple(path_params), metadata, cursor))
    return ContractReading(root, tuple(listings), schemas)
