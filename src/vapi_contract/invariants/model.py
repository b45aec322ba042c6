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

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

from ..contract.endpoint import Envelope
from ..timeutil import parse_ms

@dataclass(frozen=True)
class Observation:
    """One answered request: the query as sent and what came back (parsed JSON or None), read
    through the listing's ``envelope`` (where its answers hold the items and the metadata)."""

    params: tuple[tuple[str, str], ...]
    status: int
    body: Any = None
    content_type: str = ""
    elapsed: float = 0.0
    curl: str = ""
    envelope: Envelope = field(kw_only=True, compare=False, repr=False)
    # why the body is not judged as JSON: (kind, what), a kind of ``http.body`` (not read whole:
    # too-large, stalled, cut, undecodable) or of ``boundedjson`` (refused by the JSON reader);
    # None for a body read and parsed, or an empty one
    defect: tuple[str, str] | None = None
    served: int | None = None  # the results a page served, when more than were kept for judging

    @property
    def query(self) -> dict[str, str]:
        """The parameters as a mapping (last value wins; repeated names are rare and flagged elsewhere)."""
        return dict(self.params)

    @property
    def served_count(self) -> int:
        """How many results the page served (all of them, also those not kept for judging)."""
        return self.served if self.served is not None else len(self.results)

    @property
    def results(self) -> list[dict[str, Any]]:
        return [r for r in self.envelope.items(self.body) if isinstance(r, dict)]

    def keyed(self, endpoint) -> tuple[tuple[int, "ItemKey"], ...]:
        """(index in ``results``, key) of each well-formed item (see :func:`keys_of`), computed once
        per observation: a 1000-item page is keyed by several oracles and by the movement tally."""
        memo = self.__dict__.setdefault("_keyed", {})  # not a field: equality and repr ignore it
        found = memo.get(id(endpoint))
        if found is None:
            found = memo[id(endpoint)] = tuple(_keyed_items(endpoint, self.results))
        return found

    def keys(self, endpoint) -> list["ItemKey"]:
        """The keys of the well-formed items, in the order served."""
        return [key for _, key in self.keyed(endpoint)]

    @property
    def metadata(self) -> dict[str, Any]:
        return self.envelope.meta(self.body)

    @property
    def total_items(self) -> int | float | None:
        """metadata.totalItems of a 200 answer, when it is a number (else None)."""
        total = self.metadata.get(self.envelope.total) if self.status == 200 else None
        if isinstance(total, float) and not math.isfinite(total):  # the JSON reader refuses them; never a count
            return None
        return total if isinstance(total, (int, float)) and not isinstance(total, bool) else None


@dataclass(frozen=True)
class Violation:
    """A broken contract rule, with what was expected and what came back.

    ``locus`` tells this fault apart from another fault of the same check, in terms that do not
    depend on the data, the seed or the size of the organisation (what it is, per check, is
    stated in the check's registry row: ``Check.locus``); with the operation and the check it
    makes the finding's fingerprint (:func:`~.registry.fingerprint`)."""

    check: str
    message: str
    expected: Any = None
    actual: Any = None
    pointer: str | None = None
    observations: Sequence[Observation] = field(default=(), compare=False, repr=False)
    locus: str = field(default="", kw_only=True)

    @property
    def area(self) -> str:
        return self.check.split(".", 1)[0]


class ItemKey(NamedTuple):
    """What the oracles need of an item once its page has been validated: its identity, its two
    instants (ms) and its values of the endpoint's equality-filter fields (``Endpoint.value_fields``,
    e.g. ``(status,)``).  A run keeps these, never whole items, so its memory does not grow with
    the organisation."""

    id: str
    created_ms: int
    updated_ms: int
    values: tuple = ()

    @property
    def version(self) -> tuple:
        """What "the same item, unchanged" means: its updatedAt and its filter values."""
        return (self.updated_ms, self.values)


def keys_of(endpoint, items: Iterable[Mapping[str, Any]]) -> list[ItemKey]:
    """The keys of served items; an item with a malformed identity or instant has none (the shape
    check's finding, not the oracle's)."""
    return [key for _, key in _keyed_items(endpoint, items)]


def _keyed_items(endpoint, items: Iterable[Mapping[str, Any]]) -> Iterable[tuple[int, ItemKey]]:
    """Items whose listing carries no instant (contacts: ``Endpoint.instants`` False) are keyed at
    instant 0: their version is their filtered values alone."""
    ident, created, updated, fields = endpoint.identity, endpoint.created, endpoint.updated, endpoint.value_fields
    instants = endpoint.instants
    for index, item in enumerate(items):
        try:
            yield index, ItemKey(item[ident], parse_ms(item[created]) if instants else 0,
                                 parse_ms(item[updated]) if instants else 0, tuple(item.get(f) for f in fields))
        except (KeyError, TypeError, ValueError):
            continue


@dataclass(frozen=True)
class Reference:
    """An atomic read of a pinned set (one response, so one instant): its item keys and its
    totalItems.  The opening read of a window, or of a whole small organisation."""

    keys: tuple  # of ItemKey, in the order served
    total: int | None

    @classmethod
    def of(cls, obs: Observation, endpoint) -> "Reference":
        total = obs.total_items
        return cls(tuple(obs.keys(endpoint)), None if total is None else int(total))

    @property
    def versions(self) -> dict:
        """id -> version: what "the same item, unchanged" means."""
        return {k.id: k.version for k in self.keys}


@dataclass(frozen=True)
class Judgement:
    """What a rule spanning several requests concluded on data that may move while it is read.

    ``still`` says whether the data provably held still across those requests (then every
    finding is exact).  ``set_aside`` counts the differences that data which moved explains:
    they are reported as a note, never as violations."""

    violations: list[Violation] = field(default_factory=list)
    still: bool = True
    set_aside: int = 0
    exercised: frozenset = frozenset()  # the checks this judgement exercised (the oracle says which)
