"""The contract's invariants: pure functions from queries and responses to violations.

Each function returns a list of :class:`Violation` (empty when the rule holds).  They are used by
the schemathesis checks (one response at a time), by the run's stages (walks, windows, counts
relations) and by the hypothesis property tests alike; none of them sends a request.
"""

from .catalogue import CHECKS, COVERAGE_COLUMNS, METADATA_CHECKS, Check, applicable_checks, check_info
from .model import AREAS, Observation, Violation

__all__ = ["AREAS", "CHECKS", "applicable_checks", "COVERAGE_COLUMNS", "METADATA_CHECKS", "Check", "Observation", "Violation", "check_info"]
