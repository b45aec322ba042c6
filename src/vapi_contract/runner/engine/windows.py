"""Windows: bounded slices of the organisation that fit one page, so a check never needs it all.

The listing is ordered by the creation instant ("sortOrder: This is the sort order for
pagination. Defaults to 'DESC'." — by createdAt), so the items strictly between the oldest and the
newest createdAt of one page of the pinned listing at the maximum limit (1000) form a contiguous
createdAt *window* of at most 998 items: a window read (its bounds and the run's pins at the
maximum limit) returns all of it in one answer, an atomic reference that filter and walk checks
compare with.  Windows are taken from the newest page and from pages chosen with the run's seeded
rng, so the cost of every check is independent of the organisation's size, and the same seed
reads the same windows of the same data.

The array family (GET /call, ...) has no page and no documented order: its windows are cut by the
creation bounds alone.  Window 0 is the newest items, each later one the items just older than
the window before; a read of the maximum limit may be cut (``arrays.complete``), so a window is
narrowed at the median instant its read showed (``arrays.narrower``) until its read is complete.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Sequence

from typing import TYPE_CHECKING

from ...invariants import ItemKey, Observation, Reference, arrays
from ...timeutil import format_ms

if TYPE_CHECKING:  # the context holds the survey; the survey reads through it
    from .context import Params, RunContext

NARROWINGS = 12  # reads an array-family window is narrowed by at most (each halves what the cut read showed)
# the two equivalent ways to write each side of an exclusive range (ms precision): (op, shift)
_LOWER = (("gt", 0), ("ge", 1))
_UPPER = (("lt", 0), ("le", -1))


@dataclass(frozen=True)
class Window:
    """Items with after_ms < created < before_ms (a side of None is unbounded), written with the
    endpoint's bounds on the creation instant."""

    endpoint: object
    after_ms: int | None = None
    before_ms: int | None = None

    @property
    def unbounded(self) -> bool:
        return self.after_ms is None and self.before_ms is None

    def contains(self, key: ItemKey) -> bool:
        return (self.after_ms is None or key.created_ms > self.after_ms) and \
            (self.before_ms is None or key.created_ms < self.before_ms)

    def bounds(self, filters: Params = ()) -> list[tuple[str, str]] | None:
        """The window's bounds for a query already using ``filters``: each side written with the
        parameter the filters leave free (createdAtGt=a is createdAtGe=a+1 ms); None when both
        forms of a side are taken."""
        used = {k for k, _ in filters}
        out: list[tuple[str, str]] = []
        created = self.endpoint.created
        for edge, ops in ((self.after_ms, _LOWER), (self.before_ms, _UPPER)):
            if edge is None:
                continue
            forms = [(b.param, shift) for op, shift in ops for b in [self.endpoint.bound_for(created, op)] if b is not None]
            free = [(name, shift) for name, shift in forms if name not in used]
            if not free:
                return None
            name, shift = free[0]
            out.append((name, format_ms(edge + shift)))
        return out

    def describe(self) -> str:
        a = "-inf" if self.after_ms is None else format_ms(self.after_ms)
        b = "+inf" if self.before_ms is None else format_ms(self.before_ms)
        return f"{self.endpoint.created} in ({a}, {b})"


def interior(endpoint, keys: Sequence[ItemKey], first_page: bool, last_page: bool) -> Window:
    """The window strictly inside one page of the DESC listing (open-ended on the side where the
    page is the listing's first or last)."""
    stamps = [k.created_ms for k in keys]
    if not stamps:
        return Window(endpoint)
    return Window(endpoint, None if last_page else min(stamps), None if first_page else max(stamps))


def sub_window(reference: Sequence[ItemKey], outer: Window, start: int, end: int) -> Window | None:
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
    return Window(outer.endpoint, after, before)


