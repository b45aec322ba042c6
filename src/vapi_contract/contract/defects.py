"""Defects of a published document: what in it is not valid OpenAPI, and how each is read.

Vapi's published document is not always valid.  Each defect below was seen in its public history;
``derive``, ``diff`` and ``run --published-spec`` read a defective document the same way (the
``Conversion`` finds node-level defects, the operation's closure finds references):

``dangling-ref``
    A ``$ref`` to a component schema the document does not define (``InworldVoice``,
    ``FallbackInworldVoice``, ``CreateInworldCredentialDTO`` in June-July 2025).  It has no
    meaning to read: what it stands for is unknown.  ``diff`` names it with every pointer that
    uses it and compares nothing behind it; ``derive`` refuses (no contract with holes).
``external-ref``
    A ``$ref`` outside the document's component schemas (``other.json#/X``): not followed, so it
    is unknown in the same way.
``invalid-type``
    A ``type`` that is not a JSON Schema type (``"type": "enum"``).  Beside an ``enum`` its
    evident meaning is the JSON type of the enum's values (``"enum"`` with string values is a
    string enum): compared and derived as such (a named repair in provenance).  Without an
    ``enum`` it has no evident meaning: ``diff`` does not compare that node's type, ``derive``
    refuses.
``duplicate-enum-value``
    An ``enum`` listing a value twice (``DeepgramVoice.voiceId``, 2026-08-18): read as the set of
    its values, first occurrences kept (a named repair in provenance).
``duplicate-parameter``
    An operation declaring one parameter twice (``GET /session``'s query parameter ``name``: first
    "This is the name of the session to filter by.", then the customer's name copied from
    CreateCustomerDTO, "This is the name of the customer.").  OpenAPI requires a parameter to be
    unique by name and location, and a query string cannot tell the two apart: read as its first
    declaration (the operation's own filter; a named repair in provenance).

Not defects, read by their evident meaning (``contract.convert``, ``specdiff.facets``):

* ``nullable: true`` without a ``type`` (beside ``allOf``, ``oneOf``, an ``enum`` or a ``$ref``):
  null is allowed as well as what the rest allows.  OpenAPI 3.0.3 makes it a no-op, but it is how
  NestJS writes a nullable nested object, and reading it as a no-op would reject the nulls the
  API sends;
* ``allOf`` of a single ``$ref`` beside a ``description`` (how NestJS attaches a description to a
  reference): that reference.

Every defect is invalid for the tools that read the document strictly: a client generated from it
fails to build (an unresolved reference, an unknown type, a duplicate enum constant).  That is why
a defect the newer document introduces is a change of its own in ``diff``
(``published-document-invalid``, level warning).
"""

from __future__ import annotations

from dataclasses import dataclass

DANGLING_REF = "dangling-ref"
EXTERNAL_REF = "external-ref"
INVALID_TYPE = "invalid-type"
DUPLICATE_ENUM_VALUE = "duplicate-enum-value"
DUPLICATE_PARAMETER = "duplicate-parameter"

JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
REFERENCE_KINDS = (DANGLING_REF, EXTERNAL_REF)  # defects found by the closure, one per target


@dataclass(frozen=True)
class Defect:
    kind: str  # one of the kinds above
    subject: str  # the missing component, the reference, the invalid type or the repeated values
    pointers: tuple[str, ...]  # every place in the document that has it (for a reference: each $ref)
    read_as: str | None = None  # the evident meaning it is compared and derived with; None: unknown

    @property
    def readable(self) -> bool:
        return self.read_as is not None

    @property
    def key(self) -> tuple:
        """What makes the defects of two documents the same one: the same missing reference
        (wherever it is used), or the same construct at the same place."""
        return (self.kind, self.subject) if self.kind in REFERENCE_KINDS else (self.kind, self.pointers)

    def what(self) -> str:
        """What is wrong and how it is read, without the places."""
        if self.kind == DANGLING_REF:
            return f"$ref to {self.subject}, a component schema the document does not define"
        if self.kind == EXTERNAL_REF:
            return f"$ref to {self.subject}, outside the document's component schemas (not followed)"
        if self.kind == INVALID_TYPE:
            reading = f"read as {self.read_as}" if self.readable else "no enum tells which type is meant"
            return f"type {self.subject} is not a JSON Schema type ({reading})"
        if self.kind == DUPLICATE_ENUM_VALUE:
            return f"enum lists {self.subject} more than once (read as {self.read_as})"
        if self.kind == DUPLICATE_PARAMETER:
            return f"the operation declares the {self.subject} more than once (read as {self.read_as})"
        return f"{self.kind} {self.subject}"

    def describe(self) -> str:
        """One line: what is wrong, how it is read, and every place."""
        return f"{self.what()} at {', '.join(self.pointers)}"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "pointers": list(self.pointers),
                "read_as": self.read_as, "message": self.what()}


def unreadable(defects) -> list[Defect]:
    """The defects nothing can be read from: a contract derived over them would have holes."""
    return [d for d in defects if not d.readable]


def refusal(source: str, operation: str, defects: list[Defect]) -> str:
    """``derive``'s one-line refusal: every defect with no evident meaning, with its pointers."""
    listed = "; ".join(d.describe() for d in defects)
    return (f"{source} cannot be pinned: where {operation} reaches, it has {len(defects)} defect"
            f"{'s' if len(defects) != 1 else ''} that would leave the contract with holes: {listed}")
