"""What the reference target serves: its own model of the documented listing.

The reference target is a second, independent reading of the docs: it does not import the
suite's model of the contract (``contract/endpoint.py``) or its oracles, so that a wrong reading
on one side shows up as a disagreement in the self-tests instead of being shared.  A
:class:`Surface` is that reading, per published document: the path, the query parameters the
server accepts (with their ranges, enums and defaults), the statuses its campaigns can have, and
the metadata it answers with.

Doc lines (List Campaigns, Query parameters), as this server implements them:
  page      number >= 1, "Defaults to 1."
  limit     number 0-1000, "Defaults to 100."
  sortOrder ASC | DESC, "Defaults to 'DESC'." (by createdAt, ties by id in the same direction)
  status    the document's enum;  id  a string (equality)
  createdAt{Gt,Lt,Ge,Le}, updatedAt{Gt,Lt,Ge,Le}: date-time; Gt/Lt strict, Ge/Le inclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

INSTANT_FIELDS = ("createdAt", "updatedAt")
BOUND_OPS = {"Gt": "gt", "Lt": "lt", "Ge": "ge", "Le": "le"}


@dataclass(frozen=True)
class Surface:
    name: str  # the date of the document it serves
    path: str = "/campaign"
    statuses: tuple[str, ...] = ("ended", "in-progress", "scheduled")
    equality_filters: tuple[str, ...] = ("id", "status")  # query parameters that select by equality
    orders: tuple[str, ...] = ("ASC", "DESC")
    default_order: str = "DESC"
    first_page: int = 1
    default_limit: int = 100
    max_limit: int = 1000

    @property
    def bounds(self) -> dict[str, tuple[str, str]]:
        """Bound parameter -> (instant field, op): createdAtGt -> (createdAt, gt), ..."""
        return {f"{field}{suffix}": (field, op) for field in INSTANT_FIELDS for suffix, op in BOUND_OPS.items()}

    @property
    def parameters(self) -> tuple[str, ...]:
        """Every query parameter the server reads (others are ignored)."""
        return (*self.equality_filters, "page", "sortOrder", "limit", *self.bounds)

    def without(self, *filters: str) -> "Surface":
        """The same listing without some equality filters (a list operation of another shape: the
        self-test that the engine is not tied to campaigns' filters)."""
        return replace(self, name=f"{self.name}-without-{'-'.join(filters)}",
                       equality_filters=tuple(f for f in self.equality_filters if f not in filters))


SURFACES = {s.name: s for s in [Surface("2026-04-11")]}
DEFAULT_SURFACE = "2026-04-11"


def surface(name: str | Surface | None) -> Surface:
    """The surface called ``name`` (the default when None); KeyError naming the known ones."""
    if isinstance(name, Surface):
        return name
    key = DEFAULT_SURFACE if name is None else name
    if key not in SURFACES:
        raise KeyError(f"unknown surface {key!r}; known: {', '.join(sorted(SURFACES))}")
    return SURFACES[key]
