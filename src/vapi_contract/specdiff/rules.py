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

@dataclass(frozen=True)
class Rule:
    """One kind of change: its stable id, its level, and why it matters to a client."""

    id: str
    level: str
    why: str


RULES: dict[str, Rule] = {}  # id -> Rule: every rule below, registered by _rule (a test holds the handlers to it)


def _rule(rule_id: str, level: str, why: str) -> Rule:
    if rule_id in RULES or level not in LEVEL_ORDER:
        raise ValueError(f"rule {rule_id!r}: duplicate id or unknown level {level!r}")
    RULES[rule_id] = Rule(rule_id, level, why)
    return RULES[rule_id]


# operation
OPERATION_ADDED = _rule("operation-added", INFO, "the operation appeared")
OPERATION_REMOVED = _rule("operation-removed", BREAKING, "the operation is gone")
SECURITY_SCHEME_ADDED = _rule("security-scheme-added", BREAKING, "a security requirement was added: requests must authenticate differently")
SECURITY_SCHEME_REMOVED = _rule("security-scheme-removed", INFO, "a security requirement was dropped")
RESPONSE_STATUS_ADDED = _rule("response-status-added", INFO, "a response status is newly documented")
RESPONSE_SUCCESS_STATUS_REMOVED = _rule("response-success-status-removed", BREAKING, "a success response is no longer documented")
RESPONSE_ERROR_STATUS_REMOVED = _rule("response-error-status-removed", INFO, "an error response is no longer documented")
RESPONSE_MEDIA_TYPE_ADDED = _rule("response-media-type-added", INFO, "a response media type was added")
RESPONSE_MEDIA_TYPE_REMOVED = _rule("response-media-type-removed", BREAKING, "a response media type was removed")
# request parameters
REQUEST_PARAMETER_ADDED = _rule("request-parameter-added", INFO, "a new optional parameter")
REQUEST_REQUIRED_PARAMETER_ADDED = _rule("request-required-parameter-added", BREAKING, "a new required parameter: existing requests lack it")
REQUEST_PARAMETER_REMOVED = _rule("request-parameter-removed", BREAKING, "a parameter clients send is no longer documented (ignored or rejected)")
REQUEST_PARAMETER_BECAME_REQUIRED = _rule("request-parameter-became-required", BREAKING, "requests without it are now rejected")
REQUEST_PARAMETER_BECAME_OPTIONAL = _rule("request-parameter-became-optional", INFO, "the parameter may now be omitted")
REQUEST_PARAMETER_TYPE_CHANGED = _rule("request-parameter-type-changed", BREAKING, "values of the old type may be rejected")
REQUEST_PARAMETER_TYPE_WIDENED = _rule("request-parameter-type-widened", INFO, "more types are accepted")
REQUEST_PARAMETER_FORMAT_ADDED = _rule("request-parameter-format-added", BREAKING, "values are now constrained by a format")
REQUEST_PARAMETER_FORMAT_CHANGED = _rule("request-parameter-format-changed", BREAKING, "values must follow another format")
REQUEST_PARAMETER_FORMAT_REMOVED = _rule("request-parameter-format-removed", INFO, "the format constraint was dropped")
REQUEST_PARAMETER_ENUM_VALUE_ADDED = _rule("request-parameter-enum-value-added", INFO, "a new accepted value")
REQUEST_PARAMETER_ENUM_VALUE_REMOVED = _rule("request-parameter-enum-value-removed", BREAKING, "a value clients send is now rejected")
REQUEST_PARAMETER_ENUM_ADDED = _rule("request-parameter-enum-added", BREAKING, "values are now restricted to an enum")
REQUEST_PARAMETER_ENUM_REMOVED = _rule("request-parameter-enum-removed", INFO, "the enum restriction was dropped")
REQUEST_PARAMETER_RANGE_NARROWED = _rule("request-parameter-range-narrowed", BREAKING, "values that were accepted are now out of range")
REQUEST_PARAMETER_RANGE_WIDENED = _rule("request-parameter-range-widened", INFO, "the accepted range grew")
REQUEST_PARAMETER_PATTERN_CHANGED = _rule("request-parameter-pattern-changed", BREAKING, "values must match a new pattern")
REQUEST_PARAMETER_PATTERN_REMOVED = _rule("request-parameter-pattern-removed", INFO, "the pattern constraint was dropped")
REQUEST_PARAMETER_DEFAULT_CHANGED = _rule("request-parameter-default-changed", WARNING, "requests that omit it now mean something else")
REQUEST_PARAMETER_BECAME_NULLABLE = _rule("request-parameter-became-nullable", INFO, "null is now accepted")
REQUEST_PARAMETER_DEPRECATED = _rule("request-parameter-deprecated", INFO, "the parameter is deprecated: plan to stop sending it")
REQUEST_PARAMETER_BECAME_NOT_NULLABLE = _rule("request-parameter-became-not-nullable", BREAKING, "null is no longer accepted")
REQUEST_PARAMETER_PROPERTY_ADDED = _rule("request-parameter-property-added", INFO, "the parameter object accepts a new property")
REQUEST_PARAMETER_PROPERTY_REMOVED = _rule("request-parameter-property-removed", BREAKING, "a property clients send is no longer accepted")
REQUEST_PARAMETER_PROPERTY_BECAME_REQUIRED = _rule("request-parameter-property-became-required", BREAKING, "requests without the property are now rejected")
REQUEST_PARAMETER_PROPERTY_BECAME_OPTIONAL = _rule("request-parameter-property-became-optional", INFO, "the property may now be omitted")
REQUEST_PARAMETER_UNION_ALTERNATIVE_ADDED = _rule("request-parameter-union-alternative-added", INFO, "a new accepted kind of value")
REQUEST_PARAMETER_UNION_ALTERNATIVE_REMOVED = _rule("request-parameter-union-alternative-removed", BREAKING, "a kind of value clients send is no longer accepted")
# response schemas
RESPONSE_PROPERTY_ADDED = _rule("response-property-added", INFO, "a new response property")
RESPONSE_PROPERTY_DEPRECATED = _rule("response-property-deprecated", INFO, "the property is deprecated: plan to stop reading it")
RESPONSE_PROPERTY_REMOVED = _rule("response-property-removed", BREAKING, "clients reading it get nothing")
RESPONSE_PROPERTY_BECAME_OPTIONAL = _rule("response-property-became-optional", BREAKING, "clients relying on its presence can fail")
RESPONSE_PROPERTY_BECAME_REQUIRED = _rule("response-property-became-required", INFO, "the property is now always present")
RESPONSE_PROPERTY_TYPE_CHANGED = _rule("response-property-type-changed", BREAKING, "values of a type clients do not expect")
RESPONSE_PROPERTY_TYPE_NARROWED = _rule("response-property-type-narrowed", INFO, "fewer types are sent")
RESPONSE_PROPERTY_BECAME_NULLABLE = _rule("response-property-became-nullable", BREAKING, "null where clients expect a value")
RESPONSE_PROPERTY_BECAME_NOT_NULLABLE = _rule("response-property-became-not-nullable", INFO, "null is no longer sent")
RESPONSE_PROPERTY_FORMAT_ADDED = _rule("response-property-format-added", INFO, "values now follow a format")
RESPONSE_PROPERTY_FORMAT_CHANGED = _rule("response-property-format-changed", BREAKING, "values follow another format")
RESPONSE_PROPERTY_FORMAT_REMOVED = _rule("response-property-format-removed", BREAKING, "values no longer promise their format")
RESPONSE_PROPERTY_ENUM_VALUE_ADDED = _rule("response-property-enum-value-added", WARNING, "a new value: breaking for strict clients that reject unknown enum values")
RESPONSE_PROPERTY_OPEN_ENUM_VALUE_ADDED = _rule("response-property-open-enum-value-added", INFO, "a new known value of an open enum (any string was already allowed)")
RESPONSE_PROPERTY_ENUM_VALUE_REMOVED = _rule("response-property-enum-value-removed", INFO, "a value is no longer sent")
RESPONSE_PROPERTY_ENUM_ADDED = _rule("response-property-enum-added", INFO, "values are now restricted to an enum")
RESPONSE_PROPERTY_ENUM_REMOVED = _rule("response-property-enum-removed", WARNING, "values are no longer restricted to an enum: breaking for strict clients")
RESPONSE_PROPERTY_RANGE_WIDENED = _rule("response-property-range-widened", WARNING, "values outside the old range may be sent: breaking for strict clients")
RESPONSE_PROPERTY_RANGE_NARROWED = _rule("response-property-range-narrowed", INFO, "values stay within a narrower range")
RESPONSE_PROPERTY_PATTERN_CHANGED = _rule("response-property-pattern-changed", WARNING, "values may no longer match the old pattern: breaking for strict clients")
RESPONSE_PROPERTY_PATTERN_ADDED = _rule("response-property-pattern-added", INFO, "values now follow a pattern")
RESPONSE_UNION_ALTERNATIVE_ADDED = _rule("response-union-alternative-added", WARNING, "a new kind of value: breaking for strict clients that switch over the known kinds")
RESPONSE_UNION_ALTERNATIVE_REMOVED = _rule("response-union-alternative-removed", INFO, "a kind of value is no longer sent")
# the document itself
PUBLISHED_DOCUMENT_INVALID = _rule("published-document-invalid", WARNING, "the document is not valid OpenAPI there: clients generated strictly from it break, and what it leaves unknown is not compared")
# components
SCHEMA_ADDED = _rule("schema-added", INFO, "a component schema joined the operation's closure")
SCHEMA_REMOVED = _rule("schema-removed", INFO, "a component schema left the operation's closure")


