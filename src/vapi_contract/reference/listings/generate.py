"""The items of the generated listings: valid against their item schema, with realistic relations,
deterministic in the seed, 100,000 of one listing in a few seconds.

Items are made per group of listings sharing them (:mod:`.groups`).  Most of an item comes from a
*template* (:mod:`.values`: an instance of the item schema, every alternative of a union in turn,
its JSON text serialised once).  The fields the listing's semantics read are the item's own, drawn per item
and spliced in front of the template's text (the way ``reference/seed.py`` splices its campaign
fragments): identity, ``orgId``, ``createdAt`` / ``updatedAt``, every field a filter, a bound, the
sort or the search reads, every reference to another listing (:mod:`.relations`), the path
parameters' fields.  A field the template's alternative does not declare is never set (a SIP
phone number has no ``number``).

**Doc lines honoured** besides the relations:

* "Only relevant for `outboundPhoneCall` and `inboundPhoneCall` type" (Call.phoneNumberId,
  customer, ...): set only on phone calls; a call with a phone number is a phone call;
* CampaignContactWithOutcome.status follows its campaign's status, as GET /v2/campaign's
  contactCounters do (``reference/summary.py``): all ``contact.pending`` while the campaign is
  scheduled, pending / dispatched / an outcome while it runs, an outcome once it has ended; a
  dispatched or finished contact has ``dispatchedAt`` and a ``callId`` of GET /call;
* contacts are numbered in upload order within their campaign (sortBy ``position``: "the order
  contacts were uploaded, which is also dial order"); a few campaigns of each organisation hold
  most of them.

**Instants**: createdAt over two years with exact ties (2-4 items sharing a millisecond) and 1 ms
neighbours, updatedAt >= createdAt (a quarter equal), as the campaign seed draws them; an item
without the field (EvalRun has no updatedAt) keeps the instant hidden: the bounds still read it.
Items are made in two phases: who exists (:class:`Keys`: ids, organisations, instants, parents)
for every group first, then the bodies, group by group in :meth:`Generator.order` (what an item
refers to or inherits from first), so that a reference always names an item that exists.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, NamedTuple, Sequence

from ..seed import ORG_A, ORG_B, ORG_IDS, _created_stamps, _light_customers, _uuid
from . import relations as R
from .groups import COST_UNIT, Group, Sort, hidden_value
from .model import CAMPAIGN_LISTINGS
from .values import FIRST_NAMES, Template, instant, only_for, phone, sip, skewed, templates, value

DEFAULT_ITEMS = 300  # per listing
ORG_B_SHARE = 0.15
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class Row(NamedTuple):
    """One stored item: its columns and its JSON text (a tuple: 100,000 of them are made at once)."""

    org: str
    id: str
    parent: str
    created_ms: int
    updated_ms: int
    seq: int  # its position among its parent's items (upload order)
    sorts: tuple[int, ...]  # aligned with the group's sorts
    filters: tuple[Any, ...]  # aligned with the group's filters
    search: str
    flag: int
    body: str


@dataclass
class Keys:
    """The items of a group, before their bodies: who exists, in which organisation, since when."""

    ids: dict[str, list[str]]  # org -> ids, newest first (what references draw from)
    created: dict[str, int]  # id -> createdAt (ms)
    parents: dict[str, str] = field(default_factory=dict)  # id -> its parent's id
    _ages: dict[str, list[int]] = field(default_factory=dict)  # org -> -createdAt of ids, in their order

    def before(self, org: str, created: int, n: int) -> list[str]:
        """The ``n`` newest ids of ``org`` created strictly before ``created``."""
        ages = self._ages.get(org)
        if ages is None:
            ages = self._ages[org] = [-self.created[c] for c in self.ids.get(org, ())]
        start = bisect.bisect_right(ages, -created)
        return self.ids.get(org, [])[start:start + n]


class Generator:
    """Makes the rows of every group, deterministically in ``seed``: :meth:`order` says in which
    order to ask for them (what an item refers to or inherits from comes first).

    ``counts``: items per listing (an int, or path -> int with "*" for the others);
    ``campaigns``: org -> [(id, status, created_ms)] of the campaign listings (the contacts'
    parents; what ``campaignId`` refers to)."""

    def __init__(self, groups_: Sequence[Group], seed: int, counts: Mapping[str, int] | int,
                 campaigns: Mapping[str, Sequence[tuple[str, str, int]]]):
        self.groups = {g.key: g for g in groups_}
        self.by_path = {x.path: g for g in groups_ for x in g.listings}
        self.seed = seed
        self.counts = counts
        self.campaigns = {org: list(rows) for org, rows in campaigns.items()}
        self.campaign_status = {cid: status for rows in self.campaigns.values() for cid, status, _ in rows}
        self._campaign_ids = {org: [cid for cid, _, _ in sorted(rows, key=lambda r: -r[2])] for org, rows in self.campaigns.items()}
        self.inherited: dict[str, dict[str, dict[str, Any]]] = {}  # group -> id -> its target fields
        self.pools = {org: [_uuid(random.Random(f"{seed}:pool:{org}:{i}")) for i in range(R.POOL_SIZE)]
                      for org in (ORG_A, ORG_B)}
        self._listed: dict[str, frozenset[str]] = {}
        self.plans = {g.key: _Plan.of(g, self) for g in groups_}
        self.keys: dict[str, Keys] = {}
        for g in self.order():
            self.keys[g.key] = self._keys(g)

    def count(self, group: Group) -> int:
        if isinstance(self.counts, int):
            return self.counts
        return max(self.counts.get(x.path, self.counts.get("*", DEFAULT_ITEMS)) for x in group.listings)

    def group_of(self, path: str | None) -> Group | None:
        return self.by_path.get(path) if path else None

    def order(self) -> list[Group]:
        """Parents and referred-to groups before the groups referring to them (cycles broken)."""
        done: list[Group] = []
        visiting: set[str] = set()

        def visit(g: Group) -> None:
            if g in done or g.key in visiting:
                return
            visiting.add(g.key)
            for path in (g.parent, *(r.target for r in g.references if not r.earlier)):
                other = self.group_of(path)
                if other is not None and other is not g:
                    visit(other)
            done.append(g)

        for g in self.groups.values():
            visit(g)
        return done

    # -- phase 1: who exists ------------------------------------------------------------------
    def _parents(self, group: Group) -> dict[str, list[tuple[str, int]]]:
        """org -> [(parent id, its createdAt)], newest first."""
        parent = self.group_of(group.parent)
        if parent is not None:
            keys = self.keys[parent.key]
            return {org: [(i, keys.created[i]) for i in ids] for org, ids in keys.ids.items()}
        return {org: sorted(((cid, created) for cid, _, created in rows), key=lambda r: -r[1])
                for org, rows in self.campaigns.items()}

    def _keys(self, group: Group) -> Keys:
        rng = random.Random(f"{self.seed}:{group.key}:keys")
        n = self.count(group)
        stamps = _created_stamps(rng, n)
        parents = self._parents(group) if group.parent else {}
        ids: dict[str, list[str]] = {ORG_A: [], ORG_B: []}
        created: dict[str, int] = {}
        owner: dict[str, str] = {}
        for i in range(n):
            org = ORG_B if rng.random() < ORG_B_SHARE else ORG_A
            cid = _uuid(rng)
            while cid in created:
                cid = _uuid(rng)
            stamp = stamps[i]
            if group.parent is not None:
                if not parents.get(org):
                    org = ORG_A if org == ORG_B else ORG_B
                if not parents.get(org):
                    continue  # no parent at all: no item can exist
                pid, pcreated = skewed(parents[org], rng)
                owner[cid] = pid
                stamp = max(stamp, pcreated)  # nothing of a parent exists before it
            ids[org].append(cid)
            created[cid] = stamp
        for org in ids:
            ids[org].sort(key=lambda c: (-created[c], c))
        return Keys(ids, created, owner)

    # -- phase 2: the items -------------------------------------------------------------------
    def rows(self, group: Group) -> Iterator[Row]:
        """Every row of ``group``, oldest first per organisation."""
        rng = random.Random(f"{self.seed}:{group.key}:items")
        keys = self.keys[group.key]
        seq: dict[str, int] = {}
        for org in (ORG_A, ORG_B):
            for index, cid in enumerate(reversed(keys.ids[org])):
                created = keys.created[cid]
                roll = rng.random()
                updated = created if roll < 0.25 else created + (1 if roll < 0.3 else rng.randrange(1, 90 * 86_400_000))
                parent = keys.parents.get(cid, "")
                seq[parent] = seq.get(parent, -1) + 1
                yield self.row(group, rng, org, cid, created, updated, parent, seq[parent], index)

    def row(self, group: Group, rng: random.Random, org: str, cid: str, created: int, updated: int, parent: str,
            position: int, index: int) -> Row:
        """One item of ``group`` (also what churn creates: :mod:`.churn`)."""
        plan = self.plans[group.key]
        shape = plan.shapes[index % len(plan.shapes)]
        template = shape.template
        own: dict[str, Any] = {}
        if shape.identity:
            own["id"] = cid
        if shape.org:
            own["orgId"] = ORG_IDS[org]
        if shape.created:
            own["createdAt"] = instant(created)
        if shape.updated:
            own["updatedAt"] = instant(updated)
        if shape.references:
            self._references(shape, rng, org, created, parent, own)
        dropped = self._call_type(plan, rng, own) if plan.call_types else ()
        for name, draw in shape.drawn:
            if name not in own and name not in dropped:
                v = draw(rng, index)
                if v is not _ABSENT:
                    own[name] = v
        if plan.contacts:
            self._contact(rng, parent, created, own)
        for name, v in shape.required:  # a field the rules left out that the alternative requires
            if name not in own:
                own[name] = v
        if shape.type is not _ABSENT and "type" not in own:
            own["type"] = shape.type
        if plan.inherited_from:
            self.inherited.setdefault(group.key, {})[cid] = {t: own.get(t) for t in R.TARGETS}
        head = _dumps(own)
        body = (head[:-1] + "," if len(head) > 2 else "{") + template.text + "}" if template.text else head
        filters = tuple([_column_value(own.get(f) if root is None else
                                       (_dig(own[root], rest) if root in own else shape.nested.get(f)))
                         for f, root, rest in plan.filters]) if plan.filters else ()
        sorts = tuple([_sort_value(s, group, own, cid, created, updated, position) for s in group.sorts]) \
            if group.sorts else ()
        search = " ".join([v for f in group.search if isinstance(v := own.get(f), str)]).lower() if group.search else ""
        flag = int(cid not in self.listed_ids(group)) if group.flag is not None else 0
        return Row(org, cid, parent, created, updated, position, sorts, filters, search, flag, body)

    def _drawer(self, group: Group, name: str, schema: dict) -> Callable[[random.Random, int], Any]:
        """How field ``name`` of an item is drawn (once per group)."""
        if name == "customer":
            return lambda rng, i: _light_customers(rng, 1)[0]
        if name == "number" and name in group.search:
            return lambda rng, i: phone(rng)
        if name == "sipUri":
            return lambda rng, i: sip(rng)
        for listing in group.listings:  # a path parameter's field: one of its values
            p = next((q for q in listing.path_params if q.field == name and q.enum), None)
            if p is not None:
                values = p.enum
                return lambda rng, i: rng.choice(values)
        sort = next((s for s in group.sorts if s.name == name), None)
        if sort is not None and sort.kind == "carried":
            return lambda rng, i: rng.randrange(0, 400) * 25 / COST_UNIT  # many ties
        if schema.get("type") == "string" and name.endswith("Id") and not schema.get("enum") \
                and not schema.get("pattern"):
            return lambda rng, i: _uuid(rng)  # the identifier of something no listing lists (resourceId)
        return lambda rng, i: value(schema, rng, i)

    def _references(self, shape: "_Shape", rng: random.Random, org: str, created: int, parent: str, own: dict) -> None:
        skip: set[str] = set()
        if shape.targets:  # "Only one of assistantId, workflowId, or squadId can be used"
            chosen = shape.target_choice[bisect.bisect(shape.target_weights, rng.random() * shape.target_weights[-1])]
            skip.update(f for f in shape.targets if f != chosen)
        for a, b in shape.exclusive:  # "Mutually exclusive with previousChatId"
            roll = rng.random() * 100
            chosen = a if roll < R.EXCLUSIVE_WEIGHTS[0] else b if roll < sum(R.EXCLUSIVE_WEIGHTS) else None
            skip.update({a, b} - {chosen})
        for ref in shape.references:
            if ref.field not in skip:
                v = self._reference(ref, shape.required_fields, rng, org, created, parent)
                if v is not None:
                    own[ref.field] = v
        for name, target in shape.inheriting:  # the target of the session it is in / the chat it continues
            shared = self.inherited.get(target, {}).get(own.get(name))
            if shared:
                for t in shape.targets:
                    own.pop(t, None)
                    if shared.get(t) is not None:
                        own[t] = shared[t]

    def _reference(self, ref: R.Reference, required: frozenset[str], rng: random.Random, org: str, created: int,
                   parent: str) -> Any:
        if ref.parent:
            return parent or None
        if ref.target is None:
            return skewed(self.pools[org], rng)
        target = self.group_of(ref.target)
        if target is None:
            pool = self._campaign_ids.get(org, []) if ref.target in CAMPAIGN_LISTINGS else []
        else:
            keys = self.keys.get(target.key)
            if keys is None:
                pool = []
            elif ref.earlier:  # an earlier item: one of the 50 before it
                pool = keys.before(org, created, 50)
            else:
                pool = keys.ids.get(org, [])
        if not pool:
            return [] if ref.many else None
        if ref.many:
            return sorted({skewed(pool, rng) for _ in range(rng.randint(0, 3))})
        if ref.field not in required and rng.random() < 0.15:
            return None  # an optional reference left out now and then
        return skewed(pool, rng)

    def _call_type(self, plan: "_Plan", rng: random.Random, own: dict) -> set[str]:
        """"Only relevant for `outboundPhoneCall` and `inboundPhoneCall` type": ``type`` drawn (a
        call with a phone number is a phone call), the fields not relevant to it left out."""
        kinds, others = plan.call_types
        own["type"] = rng.choice(kinds) if own.get("phoneNumberId") is not None else rng.choice(others)
        dropped = {f for f, allowed in plan.only.items() if own["type"] not in allowed}
        for name in dropped:
            own.pop(name, None)
        return dropped

    def _contact(self, rng: random.Random, parent: str, created: int, own: dict) -> None:
        """A contact of campaign ``parent``: its state follows the campaign's status."""
        status = self.campaign_status.get(parent, "scheduled")
        if status == "scheduled":
            state = "contact.pending"
        elif status == "in-progress":
            state = rng.choice(("contact.pending", "contact.dispatched", "outcome"))
        else:
            state = "outcome"
        if state == "outcome":
            state = rng.choice(R.CONTACT_OUTCOMES)
        own["status"] = state
        own["number"] = phone(rng)
        own["name"] = f"{rng.choice(FIRST_NAMES)} {rng.choice('ABCDEFGHJK')}."
        if state in ("contact.pending", "contact.skipped", "contact.predial-failed"):
            own.pop("callId", None)
        else:
            own["dispatchedAt"] = instant(created + rng.randrange(60_000, 7 * 86_400_000))
        if state in ("contact.completed", "contact.failed"):
            own["endedReason"] = "customer-ended-call" if state == "contact.completed" else "customer-did-not-answer"

    def listed_ids(self, group: Group) -> frozenset[str]:
        """The ids of ``group``'s items that another group's items list in an array reference
        (the simulations a suite lists: ``standaloneOnly=true`` keeps the others)."""
        if group.key not in self._listed:
            listed: set[str] = set()
            paths = {x.path for x in group.listings}
            for other in self.groups.values():
                for ref in other.references:
                    if ref.many and ref.target in paths and other is not group:
                        for row in self.rows(other):
                            listed.update(json.loads(row.body).get(ref.field) or ())
            self._listed[group.key] = frozenset(listed)
        return self._listed[group.key]


