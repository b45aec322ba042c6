"""What a variant of the reference target is: a :class:`Fault` (one small, realistic bug, or a
drift of the served surface) is data plus small hooks.

The server runs the same pipeline for every request (:mod:`.respond`) and calls the active
variant's hooks at fixed points (none of them is required):

  authenticate(key, keys) -> org | None    who the bearer key is (default: exact key match)
  before(n) -> Interference | None         reliability: delay or fail the n-th listing request
  validate(problems) -> problems           which input problems are reported (400)
  query(q) -> q                            how the validated query is interpreted
  plan(plan, q) -> plan                    the SQL plan (joiner, org scope, order, offset, limit, keyset)
  item(campaign) -> campaign               each stored campaign served (parsed; only when hooked)
  results(items, q) -> items               the served items, after GET /v2/campaign's projection
  metadata(meta, q, n) -> meta             the metadata object (n = results on the page)

``paths`` scopes a variant to some list operations (empty: every one); ``requires`` names the
contract elements a fault is about (a query parameter ``sortBy``, a metadata field ``nextCursor``,
an enum value ``status=cancelled``, an operation ``GET /v2/campaign``: the names of
:attr:`.surface.Surface.elements`): only a surface that serves them can show it, and only a
contract that declares them can catch it (the fault-catch self-tests skip the others).  A fault
whose elements the served surface lacks brings the drift variants it ``implies`` (those that
``serve`` the elements: e.g. sortBy on the 2026-04-11 surface).

The catalogue is :mod:`.faults` (and :mod:`.current_faults` for the 2026-08-18 surface's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .listing import Problem, Query
from .store import Plan
from .surface import Surface

ALL_BOUNDS = tuple(f"{f}{op}" for f in ("createdAt", "updatedAt") for op in ("Gt", "Lt", "Ge", "Le"))


class InjectedServerError(Exception):
    """Raised by a hook to make the server answer 500 (as an unhandled exception would)."""


@dataclass(frozen=True)
class Interference:
    delay: float = 0.0  # seconds to wait before answering
    status: int | None = None  # answer this 5xx instead


@dataclass(frozen=True)
class Fault:
    name: str
    area: str
    touches: tuple[str, ...]  # query params and/or response fields it affects
    description: str
    authenticate: Callable[[str | None, Mapping[str, str]], str | None] | None = None
    before: Callable[[int], Interference | None] | None = None
    validate: Callable[[list[Problem]], list[Problem]] | None = None
    query: Callable[[Query], Query] | None = None
    plan: Callable[[Plan, Query], Plan] | None = None
    item: Callable[[dict], dict] | None = None
    results: Callable[[list[dict], Query], list[dict]] | None = None
    metadata: Callable[[dict, Query, int], dict] | None = None
    # enum query parameters the variant documents beyond the pinned contract (validated, 400 otherwise)
    params: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # contract elements (query parameters, metadata fields) a fault is about: only a contract that
    # declares them can catch it (the fault-catch self-test with the pinned contract skips it)
    requires: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()  # drift variants that serve those elements where the surface does not
    paths: tuple[str, ...] = ()  # the list operations it affects (empty: every one)
    serves: tuple[str, ...] = ()  # (drift variants) the contract elements of a later document it adds

    def served_by(self, surface: Surface) -> bool:
        """Whether ``surface`` serves every element the fault is about (no drift variant needed)."""
        return set(self.requires) <= surface.elements

    def adds_to(self, surface: Surface) -> bool:
        """Whether this variant changes ``surface`` at all (a drift variant serving elements the
        surface serves natively, e.g. sortBy on 2026-08-18, adds nothing)."""
        return not self.serves or not set(self.serves) <= surface.elements


# -- hook helpers shared by the catalogues ----------------------------------------------------
def without_field(key: str) -> Callable[[dict], dict]:
    """An item hook that leaves ``key`` out of every campaign."""
    def hook(c: dict) -> dict:
        c.pop(key, None)
        return c
    return hook


def set_field(key: str, fn: Callable[[Any], Any]) -> Callable[[dict], dict]:
    """An item hook that replaces the value of ``key`` by ``fn(value)``."""
    def hook(c: dict) -> dict:
        if key in c:
            c[key] = fn(c[key])
        return c
    return hook
