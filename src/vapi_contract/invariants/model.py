"""What an invariant looks at and what it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

AREAS = ("shape", "pagination", "filters", "validation", "auth", "tenancy", "reliability")


@dataclass(frozen=True)
class Observation:
    """One answered request: the query as sent and what came back (parsed JSON or None)."""

    params: tuple[tuple[str, str], ...]
    status: int
    body: Any = None
    content_type: str = ""
    elapsed: float = 0.0
    curl: str = ""

    @property
    def query(self) -> dict[str, str]:
        """The parameters as a mapping (last value wins; repeated names are rare and flagged elsewhere)."""
        return dict(self.params)

    @property
    def results(self) -> list[dict[str, Any]]:
        if isinstance(self.body, dict) and isinstance(self.body.get("results"), list):
            return [r for r in self.body["results"] if isinstance(r, dict)]
        return []

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.body.get("metadata") if isinstance(self.body, dict) else None
        return meta if isinstance(meta, dict) else {}


@dataclass(frozen=True)
class Violation:
    """A broken contract rule, with what was expected and what came back."""

    check: str
    message: str
    expected: Any = None
    actual: Any = None
    pointer: str | None = None
    observations: Sequence[Observation] = field(default=(), compare=False, repr=False)

    @property
    def area(self) -> str:
        return self.check.split(".", 1)[0]
