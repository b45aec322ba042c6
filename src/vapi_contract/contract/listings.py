"""Which operations of a published document are listings, and of which family: ``derive``'s reading.

A **listing** is a GET that takes a ``limit`` query parameter (limit: "This is the maximum number
of items to return.": a list of items, however many) and whose 200 ``application/json`` body is a
list of items, in one of two families:

``paginated``
    a component with ``results`` (an array of items) and ``metadata`` (``CampaignPaginatedResponse``:
    ``{"results": [...], "metadata": {...}}``); the items are ``results``' items;
``array``
    a bare JSON array of items (``GET /call``: ``{"type": "array", "items": {"$ref": "Call"}}``).

The campaign listings (``conventions.LISTINGS``: GET /campaign, GET /v2/campaign) are listings by
name, whatever their parameters: a published change that removes their ``limit`` is pinned, so that
``run`` names the missing element (exit 2) instead of ``derive`` losing the operation.

A GET of one resource (``GET /assistant/{id}``: the Assistant itself), a download (``GET
/call/{id}/pcap``: no JSON body) or an array without ``limit`` (``GET /file``: its only parameter is
``purpose``; ``GET /v2/knowledge-base/{id}/file``) is not a listing.  A body that may be either
family (``GET /eval/simulation/run``: ``oneOf: [{type: array, items: SimulationRun},
SimulationRunsPaginatedResponse]``) is read as its **first** alternative, a bare array of
SimulationRun: the document lists it first; it is the family of every other ``/eval/simulation``
listing; and its items are what ``GET /eval/simulation/run/{id}`` answers (the paginated
alternative's items, SimulationRunListItem, appear nowhere else).  The contract keeps the whole
``oneOf``, so a paginated answer still has a valid shape.

Items are a component (``Chat``), or an inline union (``GET /tool``: ``items: {oneOf: [ApiRequestTool,
CodeTool, ...]}``; ``GET /phone-number`` and ``PhoneNumberPaginatedResponse.results``: the five
phone-number kinds).  An inline union gets a schema file of its own, named by
:func:`.locate.item_schema_name`, so that every listing's items have a name to validate against.

A 200 body that is a ``$ref`` to a component the document does not define leaves the family
unknown: the operation is kept as a candidate (``family`` None) so that ``derive`` refuses it with
the defect named at its pointer rather than saying the document has no listing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import conventions as C
from .schema_walk import component_name, escape_pointer_token

PAGINATED = "paginated"
ARRAY = "array"
FAMILIES = (PAGINATED, ARRAY)
JSON_MEDIA = "application/json"


@dataclass(frozen=True)
class Listing:
    """One listing of a document, as ``derive`` reads it."""

    method: str  # "get"
    path: str
    family: str | None  # PAGINATED | ARRAY; None: the 200 body leads nowhere (a defect derive names)
    item: str | None  # the component name of the items; None for an inline union (see inline_item)
    inline_item: Any = None  # the inline items schema (document form), when not a component
    item_pointer: str = ""  # where the items schema is in the document
    body: str | None = None  # the paginated envelope's component name

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _components(document: dict) -> dict:
    return (document.get("components") or {}).get("schemas") or {}


def _has_limit(operation: dict) -> bool:
    return any(isinstance(p, dict) and p.get("name") == C.LIMIT and p.get("in") == "query"
               for p in operation.get("parameters") or [])


def _body(operation: dict) -> tuple[Any, str] | None:
    """The 200 JSON body schema and its pointer suffix (under the operation), or None."""
    content = ((operation.get("responses") or {}).get("200") or {}).get("content") or {}
    body = content.get(JSON_MEDIA) if isinstance(content, dict) else None
    if not isinstance(body, dict) or not isinstance(body.get("schema"), dict):
        return None
    return body["schema"], f"/responses/200/content/{escape_pointer_token(JSON_MEDIA)}/schema"


def _family(schema: dict, pointer: str, components: dict) -> tuple[str | None, Any, str, str | None] | None:
    """(family, items schema, its pointer, envelope name) of a body schema; None when it is no list
    of items; (None, ...) when its ``$ref`` leads nowhere."""
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return ARRAY, schema["items"], f"{pointer}/items", None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = component_name(ref)
        target = components.get(name) if name is not None else None
        if not isinstance(target, dict):
            return None, None, pointer, name
        props = target.get("properties") or {}
        results = props.get(C.RESULTS)
        if isinstance(results, dict) and results.get("type") == "array" and isinstance(results.get("items"), dict) \
                and C.METADATA in props:
            where = f"/components/schemas/{escape_pointer_token(name)}/properties/{C.RESULTS}/items"
            return PAGINATED, results["items"], where, name
        return None
    for key in ("oneOf", "anyOf"):
        alternatives = schema.get(key)
        if isinstance(alternatives, list) and alternatives and isinstance(alternatives[0], dict):
            # the first alternative decides (see the module doc: GET /eval/simulation/run)
            return _family(alternatives[0], f"{pointer}/{key}/0", components)
    return None


def read(document: dict, method: str, path: str) -> Listing | None:
    """The listing ``method path`` of ``document`` is, or None when it is none."""
    item = (document.get("paths") or {}).get(path)
    operation = item.get(method) if isinstance(item, dict) else None
    if method != "get" or not isinstance(operation, dict):
        return None
    if not _has_limit(operation) and not C.LISTINGS.match(path):
        return None
    found = _body(operation)
    if found is None:
        return None
    schema, suffix = found
    op_pointer = f"/paths/{escape_pointer_token(path)}/{method}"
    family = _family(schema, op_pointer + suffix, _components(document))
    if family is None:
        return None
    kind, items, where, envelope = family
    if kind is None:
        return Listing(method, path, None, None, body=envelope)
    name = component_name(items["$ref"]) if isinstance(items.get("$ref"), str) else None
    return Listing(method, path, kind, name, None if name is not None else items, where, envelope)


def listings(document: dict) -> list[Listing]:
    """Every listing ``document`` declares, in its order."""
    paths = document.get("paths") if isinstance(document.get("paths"), dict) else {}
    out = []
    for path, item in paths.items():
        if isinstance(item, dict) and isinstance(item.get("get"), dict):
            found = read(document, "get", path)
            if found is not None:
                out.append(found)
    return out
