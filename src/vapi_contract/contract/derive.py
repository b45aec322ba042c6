"""Derive the pinned contract of Vapi's listings from a published Vapi OpenAPI document.

The operations pinned are every listing the document declares (``contract.listings``: a GET with
a ``limit`` parameter answering ``{results, metadata}`` or a bare array of items; both families),
or the chosen subset (``derive --operation "GET /chat"``).  The campaign-only documents give
GET /campaign and, from the 2026-08-18 document on, GET /v2/campaign.  Writes, under an output root:

* ``contracts/campaign-list.openapi.json`` - OpenAPI 3.1 with only those operations, their
  parameters (query and path), bearer security, the 200 response and the 400/401 responses the
  API sends;
* ``contracts/provenance.json`` - source, sha256, date, the operations, every repair and every
  addition;
* ``schemas/campaign-list/<Name>.json`` - one JSON Schema (draft 2020-12, with ``$id``) per
  component in the closure of the operations, plus each operation's query parameters
  (``locate.query_schema_name``), the items of a listing the document writes inline
  (``locate.item_schema_name``) and the error bodies.

Same input, byte-identical output: everything is ordered and serialised deterministically.
A document with a defect that has no evident meaning where the operation reaches (a ``$ref`` to a
schema it does not define, a ``type`` that names no type and has no enum: ``contract.defects``)
is refused with the list of them and where they are used, never pinned with holes.  A query
parameter declared twice (``GET /session``'s ``name``) is read as its first declaration (a
repair, ``duplicate-parameter``).
"""

from __future__ import annotations

import copy
import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, SourceError
from .additions import ERROR_RESPONSES, documented_default
from .convert import Conversion
from . import conventions as C
from . import listings as L
from .defects import DANGLING_REF, DUPLICATE_PARAMETER, EXTERNAL_REF, Defect, refusal, unreadable
from .locate import CONTRACT_FILE, PROVENANCE_FILE, SCHEMA_BASE, SCHEMAS_SUBDIR, item_schema_name, query_schema_name
from .schema_walk import component_name, escape_pointer_token, iter_ref_sites
from .source import Source

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class Pinned:
    """One listing as pinned: its operation, family and the schema its items validate against."""

    operation: str  # GET /chat
    family: str  # paginated | array
    item: str  # a component (Chat) or the schema derive adds for inline items (ToolListItem)

    def line(self) -> str:
        return f"{self.operation}  {self.family}  {self.item}"


@dataclass(frozen=True)
class Derived:
    files: dict[Path, bytes]  # relative path -> content
    component_count: int
    repair_count: int
    listings: tuple[Pinned, ...] = ()


def dump(obj: Any) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def listings(document: dict, operations: list[str] | None = None) -> list[L.Listing]:
    """Every listing ``document`` declares, in its order (``contract.listings``); with
    ``operations`` ("GET /chat", ...), those only, in the document's order.  SourceError when the
    document has none; ConfigError naming the listings when an operation asked for is none."""
    found = L.listings(document)
    if not found:
        raise SourceError("the document has no listing (a GET with a limit parameter answering "
                          f"{{{C.RESULTS}, {C.METADATA}}} or an array of items, such as GET /campaign)")
    if operations is None:
        return found
    labels = {x.label: x for x in found}
    wanted = []
    for text in operations:
        method, _, path = " ".join(text.split()).partition(" ")
        label = f"{method.upper()} {path}"
        if label not in labels:
            raise ConfigError(f"--operation {text!r} is not a listing of the document; its listings: "
                              f"{', '.join(labels)}")
        wanted.append(label)
    return [x for x in found if x.label in wanted]


@dataclass(frozen=True)
class Closure:
    """What an operation reaches through ``$ref``s."""

    names: list[str]  # the component schemas it reaches, sorted
    # the references among them that lead nowhere in the document, each target once with the
    # pointer of every $ref to it (dangling-ref, external-ref), sorted
    defects: list[Defect] = field(default_factory=list)


def closure(document: dict, operation: dict, op_pointer: str) -> Closure:
    """What ``operation`` (at ``op_pointer`` in ``document``) reaches through its parameters' and
    responses' schemas."""
    components = (document.get("components") or {}).get("schemas") or {}
    roots: list[tuple[str, str]] = []
    for i, param in enumerate(operation.get("parameters", [])):
        roots.extend(iter_ref_sites(param.get("schema", {}), f"{op_pointer}/parameters/{i}/schema"))
    for status, response in (operation.get("responses") or {}).items():
        for media, body in (response.get("content") or {}).items():
            pointer = f"{op_pointer}/responses/{escape_pointer_token(str(status))}/content/{escape_pointer_token(media)}/schema"
            roots.extend(iter_ref_sites(body.get("schema", {}), pointer))
    return reachable(components, roots)


