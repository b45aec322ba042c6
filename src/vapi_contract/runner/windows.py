"""Windows: bounded slices of the organisation that fit one page, so a check never needs it all.

The listing is ordered by createdAt ("sortOrder: This is the sort order for pagination. Defaults
to 'DESC'." — by createdAt), so the campaigns strictly between the oldest and the newest createdAt
of one page of the pinned listing form a contiguous createdAt *window* of at most 998 campaigns:
a window read (its bounds and the run's pins at limit 1000) returns all of it in one answer, an
atomic reference that filter and walk checks compare with.  Windows are taken from the newest
page and from pages chosen with the run's seeded rng, so the cost of every check is independent
of the organisation's size, and the same seed reads the same windows of the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Sequence

from ..invariants.model import Observation, Reference
from ..query import MAX_LIMIT, CampaignKey, keys_of
from ..timeutil import format_ms
from .session import Params, Run

# the two equivalent ways to write each side of an exclusive createdAt range (ms precision)
_LOWER = (("createdAtGt", 0), ("createdAtGe", 1))
_UPPER = (("createdAtLt", 0), ("createdAtLe", -1))


@dataclass(frozen=True)
class Window:
    """Campaigns with after_ms < createdAt < before_ms (a side of None is unbounded)."""

    after_ms: int | None = None
    before_ms: int | None = None

    def bounds(self, filters: Params = ()) -> list[tuple[str, str]] | None:
        """The window's bounds for a query already using ``filters``: each side written with the
        parameter the filters leave free (createdAtGt=a is createdAtGe=a+1 ms); None when both
        forms of a side are taken."""
        used = {k for k, _ in filters}
        out: list[tuple[str, str]] = []
        for edge, forms in ((self.after_ms, _LOWER), (self.before_ms, _UPPER)):
            if edge is None:
                continue
            free = [(name, shift) for name, shift in forms if name not in used]
            if not free:
                return None
            name, shift = free[0]
            out.append((name, format_ms(edge + shift)))
        return out

    def describe(self) -> str:
        a = "-inf" if self.after_ms is None else format_ms(self.after_ms)
        b = "+inf" if self.before_ms is None else format_ms(self.before_ms)
        return f"createdAt in ({a}, {b})"


def interior(keys: Sequence[CampaignKey], first_page: bool, last_page: bool) -> Window:
    """The window strictly inside one page of the DESC listing (open-ended on the side where the
    page is the listing's first or last)."""
    stamps = [k.created_ms for k in keys]
    if not stamps:
        return Window()
    return Window(None if last_page else min(stamps), None if first_page else max(stamps))


def sub_window(reference: Sequence[CampaignKey], outer: Window, start: int, end: int) -> Window | None:
    """The window holding reference[start:end] (DESC order), with clean edges: the items either
    side must have other createdAt values, else None."""
    if not 0 <= start < end <= len(reference):
        return None
    if start > 0 and reference[start - 1].created_ms == reference[start].created_ms:
        return None
    if end < len(reference) and reference[end - 1].created_ms == reference[end].created_ms:
        return None
    before = reference[start - 1].created_ms if start > 0 else outer.before_ms
    after = reference[end].created_ms if end < len(reference) else outer.after_ms
    return Window(after, before)


def straddling_window(reference: Sequence[CampaignKey], outer: Window, limit: int, pages: int,
                      rng: random.Random) -> tuple[Window, int] | None:
    """A sub-window of about ``pages`` pages at ``limit`` in which campaigns sharing one createdAt
    straddle a page boundary (where an unstable tie order repeats or skips a campaign); a random
    sub-window when the data has no such tie.  Returns the window and its size."""
    size = pages * limit
    if len(reference) <= size:
        return (outer, len(reference)) if reference else None
    groups = [i for i in range(1, len(reference)) if reference[i].created_ms == reference[i - 1].created_ms
              and (i == 1 or reference[i - 2].created_ms != reference[i].created_ms)]
    candidates = []
    for g in (i - 1 for i in groups):  # g: first index of a tie group
        for boundary in range(1, pages):
            start = g + 1 - boundary * limit  # the page boundary falls right after the group's first item
            for end in (start + size, start + size + 1, start + size - 1):
                window = sub_window(reference, outer, start, end)
                if window is not None:
                    candidates.append((window, end - start))
                    break
    if candidates:
        return rng.choice(candidates[:8])
    for _ in range(20):
        start = rng.randrange(0, len(reference) - size + 1)
        window = sub_window(reference, outer, start, start + size)
        if window is not None:
            return window, size
    return None


@dataclass
class Slice:
    """One window of the organisation and its opening read."""

    window: Window
    opening: Observation
    reference: Reference
    asked: set = field(default_factory=set)  # filters already asked of this window

    def query(self, run: Run, filters: Params) -> list[tuple[str, str]] | None:
        """``filters`` inside this window, pinned; None when the window cannot be written beside them."""
        bounds = self.window.bounds(filters)
        if bounds is None:
            return None
        run.scaffold(bounds)
        return run.pinned([*filters, *bounds])


@dataclass
class Survey:
    """What a run knows of the organisation's size and the windows it has read (shared by the
    stages; each window costs two requests: a page of the listing and the window read)."""

    run: Run
    rng: random.Random
    head: Observation | None = None
    total: int | None = None
    slices: list[Slice] = field(default_factory=list)
    _pages_used: set = field(default_factory=set)
    _narrowed: dict = field(default_factory=dict)  # window index -> its filter sub-window (chosen once)

    def narrowed(self, index: int, narrow) -> Slice:
        """Window ``index`` narrowed once by ``narrow`` (the same sub-window on every later ask, so
        a filter is never asked twice of it)."""
        if index not in self._narrowed:
            self._narrowed[index] = narrow(self.slices[index])
        return self._narrowed[index]

    def open(self) -> None:
        """Page 1 of the pinned listing at limit 1000: the size of the organisation and window 0."""
        self.head = self.run.observe([*self.run.pinned([]), ("limit", str(MAX_LIMIT))])
        self.total = None if self.head.total_items is None else int(self.head.total_items)
        self._pages_used.add(1)
        if self.total == 0:
            unpinned = self.run.total([])
            if unpinned:
                self.run.note(f"all {unpinned} campaign(s) were created or changed after the run's snapshot "
                              f"{format_ms(self.run.snapshot_ms or 0)}: the checks that compare answers had nothing to compare")

    @property
    def pages(self) -> int:
        return max(1, -(-(self.total or 0) // MAX_LIMIT))

    def window(self, index: int) -> Slice | None:
        """Window ``index`` (0: the newest page; later ones: pages drawn with the run's rng),
        read on first use; None when the organisation has no more distinct pages."""
        while len(self.slices) <= index:
            if not self._add():
                return None
        return self.slices[index]

    def _add(self) -> bool:
        if self.head is None:
            self.open()
        if self.head.status != 200:
            return False
        if not self.slices:
            page, obs = 1, self.head
        else:
            free = [p for p in range(2, self.pages + 1) if p not in self._pages_used]
            if not free:
                return False
            page = self.rng.choice(free)
            self._pages_used.add(page)
            obs = self.run.observe([*self.run.pinned([]), ("limit", str(MAX_LIMIT)), ("page", str(page))])
            if obs.status != 200 or not obs.results:
                return False
        keys = keys_of(obs.results)
        window = interior(keys, first_page=page == 1, last_page=page >= self.pages)
        if window == Window():  # the whole organisation fits one page: that page is the reference
            self.slices.append(Slice(window, obs, Reference.of(obs)))
            return True
        self.run.scaffold(window.bounds())
        opening, reference = self.run.read(self.run.pinned(window.bounds()))
        if reference is None:
            return False
        if reference.total is not None and reference.total > len(reference.keys):
            # more than one page inside one page's interior: the page-size or bound checks of these
            # two answers say why; the window is no reference for anything else
            self.run.note(f"window {window.describe()} holds {reference.total} campaigns, more than one page: not used")
            return False
        self.slices.append(Slice(window, opening, reference))
        return True

