"""What an invariant looks at and what it reports.

Movement: a live organisation's campaigns change while a run reads them.  Every consistency
query of a run is *pinned* to the run's snapshot S (``updatedAtLe=S``, ``createdAtLe=S``): a
campaign changed or created after S has a later updatedAt, so it leaves (or never enters) the
pinned set, and a deletion leaves it too.  A pinned set therefore only shrinks while a run reads
it, which gives the rules spanning several requests their footing:

* two reads of one pinned query with the same totalItems saw the same set (it held still);
* growth (a campaign seen twice in a walk, a later read holding a campaign an earlier one lacked,
  a count above an earlier count) is never explained by movement;
* a shortfall (a skip, a missing campaign, a lower count) may be, and is only reported when it
  reproduces on data that held still.
"""

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

    @property
    def total_items(self) -> int | float | None:
        """metadata.totalItems of a 200 answer, when it is a number (else None)."""
        total = self.metadata.get("totalItems") if self.status == 200 else None
        return total if isinstance(total, (int, float)) and not isinstance(total, bool) else None


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


@dataclass(frozen=True)
class Reference:
    """An atomic read of a pinned set (one response, so one instant): its campaign keys and its
    totalItems.  The opening read of a window, or of a whole small organisation."""

    keys: tuple  # of query.CampaignKey, in the order served
    total: int | None

    @classmethod
    def of(cls, obs: Observation) -> "Reference":
        from ..query import keys_of

        total = obs.total_items
        return cls(tuple(keys_of(obs.results)), None if total is None else int(total))

    @property
    def versions(self) -> dict:
        """id -> (updatedAt, status): what "the same campaign, unchanged" means."""
        return {k.id: (k.updated_ms, k.status) for k in self.keys}


@dataclass(frozen=True)
class Judgement:
    """What a rule spanning several requests concluded on data that may move while it is read.

    ``still`` says whether the data provably held still across those requests (then every
    finding is exact).  ``set_aside`` counts the differences that data which moved explains:
    they are reported as a note, never as violations."""

    violations: list[Violation] = field(default_factory=list)
    still: bool = True
    set_aside: int = 0