def straddling_window(reference: Sequence[ItemKey], outer: Window, limit: int, pages: int,
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

    def query(self, ctx: RunContext, filters: Params) -> list[tuple[str, str]] | None:
        """``filters`` inside this window, pinned; None when the window cannot be written beside them."""
        bounds = self.window.bounds(filters)
        if bounds is None:
            return None
        ctx.scaffold(bounds)
        return ctx.pinned([*filters, *bounds])


@dataclass
class Survey:
    """What a run knows of the organisation's size and the windows it has read (shared by the
    stages; each window costs two requests: a page of the listing and the window read)."""

    ctx: RunContext
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
        """Page 1 of the pinned listing at the maximum limit: the size of the organisation and window 0."""
        ctx = self.ctx
        self.head = ctx.observe(ctx.at_limit(ctx.pinned([]), ctx.endpoint.max_limit))
        if ctx.endpoint.bare:  # the array family counts nothing: the size is what the windows show
            return
        self.total = None if self.head.total_items is None else int(self.head.total_items)
        self._pages_used.add(self.first_page)
        if self.total == 0:
            unpinned = ctx.total([])
            if unpinned:
                ctx.note(f"all {unpinned} item(s) were created or changed after the run's snapshot "
                         f"{format_ms(ctx.snapshot_ms or 0)}: the checks that compare answers had nothing to compare")

    @property
    def first_page(self) -> int:
        return self.ctx.endpoint.first_page

    @property
    def pages(self) -> int:
        return max(1, -(-(self.total or 0) // self.ctx.endpoint.max_limit))

    def window(self, index: int) -> Slice | None:
        """Window ``index`` (0: the newest page; later ones: pages drawn with the run's rng),
        read on first use; None when the organisation has no more distinct pages."""
        while len(self.slices) <= index:
            if not self._add():
                return None
        return self.slices[index]

    def _add(self) -> bool:
        ctx, endpoint = self.ctx, self.ctx.endpoint
        if self.head is None:
            self.open()
        if self.head.status != 200:
            return False
        if endpoint.bare:
            return self._add_cut()
        first = self.first_page
        if not self.slices:
            page, obs = first, self.head
        else:
            free = [p for p in range(first + 1, self.pages + first) if p not in self._pages_used]
            if not free:
                return False
            page = self.rng.choice(free)
            self._pages_used.add(page)
            obs = ctx.observe([*ctx.at_limit(ctx.pinned([]), endpoint.max_limit), (endpoint.page.name, str(page))])
            if obs.status != 200 or not obs.results:
                return False
        keys = obs.keys(endpoint)
        window = interior(endpoint, keys, first_page=page == first, last_page=page >= self.pages + first - 1)
        if window.unbounded:  # the whole organisation fits one page: that page is the reference
            self.slices.append(Slice(window, obs, Reference.of(obs, endpoint)))
            return True
        ctx.scaffold(window.bounds())
        opening, reference = ctx.read(ctx.pinned(window.bounds()))
        if reference is None:
            return False
        if reference.total is not None and reference.total > len(reference.keys):
            # more than one page inside one page's interior: the page-size or bound checks of these
            # two answers say why; the window is no reference for anything else
            ctx.note(f"window {window.describe()} holds {reference.total} items, more than one page: not used")
            return False
        self.slices.append(Slice(window, opening, reference))
        return True


    # -- the array family: windows cut by the creation bounds ------------------------------------------
    def _add_cut(self) -> bool:
        """The next window of an array-family listing: window 0 the newest items, each later one
        the items just older than the window before it; each narrowed by the creation bounds
        until its read is complete (fewer items than the maximum limit: :func:`arrays.complete`).
        No page, no count, no order: a read of exactly the limit may be cut, and which items it
        holds is not documented, so only a complete read is a reference."""
        ctx, endpoint = self.ctx, self.ctx.endpoint
        if not self.slices:
            window, obs = Window(endpoint), self.head
        else:
            edge = self.slices[-1].window.after_ms
            if edge is None:  # the window before reached the oldest item
                return False
            window, obs = Window(endpoint, None, edge + 1), None
        for _ in range(NARROWINGS):
            if obs is None:
                ctx.scaffold(window.bounds())
                obs = ctx.observe(ctx.at_limit(ctx.pinned(window.bounds()), endpoint.max_limit))
            if obs.status != 200:
                return False
            if arrays.complete(obs, endpoint.max_limit):
                if not obs.results and self.slices:
                    return False
                # newest first, as the paginated windows' references are (sub-windows are cut from it)
                keys = tuple(sorted(obs.keys(endpoint), key=lambda k: -k.created_ms))
                self.slices.append(Slice(window, obs, Reference(keys, None)))
                return True
            edge = arrays.narrower(obs.keys(endpoint), window.after_ms)
            if edge is None:
                ctx.note(f"window {window.describe()}: a read of {endpoint.max_limit} items (the maximum limit) showed "
                         "no instant to narrow it by: not used")
                return False
            window, obs = Window(endpoint, edge, window.before_ms), None
        ctx.note(f"no window of fewer than {endpoint.max_limit} items found in {NARROWINGS} narrowings: not used")
        return False
