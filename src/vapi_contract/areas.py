"""The areas of the contract a check (and a reference-target fault) belongs to, in report order.

One list for the whole package: the check registry, the report, the console and the reference
target's fault catalogue read it.  ``drift`` is the report's area for how real bodies differ from
the pinned schemas (not a check of the contract, shown beside them).
"""

from __future__ import annotations

AREAS = ("shape", "pagination", "filters", "validation", "auth", "tenancy", "reliability")
DRIFT = "drift"
# the kinds of check the coverage matrix has a column for (the areas whose checks are about a
# query parameter, a metadata field or an item field)
COVERAGE_COLUMNS = ("shape", "pagination", "filters", "validation")
# findings that an item created or changed mid-run could cause: re-checked before they are believed.
# A 5xx, a slow answer, a wrong status or a malformed body is a fact the moment it is seen.
MOVING_DATA_AREAS = frozenset({"pagination", "filters", "tenancy"})
