"""One side of a diff: a published OpenAPI document (file or URL) or the pinned contract,
reduced to one operation and the closure of the component schemas it references.

Both sides go through the same conversion the pinned contract was derived with
(``contract.convert``: OpenAPI 3.0 -> JSON Schema 2020-12, with the recorded repairs), so that a
published 3.0 document and the pinned 3.1 contract compare like for like: ``nullable``, ``oneOf``
vs ``anyOf``, regex delimiters, NestJS array enums are not reported as changes.  The conversion
is idempotent on the pinned contract.  When the document is the pinned contract, what the
project *added* to it (defaults stated in prose, the 400/401 responses; listed under
``additions`` in ``provenance.json``) is taken out first: those are not Vapi's changes.

A document with defects (``contract.defects``: a ``$ref`` to a schema it does not define, a
``type`` that is no type, ...) is read all the same: the side lists them (``Side.defects``), every
reference that leads nowhere stays unresolved, and the diff compares nothing behind it.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..contract.convert import Conversion
from ..contract.defects import DANGLING_REF, DUPLICATE_ENUM_VALUE, INVALID_TYPE, Defect
from ..contract.derive import reachable
from ..contract.schema_walk import (
    component_name,
    escape_pointer_token,
    iter_ref_sites,
    pointer_tokens,
    resolve_pointer,
)
from ..contract.source import is_url, load_source
from ..errors import SourceError

CONTRACT_NAME = "campaign-list.openapi.json"
PROVENANCE_NAME = "provenance.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DEFECT_REPAIRS = (INVALID_TYPE, DUPLICATE_ENUM_VALUE)  # repairs a derivation records for a defect it read


@dataclass
class Parameter:
    name: str
    location: str
    required: bool
    pointer: str  # of the parameter object in the raw document
    schema: Any  # converted
    deprecated: bool = False


@dataclass
class Side:
    """What the diff reads of one document."""

    name: str
    raw: dict  # the document as published (pointers refer to it)
    method: str
    path: str
    present: bool  # the operation exists
    parameters: dict[tuple[str, str], Parameter] = field(default_factory=dict)
    responses: dict[str, dict[str, Any]] = field(default_factory=dict)  # status -> media -> converted schema
    security: frozenset[str] = frozenset()
    components: dict[str, Any] = field(default_factory=dict)  # converted, the closure only
    defects: list[Defect] = field(default_factory=list)  # where the closure is not valid OpenAPI

    @property
    def undefined(self) -> set[str]:
        """The component schemas the closure references and the document does not define."""
        return {d.subject for d in self.defects if d.kind == DANGLING_REF}

    def resolves(self, node: Any) -> bool:
        """``node`` is no ``$ref``, or one to a component of this side's closure."""
        return not is_ref(node) or ref_name(node) in self.components

    @property
    def op_pointer(self) -> str:
        return f"/paths/{escape_pointer_token(self.path)}/{self.method}"


def parse_operation(text: str) -> tuple[str, str]:
    parts = text.split()
    if len(parts) != 2 or parts[0].lower() not in METHODS or not parts[1].startswith("/"):
        raise SourceError(f"--operation must look like 'GET /campaign', not {text!r}")
    return parts[0].lower(), parts[1]


def _pinned_paths(location: str) -> tuple[str, Path | None]:
    """A directory (``contracts/``) stands for the contract file in it; a provenance file next to
    the document marks it as a pinned contract."""
    if is_url(location):
        return location, None
    path = Path(location)
    if path.is_dir():
        path = path / CONTRACT_NAME
    provenance = path.parent / PROVENANCE_NAME
    return str(path), provenance if provenance.is_file() and path.name == CONTRACT_NAME else None


def remove_pointer(document: dict, pointer: str) -> None:
    *parent, last = pointer_tokens(pointer)
    node = resolve_pointer(document, "".join(f"/{escape_pointer_token(t)}" for t in parent))
    if isinstance(node, dict):
        node.pop(last, None)


