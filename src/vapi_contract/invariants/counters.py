"""What a listing that includes counters must hold (GET /v2/campaign, ``includeCounters``).

Doc lines: includeCounters "When true, every campaign in the response includes `contactCounters`
and `callMetrics`."; CampaignCallMetrics.dialed "This is the number of contacts a call was actually
placed for."; .connected "This is the number of those calls a human picked up." — a subset of the
dialed ones, so never more than ``dialed``.  Without ``includeCounters=true`` the document says
nothing about the two fields: nothing is asserted.
"""

from __future__ import annotations

from ..contract import conventions as C
from .model import Observation, Violation

INCLUDED = "shape.counters-included"
WITHIN_DIALED = "shape.connected-within-dialed"


def asked(endpoint, obs: Observation) -> bool:
    """The query asks for the counters (``includeCounters=true``)."""
    flag = endpoint.counters
    return flag is not None and obs.query.get(flag.name) == "true"


def included(obs: Observation) -> list[Violation]:
    """Every item carries both ``contactCounters`` and ``callMetrics``."""
    out = []
    for index, item in enumerate(obs.results):
        missing = [f for f in (C.CONTACT_COUNTERS, C.CALL_METRICS) if not isinstance(item.get(f), dict)]
        if missing:
            out.append(Violation(INCLUDED, f"result {index} ({item.get(C.IDENTITY)}) lacks {' and '.join(missing)} "
                                           f"although {C.INCLUDE_COUNTERS}=true",
                                 "both present", {f: item.get(f) for f in missing}, f"/{C.RESULTS}/{index}/{missing[0]}", (obs,)))
    return out


def connected_within_dialed(obs: Observation) -> list[Violation]:
    """``callMetrics.connected`` <= ``callMetrics.dialed`` on every item that carries both."""
    out = []
    for index, item in enumerate(obs.results):
        metrics = item.get(C.CALL_METRICS)
        if not isinstance(metrics, dict):
            continue
        dialed, connected = metrics.get(C.DIALED), metrics.get(C.CONNECTED)
        if _number(dialed) and _number(connected) and connected > dialed:
            out.append(Violation(WITHIN_DIALED, f"result {index} ({item.get(C.IDENTITY)}): {connected:g} calls picked up "
                                                f"of {dialed:g} dialed",
                                 f"<= {dialed:g}", connected, f"/{C.RESULTS}/{index}/{C.CALL_METRICS}/{C.CONNECTED}", (obs,)))
    return out


def carries_metrics(obs: Observation) -> bool:
    return any(isinstance(item.get(C.CALL_METRICS), dict) for item in obs.results)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
