"""API change detection from what the target actually returns (response drift)."""

from .parameters import KNOWN_LATER_PARAMETERS, parameters_from_spec, probe_undocumented
from .response import DriftCollector, Finding

__all__ = ["KNOWN_LATER_PARAMETERS", "DriftCollector", "Finding", "parameters_from_spec", "probe_undocumented"]
