"""The one JSON reader of the suite, for response bodies and published documents alike: bounded
before it parses, strict where JSON is strict.

Rules, each checked before a byte is turned into a Python object (:func:`read`):

* **Size** — at most ``Limits.max_bytes`` of text (the HTTP layer stops reading a body past the
  same cap, on the wire and once decoded: ``http/body.py``; a document file is not read past it).
* **Encoding** — UTF-8 (RFC 8259 §8.1: "JSON text exchanged between systems that are not part of
  a closed ecosystem MUST be encoded using UTF-8").  A byte order mark is refused (§8.1: "MUST NOT
  add a byte order mark").
* **Depth** — arrays and objects nested at most ``Limits.max_depth`` deep (RFC 8259 §9: "An
  implementation may set limits on the maximum depth of nesting"), measured by a scan of the
  bytes before parsing, so no parser and no later walk of the value ever recurses past it.
* **Size of the value** — at most ``Limits.max_containers`` arrays and objects and
  ``Limits.max_values`` values in all (§9: "limits on the size of texts that it accepts"), counted
  by the same scan: what the text becomes in memory is bounded, not just the text.
* **Numbers** — NaN, Infinity and -Infinity are refused (§6: "Numeric values that cannot be
  represented in the grammar below (such as Infinity and NaN) are not permitted"), and so is a
  number beyond what a double or Python's integer conversion holds (``1e999``, 5,000 digits: §6,
  "an implementation may set limits on the range and precision of numbers").
* **Names** — an object that repeats a name is refused (§4: "The names within an object SHOULD be
  unique"; when they are not, "the behavior of software that receives such an object is
  unpredictable": one client reads the first copy, another the last).

The scan (:func:`measure`) is exact for any text the parser would accept, and never under-counts
for one it would refuse: strings are removed by their quotes once the two escapes that involve a
quote (``\\\\`` and ``\\"``) are, then the brackets are counted.  It costs about a third of what
parsing the text costs, on a 2 MB page.

Whatever breaks a rule is a :class:`Rejected` with its ``kind`` and a one-line ``message``; the
caller decides what it means (a finding against the API, a document that cannot be read).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from itertools import accumulate
from array import array
from typing import Any

# kinds of rejection: bounds of the reader ...
TOO_LARGE = "too-large"
TOO_DEEP = "too-deep"
TOO_MANY = "too-many-values"
# ... and JSON that is not well-formed
NOT_JSON = "not-json"
NOT_UTF8 = "not-utf8"
NON_FINITE = "non-finite-number"
NUMBER_RANGE = "number-out-of-range"
DUPLICATE_NAME = "duplicate-name"
BOUNDS = frozenset({TOO_LARGE, TOO_DEEP, TOO_MANY})

MiB = 2**20


@dataclass(frozen=True)
class Limits:
    """What one text may hold (see the module doc).  ``max_bytes`` is also what the HTTP layer
    reads of a body at most."""

    max_bytes: int
    max_depth: int = 64
    max_containers: int = 500_000
    max_values: int = 2_000_000

    def with_bytes(self, max_bytes: int) -> "Limits":
        return replace(self, max_bytes=int(max_bytes))


# A 1000-item page of full campaigns is about 2 MB, nested 12-15 deep, with ~50,000 arrays and
# objects; Vapi's whole published document is 3.2 MB, nested 14 deep, with 20,000 arrays and
# objects and 61,000 values.  Parsed, the worst text within these bounds takes ~250 MB.
RESPONSE = Limits(max_bytes=16 * MiB)
DOCUMENT = Limits(max_bytes=32 * MiB, max_containers=1_000_000, max_values=4_000_000)


class Rejected(ValueError):
    """A text the reader refuses: ``kind`` (one of this module's kinds) and a one-line message."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message

    @property
    def bounded(self) -> bool:
        """Refused by a bound of the reader (too large, too deep, too many values), not because the
        text breaks JSON's rules."""
        return self.kind in BOUNDS


@dataclass(frozen=True)
class Shape:
    """What the scan measured: the deepest nesting, the arrays and objects, the values, and the
    members of all objects (their name separators)."""

    depth: int
    containers: int
    values: int
    members: int = 0


_KEEP = bytes(sorted(set(range(256)) - set(b'[]{}",:')))  # deleted: everything but these
_SIGN = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # opening +1, closing -1 (as signed bytes)
_ONE_KIND = bytes.maketrans(b"{}", b"[]")


def measure(raw: bytes, max_depth: int | None = None) -> Shape:
    """The nesting depth, the number of arrays and objects and of values of ``raw`` outside its
    strings, without parsing it (see the module doc).  With ``max_depth``, ``depth`` is exact up
    to it and only said to exceed it beyond (cheaper on a deep text)."""
    if b"\\\\" in raw:
        raw = raw.replace(b"\\\\", b"")
    if b'\\"' in raw:
        raw = raw.replace(b'\\"', b"")
    # only brackets, commas and quotes; an empty string ("" once its content is gone) changes no
    # bracket's side of the quotes, so it is removed before the (rare) split on what is left
    reduced = raw.translate(None, delete=_KEEP).replace(b'""', b"")
    if b'"' in reduced:
        reduced = b"".join(reduced.split(b'"')[::2])
    commas, colons = reduced.count(b","), reduced.count(b":")
    brackets = reduced.translate(None, delete=b",:")
    containers = brackets.count(b"[") + brackets.count(b"{")
    values = commas + containers + (1 if raw.strip() else 0)
    return Shape(_depth(brackets, max_depth), containers, values, colons)


def _depth(brackets: bytes, max_depth: int | None) -> int:
    """The maximum nesting of a sequence of brackets.

    With ``max_depth``: one bracket kind after mapping, each pass removes the innermost ``[]``
    pairs, i.e. one level of a balanced sequence, so ``k`` passes that leave a run of ``m``
    openers prove a depth of at least ``k + m`` (more than ``max_depth``: stop there); a pass that
    removes nothing leaves ``]...][...[``, a sequence no JSON text has (the parser stops at it,
    having gone as deep as the passes and the openers left).  A page nested 15 deep costs 15
    passes over its brackets; a hostile text at most ``max_depth``.  Without: the running sum."""
    if not brackets:
        return 0
    if max_depth is None:
        return max(0, max(accumulate(array("b", brackets.translate(_SIGN)))))
    same = brackets.translate(_ONE_KIND)
    level = 0
    while same:
        if b"[" * (max_depth + 1 - level) in same:
            return max_depth + 1
        shorter = same.replace(b"[]", b"")
        if len(shorter) == len(same):
            return level + same.count(b"[")
        same, level = shorter, level + 1
    return level


def check(raw: bytes, limits: Limits) -> Shape:
    """Raise :class:`Rejected` when ``raw`` breaks a bound of ``limits``; else its shape."""
    if len(raw) > limits.max_bytes:
        raise Rejected(TOO_LARGE, f"{len(raw):,} bytes, over the {_size(limits.max_bytes)} the reader takes")
    shape = measure(raw, limits.max_depth)
    if shape.depth > limits.max_depth:
        raise Rejected(TOO_DEEP, f"arrays and objects nested more than {limits.max_depth} deep")
    if shape.containers > limits.max_containers:
        raise Rejected(TOO_MANY, f"{shape.containers:,} arrays and objects, over the {limits.max_containers:,} "
                                 "the reader takes")
    if shape.values > limits.max_values:
        raise Rejected(TOO_MANY, f"about {shape.values:,} values, over the {limits.max_values:,} the reader takes")
    return shape


def read(raw: bytes, limits: Limits = RESPONSE) -> Any:
    """The JSON value of ``raw`` under the module's rules; :class:`Rejected` otherwise.

    Repeated names are found without a hook that rebuilds every object: the scan counts the
    members of all objects (one name separator each), the objects built hold one key per distinct
    name, so fewer keys than members means a name repeated; only then is the text read again to
    say which (about +15 % on a parse instead of +50 %)."""
    shape = check(raw, limits)
    text = decode(raw)
    built: list = []
    value = _parse(text, object_hook=lambda obj, keep=built.append: keep(obj) or obj)
    if sum(map(len, built)) != shape.members:
        _parse(text, object_pairs_hook=_unique)  # raises, naming the name
        raise Rejected(DUPLICATE_NAME, "a name twice in one object (RFC 8259 §4: names SHOULD be unique)")
    return value


def _parse(text: str, **hooks) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite, **hooks)
    except Rejected:
        raise
    except json.JSONDecodeError as exc:
        raise Rejected(NOT_JSON, f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except (ValueError, OverflowError) as exc:  # an integer of more digits than Python converts
        raise Rejected(NUMBER_RANGE, f"a number out of range ({str(exc).split(';')[0]})") from None
    except RecursionError:  # not reachable within max_depth; kept so that no limit can turn into a crash
        raise Rejected(TOO_DEEP, "arrays and objects nested too deep to read") from None


def read_lenient(raw: bytes, limits: Limits = RESPONSE) -> Any:
    """The value of ``raw`` as Python's parser reads it (the last copy of a repeated name wins,
    NaN and Infinity are numbers, bytes that are not UTF-8 replaced), within the same bounds: for
    telling what a refused text looks like (an object with ``results``?), never for judging it.
    ``Rejected`` when even that fails."""
    check(raw, limits)
    try:
        return json.loads(raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace"))
    except (ValueError, RecursionError) as exc:
        raise Rejected(NOT_JSON, f"not JSON ({type(exc).__name__})") from None


def decode(raw: bytes) -> str:
    """``raw`` as UTF-8 text (RFC 8259 §8.1), or :class:`Rejected`."""
    if raw[:3] == b"\xef\xbb\xbf":
        raise Rejected(NOT_UTF8, "starts with a byte order mark (RFC 8259 §8.1: JSON text MUST NOT carry one)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Rejected(NOT_UTF8, f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start:,}") from None


def _unique(pairs: list) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set = set()
        name = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise Rejected(DUPLICATE_NAME, f"the name {json.dumps(name)[:80]} twice in one object (RFC 8259 §4: names "
                                       "SHOULD be unique; clients disagree on which copy counts)")
    return found


def _no_constant(name: str):
    raise Rejected(NON_FINITE, f"{name} is not a JSON number (RFC 8259 §6: Infinity and NaN are not permitted)")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Rejected(NUMBER_RANGE, f"the number {text[:40]} is beyond what a double holds")
    return value


def looks_like_json(raw: bytes) -> str | None:
    """``object`` or ``array`` when ``raw`` starts like one (after whitespace), else None: what a
    text refused before it was parsed looks like."""
    start = raw[:64].lstrip(b" \t\r\n")[:1]
    return {b"{": "object", b"[": "array"}.get(start)


def _size(n: int) -> str:
    return f"{n // MiB} MiB" if n % MiB == 0 else f"{n:,} bytes"


__all__ = ["BOUNDS", "DOCUMENT", "DUPLICATE_NAME", "Limits", "NON_FINITE", "NOT_JSON", "NOT_UTF8", "NUMBER_RANGE",
           "RESPONSE", "Rejected", "Shape", "TOO_DEEP", "TOO_LARGE", "TOO_MANY", "check", "decode",
           "looks_like_json", "measure", "read", "read_lenient"]