def reachable(components: dict, roots) -> Closure:
    """The component schemas reachable from the ``$ref`` sites ``roots`` (``(pointer, ref)`` pairs,
    as ``iter_ref_sites`` yields them), to any depth.  A reference to a component the document
    does not define, or outside its components, is collected with every pointer that makes it,
    and not followed."""
    seen: set[str] = set()
    nowhere: dict[tuple[str, str], set[str]] = {}
    queue = deque(roots)
    while queue:
        pointer, ref = queue.popleft()
        name = component_name(ref)
        if name is None or name not in components:
            nowhere.setdefault((EXTERNAL_REF, ref) if name is None else (DANGLING_REF, name), set()).add(pointer)
            continue
        if name in seen:
            continue
        seen.add(name)
        queue.extend(iter_ref_sites(components[name], f"/components/schemas/{escape_pointer_token(name)}"))
    defects = [Defect(kind, subject, tuple(sorted(pointers))) for (kind, subject), pointers in sorted(nowhere.items())]
    return Closure(sorted(seen), defects)


def derive(source: Source, operations: list[str] | None = None) -> Derived:
    """The pin of ``source``'s listings (``operations``: a subset, "GET /chat", ...)."""
    document = source.document
    components = (document.get("components") or {}).get("schemas") or {}
    pinned = listings(document, operations)
    operations = [(x.method, x.path) for x in pinned]
    as_file = Conversion(components, ref_for=lambda n: f"{n}.json")
    as_component = Conversion(components, ref_for=lambda n: f"#/components/schemas/{escape_pointer_token(n)}")
    file_schemas: dict[str, Any] = {}
    contract_schemas: dict[str, Any] = {}
    additions: list[dict[str, str]] = []
    extra_schemas: dict[str, Any] = {}
    paths: dict[str, dict] = {}
    used_security: set[str] = set()
    files_only: set[str] = set()  # the schemas derive adds as files only: query parameters, inline items
    printed: list[Pinned] = []
    for listing in pinned:
        method, path, label = listing.method, listing.path, listing.label
        operation = document["paths"][path][method]
        op_pointer = f"/paths/{escape_pointer_token(path)}/{method}"
        reached = closure(document, operation, op_pointer)
        derived, query_params = _derive_operation(operation, op_pointer, as_file, as_component, additions, extra_schemas)
        for name in reached.names:  # converted once, now: a defect of a component it reaches is this operation's
            if name not in file_schemas:
                file_schemas[name], contract_schemas[name] = as_file.component(name), as_component.component(name)
        holes = unreadable(dict.fromkeys([*reached.defects, *as_file.defects, *as_component.defects]))
        if holes:
            raise SourceError(refusal(source.name, label, holes))
        if listing.family is None:  # a body whose reference leads nowhere is a hole the closure names
            raise SourceError(f"{label} does not answer with a listing ({{{C.RESULTS}, {C.METADATA}}} or an array)")
        paths.setdefault(path, {})[method] = derived
        used_security.update(name for req in operation.get("security", []) for name in req)
        query_name = _added_name(query_schema_name(path), components, extra_schemas, label)
        files_only.add(query_name)
        extra_schemas[query_name] = {
            "title": query_name,
            "description": f"The documented query parameters of {label}, as parsed values. "
            "Names not listed are undocumented; the docs do not say how they are treated.",
            "type": "object",
            "properties": {p["name"]: as_file.schema(p["schema"], f"{op_pointer}/parameters/{i}/schema")
                           for i, p in query_params},
        }
        additions.append({
            "pointer": f"/components/schemas/{query_name}",
            "what": f"JSON Schema of the query parameters of {label}",
            "why": f"collects the {len(extra_schemas[query_name]['properties'])} parameter schemas of the "
                   "operation in one object schema",
        })
        item = listing.item
        if item is None:  # items written inline: a schema of their own, to validate each item against
            item = _added_name(item_schema_name(path), components, extra_schemas, label)
            files_only.add(item)
            if listing.item_pointer.startswith("/components/"):  # inside a component converted above
                extra_schemas[item] = copy.deepcopy(file_schemas[listing.body]["properties"][C.RESULTS]["items"])
            else:
                extra_schemas[item] = as_file.schema(listing.inline_item, listing.item_pointer)
            additions.append({
                "pointer": f"/components/schemas/{item}",
                "what": f"JSON Schema of the items of {label}",
                "why": f"the document writes them inline at {listing.item_pointer}: named, so that each item can be "
                       "validated by itself",
            })
        printed.append(Pinned(label, listing.family, item))
    names_sorted = sorted(file_schemas)
    contract_schemas.update({name: schema for name, schema in extra_schemas.items() if name not in files_only})
    labels = [f"{m.upper()} {p}" for m, p in operations]
    # the campaign-only documents keep their title (the pin of GET /campaign and GET /v2/campaign)
    listed = "the campaign listings" if all(C.LISTINGS.match(p) for _, p in operations) else "the listings"
    security_schemes = (document.get("components") or {}).get("securitySchemes") or {}
    contract = {
        "openapi": "3.1.0",
        "info": {
            "title": f"Vapi API: {listed} ({', '.join(labels)}), derived contract",
            "version": str((document.get("info") or {}).get("version", "")),
            "description": f"Derived by vapi-contract from {source.name} (sha256 {source.sha256}); "
            "see contracts/provenance.json for the repairs and additions.",
        },
        "servers": document.get("servers") or [{"url": "https://api.vapi.ai"}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(contract_schemas.items())),
            "securitySchemes": {k: security_schemes[k] for k in sorted(used_security) if k in security_schemes},
        },
    }

    files: dict[Path, bytes] = {CONTRACT_FILE: dump(contract)}
    for name, schema in sorted({**file_schemas, **extra_schemas}.items()):
        body = {"$schema": SCHEMA_DIALECT, "$id": f"{SCHEMA_BASE}{name}.json", **schema}
        files[SCHEMAS_SUBDIR / f"{name}.json"] = dump(body)
    repairs = [r.to_dict() for r in as_file.repairs]
    provenance = {
        "source": source.name,
        "sha256": source.sha256,
        "date": source.date,
        "source_openapi": document.get("openapi"),
        "source_version": (document.get("info") or {}).get("version"),
        "operations": labels,
        "components": len(names_sorted),
        "schema_base": SCHEMA_BASE,
        "repairs": repairs,
        "repair_counts": _count(repairs),
        "translations": dict(sorted(as_file.translations.items())),
        "additions": additions,
    }
    files[PROVENANCE_FILE] = dump(provenance)
    return Derived(files=files, component_count=len(names_sorted), repair_count=len(repairs), listings=tuple(printed))