def load_side(location: str, operation: str = "GET /campaign") -> Side:
    method, path = parse_operation(operation)
    location, provenance = _pinned_paths(location)
    source = load_source(location)
    raw = source.document
    document = raw
    repaired: list[Defect] = []
    if provenance is not None:  # the pinned contract: take the project's own additions out
        document = copy.deepcopy(raw)
        try:
            recorded = json.loads(provenance.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SourceError(f"cannot read {provenance}: {exc}") from None
        for addition in recorded.get("additions", []):
            if addition.get("pointer", "").startswith("/paths/"):
                remove_pointer(document, addition["pointer"])
        # the defects of the document it was derived from, repaired on the way (read as their
        # evident meaning): the same defect in a published document is no new one
        repaired = [Defect(r["rule"], r.get("subject", r.get("detail", "")), (r["pointer"],),
                           r.get("read_as", "its evident meaning"))
                    for r in recorded.get("repairs", []) if r.get("rule") in DEFECT_REPAIRS]
    try:
        side = prepare(source.name, raw, document, method, path)
        # a pin of many listings recorded the repairs of them all: those of this operation's closure
        repaired = [d for d in repaired if _in_closure(d.pointers[0], side.components, path)]
        side.defects = sorted([*side.defects, *repaired], key=lambda d: (d.pointers, d.kind))
        return side
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        # e.g. an external $ref ("other.json#/X"): say what, in one line, rather than a traceback
        raise SourceError(f"{source.name}: cannot read {operation} ({type(exc).__name__}: {str(exc)[:200]})") from None


def _in_closure(pointer: str, components: dict, path: str) -> bool:
    """``pointer`` lies in one of ``components`` or under the operation's own path."""
    tokens = pointer.split("/")
    if pointer.startswith("/components/schemas/") and len(tokens) > 3:
        return tokens[3].replace("~1", "/").replace("~0", "~") in components
    return len(tokens) > 2 and tokens[1] == "paths" and tokens[2].replace("~1", "/").replace("~0", "~") == path


def prepare(name: str, raw: dict, document: dict, method: str, path: str) -> Side:
    """Select ``method path`` of ``document`` and convert what it reaches."""
    side = Side(name=name, raw=raw, method=method, path=path, present=False)
    path_item = (document.get("paths") or {}).get(path)
    operation = path_item.get(method) if isinstance(path_item, dict) else None
    if not isinstance(operation, dict):
        return side
    side.present = True
    schemas = (document.get("components") or {}).get("schemas") or {}
    conversion = Conversion(schemas, ref_for=lambda n: f"#/components/schemas/{escape_pointer_token(n)}")
    params_component = (document.get("components") or {}).get("parameters") or {}

    roots: list[tuple[str, str]] = []
    level_lists = ((f"/paths/{escape_pointer_token(path)}", path_item.get("parameters") or []),
                   (side.op_pointer, operation.get("parameters") or []))
    for base, params in level_lists:  # operation-level parameters override path-level ones
        for i, param in enumerate(params):
            pointer = f"{base}/parameters/{i}"
            if isinstance(param, dict) and "$ref" in param:
                ref = param["$ref"]
                param = params_component.get(ref.rsplit("/", 1)[-1], {}) if ref.startswith("#/components/parameters/") else {}
            if not isinstance(param, dict) or "name" not in param:
                continue
            schema = conversion.schema(param.get("schema") or {}, f"{pointer}/schema")
            roots.extend(iter_ref_sites(param.get("schema") or {}, f"{pointer}/schema"))
            key = (param.get("in", "query"), param["name"])
            side.parameters[key] = Parameter(param["name"], key[0], bool(param.get("required")), pointer, schema,
                                             param.get("deprecated") is True)

    for status, response in (operation.get("responses") or {}).items():
        content = response.get("content") if isinstance(response, dict) else None
        media_types = {}
        for media, body in (content or {}).items():
            pointer = f"{side.op_pointer}/responses/{escape_pointer_token(str(status))}/content/{escape_pointer_token(media)}/schema"
            schema = conversion.schema((body or {}).get("schema") or {}, pointer)
            roots.extend(iter_ref_sites((body or {}).get("schema") or {}, pointer))
            media_types[media] = schema
        side.responses[str(status)] = media_types

    side.security = frozenset(n for req in (operation.get("security") or document.get("security") or []) for n in req)
    reached = reachable(schemas, roots)
    side.components = {n: conversion.component(n) for n in reached.names}
    side.defects = sorted([*reached.defects, *conversion.defects], key=lambda d: (d.pointers, d.kind))
    return side


def is_ref(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def ref_name(node: Any) -> str | None:
    """The component ``node`` references; None for no ``$ref``, or one outside the components."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    return component_name(ref) if isinstance(ref, str) else None
