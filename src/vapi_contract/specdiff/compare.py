"""Compare two sides (document.Side) of one operation: parameters, responses, security, and
every schema they reach through ``$ref``s, to any depth.  Each difference becomes a Change with a
stable rule (the constants of :mod:`.rules`, registered in ``rules.RULES``); a component is compared once per context however often it is
referenced, so recursive schemas terminate.  What a document leaves unknown is not compared: a
``$ref`` that leads nowhere (on either side), a type that is no type, the properties of an
``allOf`` member that leads nowhere (no removal, addition or required-ness change is inferred from
them); the defects name those places (``specdiff.defects``)."""

from __future__ import annotations

from typing import Any

from ..contract.schema_walk import escape_pointer_token
from ..contract.schema_walk import resolve_pointer as resolve
from .document import Side, ref_name
from ..contract.schema_walk import unwrap
from .facets import MISSING, Facets, facets_of, kind_of, strip_null
from . import rules as R
from .rules import Change, Rule, SchemaRules, sort_key

REQUEST, RESPONSE = "request-parameter", "response-property"


def _fmt(values) -> str:
    return ", ".join(repr(v) for v in values)


class Differ:
    def __init__(self, old: Side, new: Side):
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self._seen: set[tuple] = set()

    # -- reporting ---------------------------------------------------------------------------
    def add(self, rule: Rule, pointer: str, schema: str | None, message: str, value: Any = None) -> None:
        document = self.old.raw if rule.id.endswith("-removed") else self.new.raw
        self.changes.append(Change(_existing(document, pointer), schema, rule.id, message, value))

    # -- operation ---------------------------------------------------------------------------
    def run(self) -> list[Change]:
        old, new = self.old, self.new
        label = f"{old.method.upper()} {old.path}"
        if not old.present and not new.present:
            return []
        if not new.present:
            self.add(R.OPERATION_REMOVED, old.op_pointer, None, f"{label} is no longer in the document")
            return self.changes
        if not old.present:
            self.add(R.OPERATION_ADDED, new.op_pointer, None, f"{label} appeared")
            return self.changes
        self._parameters()
        self._responses()
        for name in sorted(new.security - old.security):
            self.add(R.SECURITY_SCHEME_ADDED, f"{new.op_pointer}/security", None, f"{label} now requires security scheme {name!r}", name)
        for name in sorted(old.security - new.security):
            self.add(R.SECURITY_SCHEME_REMOVED, f"{old.op_pointer}/security", None, f"{label} no longer requires security scheme {name!r}", name)
        # a schema one side references without defining did not join or leave: it is unknown there
        for name in sorted(set(new.components) - set(old.components) - old.undefined):
            self.add(R.SCHEMA_ADDED, f"/components/schemas/{escape_pointer_token(name)}", name, f"schema {name} is now referenced by {label}", name)
        for name in sorted(set(old.components) - set(new.components) - new.undefined):
            self.add(R.SCHEMA_REMOVED, f"/components/schemas/{escape_pointer_token(name)}", name, f"schema {name} is no longer referenced by {label}", name)
        return sorted(self.changes, key=sort_key)

    def _parameters(self) -> None:
        old, new = self.old.parameters, self.new.parameters
        for key in new.keys() - old.keys():
            p = new[key]
            detail = _describe(p.schema)
            if p.required:
                self.add(R.REQUEST_REQUIRED_PARAMETER_ADDED, p.pointer, None, f"new required {p.location} parameter {p.name!r}{detail}", p.name)
            else:
                self.add(R.REQUEST_PARAMETER_ADDED, p.pointer, None, f"new optional {p.location} parameter {p.name!r}{detail}", p.name)
        for key in old.keys() - new.keys():
            p = old[key]
            self.add(R.REQUEST_PARAMETER_REMOVED, p.pointer, None, f"{p.location} parameter {p.name!r} was removed", p.name)
        for key in sorted(old.keys() & new.keys()):
            o, n = old[key], new[key]
            if n.required and not o.required:
                self.add(R.REQUEST_PARAMETER_BECAME_REQUIRED, n.pointer, None, f"parameter {n.name!r} became required", n.name)
            elif o.required and not n.required:
                self.add(R.REQUEST_PARAMETER_BECAME_OPTIONAL, n.pointer, None, f"parameter {n.name!r} became optional", n.name)
            if n.deprecated and not o.deprecated:
                self.add(R.REQUEST_PARAMETER_DEPRECATED, n.pointer, None, f"parameter {n.name!r} is deprecated", n.name)
            self.compare(REQUEST, o.schema, f"{o.pointer}/schema", None, n.schema, f"{n.pointer}/schema", None,
                         f"parameter {n.name!r}")

    def _responses(self) -> None:
        old, new = self.old.responses, self.new.responses
        op_old, op_new = self.old.op_pointer, self.new.op_pointer
        for status in sorted(new.keys() - old.keys()):
            self.add(R.RESPONSE_STATUS_ADDED, f"{op_new}/responses/{status}", None, f"response {status} is newly documented", status)
        for status in sorted(old.keys() - new.keys()):
            rule = R.RESPONSE_SUCCESS_STATUS_REMOVED if status.startswith("2") else R.RESPONSE_ERROR_STATUS_REMOVED
            self.add(rule, f"{op_old}/responses/{status}", None, f"response {status} is no longer documented", status)
        for status in sorted(old.keys() & new.keys()):
            for media in sorted(new[status].keys() - old[status].keys()):
                self.add(R.RESPONSE_MEDIA_TYPE_ADDED, f"{op_new}/responses/{status}/content/{escape_pointer_token(media)}", None,
                         f"response {status} may now be {media}", media)
            for media in sorted(old[status].keys() - new[status].keys()):
                self.add(R.RESPONSE_MEDIA_TYPE_REMOVED, f"{op_old}/responses/{status}/content/{escape_pointer_token(media)}", None,
                         f"response {status} is no longer {media}", media)
            for media in sorted(old[status].keys() & new[status].keys()):
                base = f"/responses/{escape_pointer_token(status)}/content/{escape_pointer_token(media)}/schema"
                self.compare(RESPONSE, old[status][media], op_old + base, None, new[status][media], op_new + base, None,
                             f"response {status} body")

    # -- schemas -----------------------------------------------------------------------------
    def compare(self, ctx: str, o: Any, op: str, oc: str | None, n: Any, np: str, nc: str | None, label: str,
                open_enum: bool = False, o_null: bool = False, n_null: bool = False) -> None:
        """Compare schema ``o`` (at ``op`` in OLD, inside component ``oc``) with ``n``; the
        ``*_null`` flags carry a nullability stated at the referencing site."""
        o, on = strip_null(unwrap(o))
        n, nn = strip_null(unwrap(n))
        if not (self.old.resolves(o) and self.new.resolves(n)):
            return  # unknown behind a reference that leads nowhere (a defect names the place)
        o_null, n_null = o_null or on, n_null or nn
        o_ref, n_ref = ref_name(o), ref_name(n)
        if o_ref and n_ref:  # nullability belongs to this site; the components are compared once
            if o_null != n_null:
                self._nullable(ctx, n_null, np, nc, label)
            o_null = n_null = False
        if o_ref or n_ref:
            key = (ctx, o_ref or op, n_ref or np, open_enum, o_null, n_null)
            if key in self._seen:
                return
            self._seen.add(key)
            if o_ref:
                o, op, oc = self.old.components.get(o_ref, {}), f"/components/schemas/{escape_pointer_token(o_ref)}", o_ref
            if n_ref:
                n, np, nc = self.new.components.get(n_ref, {}), f"/components/schemas/{escape_pointer_token(n_ref)}", n_ref
            label = n_ref or o_ref or label
            return self.compare(ctx, o, op, oc, n, np, nc, label, open_enum, o_null, n_null)
        fo = facets_of(o, op, self.old.raw, self.old.components)
        fn = facets_of(n, np, self.new.raw, self.new.components)
        fo.nullable |= o_null
        fn.nullable |= n_null
        if self._scalars(ctx, fo, op, oc, fn, np, nc, label, open_enum):
            return  # another kind of value altogether: its insides are not comparable
        self._properties(ctx, fo, op, oc, fn, np, nc, label)
        if fo.items and fn.items:
            self.compare(ctx, fo.items[0], fo.items[1], oc, fn.items[0], fn.items[1], nc, f"{label}[]")
        self._alternatives(ctx, fo, op, oc, fn, np, nc, label)

    def _nullable(self, ctx: str, nullable: bool, np: str, nc: str | None, label: str) -> None:
        rule = _rules(ctx).became_nullable if nullable else _rules(ctx).became_not_nullable
        self.add(rule, np, nc, f"{label} {'may now be' if nullable else 'can no longer be'} null")

    def _scalars(self, ctx, fo: Facets, op, oc, fn: Facets, np, nc, label, open_enum) -> bool:
        """Type, nullability, format, pattern, enum, bounds, default, deprecation; True when the
        JSON types are disjoint (nothing deeper is worth comparing)."""
        req = ctx == REQUEST
        rules = _rules(ctx)
        if fo.type_unknown or fn.type_unknown:
            pass  # a type that names no type (a defect names the place): not compared
        elif fo.types != fn.types:
            old_t, new_t = fo.types, fn.types
            if req:  # a request accepts more (widened) or rejects what it took (changed)
                widened = new_t is None or (old_t is not None and new_t >= old_t)
                rule = rules.type_widened if widened else rules.type_changed
            else:  # a response sends less (narrowed) or something clients do not expect (changed)
                narrowed = new_t is not None and (old_t is None or new_t <= old_t)
                rule = rules.type_narrowed if narrowed else rules.type_changed
            self.add(rule, np, nc, f"{label}: type {_types(old_t)} -> {_types(new_t)}", [_types(old_t), _types(new_t)])
        if fo.nullable != fn.nullable:
            self._nullable(ctx, fn.nullable, np, nc, label)
        if fn.deprecated and not fo.deprecated:
            self.add(rules.deprecated, np, nc, f"{label} is deprecated")
        if fo.types and fn.types and not _compatible(fo.types, fn.types) and not (fo.type_unknown or fn.type_unknown):
            return True
        if fo.format != fn.format:
            rule = rules.format_added if fo.format is None else rules.format_removed if fn.format is None else rules.format_changed
            self.add(rule, np if fn.format else op, nc if fn.format else oc, f"{label}: format {fo.format!r} -> {fn.format!r}", [fo.format, fn.format])
        if fo.pattern != fn.pattern:
            if req:
                rule = rules.pattern_removed if fn.pattern is None else rules.pattern_changed
            else:
                rule = rules.pattern_added if fo.pattern is None else rules.pattern_changed
            self.add(rule, np, nc, f"{label}: pattern {fo.pattern!r} -> {fn.pattern!r}", [fo.pattern, fn.pattern])
        self._enum(ctx, fo, op, oc, fn, np, nc, label, open_enum)
        self._bounds(ctx, fo, fn, np, nc, label)
        if req and fo.default is not MISSING and fn.default is not MISSING and fo.default != fn.default:
            self.add(rules.default_changed, np, nc, f"{label}: default {fo.default!r} -> {fn.default!r}", [fo.default, fn.default])
        elif req and (fo.default is MISSING) != (fn.default is MISSING):
            self.add(rules.default_changed, np, nc, f"{label}: default {_d(fo.default)} -> {_d(fn.default)}", [_d(fo.default), _d(fn.default)])
        return False

    def _enum(self, ctx, fo: Facets, op, oc, fn: Facets, np, nc, label, open_enum) -> None:
        if fo.enum is None and fn.enum is None:
            return
        rules = _rules(ctx)
        if fo.enum is None:
            self.add(rules.enum_added, np, nc, f"{label} is now restricted to {_fmt(fn.enum)}", list(fn.enum))
            return
        if fn.enum is None:
            self.add(rules.enum_removed, op, oc, f"{label} is no longer restricted to {_fmt(fo.enum)}", list(fo.enum))
            return
        old_values = {repr(v): v for v in fo.enum}
        new_values = {repr(v): v for v in fn.enum}
        added_rule = rules.open_enum_value_added if open_enum and rules.open_enum_value_added else rules.enum_value_added
        for r, v in new_values.items():
            if r not in old_values:
                self.add(added_rule, np, nc, f"{label}: enum value {v!r} added", v)
        for r, v in old_values.items():
            if r not in new_values:
                self.add(rules.enum_value_removed, op, oc, f"{label}: enum value {v!r} removed", v)

    def _bounds(self, ctx, fo: Facets, fn: Facets, np, nc, label) -> None:
        rules = _rules(ctx)
        narrowed, widened = [], []
        for kind in set(fo.lower) | set(fn.lower):
            a, b = fo.lower.get(kind), fn.lower.get(kind)
            if a == b:
                continue
            if a is None or (b is not None and (b[0] > a[0] or (b[0] == a[0] and b[1] and not a[1]))):
                narrowed.append(f"lower {_b(kind)} {_bd(a)} -> {_bd(b)}")
            else:
                widened.append(f"lower {_b(kind)} {_bd(a)} -> {_bd(b)}")
        for kind in set(fo.upper) | set(fn.upper):
            a, b = fo.upper.get(kind), fn.upper.get(kind)
            if a == b:
                continue
            if a is None or (b is not None and (b[0] < a[0] or (b[0] == a[0] and b[1] and not a[1]))):
                narrowed.append(f"upper {_b(kind)} {_bd(a)} -> {_bd(b)}")
            else:
                widened.append(f"upper {_b(kind)} {_bd(a)} -> {_bd(b)}")
        if narrowed:
            self.add(rules.range_narrowed, np, nc, f"{label}: {'; '.join(sorted(narrowed))}", sorted(narrowed))
        if widened:
            self.add(rules.range_widened, np, nc, f"{label}: {'; '.join(sorted(widened))}", sorted(widened))

    def _properties(self, ctx, fo: Facets, op, oc, fn: Facets, np, nc, label) -> None:
        """Properties added, removed, or of changed required-ness; a side whose ``allOf`` has a
        member that leads nowhere (``incomplete``) may hold any property there, so nothing is
        inferred from what it seems to lack."""
        rules = _rules(ctx)
        for name in sorted(fn.properties.keys() - fo.properties.keys()) if not fo.incomplete else ():
            extra = " (required)" if name in fn.required else ""
            self.add(rules.property_added, fn.properties[name][1], nc, f"{label}.{name} was added{extra}", name)
        for name in sorted(fo.properties.keys() - fn.properties.keys()) if not fn.incomplete else ():
            self.add(rules.property_removed, fo.properties[name][1], oc, f"{label}.{name} was removed", name)
        for name in sorted(fo.properties.keys() & fn.properties.keys()):
            (o_sub, o_ptr), (n_sub, n_ptr) = fo.properties[name], fn.properties[name]
            if name in fo.required and name not in fn.required and not fn.incomplete:
                self.add(rules.property_became_optional, n_ptr, nc, f"{label}.{name} is no longer required", name)
            elif name in fn.required and name not in fo.required and not fo.incomplete:
                self.add(rules.property_became_required, n_ptr, nc, f"{label}.{name} is now required", name)
            self.compare(ctx, o_sub, o_ptr, oc, n_sub, n_ptr, nc, f"{label}.{name}")

    def _alternatives(self, ctx, fo: Facets, op, oc, fn: Facets, np, nc, label) -> None:
        if not fo.alternatives and not fn.alternatives:
            return
        open_enum = fo.open_enum and fn.open_enum
        olds = _dedupe(fo.alternatives)
        news = _dedupe(fn.alternatives)
        pairs = []
        for key in [k for k in news if k in olds]:
            pairs.append((olds.pop(key), news.pop(key)))
        for n_key, n_alt in list(news.items()):  # changed inline alternatives: pair by kind
            match = next((k for k, o_alt in olds.items() if k[0] != "ref" and n_key[0] != "ref"
                          and kind_of(o_alt.node) == kind_of(n_alt.node)), None)
            if match is not None:
                pairs.append((olds.pop(match), news.pop(n_key)))
        rules = _rules(ctx)
        for alt in news.values():
            self.add(rules.alternative_added, alt.pointer, nc, f"{label}: new alternative {_alt(alt)}", _alt(alt))
        for alt in olds.values():
            self.add(rules.alternative_removed, alt.pointer, oc, f"{label}: alternative {_alt(alt)} removed", _alt(alt))
        for o_alt, n_alt in pairs:
            self.compare(ctx, o_alt.node, o_alt.pointer, oc, n_alt.node, n_alt.pointer, nc, label, open_enum)


