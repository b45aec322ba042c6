"""One answered request in its context (:class:`Call`), and every rule it can be judged on alone
(:func:`check_response`).

Used by every stage of a run and by the schemathesis check alike.  The rules, and the predicate
saying whether a call exercised each, are the single-response entries of the check registry
(:mod:`.registry`); what applies comes from the checked operation's Endpoint (its parameters'
types and enums, the sort column in force, the declared metadata fields).  A check that never
applied is reported as "not exercised", never as passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from . import inputs, paging
from .model import Observation, Violation
from .selection import filters_of


@dataclass
class Call:
    """One answered request of ``endpoint``, with what the rules need to know about it."""

    obs: Observation
    endpoint: object  # contract.endpoint.Endpoint
    validator: object  # contract.validator.Validator
    max_seconds: float
    # the query carries a cursor the server issued for this same query (a page of a cursor walk):
    # the query is judged without it, and nothing is asserted of its page metadata (the document
    # says nothing of currentPage, totalPages or hasNextPage on a cursor page)
    followed_cursor: bool = False
    # the (name, value) pairs of the query that only delimit what was read (the run's pins, a
    # window's bounds): judged like every parameter, but not what a finding says was tested
    scaffolding: frozenset = frozenset()

    @property
    def ok(self) -> bool:
        """A 2xx answer."""
        return 200 <= self.obs.status < 300

    @cached_property
    def verdict(self) -> inputs.Verdict:
        """How the contract classifies the query: valid, invalid or undecided."""
        params = self.obs.params
        if self.followed_cursor:
            params = tuple((k, v) for k, v in params if k != self.endpoint.cursor.param)
        return inputs.classify(self.endpoint, params)

    @property
    def valid(self) -> bool:
        return self.verdict.kind == inputs.VALID

    @cached_property
    def paging(self) -> paging.Paging | None:
        """The page, limit and order in force when the query is valid and answered 200."""
        if self.obs.status != 200 or not self.valid or self.followed_cursor:
            return None
        return paging.in_force(self.endpoint, self.obs.query)

    @cached_property
    def sort_column(self) -> tuple[str, bool]:
        """(the column the results are ordered by, whether the query names it with the sort parameter)."""
        sort = self.endpoint.sort
        value = self.obs.query.get(sort.name) if sort is not None else None
        if sort is not None and value in (sort.enum or ()):
            return value, True
        return self.endpoint.default_sort_column, False

    @cached_property
    def filters(self) -> dict:
        """The filters of a valid 2xx query (empty otherwise)."""
        return filters_of(self.endpoint, self.obs.params) if self.ok and self.valid else {}

    def carries(self, meta_field: str) -> bool:
        """The contract declares ``meta_field`` and this page's metadata holds it."""
        return self.endpoint.has_meta(meta_field) and meta_field in self.obs.metadata


def judge(obs: Observation, endpoint, validator, max_seconds: float, followed_cursor: bool = False) -> tuple[list[Violation], set[str]]:
    """Every single-response check that applies to ``endpoint``, on ``obs``: (violations, exercised)."""
    from .registry import single_response

    return check_response(Call(obs, endpoint, validator, max_seconds, followed_cursor), single_response(endpoint))


def check_response(call: Call, checks) -> tuple[list[Violation], set[str]]:
    """The violations ``call`` shows under ``checks`` (the registry's entries that apply to the
    endpoint), and the ids of the checks it exercised."""
    found: list[Violation] = []
    exercised: set[str] = set()
    for check in checks:
        if check.judge is not None and check.exercised_by(call):
            exercised.add(check.id)
            found += check.judge(call)
    return found, exercised
