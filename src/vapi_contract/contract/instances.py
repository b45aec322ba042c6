"""Build instances that a schema accepts, straight from the pinned schemas.

Used to exercise every alternative of a union (each transcriber, voice and model provider ...)
in tests, to build full-depth pages for the validation benchmark, and by the reference target's
seed data.  The builder reads the dispatch form written by ``discriminated-union``
(``allOf: [{if: {properties: {P: {const: v}}}, then: ...}]``) and picks one alternative per call,
so ``variant=i`` walks through all of them.
"""

from __future__ import annotations

import random
from typing import Any

import regex

_PATTERN_CANDIDATES = ("example", "API_KEY", "customer_name", "lookup-order", "hello")
_FIXED_INSTANT = "2025-03-14T15:09:26.535Z"


class InstanceBuilder:
    """``build(name)`` -> an instance of schema ``name`` (a file stem under schemas/campaign-list)."""

    def __init__(self, schemas: dict[str, dict[str, Any]], *, seed: int = 0, optional: float = 0.0,
                 max_depth: int = 8):
        self.schemas = schemas
        self.rng = random.Random(seed)
        self.optional = optional  # chance of filling an optional property
        self.max_depth = max_depth
        self.choices: dict[str, int] = {}  # union pointer -> forced alternative index

    def build(self, name: str, *, choose: dict[str, int] | None = None) -> Any:
        self.choices = dict(choose or {})
        return self._value(self.schemas[name], 0, name)

    def build_property(self, component: str, prop: str, *, choose: dict[str, int] | None = None) -> Any:
        """An instance of ``component``'s property ``prop`` (union choices keyed like
        ``"OpenAIModel/tools/*"``)."""
        self.choices = dict(choose or {})
        return self._value(self.schemas[component]["properties"][prop], 1, f"{component}/{prop}")

    # ------------------------------------------------------------------------------------------
    def _resolve(self, ref: str) -> tuple[dict, str]:
        name = ref.rsplit("/", 1)[-1].removesuffix(".json")
        return self.schemas[name], name

    def _value(self, schema: Any, depth: int, where: str) -> Any:
        if schema is True or schema == {}:
            return "value"
        if "$ref" in schema:
            target, name = self._resolve(schema["$ref"])
            return self._value(target, depth, name)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema and schema["enum"]:
            return self.rng.choice([v for v in schema["enum"] if v is not None] or [None])
        if "allOf" in schema and any("if" in r for r in schema["allOf"]):
            rules = schema["allOf"]
            index = self.choices.get(where, self.rng.randrange(len(rules)))
            return self._value(rules[index % len(rules)]["then"], depth, where)
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self._value(part, depth, where)
                if isinstance(value, dict):
                    merged.update(value)
                else:
                    return value
            return merged
        if "anyOf" in schema:
            options = [o for o in schema["anyOf"] if o.get("type") != "null"] or schema["anyOf"]
            usable = [o for o in options if not (isinstance(o.get("enum"), list) and not o["enum"])]
            index = self.choices.get(where, self.rng.randrange(len(usable)))
            return self._value(usable[index % len(usable)], depth, where)
        kind = schema.get("type", "object" if "properties" in schema else "string")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        return getattr(self, f"_{kind}")(schema, depth, where)

    def _object(self, schema: dict, depth: int, where: str) -> dict:
        props = schema.get("properties", {})
        required = set(schema.get("required", ()))
        out = {}
        for key, sub in props.items():
            wanted = key in required or (depth < self.max_depth and self.rng.random() < self.optional)
            if wanted:
                out[key] = self._value(sub, depth + 1, f"{where}/{key}")
        return out

    def _array(self, schema: dict, depth: int, where: str) -> list:
        count = max(schema.get("minItems", 0), 1 if depth < self.max_depth else 0)
        items = schema.get("items", {"type": "string"})
        return [self._value(items, depth + 1, f"{where}/*") for _ in range(count)]

    def _string(self, schema: dict, depth: int, where: str) -> str:
        if schema.get("format") == "date-time":
            return _FIXED_INSTANT
        if isinstance(schema.get("default"), str):
            return schema["default"]
        if "pattern" in schema:
            compiled = regex.compile(schema["pattern"])
            for candidate in _PATTERN_CANDIDATES:
                if compiled.search(candidate):
                    return candidate
        low, high = schema.get("minLength", 0), schema.get("maxLength", 40)
        text = "sample text"
        return (text * (low // len(text) + 1))[: max(low, min(high, len(text)))]

    def _number(self, schema: dict, depth: int, where: str) -> float:
        if isinstance(schema.get("default"), (int, float)) and not isinstance(schema["default"], bool):
            return schema["default"]
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        high = schema.get("maximum", schema.get("exclusiveMaximum", low + 10))
        value = (low + high) / 2
        return int(value) if float(value).is_integer() else value

    _integer = _number

    def _boolean(self, schema: dict, depth: int, where: str) -> bool:
        return bool(schema.get("default", False))

    def _null(self, schema: dict, depth: int, where: str) -> None:
        return None


def union_size(schemas: dict[str, dict[str, Any]], component: str, prop: str) -> int:
    """How many alternatives the union at ``component.prop`` has (after the repairs)."""
    node = schemas[component]["properties"][prop]
    if "allOf" in node:
        return len(node["allOf"])
    return len(node.get("anyOf", [node]))


def full_depth_campaign(schemas: dict[str, dict[str, Any]], index: int) -> dict[str, Any]:
    """A campaign with customers whose assistantOverrides carry a transcriber, voice and model
    (alternative ``index`` of each union, modulo its size), tools, hooks and a schedulePlan."""
    builder = InstanceBuilder(schemas, seed=index, optional=0.35, max_depth=5)
    choose = {
        f"AssistantOverrides/{p}": index % union_size(schemas, "AssistantOverrides", p)
        for p in ("transcriber", "voice", "model")
    }
    campaign = builder.build("Campaign")
    overrides = builder.build("AssistantOverrides", choose=choose)
    for prop in ("transcriber", "voice", "model"):
        overrides[prop] = builder.build_property("AssistantOverrides", prop, choose=choose)
    customer = builder.build("CreateCustomerDTO")
    customer["assistantOverrides"] = overrides
    campaign["customers"] = [customer]
    campaign["schedulePlan"] = builder.build("SchedulePlan")
    return campaign
