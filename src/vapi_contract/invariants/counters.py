"""What a listing that includes counters must hold (GET /v2/campaign, ``includeCounters``).

Doc lines: includeCounters "When true, every campaign in the response includes `contactCounters`
and `callMetrics`."; CampaignCallMetrics.dialed "This is the number of contacts a call was actually
placed for."; .connected "This is the number of those calls a human picked up." — a subset of the
dialed ones, so never more than ``dialed``.  Without ``includeCounters=true`` the document says
nothing about the two fields: nothing is asserted.
"""

from __future__ import annotations

from .model import Observation, Violation

INCLUDED = "shape.counters-included"
WITHIN_DIALED = "shape.connected-within-dialed"


def asked(endpoint, obs: Observation) -> bool:
    """The query asks for the counters (``includeCounters=true``)."""
    flag = endpoint.counters
    return flag is not None and obs.query.get(flag.param) == "true"


def included(endpoint, obs: Observation) -> list[Violation]:
    """Every item carries every counter field the flag asks for (``contactCounters`` and ``callMetrics``)."""
    out = []
    fields = endpoint.counters.fields
    for index, item in enumerate(obs.results):
        missing = [f for f in fields if not isinstance(item.get(f), dict)]
        if missing:
            out.append(Violation(INCLUDED, f"result {index} ({item.get(endpoint.identity)}) lacks {' and '.join(missing)} "
                                           f"although {endpoint.counters.param}=true",
                                 "both present", {f: item.get(f) for f in missing},
                                 f"{obs.envelope.results_pointer}/{index}/{missing[0]}", (obs,),
                                 locus="without " + " and ".join(missing)))
    return out


def connected_within_dialed(endpoint, obs: Observation) -> list[Violation]:
    """``callMetrics.connected`` <= ``callMetrics.dialed`` on every item that carries both."""
    out = []
    m = endpoint.call_metrics
    for index, item in enumerate(obs.results):
        metrics = item.get(m.field)
        if not isinstance(metrics, dict):
            continue
        dialed, connected = metrics.get(m.dialed), metrics.get(m.connected)
        if _number(dialed) and _number(connected) and connected > dialed:
            out.append(Violation(WITHIN_DIALED, f"result {index} ({item.get(endpoint.identity)}): {connected:g} calls picked up "
                                                f"of {dialed:g} dialed",
                                 f"<= {dialed:g}", connected, f"{obs.envelope.results_pointer}/{index}/{m.field}/{m.connected}",
                                 (obs,), locus=f"{m.connected} above {m.dialed}"))
    return out


def carries_metrics(endpoint, obs: Observation) -> bool:
    field = endpoint.call_metrics.field
    return any(isinstance(item.get(field), dict) for item in obs.results)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
