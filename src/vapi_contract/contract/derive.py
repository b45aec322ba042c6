"""Derive the pinned contract of the campaign listings from a published Vapi OpenAPI document.

The operations pinned are every list-campaigns operation the document declares (GET /campaign,
and GET /v2/campaign from the 2026-08-18 document on: ``conventions.LISTINGS``).  Writes, under an
output root:

* ``contracts/campaign-list.openapi.json`` - OpenAPI 3.1 with only those operations, their query
  parameters, bearer security, the 200 response and the 400/401 responses the API sends;
* ``contracts/provenance.json`` - source, sha256, date, the operations, every repair and every
  addition;
* ``schemas/campaign-list/<Name>.json`` - one JSON Schema (draft 2020-12, with ``$id``) per
  component in the closure of the operations, plus each operation's query parameters and the
  error bodies.

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
from . import conventions as C
from .defects import DANGLING_REF, EXTERNAL_REF, Defect, refusal, unreadable
from .locate import CONTRACT_FILE, PROVENANCE_FILE, SCHEMA_BASE, SCHEMAS_SUBDIR
from .schema_walk import component_name, escape_pointer_token, iter_ref_sites
from .source import Source

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
QUERY_SCHEMA_NAME = "CampaignListQuery"  # + the path's version: CampaignListQueryV2 for /v2/campaign


@dataclass(frozen=True)
class Derived:
    files: dict[Path, bytes]  # relative path -> content
    component_count: int
    repair_count: int


def dump(obj: Any) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def listings(document: dict) -> list[tuple[str, str]]:
    """(method, path) of every list-campaigns operation ``document`` declares, in its order."""
    paths = document.get("paths") if isinstance(document.get("paths"), dict) else {}
    out = [(method, path) for path, item in paths.items() if isinstance(item, dict) and C.LISTINGS.match(path)
           for method in ("get",) if isinstance(item.get(method), dict)]
    if not out:
        raise SourceError("the document has no list-campaigns operation (GET /campaign)")
    return out


def query_schema_name(path: str) -> str:
    """The name of the JSON Schema of ``path``'s query parameters (CampaignListQuery, ...V2)."""
    version = C.LISTINGS.match(path)["version"]
    return QUERY_SCHEMA_NAME + (version.upper() if version else "")


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
    components = (document.get("components") or {}).get("schemas") or {}
    operations = listings(document)
    as_file = Conversion(components, ref_for=lambda n: f"{n}.json")
    as_component = Conversion(components, ref_for=lambda n: f"#/components/schemas/{escape_pointer_token(n)}")
    file_schemas: dict[str, Any] = {}
    contract_schemas: dict[str, Any] = {}
    additions: list[dict[str, str]] = []
    extra_schemas: dict[str, Any] = {}
    paths: dict[str, dict] = {}
    used_security: set[str] = set()
    for method, path in operations:
        operation = document["paths"][path][method]
        label = f"{method.upper()} {path}"
        op_pointer = f"/paths/{escape_pointer_token(path)}/{method}"
        reached = closure(document, operation, op_pointer)
        derived = _derive_operation(operation, op_pointer, as_file, as_component, additions, extra_schemas)
        for name in reached.names:  # converted once, now: a defect of a component it reaches is this operation's
            if name not in file_schemas:
                file_schemas[name], contract_schemas[name] = as_file.component(name), as_component.component(name)
        holes = unreadable(dict.fromkeys([*reached.defects, *as_file.defects, *as_component.defects]))
        if holes:
            raise SourceError(refusal(source.name, label, holes))
        if not _answers_a_listing(operation, components):
            raise SourceError(f"{label} does not answer with a paginated listing ({{{C.RESULTS}, {C.METADATA}}})")
        paths.setdefault(path, {})[method] = derived
        used_security.update(name for req in operation.get("security", []) for name in req)
        extra_schemas[query_schema_name(path)] = {
            "title": query_schema_name(path),
            "description": f"The documented query parameters of {label}, as parsed values. "
            "Names not listed are undocumented; the docs do not say how they are treated.",
            "type": "object",
            "properties": {p["name"]: as_file.schema(p["schema"], f"{op_pointer}/parameters/{i}/schema")
                           for i, p in enumerate(derived["parameters"]) if p.get("in") == "query"},
        }
        additions.append({
            "pointer": f"/components/schemas/{query_schema_name(path)}",
            "what": f"JSON Schema of the query parameters of {label}",
            "why": f"collects the {len(extra_schemas[query_schema_name(path)]['properties'])} parameter schemas of the "
                   "operation in one object schema",
        })
    names_sorted = sorted(file_schemas)
    contract_schemas.update({name: schema for name, schema in extra_schemas.items() if not name.startswith(QUERY_SCHEMA_NAME)})
    labels = [f"{m.upper()} {p}" for m, p in operations]
    security_schemes = (document.get("components") or {}).get("securitySchemes") or {}
    contract = {
        "openapi": "3.1.0",
        "info": {
            "title": f"Vapi API: the campaign listings ({', '.join(labels)}), derived contract",
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
    return Derived(files=files, component_count=len(names_sorted), repair_count=len(repairs))


def _derive_operation(operation: dict, op_pointer: str, as_file: Conversion, as_component: Conversion,
                      additions: list[dict[str, str]], extra_schemas: dict[str, Any]) -> dict:
    """One operation as the contract states it: its parameters (with the defaults their
    descriptions state), its responses, and the 400/401 answers the API sends (additions)."""
    parameters = []
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
    }


def _answers_a_listing(operation: dict, components: dict) -> bool:
    """The 200 answer is a component with ``results`` and ``metadata`` (a paginated listing)."""
    content = ((operation.get("responses") or {}).get("200") or {}).get("content") or {}
    ref = ((content.get("application/json") or {}).get("schema") or {}).get("$ref")
    name = component_name(ref) if isinstance(ref, str) else None
    props = (components.get(name) or {}).get("properties") or {} if name else {}
    return C.RESULTS in props and C.METADATA in props


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
