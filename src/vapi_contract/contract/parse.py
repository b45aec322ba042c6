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

Both readers are bounded (the rules of ``boundedjson``, with its ``DOCUMENT`` limits: 32 MiB,
nested at most 64 deep, at most 1,000,000 mappings and sequences and 4,000,000 values) and strict
alike: JSON goes through the suite's one JSON reader (no NaN, no name twice in an object); YAML is
held to the same depth and size as it is built, a key written twice in one mapping is refused
(YAML 1.2 §3.2.1.1: keys are unique), and so is an alias to a node that contains it, or aliases
that together repeat more than :data:`MAX_ALIAS_NODES` nodes (a "billion laughs" document of a
few kilobytes expands to 10^9 nodes; OpenAPI documents seldom use an alias at all).
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

from .. import boundedjson
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


MAX_ALIAS_NODES = 100_000  # nodes YAML aliases may repeat in all


class _Refused(ValueError):
    """A YAML document beyond the reader's bounds (not a syntax error: refused as it is)."""


def _load_yaml(raw: bytes, limits: boundedjson.Limits = boundedjson.DOCUMENT) -> Any:
    """The data of a YAML stream of one document; None for an empty stream.  Bounded as it is
    built (see the module doc): ``_Refused`` past a bound."""
    # a frame: [container, key awaiting its value (mappings) or None, anchor, nodes in it, height]
    stack: list[list] = []
    anchors: dict[str, Any] = {}
    measured: dict[str, tuple[int, int]] = {}  # anchor -> (nodes, height), once its node is complete
    root: Any = None
    documents = nodes = containers = repeated = 0
    max_depth = limits.max_depth
    for event in yaml.parse(raw, Loader=_LOADER):
        kind = type(event)
        size, height = 1, 0
        if kind is ScalarEvent:
            if stack and type(stack[-1][0]) is dict and stack[-1][1] is None:
                if event.value in stack[-1][0]:
                    raise _Refused(f"the key {event.value[:80]!r} twice in one mapping at line {event.start_mark.line + 1} "
                                   "(YAML 1.2: keys are unique)")
                stack[-1][1] = event.value  # a key: the text written
                continue
            value = _plain(event.value) if event.tag is None and event.implicit[0] else \
                event.value if event.tag is None else _tagged(event)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            value = {} if kind is MappingStartEvent else []
            containers += 1
            if len(stack) >= max_depth:
                raise _Refused(f"mappings and sequences nested more than {max_depth} deep (line {event.start_mark.line + 1})")
            if containers > limits.max_containers:
                raise _Refused(f"more than {limits.max_containers:,} mappings and sequences")
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = stack.pop()
            if frame[2]:
                measured[frame[2]] = (frame[3], frame[4])
            if stack:
                stack[-1][3] += frame[3]
                stack[-1][4] = max(stack[-1][4], frame[4] + 1)
            continue
        elif kind is AliasEvent:
            if event.anchor not in anchors:
                raise ValueError(f"alias *{event.anchor} names no anchor")
            if event.anchor not in measured:
                raise _Refused(f"alias *{event.anchor} at line {event.start_mark.line + 1} is inside the node it names "
                               "(a recursive document)")
            value = anchors[event.anchor]
            size, height = measured[event.anchor]
            repeated += size
            if repeated > MAX_ALIAS_NODES:
                raise _Refused(f"its aliases repeat more than {MAX_ALIAS_NODES:,} nodes (a \"billion laughs\" document?)")
            if len(stack) + height > max_depth:
                raise _Refused(f"alias *{event.anchor} nests its node more than {max_depth} deep")
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise ValueError("more than one document in the stream")
            continue
        else:
            continue
        nodes += size
        if nodes > limits.max_values:
            raise _Refused(f"more than {limits.max_values:,} values (aliases expanded)")
        anchor = getattr(event, "anchor", None) if kind is not AliasEvent else None
        if anchor:
            anchors[anchor] = value
            if kind is ScalarEvent:
                measured[anchor] = (1, 0)
            else:
                measured.pop(anchor, None)  # an anchor named again: its new node is not complete yet
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
            stack.append([value, None, anchor, 1, 1])
        elif stack:
            stack[-1][3] += size
            if height:
                stack[-1][4] = max(stack[-1][4], height + 1)
    return root


def _yaml_problem(exc: Exception) -> str:
    """A YAML error in one line: what and where (libyaml's messages span several lines)."""
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} at line {mark.line + 1} column {mark.column + 1}" if mark is not None else problem


def parse_document(raw: bytes, name: str) -> Any:
    """The data of ``raw`` (named ``name`` in errors): JSON if it is JSON, else YAML; a
    ``SourceError`` in one line when it is neither (or YAML with no mapping at its top), or when it
    breaks a bound or a rule of the readers (see the module doc)."""
    limits = boundedjson.DOCUMENT
    if len(raw) > limits.max_bytes:
        raise SourceError(f"{name} cannot be read: more than {limits.max_bytes // 2**20} MiB, the most a published "
                          "document may have")
    if boundedjson.looks_like_json(raw.lstrip()):
        try:
            return boundedjson.read(raw, limits)
        except boundedjson.Rejected as exc:
            if exc.kind != boundedjson.NOT_JSON:  # JSON, but not one the reader takes: no YAML reading changes that
                raise SourceError(f"{name} cannot be read as JSON: {exc.message}") from None
            as_json = exc.message.removeprefix("not JSON: ")
    else:
        try:
            json.loads(raw[:64])  # fails at once: what JSON says of it
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            as_json = f"{exc.msg} at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        else:
            as_json = "not a JSON object or array"
    try:
        data = _load_yaml(raw)
    except _Refused as exc:
        raise SourceError(f"{name} cannot be read as YAML: {exc}") from None
    except (yaml.YAMLError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        as_yaml = _yaml_problem(exc)
    else:
        if isinstance(data, dict):
            return data
        kinds = {str: "a string", list: "a sequence", bool: "a boolean", int: "a number", float: "a number"}
        as_yaml = f"{'an empty document' if data is None else kinds.get(type(data), 'a scalar')}, not a mapping"
    raise SourceError(f"{name} is neither JSON nor YAML (as JSON: {as_json}; as YAML: {as_yaml})")
