"""The suite's reading of the pinned contract (the 2026-08-18 document), which the reference
target's answers are checked against (two independent readings of the docs: a disagreement is a
bug on one side)."""

from __future__ import annotations

from vapi_contract.contract.reading import Contract
from vapi_contract.contract.locate import contract_root
from vapi_contract.reference.surface import DEFAULT_SURFACE, SURFACES

CONTRACT = Contract.load(contract_root())
ENDPOINT = CONTRACT.endpoint("GET /campaign")  # List Campaigns
V2 = CONTRACT.endpoint("GET /v2/campaign")  # List Campaigns V2
BOUNDS = ENDPOINT.bounds
STATUSES = ENDPOINT.equality("status").values
SORT_COLUMNS = ENDPOINT.sort.enum
PARAMETERS = ENDPOINT.parameter_names
METADATA = ENDPOINT.documented_metadata
SERVED = SURFACES[DEFAULT_SURFACE]  # what the reference target serves by default
OLD = SURFACES["2026-04-11"]
