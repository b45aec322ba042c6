"""The contract's invariants: pure functions from queries and responses to violations.

Each rule returns the violations it finds (empty when it holds) or, for rules spanning several
answers, a :class:`Judgement` that also says whether the data held still and which checks it
exercised.  They are used by the schemathesis check (one response at a time), by the run's
stages (walks, windows, count relations) and by the hypothesis property tests alike; none of
them sends a request.  :mod:`.registry` is the table of every check.
"""

from .model import ItemKey, Judgement, Observation, Reference, Violation, keys_of
from .registry import CHECKS, Check, applicable, fingerprint

__all__ = ["CHECKS", "Check", "ItemKey", "Judgement", "Observation", "Reference", "Violation", "applicable", "fingerprint",
           "keys_of"]
