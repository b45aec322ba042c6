"""Hand-made items and what a conformant server answers over them, for the invariants' tests."""

from __future__ import annotations

import uuid

from hypothesis import strategies as st

from vapi_contract.contract.reading import Contract
from vapi_contract.contract.locate import contract_root
from vapi_contract.invariants import Observation, paging
from vapi_contract.invariants.selection import expected_selection
from vapi_contract.timeutil import format_ms

ENDPOINT = Contract.load(contract_root()).endpoint("GET /campaign")
BASE = 1_735_689_600_000  # 2025-01-01T00:00:00Z
STATUSES = ENDPOINT.equality("status").values


def campaign(i: int, created: int, updated: int | None = None, status: str = "ended", org: str = "org-a") -> dict:
    return {"id": str(uuid.UUID(int=i + 1)), "orgId": org, "name": f"c{i}", "status": status,
            "createdAt": format_ms(created), "updatedAt": format_ms(updated if updated is not None else created),
            "calls": {}, "callsCounterScheduled": 0, "callsCounterQueued": 0, "callsCounterInProgress": 0,
            "callsCounterEndedVoicemail": 0, "callsCounterEnded": 0}


def observation(*args, endpoint=ENDPOINT, **kwargs) -> Observation:
    """An answer of ``endpoint``, read through its envelope."""
    return Observation(*args, envelope=endpoint.envelope, **kwargs)


def answer(items, params, endpoint=ENDPOINT) -> Observation:
    """What a conformant server answers for ``params`` over ``items``."""
    in_force = paging.in_force(endpoint, dict(params))
    chosen = expected_selection(endpoint, items, dict(params))
    page = chosen[in_force.offset: in_force.offset + in_force.limit]
    body = {"results": page, "metadata": {"itemsPerPage": in_force.limit, "totalItems": len(chosen), "currentPage": in_force.page}}
    return observation(tuple(params), 200, body, "application/json; charset=utf-8", endpoint=endpoint)


ITEMS = [campaign(i, BASE + (i // 3) * 1000 + (i % 2), status=STATUSES[i % len(STATUSES)]) for i in range(40)]
stamps = st.integers(0, 60).map(lambda k: BASE + k * 500)
item_lists = st.lists(st.tuples(stamps, st.integers(0, 5000), st.sampled_from(STATUSES)),
                      max_size=30).map(lambda rows: [campaign(i, c, c + d, s) for i, (c, d, s) in enumerate(rows)])
