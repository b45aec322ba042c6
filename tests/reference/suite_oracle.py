"""The suite's reading of the pinned contract, which the reference target's answers are checked
against (two independent readings of the docs: a disagreement is a bug on one side)."""

from __future__ import annotations

from vapi_contract.contract.endpoint import Contract
from vapi_contract.contract.locate import contract_root
from vapi_contract.reference.surface import DEFAULT_SURFACE, SURFACES

ENDPOINT = Contract.load(contract_root()).endpoint("GET /campaign")
BOUNDS = ENDPOINT.bounds
STATUSES = ENDPOINT.equality("status").values
PARAMETERS = ENDPOINT.parameter_names
SERVED = SURFACES[DEFAULT_SURFACE]  # what the reference target serves by default
