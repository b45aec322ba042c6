"""The change rules of ``vapi-contract diff``: a stable id per kind of change, and how it is
classified from the point of view of a client of the API.

Levels follow oasdiff's split of definite and potential breakage:

* ``breaking`` — an existing, correct client can fail (a response property removed, a new
  required request parameter, a request value that used to be accepted now rejected ...);
* ``warning`` — breaks only *strict* clients: those that reject what they do not know (a new
  enum value or union alternative in a response, a response range or pattern widened).
  Tolerant readers are unaffected; a code-generated client with closed enums is not;
* ``info`` — an addition or relaxation a client may adopt (a new optional parameter, a new
  response property, a request enum that accepts more).

``published-document-invalid`` is about the document rather than the API: NEW introduces a defect
(``contract.defects``: a ``$ref`` to a schema it does not define, a ``type`` that is no type, an
enum listing a value twice).  A warning: the API may well be unchanged, but a client generated
strictly from NEW breaks (oasdiff's WARN: ``--fail-on warning`` fails on it, the default does not).

``breaking`` in the output is ``level == "breaking"``; ``--fail-on warning`` makes warnings count too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

BREAKING, WARNING, INFO = "breaking", "warning", "info"
LEVEL_ORDER = {BREAKING: 0, WARNING: 1, INFO: 2}

RULES: dict[str, tuple[str, str]] = {
    # operation
    "operation-added": (INFO, "the operation appeared"),
    "operation-removed": (BREAKING, "the operation is gone"),
    "security-scheme-added": (BREAKING, "a security requirement was added: requests must authenticate differently"),
    "security-scheme-removed": (INFO, "a security requirement was dropped"),
    "response-status-added": (INFO, "a response status is newly documented"),
    "response-success-status-removed": (BREAKING, "a success response is no longer documented"),
    "response-error-status-removed": (INFO, "an error response is no longer documented"),
    "response-media-type-added": (INFO, "a response media type was added"),
    "response-media-type-removed": (BREAKING, "a response media type was removed"),
    # request parameters
    "request-parameter-added": (INFO, "a new optional parameter"),
    "request-required-parameter-added": (BREAKING, "a new required parameter: existing requests lack it"),
    "request-parameter-removed": (BREAKING, "a parameter clients send is no longer documented (ignored or rejected)"),
    "request-parameter-became-required": (BREAKING, "requests without it are now rejected"),
    "request-parameter-became-optional": (INFO, "the parameter may now be omitted"),
    "request-parameter-type-changed": (BREAKING, "values of the old type may be rejected"),
    "request-parameter-type-widened": (INFO, "more types are accepted"),
    "request-parameter-format-added": (BREAKING, "values are now constrained by a format"),
    "request-parameter-format-changed": (BREAKING, "values must follow another format"),
    "request-parameter-format-removed": (INFO, "the format constraint was dropped"),
    "request-parameter-enum-value-added": (INFO, "a new accepted value"),
    "request-parameter-enum-value-removed": (BREAKING, "a value clients send is now rejected"),
    "request-parameter-enum-added": (BREAKING, "values are now restricted to an enum"),
    "request-parameter-enum-removed": (INFO, "the enum restriction was dropped"),
    "request-parameter-range-narrowed": (BREAKING, "values that were accepted are now out of range"),
    "request-parameter-range-widened": (INFO, "the accepted range grew"),
    "request-parameter-pattern-changed": (BREAKING, "values must match a new pattern"),
    "request-parameter-pattern-removed": (INFO, "the pattern constraint was dropped"),
    "request-parameter-default-changed": (WARNING, "requests that omit it now mean something else"),
    "request-parameter-became-nullable": (INFO, "null is now accepted"),
    "request-parameter-deprecated": (INFO, "the parameter is deprecated: plan to stop sending it"),
    "request-parameter-became-not-nullable": (BREAKING, "null is no longer accepted"),
    "request-parameter-property-added": (INFO, "the parameter object accepts a new property"),
    "request-parameter-property-removed": (BREAKING, "a property clients send is no longer accepted"),
    "request-parameter-property-became-required": (BREAKING, "requests without the property are now rejected"),
    "request-parameter-property-became-optional": (INFO, "the property may now be omitted"),
    "request-parameter-union-alternative-added": (INFO, "a new accepted kind of value"),
    "request-parameter-union-alternative-removed": (BREAKING, "a kind of value clients send is no longer accepted"),
    # response schemas
    "response-property-added": (INFO, "a new response property"),
    "response-property-deprecated": (INFO, "the property is deprecated: plan to stop reading it"),
    "response-property-removed": (BREAKING, "clients reading it get nothing"),
    "response-property-became-optional": (BREAKING, "clients relying on its presence can fail"),
    "response-property-became-required": (INFO, "the property is now always present"),
    "response-property-type-changed": (BREAKING, "values of a type clients do not expect"),
    "response-property-type-narrowed": (INFO, "fewer types are sent"),
    "response-property-became-nullable": (BREAKING, "null where clients expect a value"),
    "response-property-became-not-nullable": (INFO, "null is no longer sent"),
    "response-property-format-added": (INFO, "values now follow a format"),
    "response-property-format-changed": (BREAKING, "values follow another format"),
    "response-property-format-removed": (BREAKING, "values no longer promise their format"),
    "response-property-enum-value-added": (WARNING, "a new value: breaking for strict clients that reject unknown enum values"),
    "response-property-open-enum-value-added": (INFO, "a new known value of an open enum (any string was already allowed)"),
    "response-property-enum-value-removed": (INFO, "a value is no longer sent"),
    "response-property-enum-added": (INFO, "values are now restricted to an enum"),
    "response-property-enum-removed": (WARNING, "values are no longer restricted to an enum: breaking for strict clients"),
    "response-property-range-widened": (WARNING, "values outside the old range may be sent: breaking for strict clients"),
    "response-property-range-narrowed": (INFO, "values stay within a narrower range"),
    "response-property-pattern-changed": (WARNING, "values may no longer match the old pattern: breaking for strict clients"),
    "response-property-pattern-added": (INFO, "values now follow a pattern"),
    "response-union-alternative-added": (WARNING, "a new kind of value: breaking for strict clients that switch over the known kinds"),
    "response-union-alternative-removed": (INFO, "a kind of value is no longer sent"),
    # the document itself
    "published-document-invalid": (WARNING, "the document is not valid OpenAPI there: clients generated strictly from it break, and what it leaves unknown is not compared"),
    # components
    "schema-added": (INFO, "a component schema joined the operation's closure"),
    "schema-removed": (INFO, "a component schema left the operation's closure"),
}


@dataclass(frozen=True)
class Change:
    pointer: str  # into NEW, or into OLD for removals
    schema: str | None  # the component the change sits in
    change: str  # rule id (RULES)
    message: str
    value: Any = None  # the enum value, property name or (old, new) pair concerned

    @property
    def level(self) -> str:
        return RULES[self.change][0]

    @property
    def breaking(self) -> bool:
        return self.level == BREAKING

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["breaking"] = self.breaking
        out["level"] = self.level
        out["why"] = RULES[self.change][1]
        return {k: out[k] for k in ("pointer", "schema", "change", "breaking", "level", "message", "why", "value")}


def sort_key(change: Change) -> tuple:
    return (LEVEL_ORDER[change.level], change.pointer, change.change, repr(change.value))
