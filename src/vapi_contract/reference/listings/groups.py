"""What the reference stores for a group of listings: the listings sharing their items (GET
/phone-number and GET /v2/phone-number list the same phone numbers: one :class:`Group`, one
table), the fields its filters read (a column each), how each ``sortBy`` value orders it
(:class:`Sort`), what ``search`` reads, and which of an item's fields are its own (drawn per item by
:mod:`.generate`) rather than a template's.

**Sort columns.**  ``createdAt`` / ``updatedAt``: the instants.  A number the item carries (Chat's
``cost``): its value, stored in ten-thousandths.  An enum the item carries (contacts' ``status``):
"the enum's declaration order rather than alphabetically".  ``position`` (contacts): the upload
order within the campaign, "which is also dial order".  A column the item does not carry (Chat's
``duration``; most listings' ``cost``): hidden, derived from the id (:func:`hidden_value`: many
ties, never changing), as the campaign listings' hidden cost / duration.

**Search**: the fields the description names ("search phone numbers by name, number, or SIP URI"
-> name, number, sipUri).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from . import relations as R
from .model import CAMPAIGN_LISTINGS, ContractReading, Listing, Schemas

COST_UNIT = 10_000  # a carried cost is stored in ten-thousandths of a dollar
ONLY_FOR = re.compile(r"Only relevant for ((?:`[\w.]+`(?:,\s*|\s+and\s+|\s+or\s+)?)+) type")


def hidden_value(item_id: str, column: str) -> int:
    """A hidden sort column's value (not served): derived from the id, 61 distinct values."""
    return (len(column) * 7919 + int(item_id[:8], 16)) % 61 * 30


@dataclass(frozen=True)
class Sort:
    """How one sortBy value orders a group's items."""

    name: str  # the sortBy value
    column: str  # its SQL column
    kind: str  # created | updated | carried (a number the item carries) | rank (an enum, in declaration order) | position | hidden


@dataclass
class Group:
    """Listings sharing their items (one table)."""

    key: str  # the path of its first listing
    listings: tuple[Listing, ...]
    schemas: Schemas = field(repr=False)
    parent: str | None = None  # the path of the listing whose items own these (a path parameter)
    filters: tuple[str, ...] = ()  # item fields (dotted for an object's property) with a column each
    sorts: tuple[Sort, ...] = ()
    search: tuple[str, ...] = ()  # the fields the search parameter reads
    flag: str | None = None  # the flag parameter's reading (FLAGS)
    references: tuple[R.Reference, ...] = ()
    controlled: frozenset[str] = frozenset()  # the item's own fields (never from a template)

    @property
    def first(self) -> Listing:
        return self.listings[0]

    @property
    def fields(self) -> dict[str, dict]:
        return self.first.fields

    def column(self, item_field: str) -> str:
        """The SQL column of a filtered field."""
        return "id" if item_field == "id" else f"f{self.filters.index(item_field)}"

    def sort(self, name: str) -> Sort:
        return next(s for s in self.sorts if s.name == name)


# -- reading the groups ---------------------------------------------------------------------------
def _search_fields(doc: str, fields: dict[str, dict]) -> tuple[str, ...]:
    """"search ... by name, number, or SIP URI (partial match ...)" -> (name, number, sipUri)."""
    m = re.search(r"\bby (?P<what>[^(.]+)", doc)
    words = [re.sub(r"\s+", "", w).lower() for w in re.split(r",|\bor\b", m["what"]) if w.strip()] if m else []
    lower = {f.lower(): f for f in fields}
    return tuple(lower[w] for w in words if w in lower)


def groups(reading: ContractReading, paths: Sequence[str]) -> list[Group]:
    """The groups of the listings at ``paths`` (the ones the reference generates)."""
    chosen = [x for x in reading.listings if x.path in paths]
    resources: dict[str, list[str]] = {}
    for x in reading.listings:
        resources.setdefault(x.resource, []).append(x.path)
    by_key: dict[tuple, list[Listing]] = {}
    for x in chosen:
        by_key.setdefault((x.resource, tuple(sorted(x.fields)), x.parent.field if x.parent else None), []).append(x)
    out = []
    for members in by_key.values():
        first = members[0]
        filters: list[str] = []
        sorts: dict[str, Sort] = {}
        search: tuple[str, ...] = ()
        flag = None
        for x in members:
            for p in (*x.params, *x.path_params):
                if p.role in ("equality", "list", "field") and p.field and p.field != "id" and p.field not in filters:
                    filters.append(p.field)
                elif p.role == "search":
                    search = _search_fields(p.doc, first.fields)
                elif p.role == "flag":
                    flag = p.name
            for name in x.sort_columns:
                sorts.setdefault(name, _sort(name, first.fields))
        parent = first.parent.field if first.parent else None
        # (a parent's id that is no item field, a contact's campaign, is kept in the parent column only)
        refs = [r for r in (R.reference(f, s, first.path, resources, parent) for f, s in first.fields.items()) if r]
        # the item's own fields: an object whose property a filter reads (target.type) stays the
        # template's, but for customer (drawn from the seed's customers: the filters need variety)
        controlled = {"id", "orgId", "createdAt", "updatedAt", *(f for f in filters if "." not in f), *search,
                      *(r.field for r in refs), *(s.name for s in sorts.values() if s.kind in ("carried", "rank")),
                      *(f for f, s in first.fields.items() if ONLY_FOR.search(str(s.get("description") or "")))}
        if any(ONLY_FOR.search(str(s.get("description") or "")) for s in first.fields.values()):
            controlled.add("type")
        if "customer" in first.fields:
            controlled.add("customer")
        if parent in CAMPAIGN_LISTINGS:  # a campaign's contacts: what Generator._contact draws
            controlled |= set(R.CONTACT_FIELDS)
        out.append(Group(first.path, tuple(members), reading.schemas, parent, tuple(filters), tuple(sorts.values()),
                         search, flag, tuple(refs), frozenset(c for c in controlled if c in first.fields)))
    return out


def _sort(name: str, fields: dict[str, dict]) -> Sort:
    if name in ("createdAt", "updatedAt"):
        return Sort(name, "created_ms" if name == "createdAt" else "updated_ms", name[:7])
    schema = fields.get(name) or {}
    if schema.get("type") in ("number", "integer"):
        return Sort(name, f"s_{name}", "carried")
    if isinstance(schema.get("enum"), list):
        return Sort(name, f"s_{name}", "rank")  # contacts' status: "the enum's declaration order"
    return Sort(name, f"s_{name}", "position" if name == "position" else "hidden")
