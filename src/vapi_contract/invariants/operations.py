"""Two listings of the same campaigns agree: a metamorphic relation across operations.

GET /v2/campaign ("List Campaigns V2") takes the same query parameters as GET /campaign and lists
the same campaigns (as lighter CampaignSummary objects).  So, for one query read by both on pinned
data: the same totalItems, the same ids, and the same sequence of the order column (the order
inside a tie is free on each).  Two reads whose totals differ saw different data (the pinned set
shrank in between): nothing is judged, the caller reads again.
"""

from __future__ import annotations

from . import paging
from .model import Judgement, Observation, Violation

AGREE = "pagination.operations-agree"


def agree(endpoint, this: Observation, other: Observation, other_label: str, column: str) -> Judgement:
    """``this`` (an answer of ``endpoint``) and ``other`` (of ``other_label``): the same query
    answered by two listings."""
    this_label, ident, total = endpoint.label, endpoint.identity, endpoint.paging_meta.total_items
    if this.status != 200 or other.status != 200:
        return Judgement()
    if this.total_items != other.total_items or paging.moved_in_place(endpoint, [this, other]):
        return Judgement(still=False, set_aside=1)
    exercised = frozenset({AGREE})
    ids = [i.get(ident) for i in this.results]
    other_ids = [i.get(ident) for i in other.results]
    order = [i.get(column) for i in this.results]
    other_order = [i.get(column) for i in other.results]
    if set(ids) == set(other_ids) and len(ids) == len(other_ids) and order == other_order:
        return Judgement(exercised=exercised)
    missing, extra = sorted(set(ids) - set(other_ids), key=str), sorted(set(other_ids) - set(ids), key=str)
    if missing or extra:
        what = f"{len(missing)} of {this_label}'s items missing, {len(extra)} not in it"
    else:
        i = next(k for k, (a, b) in enumerate(zip(order, other_order)) if a != b)
        what = f"another order at position {i} ({column} {order[i]} vs {other_order[i]})"
    return Judgement([Violation(AGREE, f"{other_label} and {this_label} answer the same query differently: {what}",
                                {total: this.total_items, ident: ids[:3]},
                                {total: other.total_items, ident: other_ids[:3]}, endpoint.envelope.results_pointer, (this, other),
                                locus=f"{other_label}: " + ("other items" if missing or extra else "another order"))],
                     exercised=exercised)
