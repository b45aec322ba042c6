"""The array family's rules of reading: when a read holds everything its query selects, how a window
too large for one read is narrowed, and the relations between window reads that stand in for the
counts it does not have.

Doc lines (GET /call, GET /assistant, ...): "200 OK" ``{"type": "array", "items": Call}``;
limit: "This is the maximum number of items to return. Defaults to 100." (0-1000); the eight bounds
("createdAtLt: This will return items where the createdAt is less than the specified value.", ...).
The docs give no page, no metadata (no totalItems) and no order.  So:

* a read is **complete** (it holds every item its query selects) only when it returned fewer
  items than the limit: one of exactly ``limit`` items may have been cut, and which items a cut read
  holds is not documented (:func:`complete`);
* a window too large for one read is narrowed by the creation bounds, never by pages: the next
  window starts at the median creation instant the cut read showed (:func:`narrower`);
* count relations are judged on complete reads, as sets of items: ``createdAtLt=t`` and
  ``createdAtGe=t`` split a window into two disjoint reads whose union is the window; the declared
  values of an enum filter partition it (:func:`covers`); the two reads of the defaults hold the
  same items (:func:`same_items`).  Nothing is asserted about the order of a read.

Pure functions: references and observations in, a judgement out.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from .model import ItemKey, Judgement, Observation, Reference, Violation
from .filtering import METAMORPHIC
from .paging import DEFAULTS, moved_in_place


def complete(obs: Observation, limit: int) -> bool:
    """A 200 read at ``limit`` holds every item its query selects: it served fewer than ``limit``
    ("the maximum number of items to return": exactly ``limit`` may be a cut)."""
    return obs.status == 200 and obs.served_count < limit


def narrower(keys: Sequence[ItemKey], after_ms: int | None) -> int | None:
    """The new lower edge (exclusive) of a window whose read was cut: the median creation instant
    among the items it showed, so the narrower window (edge, before) excludes at least the items at
    or below it.  None when the read showed no instant above ``after_ms`` to cut at (nothing to
    narrow by: every item it showed shares the lowest instant)."""
    stamps = sorted({k.created_ms for k in keys if after_ms is None or k.created_ms > after_ms})
    if len(stamps) < 2:
        return None
    return stamps[(len(stamps) - 1) // 2]


def covers(whole: Reference, parts: Mapping[str, Reference], relation: str, locus: str,
           closing: Reference | None = None) -> Judgement:
    """Complete reads ``parts`` of one pinned window (each the window ANDed with one part of a
    split or a partition: ``createdAtLt=t`` / ``createdAtGe=t``, or each value of an enum filter)
    hold the window's items ``whole`` (an atomic complete read), each in exactly one part.

    A pinned set only shrinks: an item a part holds that the window did not is never movement, nor
    the same unchanged item in two parts.  An item of the window that no part holds is a violation
    when the window held still (``closing``, the window read again, shows the same versions; no
    ``closing``: taken as still), and when ``closing`` shows it unchanged; otherwise set aside."""
    exercised = frozenset({METAMORPHIC})
    versions = whole.versions
    seen: dict[str, list[str]] = {}
    for label, part in parts.items():
        for key in part.keys:
            seen.setdefault(key.id, []).append(label)
    extra = [i for i in seen if i not in versions]
    twice = [i for i, labels in seen.items() if len(labels) > 1 and _one_version(i, parts)]
    missing = [i for i in versions if i not in seen]
    still = closing is None or closing.versions == versions
    set_aside = 0
    if missing and not still:
        unchanged = {i for i, v in closing.versions.items() if versions.get(i) == v}
        kept = [i for i in missing if i in unchanged]
        set_aside = int(len(kept) < len(missing))
        missing = kept
    out = []
    sizes = ", ".join(f"{label}: {len(part.keys)}" for label, part in parts.items())
    if missing:
        out.append(Violation(METAMORPHIC, f"{relation}: {len(missing)} item(s) of the window in no part ({sizes}; the window "
                                          f"holds {len(whole.keys)}), e.g. {missing[0]}",
                             len(whole.keys), len(whole.keys) - len(missing), None, locus=locus))
    if extra:
        out.append(Violation(METAMORPHIC, f"{relation}: {len(extra)} item(s) in a part that the window does not hold "
                                          f"({sizes}), e.g. {extra[0]}", len(whole.keys), len(whole.keys) + len(extra),
                             None, locus=locus))
    if twice:
        out.append(Violation(METAMORPHIC, f"{relation}: {len(twice)} item(s) in two parts, e.g. {twice[0]} in "
                                          f"{' and '.join(seen[twice[0]])}", 1, len(seen[twice[0]]), None, locus=locus))
    return Judgement(out, still, set_aside, exercised)


def _one_version(item: str, parts: Mapping[str, Reference]) -> bool:
    """``item`` shows one version in every part holding it (an item that changed between two
    reads may have moved from one part to another)."""
    return len({v for part in parts.values() for k in part.keys if k.id == item for v in [k.version]}) == 1


def same_items(endpoint, bare: Observation, explicit: Observation, limit: int) -> Judgement:
    """No ``limit`` == ``limit`` at its documented default: two complete reads of one pinned
    window (fewer items than the default) hold the same items.  Read in this order, a pinned set
    only shrinks: an item the second read holds and the first lacks is never movement; one the
    second lacks (or an item in two versions) may be, and the pair is read again.  Not judged
    unless both reads are complete (then the order of neither is asserted: none is documented)."""
    if bare.status != 200 or explicit.status != 200 or not (complete(bare, limit) and complete(explicit, limit)):
        return Judgement()
    first, second = {k.id for k in bare.keys(endpoint)}, {k.id for k in explicit.keys(endpoint)}
    exercised = frozenset({DEFAULTS})
    moved = moved_in_place(endpoint, [bare, explicit])
    if first == second:
        return Judgement(exercised=exercised) if not moved else Judgement(still=False, set_aside=1)
    still = not (second < first) and not moved
    written = f"{endpoint.limit.name}={limit}"
    only = sorted(first ^ second)
    return Judgement([Violation(DEFAULTS, f"the answer without {endpoint.limit.name} holds {len(first)} item(s), with "
                                          f"{written} {len(second)}: {len(only)} differ, e.g. {only[0]}",
                                len(second), len(first), "", (bare, explicit), locus="the items held")],
                     still=still, exercised=exercised)


__all__ = ["complete", "covers", "narrower", "same_items"]