@dataclass(frozen=True, kw_only=True)
class SchemaRules:
    """The rules a schema comparison applies, in one context: the request's parameters or the
    response's properties.  A change a context cannot have (a response pattern removed, a request
    type narrowed) has no rule there (None), and the comparison never reaches it."""

    became_nullable: Rule
    became_not_nullable: Rule
    type_changed: Rule
    type_widened: Rule | None = None
    type_narrowed: Rule | None = None
    deprecated: Rule
    format_added: Rule
    format_removed: Rule
    format_changed: Rule
    pattern_added: Rule | None = None
    pattern_removed: Rule | None = None
    pattern_changed: Rule
    default_changed: Rule | None = None
    enum_added: Rule
    enum_removed: Rule
    enum_value_added: Rule
    open_enum_value_added: Rule | None = None
    enum_value_removed: Rule
    range_narrowed: Rule
    range_widened: Rule
    property_added: Rule
    property_removed: Rule
    property_became_optional: Rule
    property_became_required: Rule
    alternative_added: Rule
    alternative_removed: Rule


REQUEST_RULES = SchemaRules(
    became_nullable=REQUEST_PARAMETER_BECAME_NULLABLE,
    became_not_nullable=REQUEST_PARAMETER_BECAME_NOT_NULLABLE,
    type_changed=REQUEST_PARAMETER_TYPE_CHANGED,
    type_widened=REQUEST_PARAMETER_TYPE_WIDENED,
    deprecated=REQUEST_PARAMETER_DEPRECATED,
    format_added=REQUEST_PARAMETER_FORMAT_ADDED,
    format_removed=REQUEST_PARAMETER_FORMAT_REMOVED,
    format_changed=REQUEST_PARAMETER_FORMAT_CHANGED,
    pattern_removed=REQUEST_PARAMETER_PATTERN_REMOVED,
    pattern_changed=REQUEST_PARAMETER_PATTERN_CHANGED,
    default_changed=REQUEST_PARAMETER_DEFAULT_CHANGED,
    enum_added=REQUEST_PARAMETER_ENUM_ADDED,
    enum_removed=REQUEST_PARAMETER_ENUM_REMOVED,
    enum_value_added=REQUEST_PARAMETER_ENUM_VALUE_ADDED,
    enum_value_removed=REQUEST_PARAMETER_ENUM_VALUE_REMOVED,
    range_narrowed=REQUEST_PARAMETER_RANGE_NARROWED,
    range_widened=REQUEST_PARAMETER_RANGE_WIDENED,
    property_added=REQUEST_PARAMETER_PROPERTY_ADDED,
    property_removed=REQUEST_PARAMETER_PROPERTY_REMOVED,
    property_became_optional=REQUEST_PARAMETER_PROPERTY_BECAME_OPTIONAL,
    property_became_required=REQUEST_PARAMETER_PROPERTY_BECAME_REQUIRED,
    alternative_added=REQUEST_PARAMETER_UNION_ALTERNATIVE_ADDED,
    alternative_removed=REQUEST_PARAMETER_UNION_ALTERNATIVE_REMOVED,
)
RESPONSE_RULES = SchemaRules(
    became_nullable=RESPONSE_PROPERTY_BECAME_NULLABLE,
    became_not_nullable=RESPONSE_PROPERTY_BECAME_NOT_NULLABLE,
    type_changed=RESPONSE_PROPERTY_TYPE_CHANGED,
    type_narrowed=RESPONSE_PROPERTY_TYPE_NARROWED,
    deprecated=RESPONSE_PROPERTY_DEPRECATED,
    format_added=RESPONSE_PROPERTY_FORMAT_ADDED,
    format_removed=RESPONSE_PROPERTY_FORMAT_REMOVED,
    format_changed=RESPONSE_PROPERTY_FORMAT_CHANGED,
    pattern_added=RESPONSE_PROPERTY_PATTERN_ADDED,
    pattern_changed=RESPONSE_PROPERTY_PATTERN_CHANGED,
    enum_added=RESPONSE_PROPERTY_ENUM_ADDED,
    enum_removed=RESPONSE_PROPERTY_ENUM_REMOVED,
    enum_value_added=RESPONSE_PROPERTY_ENUM_VALUE_ADDED,
    open_enum_value_added=RESPONSE_PROPERTY_OPEN_ENUM_VALUE_ADDED,
    enum_value_removed=RESPONSE_PROPERTY_ENUM_VALUE_REMOVED,
    range_narrowed=RESPONSE_PROPERTY_RANGE_NARROWED,
    range_widened=RESPONSE_PROPERTY_RANGE_WIDENED,
    property_added=RESPONSE_PROPERTY_ADDED,
    property_removed=RESPONSE_PROPERTY_REMOVED,
    property_became_optional=RESPONSE_PROPERTY_BECAME_OPTIONAL,
    property_became_required=RESPONSE_PROPERTY_BECAME_REQUIRED,
    alternative_added=RESPONSE_UNION_ALTERNATIVE_ADDED,
    alternative_removed=RESPONSE_UNION_ALTERNATIVE_REMOVED,
)


@dataclass(frozen=True)
class Change:
    pointer: str  # into NEW, or into OLD for removals
    schema: str | None  # the component the change sits in
    change: str  # rule id (RULES)
    message: str
    value: Any = None  # the enum value, property name or (old, new) pair concerned

    @property
    def level(self) -> str:
        return RULES[self.change].level

    @property
    def breaking(self) -> bool:
        return self.level == BREAKING

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["breaking"] = self.breaking
        out["level"] = self.level
        out["why"] = RULES[self.change].why
        return {k: out[k] for k in ("pointer", "schema", "change", "breaking", "level", "message", "why", "value")}


def sort_key(change: Change) -> tuple:
    return (LEVEL_ORDER[change.level], change.pointer, change.change, repr(change.value))
