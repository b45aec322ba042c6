"""API change detection from what the target actually returns (response drift)."""

from .response import DriftCollector, Finding

__all__ = ["DriftCollector", "Finding"]
