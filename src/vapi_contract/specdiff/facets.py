"""What a diff compares of one (converted) schema node: its facets.

The node is in the form ``contract.convert`` writes (JSON Schema 2020-12); the facets undo the
encodings that carry no change of meaning: ``type: [T, "null"]``, ``anyOf: [X, {type: null}]``
(``strip_null``) and ``null`` in an enum are all "nullable"; ``const`` is a one-value enum; a single-``$ref``
``allOf`` is that ``$ref``; a discriminated union (``allOf`` of ``if``/``then`` dispatch rules,
whose ``properties``/``required``/``type`` only restate the discriminator) is a union of its
``then`` schemas; ``exclusiveMinimum: true`` (3.0) and ``exclusiveMinimum: n`` (3.1) are one bound.
What a defect leaves unknown is marked, not guessed: a ``type`` naming no JSON Schema type
(``type_unknown``), an ``allOf`` member that leads nowhere (``incomplete``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..contract.defects import JSON_TYPES
from ..contract.schema_walk import escape_pointer_token, unwrap
from ..contract.schema_walk import resolve_pointer as resolve
from .document import is_ref, ref_name

MISSING = object()
BOUND_PAIRS = (("minLength", "maxLength"), ("minItems", "maxItems"), ("minProperties", "maxProperties"))


@dataclass
class Alternative:
    key: tuple  # what matches it with its counterpart on the other side
    node: Any
    pointer: str


@dataclass
class Facets:
    types: frozenset[str] | None = None  # None: any type
    type_unknown: bool = False  # ``type`` names no JSON Schema type (an unreadable defect)
    nullable: bool = False
    enum: tuple | None = None  # without null
    format: str | None = None
    pattern: str | None = None
    lower: dict[str, tuple[float, bool]] = field(default_factory=dict)  # kind -> (bound, exclusive)
    upper: dict[str, tuple[float, bool]] = field(default_factory=dict)
    default: Any = MISSING
    deprecated: bool = False
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)  # name -> (node, pointer)
    required: frozenset[str] = frozenset()
    items: tuple[Any, str] | None = None
    alternatives: list[Alternative] = field(default_factory=list)
    incomplete: bool = False  # an allOf member leads nowhere: properties/required are partly unknown

    @property
    def open_enum(self) -> bool:
        """A union with an unconstrained string alternative: enum values beside it are hints."""
        for alt in self.alternatives:
            n = alt.node
            if isinstance(n, dict) and n.get("type") == "string" and not {"enum", "const", "pattern", "format"} & set(n):
                return True
        return False




def _is_null(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") == "null" and len(node) == 1


def _is_dispatch(rules: Any) -> bool:
    return isinstance(rules, list) and bool(rules) and all(isinstance(r, dict) and "if" in r and "then" in r for r in rules)


ANNOTATION_KEYS = frozenset({"title", "description", "examples", "example", "default", "deprecated", "readOnly", "writeOnly"})


def strip_null(node: Any) -> tuple[Any, bool]:
    """``anyOf: [X, {type: null}]`` (how the conversion writes a nullable ``$ref`` or union) ->
    ``(X, True)``; a union of several non-null members keeps them; anything else ``(node, False)``."""
    if not isinstance(node, dict) or not isinstance(node.get("anyOf"), list):
        return node, False
    branches = node["anyOf"]
    rest = [b for b in branches if not _is_null(b)]
    if len(rest) == len(branches):
        return node, False
    if len(rest) == 1 and set(node) - ANNOTATION_KEYS == {"anyOf"}:
        inner = unwrap(rest[0])
        if isinstance(inner, dict) and (is_ref(inner) or not set(inner) & set(node) - {"anyOf"}):
            return (inner if is_ref(inner) else {**{k: v for k, v in node.items() if k != "anyOf"}, **inner}), True
    return {**node, "anyOf": rest}, True


def facets_of(node: Any, pointer: str, raw: dict, components: dict[str, Any]) -> Facets:
    """Facets of converted ``node`` (already through ``strip_null``); ``pointer`` locates it in
    ``raw`` (the document as published, where alternatives' pointers are looked up)."""
    f = Facets()
    if not isinstance(node, dict):
        return f
    dispatch = _is_dispatch(node.get("allOf"))
    _scalar_facets(f, node, skip_object=dispatch)
    if not dispatch:
        _object_facets(f, node, pointer, components)
    f.alternatives.extend(_alternatives(node, pointer, raw, dispatch))
    return f


def _scalar_facets(f: Facets, node: dict, skip_object: bool) -> None:
    t = node.get("type")
    if t is not None and not skip_object:
        names = t if isinstance(t, list) else [t]
        if all(isinstance(name, str) and name in JSON_TYPES for name in names):
            types = set(names)
            f.nullable |= "null" in types
            types.discard("null")
            f.types = frozenset(types)
        else:
            f.type_unknown = True
    values = [node["const"]] if "const" in node else node.get("enum")
    if isinstance(values, list) and not skip_object:
        f.nullable |= None in values
        f.enum = tuple(v for v in values if v is not None)
    f.format = node.get("format")
    f.pattern = node.get("pattern")
    f.default = node.get("default", MISSING)
    f.deprecated = node.get("deprecated") is True
    if "minimum" in node or "exclusiveMinimum" in node:
        f.lower["value"] = _bound(node, "minimum", "exclusiveMinimum")
    if "maximum" in node or "exclusiveMaximum" in node:
        f.upper["value"] = _bound(node, "maximum", "exclusiveMaximum")
    for low, high in BOUND_PAIRS:
        if isinstance(node.get(low), (int, float)):
            f.lower[low] = (node[low], False)
        if isinstance(node.get(high), (int, float)):
            f.upper[high] = (node[high], False)


def _bound(node: dict, inclusive: str, exclusive: str) -> tuple[float, bool]:
    ex = node.get(exclusive)
    if isinstance(ex, bool):  # OpenAPI 3.0: a flag on the inclusive keyword
        return node.get(inclusive), ex
    if isinstance(ex, (int, float)) and (inclusive not in node or ex >= node[inclusive]):
        return ex, True
    return node.get(inclusive), False


def _object_facets(f: Facets, node: dict, pointer: str, components: dict[str, Any]) -> None:
    for name, sub in (node.get("properties") or {}).items():
        f.properties[name] = (sub, f"{pointer}/properties/{escape_pointer_token(name)}")
    f.required = frozenset(node.get("required") or ())
    if isinstance(node.get("items"), dict):
        f.items = (node["items"], f"{pointer}/items")
    for i, member in enumerate(node.get("allOf") or []):  # allOf: the members' properties are the node's
        member_pointer = f"{pointer}/allOf/{i}"
        if is_ref(member):
            name = ref_name(member)
            if name not in components:  # leads nowhere: what it would add is unknown
                f.incomplete = True
                continue
            member, member_pointer = components[name], f"/components/schemas/{escape_pointer_token(name)}"
        if isinstance(member, dict) and not _is_dispatch(member.get("allOf")):
            for prop, sub in (member.get("properties") or {}).items():
                f.properties.setdefault(prop, (sub, f"{member_pointer}/properties/{escape_pointer_token(prop)}"))
            f.required |= frozenset(member.get("required") or ())


def _alternatives(node: dict, pointer: str, raw: dict, dispatch: bool) -> list[Alternative]:
    raw_node = resolve(raw, pointer)
    raw_key = next((k for k in ("oneOf", "anyOf") if isinstance(raw_node, dict) and isinstance(raw_node.get(k), list)), None)
    raw_list = raw_node[raw_key] if raw_key else []
    raw_names = [ref_name(r) for r in raw_list]

    def where(i: int, sub: Any, own: str) -> str:
        if raw_key is None and resolve(raw, f"{pointer}/{own}/{i}") is None:
            return pointer  # a union the conversion made (e.g. example-contradicts-type): the node itself
        name = ref_name(sub)
        if name is not None and name in raw_names:
            return f"{pointer}/{raw_key}/{raw_names.index(name)}"
        if raw_key and i < len(raw_list) and own in ("anyOf", "oneOf"):  # oneOf converted to anyOf
            return f"{pointer}/{raw_key}/{i}"
        return f"{pointer}/{own}/{i}"

    out: list[Alternative] = []
    if dispatch:
        for k, rule in enumerate(node["allOf"]):
            then = unwrap(rule["then"])
            subs = then["anyOf"] if isinstance(then, dict) and isinstance(then.get("anyOf"), list) and "if" in rule and "not" in rule["if"] else [then]
            for sub in subs:
                sub = unwrap(sub)
                cond = (rule["if"].get("properties") or {})
                out.append(Alternative(_key(sub, cond), sub, where(k, sub, "allOf")))
    for key in ("anyOf", "oneOf"):
        for i, sub in enumerate(node.get(key) or []):
            sub = unwrap(sub)
            out.append(Alternative(_key(sub, {}), sub, where(i, sub, key)))
    return out


def _key(sub: Any, cond: dict) -> tuple:
    if is_ref(sub):
        return ("ref", ref_name(sub) or sub["$ref"])
    if cond:
        return ("dispatch", json.dumps(cond, sort_keys=True))
    if isinstance(sub, dict) and isinstance(sub.get("title"), str):
        return ("title", sub["title"])
    return ("inline", json.dumps(sub, sort_keys=True, default=str))


def kind_of(node: Any) -> str:
    """Coarse JSON kind of an inline alternative, to pair changed inline alternatives."""
    if not isinstance(node, dict):
        return "any"
    if "enum" in node or "const" in node:
        return "enum"
    t = node.get("type")
    return t if isinstance(t, str) else json.dumps(t)
