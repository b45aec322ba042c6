"""Bad input and valid input: which queries the docs make valid, invalid, or leave open, and the
rules that follow — rejection of what they rule out, acceptance of what they allow.

The docs type page as a number >= 1, limit as a number 0-1000, status and sortOrder as enums and
the eight bounds as date-times.  Where they are silent (a fractional page or limit, limit=0, an
id that is not a UUID, the case of an order value, unknown or repeated parameters) the verdict is
*undecided* and nothing is asserted here but "no 5xx" (see reliability) and a valid shape when
the answer is 2xx.  Every type, range and enum is read from the checked contract's Endpoint.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from ..timeutil import is_rfc3339
from .model import Observation, Violation

VALID, INVALID, UNDECIDED = "valid", "invalid", "undecided"
REJECTS_INVALID = "validation.rejects-invalid"
ACCEPTS_VALID = "validation.accepts-valid"
ERROR_BODY = "validation.error-body"
_DIGITS = re.compile(r"^[0-9]{1,15}$")
_DATE_ISH = re.compile(r"^[+-]?\d{4,6}(-\d{2}){0,2}([T ].*)?$")


@dataclass(frozen=True)
class Verdict:
    """How the docs classify a query: valid (must be 200), invalid (must be 4xx), or undecided
    (the docs are silent: only "no 5xx, valid shape" may be asserted)."""

    kind: str
    reasons: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()  # per invalid parameter, what makes it so ("limit out of range"), whatever the value


def _number(name: str, text: str, low: float, high: float) -> tuple[str, str, str]:
    if _DIGITS.match(text):
        value = int(text)
        if low <= value <= high:
            return VALID, "", ""
        return INVALID, f"{name}={text} outside {low:g}..{high:g}", f"{name} out of range"
    try:
        value = float(text)
    except ValueError:
        if text.strip() == "":
            return UNDECIDED, f"{name} empty", ""
        return INVALID, f"{name}={text!r} is not a number", f"{name} not a number"
    if math.isnan(value) or math.isinf(value):
        return INVALID, f"{name}={text!r} is not a finite number", f"{name} not a number"
    if value < low or value > high:
        return INVALID, f"{name}={text} outside {low:g}..{high:g}", f"{name} out of range"
    return UNDECIDED, f"{name}={text!r}: the docs do not say how a non-integer {name} is treated", ""


def _one(endpoint, name: str, text: str) -> tuple[str, str, str]:
    """One parameter as sent, by the type, range and enum the contract declares for it."""
    p = endpoint.param(name)
    role = endpoint.role(name)
    if role == "cursor" or (p is None and endpoint.cursor is not None and name == endpoint.cursor.param):
        return UNDECIDED, f"a {name}: the document fixes only that a malformed one is rejected", ""
    if p is None:
        return UNDECIDED, f"undocumented parameter {name!r}", ""
    if role == "equality" and endpoint.equality(name).identity:
        if endpoint.equality(name).pattern.match(text):
            return VALID, "", ""
        return UNDECIDED, f"{name} that is not a UUID: the docs type it only as string", ""
    if p.numeric:
        low = p.minimum if p.minimum is not None else -math.inf
        high = p.maximum if p.maximum is not None else math.inf
        kind, why, cls = _number(name, text, low, high)
        if role == "page-size" and kind == VALID and int(text) == 0:
            return UNDECIDED, f"{name}=0: the docs allow it but do not say what it returns", ""
        return kind, why, cls
    if p.enum is not None:
        values = tuple(p.enum)
        if text in values:
            return VALID, "", ""
        if role in ("order", "sort"):
            if text == "" or text.upper() in {v.upper() for v in values}:
                return UNDECIDED, f"{name}={text!r}: case/emptiness not specified", ""
            return INVALID, f"{name}={text!r} not in {values}", f"{name} not in its enum"
        return (UNDECIDED, f"{name} empty", "") if text == "" else (INVALID, f"{name}={text!r} not in {values}", f"{name} not in its enum")
    if p.type == "boolean":
        if text in ("true", "false"):
            return VALID, "", ""
        if text.lower() in ("true", "false", "1", "0", ""):
            return UNDECIDED, f"{name}={text!r}: the docs type it boolean but do not say how this spelling is read", ""
        return INVALID, f"{name}={text!r} is not a boolean", f"{name} not a boolean"
    if p.format == "date-time":
        if is_rfc3339(text):
            return VALID, "", ""
        if _DATE_ISH.match(text):
            return UNDECIDED, f"{name}={text!r}: ISO 8601 but not RFC 3339 date-time", ""
        return INVALID, f"{name}={text!r} is not a date-time", f"{name} not a date-time"
    if p.type == "string" and not p.format:
        if p.max_length is not None and len(text) > p.max_length:
            return INVALID, f"{name} longer than {p.max_length} characters", f"{name} too long"
        if p.min_length is not None and len(text) < p.min_length:
            return INVALID, f"{name} shorter than {p.min_length} characters", f"{name} too short"
        return VALID, "", ""
    return UNDECIDED, f"{name}={text!r}: the docs do not say how a {p.type or 'untyped'} {name} is read", ""


def classify(endpoint, params: Iterable[tuple[str, str]]) -> Verdict:
    """Classify a query (as sent: name/value pairs) by the types, ranges and enums ``endpoint``
    declares."""
    pairs = list(params)
    counts = Counter(name for name, _ in pairs)
    invalid, undecided, classes = [], [], []
    for name, n in counts.items():
        p = endpoint.param(name)
        if n > 1 and not (p is not None and p.repeated):  # an array parameter may be given several times
            undecided.append(f"{name} repeated")
    for name, value in pairs:
        kind, why, cls = _one(endpoint, name, str(value))
        (invalid if kind == INVALID else undecided if kind == UNDECIDED else []).append(why)
        if kind == INVALID:
            classes.append(cls)
    if invalid:
        return Verdict(INVALID, tuple(invalid), tuple(classes))
    if undecided:
        return Verdict(UNDECIDED, tuple(undecided))
    return Verdict(VALID)


def rejects_invalid(obs: Observation, verdict: Verdict) -> list[Violation]:
    """A value outside the documented type, range or enum gets a 4xx (a 5xx here is both: bad
    validation and a crash)."""
    if verdict.kind != INVALID or 400 <= obs.status < 500:
        return []
    return [Violation(REJECTS_INVALID, f"{'; '.join(verdict.reasons)} was answered {obs.status}", "4xx", obs.status, None, (obs,),
                      locus=f"{' & '.join(sorted(set(verdict.classes)))} answered {obs.status // 100}xx")]


def accepts_valid(obs: Observation, verdict: Verdict) -> list[Violation]:
    """Every documented, valid combination of parameters gets 200 (401 and 429 are the key's and
    the rate limit's answers, a 5xx is reliability's finding)."""
    if verdict.kind != VALID or obs.status >= 500 or obs.status in (200, 401, 429):
        return []
    return [Violation(ACCEPTS_VALID, f"a valid query was answered {obs.status}", 200, obs.status, None, (obs,),
                      locus=f"answered {obs.status}")]


def error_body(obs: Observation, validator, schema: str) -> list[Violation]:
    """A 400 carries a JSON body with at least message and statusCode (``schema``: the contract's
    addition BadRequestError)."""
    if obs.status != 400:
        return []
    if not isinstance(obs.body, dict):
        return [Violation(ERROR_BODY, "400 without a JSON object body", "JSON error body", obs.body, None, (obs,),
                          locus="no JSON object")]
    return [Violation(ERROR_BODY, v.message, schema, None, v.pointer, (obs,), locus=validator.location(v))
            for v in validator.violations(obs.body, schema)]
