"""Reliability: no 5xx, responses in time, and every answer read whole, within bounds, as one
well-formed JSON text.

The last three judge what the HTTP layer and the JSON reader found (``Observation.defect``): a
body that broke a bound of the reader, one that did not arrive whole, one that is no JSON text.
Each is a fact about the answer the moment it is seen (never re-observed), with the request that
got it.
"""

from __future__ import annotations

from .. import boundedjson as J
from ..http.body import CUT, STALLED, UNDECODABLE
from .model import Observation, Violation

NO_5XX = "reliability.no-5xx"
RESPONSE_TIME = "reliability.response-time"
RESPONSE_BOUNDED = "reliability.response-bounded"
RESPONSE_COMPLETE = "reliability.response-complete"
WELL_FORMED_JSON = "reliability.well-formed-json"

# what the reader and the HTTP layer say, by the check it is a finding of
_BOUNDED = J.BOUNDS  # too-large (wire or decoded), too-deep, too-many-values
_COMPLETE = frozenset({STALLED, CUT, UNDECODABLE})
_WELL_FORMED = frozenset({J.NOT_JSON, J.NOT_UTF8, J.NON_FINITE, J.NUMBER_RANGE, J.DUPLICATE_NAME})


def no_server_error(obs: Observation, query_kind: str) -> list[Violation]:
    """No 5xx; the locus is the status and how the docs classify the query (``query_kind``:
    valid | invalid | undecided): a crash on bad input is another fault than a crash on a good one."""
    if obs.status < 500:
        return []
    return [Violation(NO_5XX, f"answered {obs.status}", "< 500", obs.status, None, (obs,),
                      locus=f"{obs.status} to a {query_kind} query")]


def in_time(obs: Observation, max_seconds: float) -> list[Violation]:
    if obs.elapsed <= max_seconds:
        return []
    return [Violation(RESPONSE_TIME, f"took {obs.elapsed:.2f} s (limit {max_seconds:g} s)",
                      f"<= {max_seconds:g} s", round(obs.elapsed, 3), None, (obs,), locus="slower than the limit")]


def expects_json(obs: Observation) -> bool:
    """A 2xx answer (the listing is JSON), or one whose Content-Type says JSON."""
    media = obs.content_type.split(";", 1)[0].strip().lower()
    return 200 <= obs.status < 300 or media == "application/json" or media.endswith("+json")


def bounded(obs: Observation) -> list[Violation]:
    """The answer fits the reader's bounds: the body within the size cap on the wire and decoded,
    nested and sized within what the JSON reader takes."""
    return _defect(obs, _BOUNDED, RESPONSE_BOUNDED, "a body within the reader's bounds (--max-response-bytes, "
                   "nesting, values)", "the body is out of bounds")


def complete(obs: Observation) -> list[Violation]:
    """The answer arrived whole within its deadline, in an encoding the request accepted."""
    what = "the body cannot be decoded" if obs.defect and obs.defect[0] == UNDECODABLE else "the body did not arrive whole"
    return _defect(obs, _COMPLETE, RESPONSE_COMPLETE, "the whole body, before the response's deadline, decodable", what)


def well_formed(obs: Observation) -> list[Violation]:
    """A body expected to be JSON is one well-formed JSON text (RFC 8259)."""
    if not expects_json(obs):
        return []
    return _defect(obs, _WELL_FORMED, WELL_FORMED_JSON, "one JSON text (RFC 8259): UTF-8, finite numbers, unique names",
                   "the body is not well-formed JSON")


def _defect(obs: Observation, kinds: frozenset, check: str, expected: str, what: str) -> list[Violation]:
    if obs.defect is None or obs.defect[0] not in kinds:
        return []
    kind, detail = obs.defect
    return [Violation(check, f"{what} ({obs.status} answer): {detail}", expected, kind, None, (obs,), locus=kind)]
