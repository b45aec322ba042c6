"""The one place where response bodies are checked against the pinned schemas.

Two engines, one verdict:

* the compiled validator (jsonschema-rs) decides, fast enough to check a 1000-item page of
  full-depth campaigns in less time than parsing its JSON text takes;
* on failure only, the pure-Python jsonschema library explains the failing items, descending
  into ``anyOf`` alternatives to the error that matters, so that a violation names the offending
  value by JSON pointer (e.g. ``/results/3/customers/0/assistantOverrides/voice/speed``).

Both read the same files with the same dialect (:mod:`.dialect`): ``date-time`` asserted,
ECMA-262 Unicode patterns.  Tests check that they agree on the same instances.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Iterable

import jsonschema_rs
from jsonschema.exceptions import ValidationError, best_match

from . import conventions as C
from .locate import SCHEMA_BASE, SCHEMAS_SUBDIR
from .dialect import ASSERTED_FORMATS, FORMAT_CHECKER, ExplainingValidator
from .schema_walk import escape_pointer_token, pointer_tokens

EXPLAINED_ITEMS = 5  # failing items explained in detail; the rest are reported by the fast engine


@dataclass(frozen=True)
class Violation:
    """One way an instance breaks a schema."""

    pointer: str  # JSON pointer into the validated instance
    message: str
    keyword: str  # the schema keyword that failed: type, required, enum, format, ...

    def to_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "message": self.message, "keyword": self.keyword}

    @property
    def subject(self) -> str:
        """The property names the keyword is about, when its message names them: the missing one of
        ``required``, the unexpected ones of ``additionalProperties`` ('' otherwise)."""
        found = _REQUIRED.match(self.message)
        if found:
            return found["name"]
        found = _ADDITIONAL.search(self.message)
        return ",".join(sorted(_QUOTED.findall(found["names"]))) if found else ""


_REQUIRED = re.compile(r"^'(?P<name>(?:[^'\\]|\\.)*)' is a required property$")
_ADDITIONAL = re.compile(r"\((?P<names>.*) (?:was|were) unexpected\)")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _localise(node: Any) -> Any:
    """A schema file's content for the bundle: ``Foo.json`` refs -> ``#/$defs/Foo``, no ``$id``."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ("$id", "$schema"):
                continue
            if key == "$ref" and isinstance(value, str) and value.endswith(".json"):
                out[key] = "#/$defs/" + value.removeprefix(SCHEMA_BASE)[: -len(".json")]
            else:
                out[key] = _localise(value)
        return out
    if isinstance(node, list):
        return [_localise(v) for v in node]
    return node


