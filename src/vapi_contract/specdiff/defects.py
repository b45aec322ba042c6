"""The defects of the two documents of a diff (``contract.defects``), as the diff reports them.

Each defect is named with its document (OLD or NEW, and the document's name), what is wrong, how
it was read, and every pointer where it is (for a reference: every ``$ref`` to it inside the
operation's closure, where nothing was compared).  A defect NEW has and OLD does not
(``Defect.key``: the same missing reference, or the same construct at the same place) is a change,
``published-document-invalid`` (level warning: clients generated strictly from NEW break);
one OLD already had is named too, but is no new change.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..contract.defects import Defect
from ..contract.schema_walk import pointer_tokens
from .document import Side
from .rules import PUBLISHED_DOCUMENT_INVALID, Change



@dataclass(frozen=True)
class DocumentDefect:
    document: str  # "old" or "new"
    source: str  # the document's name (URL, or file name)
    defect: Defect
    introduced: bool  # in NEW and not in OLD: a change

    @property
    def reading(self) -> str:
        """What is wrong, and what the diff made of it."""
        return self.defect.what() + ("" if self.defect.readable else ": unknown, not compared there")

    @property
    def message(self) -> str:
        return (f"{self.document.upper()} ({self.source}) is not valid here: {self.reading} "
                f"at {', '.join(self.defect.pointers)}")

    def change(self) -> Change:
        pointer = self.defect.pointers[0]
        tokens = pointer_tokens(pointer)
        schema = tokens[2] if tokens[:2] == ["components", "schemas"] and len(tokens) > 2 else None
        return Change(pointer, schema, PUBLISHED_DOCUMENT_INVALID.id, self.message, self.defect.subject)

    def to_dict(self) -> dict:
        return {"document": self.document, "source": self.source, **self.defect.to_dict(), "message": self.reading,
                "introduced": self.introduced}


def document_defects(old: Side, new: Side) -> list[DocumentDefect]:
    """OLD's defects, then NEW's, each marked whether NEW introduced it."""
    known = {d.key for d in old.defects}
    return ([DocumentDefect("old", old.name, d, False) for d in old.defects]
            + [DocumentDefect("new", new.name, d, d.key not in known) for d in new.defects])
