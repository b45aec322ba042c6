"""Where a JSON Schema holds subschemas (as opposed to data such as a property *named* ``oneOf``).

The published document has properties literally named ``type``, ``format``, ``enum`` and
``oneOf`` (e.g. ``JsonSchema``, ``CallHookFilter``), so every walker must know which keys are
schema positions.
"""

from __future__ import annotations

from typing import Any, Mapping

SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_SINGLE = (
    "items", "additionalProperties", "not", "if", "then", "else", "contains",
    "propertyNames", "unevaluatedProperties", "unevaluatedItems", "additionalItems",
)


def escape_pointer_token(token: str) -> str:
    """RFC 6901 escaping of one reference token."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer_tokens(pointer: str) -> list[str]:
    """``/a~1b/0`` -> ``["a/b", "0"]`` (RFC 6901); ``""`` is the whole document."""
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]] if pointer else []


def resolve_pointer(document, pointer: str):
    """The value ``pointer`` names in ``document``, or None where it leads nowhere."""
    node = document
    for token in pointer_tokens(pointer):
        try:
            node = node[int(token)] if isinstance(node, list) else node[token]
        except (KeyError, IndexError, ValueError, TypeError):
            return None
    return node


COMPONENT_PREFIX = "#/components/schemas/"
# keywords that describe a schema without constraining it: a ``$ref`` (or an ``allOf`` of one
# schema) beside them alone is that schema, described
ANNOTATIONS = frozenset({"title", "description", "default", "examples", "example", "deprecated", "readOnly",
                         "writeOnly", "$comment"})


def component_name(ref: str) -> str | None:
    """``#/components/schemas/Foo`` -> ``Foo``; None for any other reference (another file, another
    part of the document): the published document uses component references only, and whatever
    else a ``$ref`` says is not followed (``contract.defects``: ``external-ref``)."""
    if not isinstance(ref, str) or not ref.startswith(COMPONENT_PREFIX):
        return None
    return ref[len(COMPONENT_PREFIX):].replace("~1", "/").replace("~0", "~")


def iter_ref_sites(node, pointer: str = ""):
    """Yield ``(pointer, ref)`` for every ``$ref`` that schema ``node`` (at ``pointer``) makes
    without crossing into another component, in document order: the pointer is the object that
    holds the ``$ref``, ``ref`` its value as written."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield pointer, ref
        for key, value in node.items():
            if key in SUBSCHEMA_MAPS and isinstance(value, dict):
                for name, sub in value.items():
                    yield from iter_ref_sites(sub, f"{pointer}/{key}/{escape_pointer_token(name)}")
            elif key in SUBSCHEMA_LISTS and isinstance(value, list):
                for i, sub in enumerate(value):
                    yield from iter_ref_sites(sub, f"{pointer}/{key}/{i}")
            elif key in SUBSCHEMA_SINGLE:
                yield from iter_ref_sites(value, f"{pointer}/{key}")


def ref_target(ref: Any) -> str | None:
    """The schema a ``$ref`` names: a component of an OpenAPI document (``#/components/schemas/X``)
    or a derived schema file (``X.json``, or the same under the contract's ``$id`` base); None for
    anything else."""
    if not isinstance(ref, str):
        return None
    name = component_name(ref)
    if name is not None:
        return name
    if ref.endswith(".json") and "#" not in ref:
        return ref.rsplit("/", 1)[-1][: -len(".json")]
    return None


def unwrap(node: Any) -> Any:
    """``{allOf: [X], description: ...}`` (how the document describes a reference, NestJS' way to
    describe a nested object) is X, as long as what sits beside the ``allOf`` only describes."""
    for _ in range(64):
        rules = node.get("allOf") if isinstance(node, dict) else None
        if not (isinstance(rules, list) and len(rules) == 1 and isinstance(rules[0], dict) and "if" not in rules[0]
                and set(node) - ANNOTATIONS == {"allOf"}):
            return node
        node = rules[0]
    return node


def deref(node: Any, schemas: Mapping[str, Any], limit: int = 64) -> dict | None:
    """The schema ``node`` stands for: its ``$ref`` chain followed, and through an ``allOf`` of one
    schema (how the document attaches a description to a reference), as long as what sits beside
    them only describes (:data:`ANNOTATIONS`).  ``schemas`` maps a name (:func:`ref_target`) to its
    schema.  None when a reference leads nowhere, in a cycle, or ``node`` is no schema.  The one
    reference follower of the package: the Endpoint, the report's unions, drift and the spec diff
    read schemas through it."""
    for _ in range(limit):
        node = unwrap(node)
        if not isinstance(node, dict):
            return None
        if "$ref" in node and set(node) - ANNOTATIONS == {"$ref"}:
            node = schemas.get(ref_target(node["$ref"]) or "")
            continue
        return node
    return None
