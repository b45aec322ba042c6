"""All invariants that one response can be judged on alone, in one call.

Used by every scenario of the run and by the schemathesis custom check; returns the violations
and the ids of the checks the response exercised (a check that never applied is reported as
"not exercised", never as passed).
"""

from __future__ import annotations

from ..query import INVALID, VALID, classify, filters_of, paging_of
from . import filtering, inputs, paging, reliability, shape
from .model import Observation, Violation


def check_response(obs: Observation, validator, max_seconds: float) -> tuple[list[Violation], set[str]]:
    exercised = {"reliability.no-5xx", "reliability.response-time"}
    found = reliability.no_server_error(obs) + reliability.in_time(obs, max_seconds)
    verdict = classify(obs.params)
    if verdict.kind == INVALID:
        exercised.add("validation.rejects-invalid")
    elif verdict.kind == VALID:
        exercised.add("validation.accepts-valid")
    found += inputs.verdict_respected(obs)
    if obs.status == 400:
        exercised.add("validation.error-body")
        found += inputs.error_body(obs, validator)
    if 200 <= obs.status < 300:
        exercised |= {"shape.body-schema", "shape.content-type"}
        found += shape.content_type(obs) + shape.body_schema(obs, validator)
        if paging_of(obs.query) is not None and verdict.kind == VALID:
            exercised |= {"pagination.limit-respected", "pagination.items-per-page", "pagination.current-page",
                          "pagination.page-size"}
            if len(obs.results) > 1:
                exercised.add("pagination.order")
            found += paging.page_metadata(obs)
        if filters_of(obs.query) and verdict.kind == VALID:
            if obs.results:
                exercised.add("filters.membership")
            found += filtering.membership(obs)
    return found, exercised
