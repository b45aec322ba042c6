"""OpenAPI 3.0 schema objects -> JSON Schema draft 2020-12, with the repairs response validation needs.

The published Vapi document is written for code generators, not for validating responses; read
literally, it rejects responses the API really sends.  Each repair below is recorded (rule id,
JSON pointer into the source document, detail) and written to the provenance file.

Rules (ids are stable; tests cover each):

``open-enum-as-anyof``
    ``oneOf: [{enum: [known...]}, {type: string}]`` means "one of these, or any other string".
    Under ``oneOf`` every *known* value matches both branches and is rejected; it must be ``anyOf``.
``overlapping-union-as-anyof``
    A ``oneOf`` whose alternatives can match the same value (no disjoint, required discriminator:
    e.g. hooks where ``CallHookCustomerSpeechTimeout.on`` is any string, or three
    ``smartEndpointingPlan`` shapes sharing one ``provider`` enum) rejects valid values that fit
    two alternatives.  It validates as ``anyOf``.
``union-as-anyof``
    A ``oneOf`` whose alternatives are disjoint by JSON type or by ``enum``: ``anyOf`` gives the
    same verdict, with clearer errors and no need to try every branch.
``discriminated-union``
    A ``oneOf`` of objects told apart by a property (an OpenAPI ``discriminator`` mapping, or a
    required property whose single-value enums are disjoint, e.g. ``provider`` of transcribers,
    voices, models; ``type`` of tools) becomes ``if provider == X then $ref X`` dispatch plus an
    enum of the known values.  Same verdict as the published intent, and a violation deep inside
    the chosen alternative is reported at its own JSON pointer rather than as "matches none".
``discriminator-mapping-mismatch``
    The discriminator mapping names a value its target schema does not declare (``elevenlabs`` ->
    ``CreateElevenLabsCredentialDTO`` whose ``provider`` enum is ``["11labs"]``).  Dispatching on
    the mapping alone would reject ``11labs``, the only value the alternative itself admits (and
    so the value the API stores); the alternative's own values dispatch to it too, and its own
    schema has the last word.
``array-enum-on-items``
    ``{type: array, enum: ["pci", "phi", ...]}`` (NestJS ``isArray`` enums) compares the whole array
    with scalar values and rejects every real value: the enum belongs to the items.
``nullable``
    OpenAPI 3.0 ``nullable: true`` -> ``type: [T, "null"]`` (``null`` added to any ``enum``); an
    explicit ``example: null`` on a property (NestJS ``@ApiProperty({example: null})``) is taken as
    the same statement: the API sends null there.
``example-contradicts-type``
    The document's own example contradicts its declared type: ``excludedStatusCodes`` has items
    typed ``object`` and the example ``[400, 401, 403, 404]``; ``NeuphonicVoice.language`` is typed
    ``object`` (no properties) with example ``"en"``; ``redaction``-like strings with array examples.
    Both readings are accepted, so that real responses are not rejected.  Prose examples (a string
    such as ``'[{ type: "regex" ... }]'`` on an array) are not evidence and change nothing.
``js-regex-delimiters``
    ``pattern: "/^[A-Z][A-Z0-9_]*$/"`` is a JavaScript regex literal; as an ECMA-262 pattern the
    slashes are literal characters and every real value fails.  The delimiters and flags go.
``enum-type-mismatch``
    ``{type: object, enum: ["bye", "dial", "refer"]}`` (``sipVerb``) admits nothing: a string fails
    the type, anything else the enum.  The type becomes the JSON type of the enum values.
``ref-siblings``
    Keywords beside a ``$ref`` other than annotations are ignored by OpenAPI 3.0 but would apply in
    2020-12; they are dropped to keep the 3.0 meaning, except ``nullable: true`` (``nullable``).
``invalid-type``, ``duplicate-enum-value``, ``duplicate-parameter``
    Defects of the document read by their evident meaning (``type: "enum"`` beside string values is
    a string enum; an enum listing a value twice is the set of its values): see
    ``contract.defects``, which also says what has no evident meaning.  Every defect met is in
    ``Conversion.defects`` (the readable ones are repairs as well); a ``$ref`` that leads nowhere is
    kept as written, and found by the operation's closure (``derive.reachable``).

Plain translations (not repairs, counted only): ``example`` -> ``examples``; ``discriminator``
consumed by ``discriminated-union``; ``format`` kept (the Validator asserts ``date-time``);
``pattern`` kept as ECMA-262 with Unicode (``\\p{L}`` included): the fast validator reads it natively
and the explaining validator uses the ``regex`` module, which does too.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .schema_walk import (
    SUBSCHEMA_LISTS,
    SUBSCHEMA_MAPS,
    SUBSCHEMA_SINGLE,
    component_name,
    escape_pointer_token,
)
from ..jsontypes import conforms, stated_type
from .defects import DUPLICATE_ENUM_VALUE, INVALID_TYPE, JSON_TYPES, Defect

ANNOTATIONS = frozenset({"title", "description", "examples", "example", "deprecated", "default", "readOnly", "writeOnly"})
_JS_REGEX = re.compile(r"^/(?P<body>.*)/(?P<flags>[dgimsuvy]*)$", re.S)


@dataclass(frozen=True)
class Repair:
    rule: str
    pointer: str  # JSON pointer into the source document
    detail: str
    # a defect of the source read by its evident meaning: what is wrong and how it was read (the
    # spec diff names the pin's own defects in the words it uses for a published document's)
    subject: str | None = None
    read_as: str | None = None

    def to_dict(self) -> dict[str, str]:
        defect = {"subject": self.subject, "read_as": self.read_as} if self.read_as is not None else {}
        return {"rule": self.rule, "pointer": self.pointer, "detail": self.detail, **defect}


@dataclass
class Conversion:
    """Converts schemas of one source document; collects the repairs it makes."""

    components: Mapping[str, Any]
    ref_for: Callable[[str], str]  # component name -> $ref value in the output
    repairs: list[Repair] = field(default_factory=list)
    translations: Counter = field(default_factory=Counter)
    defects: list[Defect] = field(default_factory=list)  # what the source gets wrong (contract.defects)

    # -- public -------------------------------------------------------------------------------
    def component(self, name: str) -> Any:
        return self.schema(self.components[name], f"/components/schemas/{escape_pointer_token(name)}")

    def schema(self, node: Any, pointer: str) -> Any:
        if not isinstance(node, dict):
            return copy.deepcopy(node)
        if "$ref" in node:
            return self._ref(node, pointer)
        out: dict[str, Any] = {}
        union: dict[str, Any] | None = None
        for key, value in node.items():
            if key == "oneOf" and isinstance(value, list):
                union = self._union(node, pointer)
            elif key in ("nullable", "discriminator"):
                continue  # handled below / by _union
            elif key == "example":
                out["examples"] = [copy.deepcopy(value)]
                self.translations["example->examples"] += 1
            elif key == "pattern" and isinstance(value, str):
                out["pattern"] = self._pattern(value, f"{pointer}/pattern")
            elif key in SUBSCHEMA_MAPS and isinstance(value, dict):
                out[key] = {k: self.schema(v, f"{pointer}/{key}/{escape_pointer_token(k)}") for k, v in value.items()}
            elif key in SUBSCHEMA_LISTS and isinstance(value, list):
                out[key] = [self.schema(v, f"{pointer}/{key}/{i}") for i, v in enumerate(value)]
            elif key in SUBSCHEMA_SINGLE:
                out[key] = self.schema(value, f"{pointer}/{key}")
            else:
                out[key] = copy.deepcopy(value)
        if union is not None:
            if set(union) & set(out):  # e.g. oneOf beside allOf: both must hold
                out["allOf"] = [*out.get("allOf", []), union]
            else:
                out.update(union)
        if "type" in out:
            self._invalid_type(out, pointer)
        if isinstance(out.get("enum"), list):
            self._duplicate_enum(out, pointer)
        if isinstance(out.get("type"), str) and isinstance(out.get("enum"), list) and out["enum"]:
            out = self._enum_type(out, pointer)
        if "example" in node:
            out = self._example_evidence(out, node["example"], pointer)
        if node.get("nullable") is True or ("example" in node and node["example"] is None and "type" in out):
            out = self._nullable(out, pointer, "nullable: true" if node.get("nullable") else "example: null")
        return out

    # -- pieces -------------------------------------------------------------------------------
    def _ref(self, node: dict, pointer: str) -> dict:
        name = component_name(node["$ref"])
        out = {"$ref": node["$ref"] if name is None else self.ref_for(name)}  # not followed: kept as written
        nullable = node.get("nullable") is True
        dropped = sorted(k for k in node if k != "$ref" and k not in ANNOTATIONS and not (k == "nullable" and nullable))
        for key in node:
            if key in ANNOTATIONS and key != "example":
                out[key] = copy.deepcopy(node[key])
        if dropped:
            self.repairs.append(Repair("ref-siblings", pointer, f"ignored beside $ref in OpenAPI 3.0: {', '.join(dropped)}"))
        if nullable:  # nullable without a type: what is referenced, or null (contract.defects)
            return self._nullable(out, pointer, "nullable: true beside $ref")
        return out

    def record_defect(self, kind: str, pointer: str, subject: str, read_as: str | None) -> None:
        """Record a defect found outside a schema (``duplicate-parameter``: the operation's
        parameter list), with the same bookkeeping as the defects found in schemas."""
        self._defect(kind, pointer, subject, read_as)

    def _defect(self, kind: str, pointer: str, subject: str, read_as: str | None) -> None:
        """Record a defect of the source; one read by its evident meaning is a repair as well."""
        defect = Defect(kind, subject, (pointer,), read_as)
        if defect in self.defects:
            return
        self.defects.append(defect)
        if read_as is not None:
            self.repairs.append(Repair(kind, pointer, defect.what(), subject, read_as))

    def _invalid_type(self, out: dict, pointer: str) -> None:
        """``type`` naming no JSON Schema type: beside an enum, the JSON type of its values;
        otherwise left as written and recorded as unreadable (its type is unknown)."""
        declared = out["type"]
        names = declared if isinstance(declared, list) else [declared]
        if all(isinstance(t, str) and t in JSON_TYPES for t in names):
            return
        subject = json.dumps(declared)
        values = out.get("enum")
        if not (isinstance(values, list) and values):
            self._defect(INVALID_TYPE, f"{pointer}/type", subject, None)
            return
        kept = {t for t in names if isinstance(t, str) and t in JSON_TYPES}
        types = sorted(kept | {stated_type(v) for v in values})
        out["type"] = types[0] if len(types) == 1 else types
        self._defect(INVALID_TYPE, f"{pointer}/type", subject, f"a {'|'.join(types)} enum")

    def _duplicate_enum(self, out: dict, pointer: str) -> None:
        """An enum listing a value twice is the set of its values (first occurrences kept)."""
        try:
            if len(set(out["enum"])) == len(out["enum"]):
                return  # the usual case, decided without serialising (1 and True compare equal: see below)
        except TypeError:
            pass  # an object or array among the values
        firsts: dict[str, Any] = {}
        repeated: dict[str, Any] = {}
        for value in out["enum"]:
            key = json.dumps(value, sort_keys=True, default=str)
            if key in firsts:
                repeated.setdefault(key, value)
            firsts.setdefault(key, value)
        if repeated:
            out["enum"] = list(firsts.values())
            self._defect(DUPLICATE_ENUM_VALUE, f"{pointer}/enum", ", ".join(repeated), "the set of its values")

    def _enum_type(self, out: dict, pointer: str) -> dict:
        declared = out["type"]
        actual = sorted({stated_type(v) for v in out["enum"]})
        if any(conforms(v, declared) for v in out["enum"]):
            return out
        if declared == "array":
            items = {"type": actual[0] if len(actual) == 1 else actual, "enum": out.pop("enum")}
            out["items"] = {**out.get("items", {}), **items}
            self.repairs.append(Repair(
                "array-enum-on-items", f"{pointer}/enum",
                "enum of scalar values on an array (NestJS isArray): moved to the items",
            ))
            return out
        out["type"] = actual[0] if len(actual) == 1 else actual
        self.repairs.append(Repair(
            "enum-type-mismatch", f"{pointer}/type",
            f"type {declared!r} admits none of its enum values; typed as {out['type']!r}",
        ))
        return out

    def _example_evidence(self, out: dict, example: Any, pointer: str) -> dict:
        """Where the document's own example contradicts its declared type, accept both (the
        example is what the API was seen to send; the declared type is what the generator wrote)."""
        declared = out.get("type")
        if declared == "array" and isinstance(example, list):
            self._items_example_evidence(out, example, pointer)
            return out
        if example is None or not isinstance(declared, str) or conforms(example, declared):
            return out
        kind = stated_type(example)
        if declared in ("array", "object") and kind == "string":
            if declared == "object" and not out.get("properties"):
                out["type"] = [declared, "string"]
                self.repairs.append(Repair("example-contradicts-type", f"{pointer}/type",
                                           f"type object without properties, example {example!r}: strings accepted"))
            return out  # otherwise prose such as '[{ type: "regex", ... }]'
        if kind == "array" and declared != "array":
            single = {k: v for k, v in out.items() if k in ("type", "enum", "format", "pattern", "minLength", "maxLength", "minimum", "maximum")}
            rest = {k: v for k, v in out.items() if k not in single}
            self.repairs.append(Repair("example-contradicts-type", f"{pointer}/type",
                                       f"type {declared!r}, example {example!r}: arrays of such values accepted too"))
            return {**rest, "anyOf": [single, {"type": "array", "items": single}]}
        return out

    def _items_example_evidence(self, out: dict, example: Any, pointer: str) -> None:
        items = out.get("items")
        if not (isinstance(items, dict) and isinstance(example, list) and isinstance(items.get("type"), str)):
            return
        foreign = sorted({stated_type(v) for v in example if not conforms(v, items["type"])} - {"null"})
        if foreign and not items.get("properties"):
            items["type"] = [items["type"], *foreign]
            self.repairs.append(Repair("example-contradicts-type", f"{pointer}/items/type",
                                       f"items typed {items['type'][0]!r}, example {example!r}: {', '.join(foreign)} accepted"))

    def _nullable(self, out: dict, pointer: str, why: str = "nullable: true") -> dict:
        t = out.get("type")
        if isinstance(t, str):
            out["type"] = [t, "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
        self.repairs.append(Repair("nullable", pointer, f"{why} -> null allowed"))
        return out

    def _pattern(self, pattern: str, pointer: str) -> str:
        m = _JS_REGEX.match(pattern)
        if m and pattern.startswith("/") and len(pattern) > 1:
            self.repairs.append(Repair("js-regex-delimiters", pointer, f"{pattern!r} -> {m['body']!r}"))
            pattern = m["body"]
        return pattern

    def _resolve(self, branch: Any) -> Any:
        """What ``branch`` references, through any chain of ``$ref``s; ``{}`` where a reference
        leads nowhere (the closure reports it)."""
        seen = 0
        while isinstance(branch, dict) and "$ref" in branch and seen < 32:
            branch = self.components.get(component_name(branch["$ref"]), {})
            seen += 1
        return branch

    def _union(self, node: dict, pointer: str) -> dict:
        """Rewrite ``oneOf`` (see module docstring for the three outcomes)."""
        branches = node["oneOf"]
        converted = [self.schema(b, f"{pointer}/oneOf/{i}") for i, b in enumerate(branches)]
        dispatch = self._discriminator(node, branches, pointer)
        if dispatch is not None:
            prop, table = dispatch
            values = [v for vals, _ in table for v in vals]
            rules = []
            for vals, i in table:
                cond = {"const": vals[0]} if len(vals) == 1 else {"enum": vals}
                rules.append({"if": {"properties": {prop: cond}, "required": [prop]}, "then": converted[i]})
            self.repairs.append(Repair(
                "discriminated-union", f"{pointer}/oneOf",
                f"oneOf of {len(branches)} dispatched on {prop!r} ({len(values)} known values)",
            ))
            optional = [i for _, i in table if prop not in (self._resolve(branches[i]).get("required") or ())]
            union = {"type": "object", "required": [prop], "properties": {prop: {"enum": values}}, "allOf": rules}
            if optional:  # an alternative that may omit the property is what an object without it must be
                del union["required"]
                rules.append({"if": {"not": {"required": [prop]}},
                              "then": {"anyOf": [converted[i] for i in optional]}})
            return union
        reason = self._anyof_reason(branches)
        self.repairs.append(Repair(reason, f"{pointer}/oneOf", f"oneOf of {len(branches)} -> anyOf"))
        return {"anyOf": converted}

    def _discriminator(self, node: dict, branches: list, pointer: str) -> tuple[str, list[tuple[list, int]]] | None:
        mapping = (node.get("discriminator") or {}).get("mapping")
        prop = (node.get("discriminator") or {}).get("propertyName")
        if prop and mapping:
            index = {b.get("$ref"): i for i, b in enumerate(branches) if isinstance(b, dict)}
            grouped: dict[int, list] = {}
            for value, ref in mapping.items():
                if ref not in index:
                    return None
                grouped.setdefault(index[ref], []).append(value)
            if len(grouped) != len(branches):
                return None
            taken = {repr(v) for vals in grouped.values() for v in vals}
            for i, vals in grouped.items():
                own = (self._resolve(branches[i]).get("properties") or {}).get(prop, {}).get("enum") or []
                extra = [v for v in own if repr(v) not in taken]
                if extra:
                    self.repairs.append(Repair(
                        "discriminator-mapping-mismatch", f"{pointer}/discriminator/mapping",
                        f"{branches[i]['$ref'].rsplit('/', 1)[-1]} declares {prop} {extra!r}, "
                        f"the mapping says {vals!r}: its own values dispatch to it too",
                    ))
                    vals.extend(extra)
                    taken.update(repr(v) for v in extra)
            return prop, [(vals, i) for i, vals in sorted(grouped.items())]
        resolved = [self._resolve(b) for b in branches]
        if len(resolved) < 2 or not all(isinstance(r, dict) and isinstance(r.get("properties"), dict) for r in resolved):
            return None
        common = set.intersection(*(set(r.get("required") or ()) for r in resolved))
        for prop in sorted(common):
            enums = [r["properties"].get(prop, {}).get("enum") for r in resolved]
            if not all(isinstance(e, list) and e for e in enums):
                continue
            flat = [v for e in enums for v in e]
            if len(flat) == len(set(map(repr, flat))):
                return prop, [(list(e), i) for i, e in enumerate(enums)]
        return None

    def _anyof_reason(self, branches: list) -> str:
        resolved = [self._resolve(b) for b in branches]
        plain = [r for r in resolved if isinstance(r, dict)]
        has_enum = any("enum" in r for r in plain)
        open_string = any(r.get("type") == "string" and "enum" not in r for r in plain)
        if has_enum and open_string:
            return "open-enum-as-anyof"
        types = [r.get("type") for r in plain]
        if len(plain) == len(resolved) and all(isinstance(t, str) for t in types) and len(set(types)) == len(types):
            return "union-as-anyof"
        if len(plain) == 1:
            return "union-as-anyof"
        return "overlapping-union-as-anyof"
