"""Known deviations: what a team acknowledges it cannot fix today, so that the gate and the
nightly stay meaningful while nothing new is hidden.

* :mod:`.entry` — one entry: the value, what its id is made of (the finding's fingerprint), how an
  entry of the file is checked;
* :mod:`.store` — known-deviations.toml on disk, read bounded and checked, written with tomlkit
  (comments and order kept);
* :mod:`.matching` — the pure function: entries, findings, what the run could see, today -> each
  entry's state (matched, not seen, expired, not checked, not applicable);
* :mod:`.acknowledge` — its use at the run's verdict (``runner/suite.py``);
* :mod:`.report` — the ``known`` section of summary.json and what every output shows of it;
* :mod:`.cli` — ``vapi-contract known add | prune | check``.

The file is configuration: ``runner.config.resolve`` reads it (``--known-deviations FILE``, else
``known-deviations.toml`` in the working directory) and refuses a malformed one before the first
request (exit 2, one line naming the entry and the field).
"""

from .entry import Entry, Problem
from .matching import EXPIRED, MATCHED, NOT_APPLICABLE, NOT_CHECKED, NOT_SEEN, Outcome
from .store import DEFAULT_FILE, KnownFile, KnownFileError, load

__all__ = ["DEFAULT_FILE", "EXPIRED", "Entry", "KnownFile", "KnownFileError", "MATCHED", "NOT_APPLICABLE", "NOT_CHECKED",
           "NOT_SEEN", "Outcome", "Problem", "load"]
