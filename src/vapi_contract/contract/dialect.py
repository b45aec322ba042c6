"""The JSON Schema dialect of the pinned schemas, for the pure-Python jsonschema library.

Two details differ from jsonschema's defaults, and both validators (fast and explaining) must
agree on them:

* ``pattern`` is ECMA-262 with Unicode property escapes (``\\p{L}``), which Python's ``re`` does
  not know; we compile patterns with the ``regex`` module, as the compiled validator does natively.
* ``format`` asserts exactly :data:`ASSERTED_FORMATS`.  ``date-time`` is checked (RFC 3339, the
  format of every createdAt/updatedAt); ``uri`` stays an annotation: Vapi stores user-supplied
  URLs that it accepted, and RFC 3986 parsers differ on edge cases, so asserting it would raise
  false alarms about data the API itself took.
"""

from __future__ import annotations

from functools import lru_cache

import regex
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from ..timeutil import is_rfc3339

ASSERTED_FORMATS = frozenset({"date-time"})


@lru_cache(maxsize=None)
def compile_pattern(pattern: str) -> "regex.Pattern[str]":
    return regex.compile(pattern, regex.V0)


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not compile_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


FORMAT_CHECKER = FormatChecker(formats=())
FORMAT_CHECKER.checks("date-time")(lambda value: not isinstance(value, str) or is_rfc3339(value))

META_FORMAT_CHECKER = FormatChecker(formats=())


@META_FORMAT_CHECKER.checks("regex", raises=regex.error)
def _is_regex(value: object) -> bool:
    if isinstance(value, str):
        compile_pattern(value)
    return True


ExplainingValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})


def check_schema(schema: dict) -> None:
    """Raise ``jsonschema.SchemaError`` unless ``schema`` is a valid 2020-12 schema (ECMA regexes)."""
    from jsonschema.exceptions import SchemaError

    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA, format_checker=META_FORMAT_CHECKER)
    for error in meta.iter_errors(schema):
        raise SchemaError.create_from(error)
