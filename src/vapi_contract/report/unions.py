"""Readable titles for "matches none of the alternatives" findings.

The validator words an ``anyOf``/``oneOf`` failure as the whole offending object followed by "is
not valid under any of the schemas listed in the 'anyOf' keyword" (or "... of the given
schemas").  The report titles it instead with what a person needs, read from the checked
contract's schemas at the finding's JSON pointer::

    voice matches none of its 18 alternatives: its provider "inworld" selects InworldVoice, which it does not match
    message matches none of its 5 alternatives (SystemMessage, UserMessage, AssistantMessage, ToolMessage, DeveloperMessage)

An alternative is named by its schema (``$ref``), else its ``title``, else its type.  The
discriminator is the property whose constant value selects an alternative (the contract's
``if``/``then`` dispatch, or a ``const`` every alternative declares).  When the schemas cannot
say (an unknown check, a pointer through a union whose branches disagree) the title still says
"matches none of the alternatives", without a count.

The union at a finding's pointer is found when the summary is built (:func:`union_at`, from the
schemas of the contract the run checked: ``summary.json`` carries it as ``union``); the report
words it (:func:`title`) without reading any contract.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ..contract.schema_walk import deref, pointer_tokens, ref_target
from .values import as_json

NONE_MATCHED = re.compile(
    r"^(?P<value>.*) is not valid under any of the (?:given schemas|schemas listed in the '(?:anyOf|oneOf)' keyword)$",
    re.S)
# the schema each check validates a response against (the root of its findings' pointers), by the
# Endpoint attribute that names it
ROOT_SCHEMAS = {"shape.body-schema": "response_schema", "validation.error-body": "error_schema"}
NAMED = 5  # alternatives named in a title without a discriminator; the rest are "…"


@dataclass(frozen=True)
class Union:
    """The alternatives a schema offers at one place of a response."""

    names: tuple[str, ...]
    discriminator: str | None = None  # the property whose value selects an alternative
    selects: tuple[tuple[Any, str], ...] = ()  # (discriminator value, alternative name)

    def selected(self, value: Any) -> str | None:
        return next((name for const, name in self.selects if const == value and type(const) is type(value)), None)

    def to_dict(self) -> dict[str, Any]:
        return {"names": list(self.names), "discriminator": self.discriminator, "selects": [list(s) for s in self.selects]}

    @classmethod
    def from_dict(cls, data: Any) -> "Union | None":
        """The union a summary recorded (None when it recorded none, or something unreadable)."""
        if not isinstance(data, dict) or not isinstance(data.get("names"), list):
            return None
        selects = tuple((s[0], str(s[1])) for s in data.get("selects") or () if isinstance(s, list) and len(s) == 2)
        key = data.get("discriminator")
        return cls(tuple(str(n) for n in data["names"]), key if isinstance(key, str) else None, selects)


def of_finding(schemas: dict[str, Any], endpoint, check: str, pointer: str) -> Union | None:
    """The union the checked contract has at a finding's pointer (the schema its check validates
    against: ``ROOT_SCHEMAS``), or None."""
    root = getattr(endpoint, ROOT_SCHEMAS[check], None) if check in ROOT_SCHEMAS else None
    return union_at(schemas, root, pointer) if root else None


def title(message: str, pointer: str, actual: Any, union: Union | None) -> str | None:
    """The title of a finding that says a value matches none of the alternatives of a union;
    None for any other finding.

    Such a finding says so in full ("... is not valid under any of ..."), or its message is a dump
    of the offending object cut short before those words (the shape check keeps the first
    characters of a message) at a pointer where the contract has a union (``union``: the one the
    summary recorded): there the compiled validator reports nothing but that."""
    said = NONE_MATCHED.match(message) is not None
    if not said and not message.startswith(("{", "[")):
        return None
    if not said and union is None:
        return None
    return _wording(_subject(pointer), union, actual)


def _wording(subject: str, union: Union | None, actual: Any) -> str:
    if union is None:
        return f"{subject} matches none of the alternatives its schema allows"
    count = len(union.names)
    head = f"{subject} matches none of its {count} alternative{'' if count == 1 else 's'}"
    key = union.discriminator
    if key and isinstance(actual, dict):
        if key not in actual:
            return f"{head}: it has no {key}, the property that selects one"
        chosen = union.selected(actual[key])
        if chosen:
            return f"{head}: its {key} {as_json(actual[key])} selects {chosen}, which it does not match"
        return f"{head}: its {key} {as_json(actual[key])} selects none of them"
    named = ", ".join(union.names[:NAMED]) + (", …" if count > NAMED else "")
    return f"{head} ({named})"


def _subject(pointer: str) -> str:
    """What the title is about: the pointer's last name (``voice``), with its index for an array
    item (``voices/0``); ``the body`` for the whole document."""
    tokens = pointer_tokens(pointer or "")
    if not tokens:
        return "the body"
    if tokens[-1].isdigit() and len(tokens) > 1:
        return f"{tokens[-2]}/{tokens[-1]}"
    return tokens[-1]


def union_at(schemas: dict[str, dict[str, Any]], root: str, pointer: str) -> Union | None:
    """The union schema ``root`` holds at instance ``pointer``; None when that place is not a
    union or cannot be told without the instance (branches that disagree on the way)."""
    node: Any = schemas.get(root)
    for token in pointer_tokens(pointer):
        node = _child(schemas, node, token)
        if node is None:
            return None
    node = _resolve(schemas, node)
    branches = _branches(node) if node is not None else None
    if not branches:
        return None
    names = tuple(_name(schemas, b) for b in branches)
    key, values = _discriminator(schemas, node, branches)
    return Union(names, key, tuple(zip(values, names)) if key else ())


def _resolve(schemas: dict[str, Any], node: Any) -> dict[str, Any] | None:
    return deref(node, schemas)


def _branches(node: dict[str, Any]) -> list[Any] | None:
    """The alternatives of a union node: ``anyOf``/``oneOf`` entries, or the ``then`` of each rule
    of an ``if``/``then`` dispatch; None when ``node`` is no union."""
    for keyword in ("anyOf", "oneOf"):
        if isinstance(node.get(keyword), list) and node[keyword]:
            return node[keyword]
    rules = node.get("allOf")
    if isinstance(rules, list) and rules and all(isinstance(r, dict) and "if" in r and "then" in r for r in rules):
        return [r["then"] for r in rules]
    return None


def _child(schemas: dict[str, Any], node: Any, token: str) -> Any:
    """The subschema for instance member ``token`` of ``node``.  Through a union, the one every
    alternative that has the member agrees on (None when they disagree)."""
    node = _resolve(schemas, node)
    if node is None:
        return None
    properties = node.get("properties") if isinstance(node.get("properties"), dict) else {}
    if token in properties:
        return properties[token]
    if token.isdigit() and isinstance(node.get("items"), dict):
        return node["items"]
    if isinstance(node.get("additionalProperties"), dict):
        return node["additionalProperties"]
    candidates = [c for c in (_child(schemas, b, token) for b in _branches(node) or []) if c is not None]
    if candidates and all(_same(c, candidates[0]) for c in candidates):
        return candidates[0]
    return None


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _name(schemas: dict[str, Any], branch: Any) -> str:
    if not isinstance(branch, dict):
        return as_json(branch)
    if isinstance(branch.get("$ref"), str):
        return ref_target(branch["$ref"]) or branch["$ref"]
    if isinstance(branch.get("title"), str):
        return branch["title"]
    if "const" in branch:
        return as_json(branch["const"])
    kind = branch.get("type")
    if isinstance(kind, str):
        return kind
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind)
    return "a schema"


def _discriminator(schemas: dict[str, Any], node: dict[str, Any], branches: list[Any]) -> tuple[str | None, list[Any]]:
    """(property, the value selecting each branch) when one property's constant tells the
    branches apart: the dispatch's ``if`` constants, else a ``const`` every branch declares."""
    rules = node.get("allOf") if not node.get("anyOf") and not node.get("oneOf") else None
    conditions = [r["if"] for r in rules] if rules else [_resolve(schemas, b) for b in branches]
    keys = None
    per_branch: list[dict[str, Any]] = []
    for condition in conditions:
        props = condition.get("properties") if isinstance(condition, dict) and isinstance(condition.get("properties"), dict) else {}
        consts = {k: v["const"] for k, v in props.items() if isinstance(v, dict) and "const" in v}
        per_branch.append(consts)
        keys = set(consts) if keys is None else keys & set(consts)
    for key in sorted(keys or ()):
        values = [consts[key] for consts in per_branch]
        if len({json.dumps(v, sort_keys=True) for v in values}) == len(values):
            return key, values
    return None, []
