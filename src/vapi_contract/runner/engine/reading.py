"""From one exchange to what the checks judge: an :class:`~vapi_contract.invariants.Observation`,
read within bounds.

* The body is read by the suite's one JSON reader (``Exchange.reading``: ``boundedjson``); a body
  the HTTP layer did not read whole, or the reader refuses, is no body to judge (``None``) and its
  ``defect`` says why — the reliability checks report it, nothing else is asked of it.
* A page is judged on at most :func:`judged_items` of its results: a page of 2,000,000 items is
  not judged (nor recorded) item by item.  What it served is kept (``Observation.served``), so
  ``pagination.limit-respected`` and ``pagination.page-size`` still say how many.
"""

from __future__ import annotations

from ...invariants import Observation


def judged_items(endpoint) -> int:
    """Results of one page judged at most: one more than the largest page the contract allows."""
    return int(endpoint.max_limit) + 1


def observation(exchange, params, endpoint) -> Observation:
    """What the checks judge of ``exchange``, an answer to ``params`` of ``endpoint``."""
    defect = None
    if exchange.defect is not None:
        body, defect = None, (exchange.defect, exchange.defect_detail)
    elif not exchange.body:
        body = None
    else:
        body, why = exchange.reading()
        if why is not None:
            defect = (why.kind, why.message)
    body, served = keep_judged(body, judged_items(endpoint), endpoint.envelope.results)
    return Observation(tuple((str(k), str(v)) for k, v in params), exchange.status, body,
                       exchange.headers.get("content-type", ""), exchange.elapsed, exchange.curl, defect, served,
                       envelope=endpoint.envelope)


def keep_judged(body, most: int, results: str):
    """(``body`` with at most ``most`` items in its ``results`` list, how many it served when it
    held more; else None)."""
    if isinstance(body, dict) and isinstance(body.get(results), list) and len(body[results]) > most:
        served = len(body[results])
        return {**body, results: body[results][:most]}, served
    if isinstance(body, list) and len(body) > most:
        return body[:most], len(body)
    return body, None


__all__ = ["judged_items", "keep_judged", "observation"]
