"""What the pinned contract states beyond the published document, each with its reason.

The published document lists only the 200 response of GET /campaign, although the API (NestJS,
class-validator) answers invalid query values with 400 and a missing or wrong key with 401; and it
states parameter defaults only in prose ("Defaults to 1.").  These additions are recorded in the
provenance file so that nobody mistakes them for Vapi's words.
"""

from __future__ import annotations

import re
from typing import Any

BAD_REQUEST = {
    "type": "object",
    "title": "BadRequestError",
    "description": "NestJS validation error, e.g. "
    '{"message": ["limit must not be greater than 1000"], "error": "Bad Request", "statusCode": 400}.',
    "required": ["message", "statusCode"],
    "properties": {
        "message": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "error": {"type": "string", "examples": ["Bad Request"]},
        "statusCode": {"const": 400},
    },
}

UNAUTHORIZED = {
    "type": "object",
    "title": "UnauthorizedError",
    "description": "Missing or wrong key, e.g. "
    '{"message": "Invalid Key. Hot tip, ...", "error": "Unauthorized", "statusCode": 401}.',
    "required": ["message", "statusCode"],
    "properties": {
        "message": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "error": {"type": "string", "examples": ["Unauthorized"]},
        "statusCode": {"const": 401},
    },
}

ERROR_RESPONSES = {
    "400": ("BadRequestError", BAD_REQUEST, "Invalid query value (outside the documented type, range or enum)."),
    "401": ("UnauthorizedError", UNAUTHORIZED, "Missing or invalid bearer key."),
}

_DEFAULT = re.compile(r"Defaults to '?([^'\s]+?)'?\.")


def documented_default(param: dict[str, Any]) -> Any | None:
    """The default a parameter's description states in prose ("Defaults to 'DESC'."), typed by its schema."""
    m = _DEFAULT.search(param.get("description") or "")
    if not m:
        return None
    text = m.group(1)
    kind = (param.get("schema") or {}).get("type")
    if kind in ("number", "integer"):
        number = float(text)
        return int(number) if number.is_integer() else number
    if kind == "boolean":
        return {"true": True, "false": False}.get(text.lower())
    return text
