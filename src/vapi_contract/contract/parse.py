"""A published document's bytes -> its data: JSON first, then YAML (Vapi's document circulates as
both), decided by content whatever the file name or the server's content type.

YAML is read as YAML 1.2, the version OpenAPI names, with its core schema: the data JSON would
carry for the same document.  So, unlike a YAML 1.1 loader (``yaml.safe_load``): only
``true``/``false`` are booleans (a property named ``on``, ``yes`` or ``off`` stays a name), dates
stay strings (``example: 2024-01-01`` is the text an API sends), every mapping key is the text
written (a status code written ``200:`` is ``"200"``), and ``<<`` is an ordinary key.  PyYAML
parses (with libyaml's C parser when it is installed); the data is built here from its events, in
one pass: plain data only, and about three times faster on a whole-API document than PyYAML's
constructors.  Anchors and aliases are followed; a tag other than the core schema's is refused.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from ..errors import SourceError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # only its parser is used
_CORE = "tag:yaml.org,2002:"
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_WORDS: dict[str, Any] = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"), "+.inf": float("inf"), "+.Inf": float("inf"),
    "+.INF": float("inf"), "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}


def _plain(text: str) -> Any:
    """A plain (unquoted, untagged) scalar under the YAML 1.2 core schema."""
    if text in _WORDS:
        return _WORDS[text]
    if text[0] in "0123456789+-.":
        if _INT.match(text):
            return int(text)
        if text[:2] in ("0o", "0x"):
            try:
                return int(text, 0)
            except ValueError:
                return text
        if _FLOAT.match(text):
            return float(text)
    return text


def _tagged(event: ScalarEvent) -> Any:
    tag = event.tag
    if tag in ("!", _CORE + "str"):
        return event.value
    kind = tag[len(_CORE):] if tag.startswith(_CORE) else None
    value = _plain(event.value)
    expected = {"int": (int,), "float": (float, int), "bool": (bool,), "null": (type(None),)}.get(kind or "")
    where = f"at line {event.start_mark.line + 1}"
    if expected is None:
        raise ValueError(f"unsupported tag {tag} {where}")
    if not isinstance(value, expected) or (kind != "bool" and isinstance(value, bool)):
        raise ValueError(f"{event.value!r} is not a valid {tag} {where}")
    return float(value) if kind == "float" else value


def _load_yaml(raw: bytes) -> Any:
    """The data of a YAML stream of one document; None for an empty stream."""
    stack: list[list] = []  # [container, key awaiting its value (mappings) or None]
    anchors: dict[str, Any] = {}
    root: Any = None
    documents = 0
    for event in yaml.parse(raw, Loader=_LOADER):
        kind = type(event)
        if kind is ScalarEvent:
            if stack and type(stack[-1][0]) is dict and stack[-1][1] is None:
                stack[-1][1] = event.value  # a key: the text written
                continue
            value = _plain(event.value) if event.tag is None and event.implicit[0] else \
                event.value if event.tag is None else _tagged(event)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            value = {} if kind is MappingStartEvent else []
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            continue
        elif kind is AliasEvent:
            if event.anchor not in anchors:
                raise ValueError(f"alias *{event.anchor} names no anchor")
            value = anchors[event.anchor]
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise ValueError("more than one document in the stream")
            continue
        else:
            continue
        if getattr(event, "anchor", None) and kind is not AliasEvent:
            anchors[event.anchor] = value
        if not stack:
            root = value
        elif type(stack[-1][0]) is dict:
            if stack[-1][1] is None:
                what = "an alias" if kind is AliasEvent else "a mapping" if kind is MappingStartEvent else "a sequence"
                raise ValueError(f"{what} used as a mapping key at line {event.start_mark.line + 1}")
            stack[-1][0][stack[-1][1]] = value
            stack[-1][1] = None
        else:
            stack[-1][0].append(value)
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            stack.append([value, None])
    return root


def _yaml_problem(exc: Exception) -> str:
    """A YAML error in one line: what and where (libyaml's messages span several lines)."""
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} at line {mark.line + 1} column {mark.column + 1}" if mark is not None else problem


def parse_document(raw: bytes, name: str) -> Any:
    """The data of ``raw`` (named ``name`` in errors): JSON if it is JSON, else YAML; a
    ``SourceError`` in one line when it is neither (or YAML with no mapping at its top)."""
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        as_json = f"{exc.msg} at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
    try:
        data = _load_yaml(raw)
    except (yaml.YAMLError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        as_yaml = _yaml_problem(exc)
    else:
        if isinstance(data, dict):
            return data
        kinds = {str: "a string", list: "a sequence", bool: "a boolean", int: "a number", float: "a number"}
        as_yaml = f"{'an empty document' if data is None else kinds.get(type(data), 'a scalar')}, not a mapping"
    raise SourceError(f"{name} is neither JSON nor YAML (as JSON: {as_json}; as YAML: {as_yaml})")
