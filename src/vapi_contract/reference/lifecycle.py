"""A campaign's status lifecycle, as the reference target reads the docs: which status follows
which, and which ``endedReason`` goes with it.  The seed (:mod:`.seed`) and the churn engine
(:mod:`.churn`) both follow it.

Doc lines (Campaign): status "This is the status of the campaign." (2026-04-11: ``ended |
in-progress | scheduled``; 2026-08-18: ``scheduled | in-progress | ended | cancelled |
archived``); endedReason "This is the explanation for how the campaign ended." (``
campaign.scheduled.ended-by-user | campaign.in-progress.ended-by-user | campaign.ended.success``).

This server's reading (the docs name the states, not the moves):

  scheduled   -> in-progress                                    (no endedReason)
  in-progress -> ended       campaign.ended.success, or campaign.in-progress.ended-by-user
  scheduled   -> cancelled   campaign.scheduled.ended-by-user
  in-progress -> cancelled   campaign.in-progress.ended-by-user
  ended       -> archived    endedReason kept
  cancelled   -> archived    endedReason kept

A campaign has an endedReason exactly when it has ended (ended, cancelled, archived).  Moves go
only into statuses the served surface has: on 2026-04-11 (no cancelled, no archived) a campaign a
user stopped is ``ended``, so a seeded ended campaign's reason is any of the three.
"""

from __future__ import annotations

import random

SUCCESS = "campaign.ended.success"
ENDED_BY_USER_SCHEDULED = "campaign.scheduled.ended-by-user"
ENDED_BY_USER_RUNNING = "campaign.in-progress.ended-by-user"
ENDED_REASONS = (SUCCESS, ENDED_BY_USER_RUNNING, ENDED_BY_USER_SCHEDULED)
# the endedReasons a seeded campaign of each ended status can carry
SEEDED_REASONS = {
    "ended": ENDED_REASONS,
    "cancelled": (ENDED_BY_USER_SCHEDULED, ENDED_BY_USER_RUNNING),
    "archived": ENDED_REASONS,
}
# status -> the statuses it can move to, with their weights
MOVES = {
    "scheduled": (("in-progress", 3), ("cancelled", 1)),
    "in-progress": (("ended", 3), ("cancelled", 1)),
    "ended": (("archived", 1),),
    "cancelled": (("archived", 1),),
}
# the endedReason a move sets (None: the campaign keeps the one it has)
MOVE_REASONS = {
    ("in-progress", "ended"): (SUCCESS, ENDED_BY_USER_RUNNING),
    ("scheduled", "cancelled"): (ENDED_BY_USER_SCHEDULED,),
    ("in-progress", "cancelled"): (ENDED_BY_USER_RUNNING,),
}


def has_ended(status: str) -> bool:
    return status in SEEDED_REASONS


def next_statuses(status: str, served: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """(status, weight) of the moves from ``status`` into statuses of ``served``."""
    return tuple((s, w) for s, w in MOVES.get(status, ()) if s in served)


def movable(served: tuple[str, ...]) -> tuple[str, ...]:
    """The statuses of ``served`` a campaign can move on from."""
    return tuple(s for s in served if next_statuses(s, served))


def move(rng: random.Random, status: str, served: tuple[str, ...]) -> tuple[str, str | None]:
    """(the next status, the endedReason the move sets or None to keep it).  A single possible
    move draws nothing from ``rng`` for the status (the 2026-04-11 sequence of draws is kept)."""
    options = next_statuses(status, served)
    new = options[0][0] if len(options) == 1 else rng.choices([s for s, _ in options], [w for _, w in options])[0]
    reasons = MOVE_REASONS.get((status, new))
    return new, (rng.choice(reasons) if reasons else None)