def _rules(ctx: str) -> SchemaRules:
    """The rules of a schema comparison in ``ctx`` (the request's parameters, the response's properties)."""
    return R.REQUEST_RULES if ctx == REQUEST else R.RESPONSE_RULES


def _existing(document: dict, pointer: str) -> str:
    """``pointer``, or its nearest ancestor that exists in ``document``: structures a repair made
    in conversion (a union for a contradicting example, items of a NestJS array enum) are not in
    the document as published, and a pointer must lead somewhere a person can look."""
    while pointer and resolve(document, pointer) is None:
        pointer = pointer.rsplit("/", 1)[0]
    return pointer


def _compatible(old: frozenset, new: frozenset) -> bool:
    numbers = {"integer", "number"}
    return bool(old & new) or bool(old & numbers and new & numbers)


def _dedupe(alternatives) -> dict:
    out = {}
    for alt in alternatives:
        out.setdefault(alt.key, alt)
    return out


def _alt(alt) -> str:
    kind, value = alt.key
    return value if kind in ("ref", "title") else kind_of(alt.node)


def _types(types) -> str:
    return "any" if types is None else "|".join(sorted(types))


def _d(value) -> str:
    return "none" if value is MISSING else repr(value)


def _b(kind: str) -> str:
    return "bound" if kind == "value" else kind


def _bd(bound) -> str:
    if bound is None:
        return "none"
    value, exclusive = bound
    return f"{value}{' (exclusive)' if exclusive else ''}"


def _describe(schema: Any) -> str:
    if not isinstance(schema, dict):
        return ""
    if isinstance(schema.get("enum"), list):
        return f" (one of {', '.join(map(str, schema['enum']))})"
    t = schema.get("type")
    return f" ({t})" if isinstance(t, str) else ""


def diff_sides(old: Side, new: Side) -> list[Change]:
    return Differ(old, new).run()