def _dispatch_as_anyof(node: Any) -> Any:
    """The compiled engine's copy of the schemas: each discriminated-union dispatch
    (``allOf: [{if: {properties: {P: {const: v}}}, then: A}, ...]``) as ``anyOf: [A, ...]``.

    Same verdict: every alternative requires its own discriminator values and those are disjoint,
    so an object can only be valid under the alternative its discriminator names (an alternative
    that may omit it is reachable either way).  jsonschema-rs evaluates the ``anyOf`` form about
    2.4x faster; the explaining engine keeps the dispatch, which points into the alternative."""
    if isinstance(node, dict):
        rules = node.get("allOf")
        if isinstance(rules, list) and rules and all(isinstance(r, dict) and "if" in r for r in rules):
            rest = {k: _dispatch_as_anyof(v) for k, v in node.items() if k not in ("allOf", "required", "properties", "type")}
            return {**rest, "anyOf": [_dispatch_as_anyof(r["then"]) for r in rules]}
        return {k: _dispatch_as_anyof(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_dispatch_as_anyof(v) for v in node]
    return node


def _formats_in(schemas: dict[str, Any]) -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                found.add(node["format"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schemas)
    return found


class Validator:
    """Validate instances against the schemas of one contract (``schemas/campaign-list`` under its root)."""

    def __init__(self, schemas: dict[str, dict[str, Any]], root: Path | None = None):
        self.schemas = schemas
        self.root = root  # the contract root the schemas come from (None: not from a directory)
        self._defs = {name: _localise(schema) for name, schema in schemas.items()}
        self._fast_defs = {name: _dispatch_as_anyof(schema) for name, schema in self._defs.items()}
        self._rs_formats = {f: (lambda _v: True) for f in _formats_in(schemas) - ASSERTED_FORMATS}
        self._fast: dict[str, Any] = {}
        self._slow: dict[str, Any] = {}

    @classmethod
    def from_directory(cls, directory: Path, root: Path | None = None) -> "Validator":
        schemas = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))}
        if not schemas:
            raise FileNotFoundError(f"no schemas in {directory}")
        return cls(schemas, root)

    @classmethod
    def load(cls, root: Path | str) -> "Validator":
        """The validator of the contract under ``root`` (built once per process and root)."""
        return _at(Path(root).resolve())

    # -- engines -----------------------------------------------------------------------------
    def _bundle(self, name: str, defs: dict[str, Any] | None = None) -> dict[str, Any]:
        """One document: every schema under ``$defs``, the root a local ``$ref``.  (jsonschema-rs
        compiles local refs once; through a registry of 300 files it re-compiles each shared
        subschema at every use, which takes seconds and gigabytes for the assistant configs.)"""
        if name not in self.schemas:
            raise KeyError(f"no schema named {name!r}")
        return {"$schema": _DIALECT, "$defs": self._defs if defs is None else defs, "$ref": f"#/$defs/{name}"}

    def fast(self, name: str):
        if name not in self._fast:
            self._fast[name] = jsonschema_rs.Draft202012Validator(
                self._bundle(name, self._fast_defs), validate_formats=True,
                formats=self._rs_formats, ignore_unknown_formats=True,
            )
        return self._fast[name]

    def explaining(self, name: str):
        if name not in self._slow:
            self._slow[name] = ExplainingValidator(self._bundle(name), format_checker=FORMAT_CHECKER)
        return self._slow[name]

    # -- API ---------------------------------------------------------------------------------
    @cached_property
    def declared_names(self) -> frozenset[str]:
        """Every property name a schema of the contract declares (``properties`` keys)."""
        names: set[str] = set()

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                props = node.get("properties")
                if isinstance(props, dict):
                    names.update(props)
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(self.schemas)
        return frozenset(names)

    def location(self, violation: Violation) -> str:
        """Where in the schema ``violation`` is, whatever the data: its instance pointer with
        array indices and map keys (names no schema declares: call ids, ...) generalised to ``*``,
        down to the field at fault (the missing property of ``required``), then the keyword
        (``/results/*/orgId required``).  The same fault on another item, page or night has the
        same location."""
        tokens = ["*" if t.isdigit() or t not in self.declared_names else t for t in pointer_tokens(violation.pointer)]
        subject = violation.subject
        if violation.keyword == "required" and subject:
            tokens.append(subject)
            subject = ""
        where = "".join("/" + escape_pointer_token(t) for t in tokens) or "/"
        return f"{where} {violation.keyword}" + (f"({subject})" if subject else "")

    def is_valid(self, instance: Any, name: str) -> bool:
        return self.fast(name).is_valid(instance)

    def violations(self, instance: Any, name: str) -> list[Violation]:
        """Every violation of ``instance`` against schema ``name``; empty when valid."""
        if self.fast(name).is_valid(instance):
            return []
        return self._explain(instance, name, prefix=())

    def page_violations(self, body: Any, page: str, item: str) -> list[Violation]:
        """Every violation of a listing body against ``page`` (its response schema), the failing
        results explained item by item against ``item`` (their schema)."""
        if self.fast(page).is_valid(body):
            return []
        if not (isinstance(body, dict) and isinstance(body.get(C.RESULTS), list)):
            return self._explain(body, page, prefix=())
        out: list[Violation] = []
        shell = {k: v for k, v in body.items() if k != C.RESULTS}
        shell[C.RESULTS] = []
        out.extend(self._explain(shell, page, prefix=()) if not self.fast(page).is_valid(shell) else [])
        return out + self._items(body[C.RESULTS], item, (C.RESULTS,))

    def array_violations(self, body: Any, item: str) -> list[Violation]:
        """Every violation of an array-family body (``{"type": "array", "items": item}``): not an
        array at all, or its failing elements explained against ``item``, at ``/<index>/...``."""
        if not isinstance(body, list):
            kind = "object" if isinstance(body, dict) else type(body).__name__
            return [Violation("", f"{kind} is not of type 'array'", "type")]
        return self._items(body, item, ())

    def _items(self, elements: list, item: str, at: tuple) -> list[Violation]:
        """The violations of the failing ``elements`` against ``item``, under the pointer ``at``:
        the first EXPLAINED_ITEMS explained, the rest in the fast engine's words."""
        out: list[Violation] = []
        fast_item = self.fast(item)
        explained = 0
        for index, element in enumerate(elements):
            if fast_item.is_valid(element):
                continue
            prefix = (*at, index)
            quick = None if explained < EXPLAINED_ITEMS else list(fast_item.iter_errors(element))
            if quick is None or any(_ABRIDGED.search(e.message) for e in quick):
                # the explaining engine's words; the fast engine abridges long enums ("3 other
                # candidates"), which would make one problem read two ways on two items
                out.extend(self._explain(element, item, prefix))
                explained += 1
            else:
                out.extend(
                    Violation(_pointer((*prefix, *e.instance_path)), _python_quotes(e.message), _kind_name(e.kind))
                    for e in quick
                )
        return out

    def _explain(self, instance: Any, name: str, prefix: tuple) -> list[Violation]:
        result = []
        for error in self.explaining(name).iter_errors(instance):
            leaf = _leaf(error)
            result.append(Violation(_pointer((*prefix, *leaf.absolute_path)), leaf.message, str(leaf.validator)))
        if not result:  # the engines disagree: report the fast engine's words rather than nothing
            result = [
                Violation(_pointer((*prefix, *e.instance_path)), _python_quotes(e.message), _kind_name(e.kind))
                for e in self.fast(name).iter_errors(instance)
            ]
        return result


