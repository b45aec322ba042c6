"""Where a JSON Schema holds subschemas (as opposed to data such as a property *named* ``oneOf``).

The published document has properties literally named ``type``, ``format``, ``enum`` and
``oneOf`` (e.g. ``JsonSchema``, ``CallHookFilter``), so every walker must know which keys are
schema positions.
"""

from __future__ import annotations

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


def component_name(ref: str) -> str:
    """``#/components/schemas/Foo`` -> ``Foo`` (the only kind of $ref the published document uses)."""
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix):
        raise ValueError(f"unsupported $ref {ref!r}")
    return ref[len(prefix):].replace("~1", "/").replace("~0", "~")


def iter_refs(node):
    """Yield every component name that schema ``node`` references directly, in document order."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield component_name(ref)
        for key, value in node.items():
            if key in SUBSCHEMA_MAPS and isinstance(value, dict):
                for sub in value.values():
                    yield from iter_refs(sub)
            elif key in SUBSCHEMA_LISTS and isinstance(value, list):
                for sub in value:
                    yield from iter_refs(sub)
            elif key in SUBSCHEMA_SINGLE:
                yield from iter_refs(value)
