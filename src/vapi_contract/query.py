"""The documented meaning of GET /campaign's query parameters, as plain Python.

This is the oracle of the contract: which campaigns a query selects and in which order.  Both the
suite's invariants (every returned item satisfies the filters; nothing that matches is missing)
and the reference target's brute-force cross-check use it; the target itself answers with SQL.

Doc lines (List Campaigns, Query parameters):
  page      "This is the page number to return. Defaults to 1."            (double, >= 1)
  sortOrder "This is the sort order for pagination. Defaults to 'DESC'."   (ASC | DESC)
  limit     "This is the maximum number of items to return. Defaults to 100." (double, 0-1000)
  createdAtGt "This will return items where the createdAt is greater than the specified value."
  createdAtLt "... less than ...", createdAtGe "... greater than or equal to ...",
  createdAtLe "... less than or equal to ...", and the same four for updatedAt.
  id, status (ended | in-progress | scheduled): equality filters.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from .timeutil import parse_ms

DEFAULT_PAGE = 1
DEFAULT_LIMIT = 100
DEFAULT_SORT_ORDER = "DESC"
MAX_LIMIT = 1000
STATUSES = ("ended", "in-progress", "scheduled")
SORT_ORDERS = ("ASC", "DESC")


@dataclass(frozen=True)
class Bound:
    """One of the eight instant bounds, e.g. ``createdAtGe``: item.createdAt >= value."""

    param: str
    field: str
    op_name: str  # gt | lt | ge | le
    compare: Callable[[int, int], bool]

    @property
    def strict(self) -> bool:
        return self.op_name in ("gt", "lt")

    def holds(self, item_ms: int, bound_ms: int) -> bool:
        return self.compare(item_ms, bound_ms)


_OPS = {"gt": operator.gt, "lt": operator.lt, "ge": operator.ge, "le": operator.le}
BOUNDS: tuple[Bound, ...] = tuple(
    Bound(f"{field}{op.capitalize()}", field, op, fn)
    for field in ("createdAt", "updatedAt")
    for op, fn in _OPS.items()
)
BOUNDS_BY_PARAM: dict[str, Bound] = {b.param: b for b in BOUNDS}
EQUALITY_FILTERS = ("id", "status")
FILTER_PARAMS = EQUALITY_FILTERS + tuple(BOUNDS_BY_PARAM)
PAGING_PARAMS = ("page", "sortOrder", "limit")
ALL_PARAMS = ("id", "status", "page", "sortOrder", "limit") + tuple(BOUNDS_BY_PARAM)


def filters_of(params: Mapping[str, Any]) -> dict[str, Any]:
    """The filtering part of a query (drops paging parameters and unknown names)."""
    return {k: v for k, v in params.items() if k in FILTER_PARAMS and v is not None}


class CampaignKey(NamedTuple):
    """What the oracles need of a campaign once its page has been validated: its id, status and
    the two instants (ms).  A run keeps these, never whole campaign objects, so its memory does
    not grow with the organisation."""

    id: str
    status: Any
    created_ms: int
    updated_ms: int

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> "CampaignKey | None":
        """The key of a served campaign; None when an instant is malformed (the shape check's
        finding, not the oracle's)."""
        try:
            return cls(item["id"], item.get("status"), parse_ms(item["createdAt"]), parse_ms(item["updatedAt"]))
        except (KeyError, TypeError, ValueError):
            return None


def keys_of(items: Iterable[Mapping[str, Any]]) -> list[CampaignKey]:
    return [k for k in map(CampaignKey.of, items) if k is not None]


def selector(params: Mapping[str, Any]) -> Callable[[CampaignKey], bool]:
    """The documented meaning of the filters of ``params`` as a predicate on campaign keys
    (filters are ANDed; bounds compare at millisecond precision, offsets honoured)."""
    tests: list[Callable[[CampaignKey], bool]] = []
    for name, value in filters_of(params).items():
        if name in EQUALITY_FILTERS:
            tests.append(lambda k, n=name, v=value: getattr(k, n) == v)
            continue
        bound = BOUNDS_BY_PARAM[name]
        at, attr = parse_ms(value), "created_ms" if bound.field == "createdAt" else "updated_ms"
        tests.append(lambda k, b=bound, a=attr, t=at: b.holds(getattr(k, a), t))
    return lambda key: all(test(key) for test in tests)


def item_matches(item: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
    """True when ``item`` (a served campaign) satisfies every filter in ``params``.  Raises
    InvalidInstant / KeyError on a malformed campaign."""
    names = filters_of(params)
    created = parse_ms(item["createdAt"]) if any(n.startswith("createdAt") for n in names) else 0
    updated = parse_ms(item["updatedAt"]) if any(n.startswith("updatedAt") for n in names) else 0
    key = CampaignKey(item.get("id"), item.get("status"), created, updated)
    return selector(params)(key)


def order_key(item: Mapping[str, Any]) -> int:
    """The documented order of a listing: by createdAt (ties may come in any order)."""
    return parse_ms(item["createdAt"])


def expected_selection(
    items: Iterable[Mapping[str, Any]], params: Mapping[str, Any]
) -> list[Mapping[str, Any]]:
    """All items matching the filters of ``params``, ordered by createdAt in the requested
    direction with ``id`` as tiebreak (the reference target's total order)."""
    desc = params.get("sortOrder", DEFAULT_SORT_ORDER) == "DESC"
    chosen = [it for it in items if item_matches(it, params)]
    chosen.sort(key=lambda it: (order_key(it), it["id"]), reverse=desc)
    return chosen


# --------------------------------------------------------------------------------------------
# Which queries the docs make valid, invalid, or leave open
# --------------------------------------------------------------------------------------------
import math  # noqa: E402
import re  # noqa: E402
from collections import Counter  # noqa: E402

from .timeutil import is_rfc3339  # noqa: E402

VALID, INVALID, UNDECIDED = "valid", "invalid", "undecided"
_DIGITS = re.compile(r"^[0-9]{1,15}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE_ISH = re.compile(r"^[+-]?\d{4,6}(-\d{2}){0,2}([T ].*)?$")


@dataclass(frozen=True)
class Verdict:
    """How the docs classify a query: valid (must be 200), invalid (must be 4xx), or undecided
    (the docs are silent: only "no 5xx, valid shape" may be asserted)."""

    kind: str
    reasons: tuple[str, ...] = ()


def _number(name: str, text: str, low: float, high: float) -> tuple[str, str]:
    if _DIGITS.match(text):
        value = int(text)
        if low <= value <= high:
            return VALID, ""
        return INVALID, f"{name}={text} outside {low:g}..{high:g}"
    try:
        value = float(text)
    except ValueError:
        if text.strip() == "":
            return UNDECIDED, f"{name} empty"
        return INVALID, f"{name}={text!r} is not a number"
    if math.isnan(value) or math.isinf(value):
        return INVALID, f"{name}={text!r} is not a finite number"
    if value < low or value > high:
        return INVALID, f"{name}={text} outside {low:g}..{high:g}"
    return UNDECIDED, f"{name}={text!r}: the docs do not say how a non-integer {name} is treated"


def _model(model):
    if model is None:
        from .contract.endpoint import EndpointModel

        return EndpointModel.pinned()
    return model


def _one(name: str, text: str, model) -> tuple[str, str]:
    """One parameter as sent, by the type, range and enum the contract declares for it.  Where the
    docs are silent the verdict is undecided: a non-UUID id ("idstringOptional"), limit=0, a
    fractional number, the case of an order value, an empty enum value."""
    p = model.param(name)
    if p is None:
        return UNDECIDED, f"undocumented parameter {name!r}"
    if name == "id":
        if _UUID.match(text):
            return VALID, ""
        return UNDECIDED, "id that is not a UUID: the docs type it only as string"
    if p.type in ("number", "integer"):
        low = p.minimum if p.minimum is not None else -math.inf
        high = p.maximum if p.maximum is not None else math.inf
        kind, why = _number(name, text, low, high)
        if name == "limit" and kind == VALID and int(text) == 0:
            return UNDECIDED, "limit=0: the docs allow it but do not say what it returns"
        return kind, why
    if p.enum is not None:
        values = tuple(p.enum)
        if text in values:
            return VALID, ""
        if model.role(name) in ("order", "sort"):
            if text == "" or text.upper() in {v.upper() for v in values}:
                return UNDECIDED, f"{name}={text!r}: case/emptiness not specified"
            return INVALID, f"{name}={text!r} not in {values}"
        return (UNDECIDED, f"{name} empty") if text == "" else (INVALID, f"{name}={text!r} not in {values}")
    if p.format == "date-time":
        if is_rfc3339(text):
            return VALID, ""
        if _DATE_ISH.match(text):
            return UNDECIDED, f"{name}={text!r}: ISO 8601 but not RFC 3339 date-time"
        return INVALID, f"{name}={text!r} is not a date-time"
    if p.type == "string" and not p.format:
        return VALID, ""
    return UNDECIDED, f"{name}={text!r}: the docs do not say how a {p.type or 'untyped'} {name} is read"


def classify(params: Iterable[tuple[str, str]], model=None) -> Verdict:
    """Classify a query (as sent: name/value pairs) by the types, ranges and enums the contract
    declares (``model``: an :class:`~vapi_contract.contract.endpoint.EndpointModel`; the pinned
    contract's when None)."""
    model = _model(model)
    pairs = list(params)
    counts = Counter(name for name, _ in pairs)
    invalid, undecided = [], []
    for name, n in counts.items():
        if n > 1:
            undecided.append(f"{name} repeated")
    for name, value in pairs:
        kind, why = _one(name, str(value), model)
        (invalid if kind == INVALID else undecided if kind == UNDECIDED else []).append(why)
    if invalid:
        return Verdict(INVALID, tuple(invalid))
    if undecided:
        return Verdict(UNDECIDED, tuple(undecided))
    return Verdict(VALID)


@dataclass(frozen=True)
class Paging:
    page: int
    limit: int
    sort_order: str

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def paging_of(params: Mapping[str, Any], model=None) -> Paging | None:
    """The page, limit and order in force for a valid query (the contract's defaults applied);
    None when the query leaves them undecided (non-integer, limit=0, invalid)."""
    model = _model(model)
    page_text = str(params.get("page", model.default("page", DEFAULT_PAGE)))
    limit_text = str(params.get("limit", model.default("limit", DEFAULT_LIMIT)))
    sort = params.get("sortOrder", model.default("sortOrder", DEFAULT_SORT_ORDER))
    if not (_DIGITS.match(page_text) and _DIGITS.match(limit_text)) or sort not in SORT_ORDERS:
        return None
    page, limit = int(page_text), int(limit_text)
    limit_param = model.param("limit")
    max_limit = limit_param.maximum if limit_param is not None and limit_param.maximum is not None else MAX_LIMIT
    if page < 1 or not 1 <= limit <= max_limit:
        return None
    return Paging(page, limit, sort)