def _added_name(name: str, components: dict, added: dict, label: str) -> str:
    """``name`` for a schema derive adds, when the document's components and the other additions
    leave it free; SourceError otherwise (a pin never has two schemas under one name)."""
    if name in components or name in added:
        raise SourceError(f"cannot pin {label}: the schema derive adds for it, {name}, has the name of "
                          f"{'a component of the document' if name in components else 'another addition'}")
    return name


def _derive_operation(operation: dict, op_pointer: str, as_file: Conversion, as_component: Conversion,
                      additions: list[dict[str, str]], extra_schemas: dict[str, Any]) -> tuple[dict, list[tuple[int, dict]]]:
    """One operation as the contract states it: its parameters (with the defaults their
    descriptions state; one declared twice read as its first declaration), its responses, and
    the 400/401 answers the API sends (additions).  Also the query parameters kept, each with its
    index in the document."""
    parameters = []
    kept: list[tuple[int, dict]] = []
    declared: dict[tuple[str, str], int] = {}
    for i, param in enumerate(operation.get("parameters", [])):
        pointer = f"{op_pointer}/parameters/{i}"
        key = (str(param.get("name")), str(param.get("in")))
        if key in declared:
            as_file.record_defect(DUPLICATE_PARAMETER, pointer, f"{key[1]} parameter {key[0]!r}",
                                  f"its first declaration, {op_pointer}/parameters/{declared[key]}")
            continue
        declared[key] = i
        schema = as_component.schema(param.get("schema", {}), f"{pointer}/schema")
        default = documented_default(param)
        if default is not None and "default" not in schema:
            schema["default"] = default
            additions.append({
                "pointer": f"{pointer}/schema/default",
                "what": f"default {default!r} for {param['name']}",
                "why": f"stated in the description: {param.get('description')!r}",
            })
        out = {k: param[k] for k in ("name", "in", "required", "description") if k in param}
        out["schema"] = schema
        parameters.append(out)
        if param.get("in") == "query":
            kept.append((i, out))
    responses: dict[str, Any] = {}
    for status, response in (operation.get("responses") or {}).items():
        content = {
            media: {"schema": as_component.schema(body.get("schema", {}), f"{op_pointer}/responses/{status}/content/{escape_pointer_token(media)}/schema")}
            for media, body in (response.get("content") or {}).items()
        }
        responses[status] = {"description": response.get("description") or "OK", "content": content}
    for status, (name, schema, description) in ERROR_RESPONSES.items():
        if status in responses:
            continue
        responses[status] = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
        extra_schemas[name] = schema
        additions.append({
            "pointer": f"{op_pointer}/responses/{status}",
            "what": f"{status} response with a NestJS error body ({name})",
            "why": "sent by the API but left out of the published document",
        })
    return {
        "operationId": operation.get("operationId", ""),
        "summary": operation.get("summary", ""),
        "parameters": parameters,
        "responses": responses,
        "security": operation.get("security", []),
        "tags": operation.get("tags", []),
    }, kept


def _count(repairs: list[dict[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in repairs:
        counts[r["rule"]] = counts.get(r["rule"], 0) + 1
    return dict(sorted(counts.items()))


def write(derived: Derived, out: Path) -> list[Path]:
    """Write the files under ``out``; remove stale derived schema files.  Returns changed paths."""
    changed = []
    schema_dir = out / SCHEMAS_SUBDIR
    if schema_dir.is_dir():
        keep = {out / p for p in derived.files}
        for stale in schema_dir.glob("*.json"):
            if stale not in keep:
                stale.unlink()
                changed.append(stale)
    for rel, content in derived.files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != content:
            target.write_bytes(content)
            changed.append(target)
    return changed