_ABSENT = object()


@dataclass(frozen=True)
class _Shape:
    """What one template makes of an item (read once per group and template)."""

    template: Template
    identity: bool
    org: bool
    created: bool
    updated: bool
    references: tuple[R.Reference, ...]  # those the template's alternative declares
    targets: tuple[str, ...]  # the assistantId / squadId / workflowId it declares, when two or more
    target_choice: tuple[str | None, ...]
    target_weights: tuple[float, ...]  # cumulative
    exclusive: tuple[tuple[str, str], ...]
    inheriting: tuple[tuple[str, str], ...]  # (field, the group key it inherits its target from)
    drawn: tuple[tuple[str, Callable], ...]
    required: tuple[tuple[str, Any], ...]  # the template's values of fields its alternative requires
    required_fields: frozenset[str]
    type: Any  # the template's type (a tool's, an insight's), or _ABSENT
    nested: Mapping[str, Any]  # the template's values of the filtered properties of its objects


@dataclass(frozen=True)
class _Plan:
    """What is read once per group to make its items (not per item)."""

    shapes: tuple[_Shape, ...]
    filters: tuple[tuple[str, str | None, str], ...]  # (field, its object or None, the rest of the path)
    only: Mapping[str, list[str]]  # field -> the call types it is "Only relevant for"
    call_types: tuple | None  # (the types those fields are relevant for, the other types), or None
    contacts: bool  # a campaign's contacts (their status follows the campaign's)
    inherited_from: bool  # some group's items take their target from this group's (sessions, chats)

    @classmethod
    def of(cls, group: Group, generator: "Generator") -> "_Plan":
        references = {r.field: r for r in group.references}
        paths = {x.path for x in group.listings}
        only = {f: kinds for f, s in group.fields.items() if (kinds := only_for(s)) is not None}
        enum = [v for v in (group.fields.get("type") or {}).get("enum") or () if v is not None]
        kinds = sorted({k for ks in only.values() for k in ks if k in enum})
        call_types = (tuple(kinds), tuple(v for v in enum if v not in kinds) or tuple(enum)) if kinds else None
        contacts = group.parent in CAMPAIGN_LISTINGS
        drawers = {n: generator._drawer(group, n, group.fields[n]) for n in group.fields
                   if n in group.controlled and n not in references and n != "type" and n not in only
                   and not (contacts and n in R.CONTACT_FIELDS)}
        filters = tuple((f, *((None, f) if "." not in f else f.split(".", 1))) for f in group.filters)
        exclusive = tuple(R.exclusive(group.fields))
        shapes = []
        for template in templates(group):
            declared = template.declared
            refs = tuple(r for r in group.references if r.field in declared)
            targets = tuple(f for f in R.TARGETS if f in {r.field for r in refs})
            options = [(f, w) for f, w in R.TARGET_WEIGHTS if f is None or f in targets] if len(targets) >= 2 else []
            cumulative = tuple(itertools.accumulate(w for _, w in options))
            drawn = [(n, d) for n, d in drawers.items() if n in declared]
            drawn += [(n, (lambda v: lambda rng, i: v)(template.own[n])) for n in only if n in declared
                      and n in template.own and n != "type"]
            inheriting = tuple((n, generator.group_of(references[n].target).key) for n in R.INHERITING
                               if n in references and n in declared and generator.group_of(references[n].target))
            nested = {f: _dig(template.view, f) for f, root, _ in filters if root is not None}
            shapes.append(_Shape(
                template, "id" in declared, "orgId" in declared, "createdAt" in declared, "updatedAt" in declared,
                refs, targets if options else (), tuple(f for f, _ in options), cumulative,
                tuple((a, b) for a, b in exclusive if a in declared and b in declared), inheriting, tuple(drawn),
                tuple((n, template.own[n]) for n in sorted(template.required) if n in template.own),
                template.required, template.own.get("type", _ABSENT), nested))
        return cls(tuple(shapes), filters, only, call_types, contacts,
                   any(r.target in paths and r.field in R.INHERITING for g in generator.groups.values()
                       for r in g.references))


def _sort_value(sort: Sort, group: Group, own: Mapping[str, Any], cid: str, created: int, updated: int,
                position: int) -> int:
    kind = sort.kind
    if kind == "hidden":
        return hidden_value(cid, sort.name)
    if kind == "created":
        return created
    if sort.kind == "updated":
        return updated
    if sort.kind == "carried":
        v = own.get(sort.name)
        return round(v * COST_UNIT) if isinstance(v, (int, float)) and not isinstance(v, bool) else -1
    if sort.kind == "rank":
        enum = list(group.fields.get(sort.name, {}).get("enum") or ())
        v = own.get(sort.name)
        return enum.index(v) if v in enum else len(enum)
    if sort.kind == "position":
        return position
    return hidden_value(cid, sort.name)


def _dig(view: Any, dotted: str) -> Any:
    node: Any = view
    for part in dotted.split("."):
        if type(node) is not dict:
            return None
        node = node.get(part)
    return node


def _column_value(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (str, int, float)) or v is None:
        return v
    return None
