"""Derive the pinned contract of GET /campaign from a published Vapi OpenAPI document.

Writes, under an output root:

* ``contracts/campaign-list.openapi.json`` - OpenAPI 3.1 with only GET /campaign, its query
  parameters, bearer security, the 200 response and the 400/401 responses the API sends;
* ``contracts/provenance.json`` - source, sha256, date, every repair and every addition;
* ``schemas/campaign-list/<Name>.json`` - one JSON Schema (draft 2020-12, with ``$id``) per
  component in the closure of the operation, plus the query parameters and error bodies.

Same input, byte-identical output: everything is ordered and serialised deterministically.
A document with a defect that has no evident meaning where the operation reaches (a ``$ref`` to a
schema it does not define, a ``type`` that names no type and has no enum: ``contract.defects``)
is refused with the list of them and where they are used, never pinned with holes.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceError
from .additions import ERROR_RESPONSES, documented_default
from .convert import Conversion
from .defects import DANGLING_REF, EXTERNAL_REF, Defect, refusal, unreadable
from .locate import CONTRACT_FILE, PROVENANCE_FILE, SCHEMA_BASE, SCHEMAS_SUBDIR
from .schema_walk import component_name, escape_pointer_token, iter_ref_sites
from .source import Source

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
OPERATION = ("get", "/campaign")
QUERY_SCHEMA_NAME = "CampaignListQuery"
RESPONSE_SCHEMA_NAME = "CampaignPaginatedResponse"


@dataclass(frozen=True)
class Derived:
    files: dict[Path, bytes]  # relative path -> content
    component_count: int
    repair_count: int


def dump(obj: Any) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _operation(document: dict) -> dict:
    method, path = OPERATION
    try:
        return document["paths"][path][method]
    except (KeyError, TypeError):
        raise SourceError(f"the document has no {method.upper()} {path}") from None


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


def derive(source: Source) -> Derived:
    document = source.document
    operation = _operation(document)
    op_pointer = f"/paths/{escape_pointer_token(OPERATION[1])}/{OPERATION[0]}"
    components = (document.get("components") or {}).get("schemas") or {}
    reached = closure(document, operation, op_pointer)
    names = reached.names

    as_file = Conversion(components, ref_for=lambda n: f"{n}.json")
    as_component = Conversion(components, ref_for=lambda n: f"#/components/schemas/{escape_pointer_token(n)}")
    file_schemas = {n: as_file.component(n) for n in names}
    contract_schemas = {n: as_component.component(n) for n in names}

    additions: list[dict[str, str]] = []
    parameters, query_props = [], {}
    for i, param in enumerate(operation.get("parameters", [])):
        pointer = f"{op_pointer}/parameters/{i}"
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
            query_props[param["name"]] = as_file.schema(schema, f"{pointer}/schema")

    responses: dict[str, Any] = {}
    for status, response in (operation.get("responses") or {}).items():
        content = {
            media: {"schema": as_component.schema(body.get("schema", {}), f"{op_pointer}/responses/{status}/content/{escape_pointer_token(media)}/schema")}
            for media, body in (response.get("content") or {}).items()
        }
        responses[status] = {"description": response.get("description") or "OK", "content": content}
    holes = unreadable(dict.fromkeys([*reached.defects, *as_file.defects, *as_component.defects]))
    if holes:
        raise SourceError(refusal(source.name, "GET /campaign", holes))
    if RESPONSE_SCHEMA_NAME not in names:
        raise SourceError(f"GET /campaign does not answer with {RESPONSE_SCHEMA_NAME}")
    extra_schemas: dict[str, Any] = {}
    for status, (name, schema, description) in ERROR_RESPONSES.items():
        if status in responses:
            continue
        responses[status] = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
        contract_schemas[name] = schema
        extra_schemas[name] = schema
        additions.append({
            "pointer": f"{op_pointer}/responses/{status}",
            "what": f"{status} response with a NestJS error body ({name})",
            "why": "sent by the API but left out of the published document",
        })

    query_schema = {
        "title": QUERY_SCHEMA_NAME,
        "description": "The documented query parameters of GET /campaign, as parsed values. "
        "Names not listed are undocumented; the docs do not say how they are treated.",
        "type": "object",
        "properties": query_props,
    }
    extra_schemas[QUERY_SCHEMA_NAME] = query_schema
    additions.append({
        "pointer": f"/components/schemas/{QUERY_SCHEMA_NAME}",
        "what": "JSON Schema of the query parameters",
        "why": f"collects the {len(query_props)} parameter schemas of the operation in one object schema",
    })

    security_schemes = (document.get("components") or {}).get("securitySchemes") or {}
    used = sorted({name for req in operation.get("security", []) for name in req})
    contract = {
        "openapi": "3.1.0",
        "info": {
            "title": "Vapi API: GET /campaign (List Campaigns), derived contract",
            "version": str((document.get("info") or {}).get("version", "")),
            "description": f"Derived by vapi-contract from {source.name} (sha256 {source.sha256}); "
            "see contracts/provenance.json for the repairs and additions.",
        },
        "servers": document.get("servers") or [{"url": "https://api.vapi.ai"}],
        "paths": {
            OPERATION[1]: {
                OPERATION[0]: {
                    "operationId": operation.get("operationId", "CampaignController_findAll"),
                    "summary": operation.get("summary", "List Campaigns"),
                    "parameters": parameters,
                    "responses": responses,
                    "security": operation.get("security", []),
                    "tags": operation.get("tags", []),
                }
            }
        },
        "components": {
            "schemas": dict(sorted(contract_schemas.items())),
            "securitySchemes": {k: security_schemes[k] for k in used if k in security_schemes},
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
        "operation": f"{OPERATION[0].upper()} {OPERATION[1]}",
        "components": len(names),
        "schema_base": SCHEMA_BASE,
        "repairs": repairs,
        "repair_counts": _count(repairs),
        "translations": dict(sorted(as_file.translations.items())),
        "additions": additions,
    }
    files[PROVENANCE_FILE] = dump(provenance)
    return Derived(files=files, component_count=len(names), repair_count=len(repairs))


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