def _leaf(error: ValidationError) -> ValidationError:
    """Descend from "matches none of the alternatives" to the alternative's own error."""
    while error.context:
        better = best_match(error.context)
        if better is None:
            break
        error = better
    return error


_ABRIDGED = re.compile(r"\d+ other candidates")
_ENUM_WORDS = re.compile(r"^(?P<value>.*) is not one of (?P<values>(?!\[).+)$", re.S)
_JSON_STRING = re.compile(r'"((?:[^"\\\']|\\.)*)"')


def _python_quotes(message: str) -> str:
    """The fast engine quotes strings as JSON ("x"), the explaining one as Python ('x'): one
    spelling, so that the same problem on two items reads (and is counted) as one."""
    message = _JSON_STRING.sub(lambda m: "'" + m.group(1) + "'", message)
    enum = _ENUM_WORDS.match(message)
    if enum:  # 'x' is not one of 'a', 'b' or 'c'  ->  'x' is not one of ['a', 'b', 'c']
        head, *rest = enum["values"].rsplit(" or ", 1)
        values = [*head.split(", "), *rest]
        message = f"{enum['value']} is not one of [{', '.join(values)}]"
    return message


def _kind_name(kind: Any) -> str:
    return type(kind).__name__.lower()


@lru_cache(maxsize=4)
def _at(root: Path) -> Validator:
    return Validator.from_directory(root / SCHEMAS_SUBDIR, root)
