"""The JSON Schema type of a decoded JSON value: one reading for the derivation and the drift check.

JSON Schema's rules: ``integer`` is a number without a fractional part (``5.0`` is an integer), and
every integer is a ``number``; ``true``/``false`` are ``boolean``, never numbers.
"""

from __future__ import annotations

from typing import Any

_CONTAINERS = {str: "string", list: "array", dict: "object"}


def json_type(value: Any) -> str:
    """``null``, ``boolean``, ``integer`` (an int), ``number`` (a float), ``string``, ``array``,
    ``object``; ``unknown`` for anything JSON does not decode to."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return _CONTAINERS.get(type(value), "unknown")


def stated_type(value: Any) -> str:
    """The type a schema states for a value it lists (an enum value, an example): ``number`` for
    every number, as Vapi's document writes them."""
    kind = json_type(value)
    return "number" if kind == "integer" else kind


def conforms(value: Any, declared: str | list[str]) -> bool:
    """Whether ``value`` is of the declared type (one type or a list of them)."""
    kinds = declared if isinstance(declared, list) else [declared]
    actual = json_type(value)
    return actual in kinds or (actual == "integer" and "number" in kinds) or (
        actual == "number" and "integer" in kinds and float(value).is_integer())
