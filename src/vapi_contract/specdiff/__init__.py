"""Spec diff: what changed in the published OpenAPI description of one operation, and whether it
breaks a client.  ``diff_documents(old, new)`` is the one entry point (CLI, ``run
--published-spec`` and tests use it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .compare import diff_sides
from .document import load_side
from .rules import BREAKING, INFO, RULES, WARNING, Change


@dataclass(frozen=True)
class DiffResult:
    old: str  # names of the documents (URL, or file name)
    new: str
    operation: str
    changes: list[Change]
    # query parameters NEW adds over OLD -> the values it documents for them (enum), if any
    added_parameters: dict[str, tuple] = field(default_factory=dict)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    def to_dict(self) -> dict:
        return {"old": self.old, "new": self.new, "operation": self.operation,
                "breaking": len(self.breaking), "changes": [c.to_dict() for c in self.changes]}


def diff_documents(old: str, new: str, operation: str = "GET /campaign") -> DiffResult:
    """Compare ``operation`` in two documents (paths, URLs, or the pinned ``contracts/``)."""
    old_side, new_side = load_side(old, operation), load_side(new, operation)
    added = {p.name: tuple(str(v) for v in (p.schema.get("enum") or ()) if v is not None)
             for key, p in new_side.parameters.items()
             if key not in old_side.parameters and p.location == "query" and isinstance(p.schema, dict)}
    return DiffResult(old_side.name, new_side.name, operation, diff_sides(old_side, new_side), added)


__all__ = ["BREAKING", "INFO", "RULES", "WARNING", "Change", "DiffResult", "diff_documents"]
