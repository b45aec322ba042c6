"""Shape: the body is the operation's documented paginated response, and it is JSON."""

from __future__ import annotations


from ..contract.schema_walk import resolve_pointer
from ..contract.validator import Validator
from .model import Observation, Violation

_MESSAGE_CHARS = 320  # a validator message that dumps a whole object is cut short here
BODY_SCHEMA = "shape.body-schema"
CONTENT_TYPE = "shape.content-type"


def body_schema(obs: Observation, validator: Validator, endpoint) -> list[Violation]:
    """Every 2xx body validates against the operation's paginated response schema
    (CampaignPaginatedResponse: full depth, date-time asserted)."""
    if not 200 <= obs.status < 300 or obs.status == 204:
        return []
    if obs.body is None:
        if obs.defect is not None:  # not read whole, or no JSON the reader takes: the reliability checks say why
            return []
        return [Violation(BODY_SCHEMA, "2xx response without a JSON body", "JSON body", None, "", (obs,), locus="no JSON body")]
    # the array family (GET /call: "200 OK", {"type": "array", "items": Call}): a bare array of items
    found = validator.array_violations(obs.body, endpoint.item_schema) if endpoint.bare else \
        validator.page_violations(obs.body, endpoint.response_schema, endpoint.item_schema)
    return [
        Violation(BODY_SCHEMA, v.message[:_MESSAGE_CHARS], "valid against the derived schema",
                  _value_at(obs.body, v.pointer), v.pointer, (obs,), locus=validator.location(v))
        for v in found
    ]


def content_type(obs: Observation) -> list[Violation]:
    """'200 Retrieved' is application/json."""
    if not 200 <= obs.status < 300:
        return []
    media = obs.content_type.split(";", 1)[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return []
    return [Violation(CONTENT_TYPE, f"Content-Type is {obs.content_type or 'missing'}",
                      "application/json", obs.content_type, None, (obs,), locus=media or "missing")]


def _value_at(document, pointer: str):
    """The offending value itself (a JSON value, never a Python repr of it): the reports show it
    as JSON and cut a long one short for display."""
    return resolve_pointer(document, pointer)
