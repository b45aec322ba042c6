"""Spec diff: what changed in the published OpenAPI description of one operation, and whether it
breaks a client.  ``diff_documents(old, new)`` is the one entry point (CLI, ``run
--published-spec`` and tests use it).  A document that can be read is compared whatever its
defects (``specdiff.defects``): they are part of the result, never an error."""

from __future__ import annotations

from dataclasses import dataclass, field

from .compare import diff_sides
from ..errors import SourceError
from .defects import DocumentDefect, document_defects
from .document import METHODS, load_side
from .rules import BREAKING, INFO, RULES, WARNING, Change, sort_key


@dataclass(frozen=True)
class DiffResult:
    old: str  # names of the documents (URL, or file name)
    new: str
    operation: str
    changes: list[Change]
    # query parameters NEW adds over OLD -> the values it documents for them (enum), if any
    added_parameters: dict[str, tuple] = field(default_factory=dict)
    # what is not valid OpenAPI in either document (those NEW introduces are changes as well)
    defects: list[DocumentDefect] = field(default_factory=list)
    # why NEW could not be read (``run --published-spec``: the run goes on, nothing was compared)
    unreadable: str | None = None

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    def to_dict(self) -> dict:
        shown = {"old": self.old, "new": self.new, "operation": self.operation,
                 "breaking": len(self.breaking), "changes": [c.to_dict() for c in self.changes],
                 "defects": [d.to_dict() for d in self.defects]}
        if self.unreadable is not None:
            shown["unreadable"] = self.unreadable
        return shown


def operations_in(document: dict) -> list[str]:
    """Every operation of ``document``, as ``METHOD /path``."""
    paths = document.get("paths") if isinstance(document, dict) else None
    return [f"{method.upper()} {path}" for path, item in (paths if isinstance(paths, dict) else {}).items()
            if isinstance(item, dict) for method in METHODS if isinstance(item.get(method), dict)]


def _operations_hint(operation: str, documents: list[dict], shown: int = 12) -> str:
    """The operations that exist, the closest to ``operation`` first, in one line."""
    import difflib

    known = list(dict.fromkeys(op for doc in documents for op in operations_in(doc)))
    if not known:
        return "the documents describe no operation"
    close = difflib.get_close_matches(operation, known, n=3, cutoff=0.6)
    ordered = close + [op for op in known if op not in close]
    listed = ", ".join(ordered[:shown]) + (f", ... ({len(known)} in all)" if len(known) > shown else "")
    return (f"did you mean {close[0]!r}? " if close else "") + f"operations: {listed}"


def diff_documents(old: str, new: str, operation: str = "GET /campaign") -> DiffResult:
    """Compare ``operation`` in two documents (paths, URLs, or the pinned ``contracts/``)."""
    old_side, new_side = load_side(old, operation), load_side(new, operation)
    if not old_side.present and not new_side.present:
        raise SourceError(f"--operation {operation!r} is in neither document; "
                          f"{_operations_hint(operation, [old_side.raw, new_side.raw])}")
    added = {p.name: tuple(str(v) for v in (p.schema.get("enum") or ()) if v is not None)
             for key, p in new_side.parameters.items()
             if key not in old_side.parameters and p.location == "query" and isinstance(p.schema, dict)}
    defects = document_defects(old_side, new_side)
    changes = sorted([*diff_sides(old_side, new_side), *(d.change() for d in defects if d.introduced)], key=sort_key)
    return DiffResult(old_side.name, new_side.name, operation, changes, added, defects)


__all__ = ["BREAKING", "INFO", "RULES", "WARNING", "Change", "DiffResult", "diff_documents"]
