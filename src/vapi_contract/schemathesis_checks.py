"""Our invariants as schemathesis custom checks.

``campaign_contract`` judges one response with every single-response invariant of
:mod:`vapi_contract.invariants` (shape at full depth with the fast Validator, page metadata,
filter membership, documented input verdicts, no 5xx).  It is registered with schemathesis on
import, so ``schemathesis run`` and ``case.validate_response`` can use it beside the built-ins.
"""

from __future__ import annotations

import json

import schemathesis

from .config_defaults import MAX_RESPONSE_TIME
from .invariants import Observation
from .invariants.response import check_response


def observation(response, case) -> Observation:
    try:
        body = json.loads(response.content) if response.content else None
    except (ValueError, UnicodeDecodeError):
        body = None
    params = tuple((k, str(v)) for k, vs in (case.query or {}).items() for v in (vs if isinstance(vs, list) else [vs]))
    elapsed = getattr(response, "elapsed", 0.0)
    elapsed = elapsed.total_seconds() if hasattr(elapsed, "total_seconds") else float(elapsed or 0.0)
    return Observation(params, response.status_code, body, response.headers.get("content-type", "")
                       if hasattr(response.headers, "get") else "", elapsed, "")


@schemathesis.check
def campaign_contract(ctx, response, case):
    """Every single-response rule of the List Campaigns contract (see vapi_contract.invariants)."""
    from .contract.validator import Validator

    found, _ = check_response(observation(response, case), Validator.load(), MAX_RESPONSE_TIME)
    if found:
        raise AssertionError("; ".join(f"{v.check}: {v.message}" for v in found[:5]))
    return True
