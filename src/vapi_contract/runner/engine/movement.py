"""How much the data moved while a run read it, and what the run set aside because of it.

Every answer the run reads passes through :meth:`Movement.saw`: an item served with a creation
instant after the run's snapshot was created during the run, one with a later modification
instant was changed during it, and one seen in two versions (two modification instants or two
filter values) changed during it whatever its instants say (a clock behind, a late commit).  Windows and walks add what their closing reads show: campaigns that left a
pinned set (changed or deleted).  The report, the summary and the console say how much moved,
how many re-observations were made to tell movement from a fault, and how many findings were set
aside as unstable rather than reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field



@dataclass
class Movement:
    snapshot_ms: int | None = None
    created: set = field(default_factory=set)  # ids seen with createdAt > snapshot
    changed: set = field(default_factory=set)  # ids seen with updatedAt > snapshot (not created)
    vanished: set = field(default_factory=set)  # ids that left a pinned set between two reads
    reobservations: int = 0  # requests made only to confirm or re-judge a finding
    set_aside: int = 0  # findings explained by data that moved: not judged
    rewalks: int = 0
    versions: dict = field(default_factory=dict)  # id -> the version first seen (of the items read)

    def saw(self, keys) -> None:
        """The keys of the items an answer served: created or changed since the snapshot, or seen
        in a version other than the first."""
        if self.snapshot_ms is None:
            return
        s = self.snapshot_ms
        for key in keys:
            if key.created_ms > s:
                self.created.add(key.id)
            elif key.updated_ms > s or self.versions.setdefault(key.id, key.version) != key.version:
                self.changed.add(key.id)

    def left(self, ids) -> None:
        self.vanished.update(ids)

    @property
    def moved(self) -> bool:
        return bool(self.created or self.changed or self.vanished or self.set_aside)

    def to_dict(self) -> dict:
        return {"snapshot": _iso(self.snapshot_ms), "campaigns_created": len(self.created),
                "campaigns_changed": len(self.changed), "campaigns_left_pinned_set": len(self.vanished - self.created),
                "reobservations": self.reobservations, "rewalks": self.rewalks, "findings_set_aside": self.set_aside}

    def note(self) -> str | None:
        """One line for the console and the notes, when anything moved."""
        if not self.moved:
            return None
        d = self.to_dict()
        return (f"data moved during the run: {d['campaigns_changed']} campaign(s) changed, {d['campaigns_created']} created, "
                f"{d['campaigns_left_pinned_set']} left the snapshot (changed or deleted); {d['reobservations']} re-observation(s), "
                f"{d['findings_set_aside']} finding(s) set aside as unstable (not judged)")


def _iso(ms: int | None) -> str | None:
    from ...timeutil import format_ms

    return None if ms is None else format_ms(ms)
