"""schemathesis' pytest integration with vapi-contract's check: copy this file into your suite.

    VAPI_API_KEY=... pytest examples/test_schemathesis_campaign.py

VAPI_BASE_URL (default https://api.vapi.ai) is the target; VAPI_OPENAPI the document the cases are
generated from (default: the pinned contract).  Only GET /campaign is selected, and the coverage
phase, which probes undeclared methods (POST, PUT, DELETE ...), is left out: GET requests only.
A key the target rejects (wrong, expired, unset) fails the test: campaign_contract fails every
401 or 403 to a request that carries the Authorization header.
"""

import os

import schemathesis
from vapi_contract.schemathesis_checks import campaign_contract

schema = schemathesis.openapi.from_path(os.environ.get("VAPI_OPENAPI", "contracts/campaign-list.openapi.json"))
schema.config.phases.update(phases=["examples", "fuzzing"])


@schema.include(method="GET", path="/campaign").parametrize()
def test_list_campaigns(case):
    case.call_and_validate(
        base_url=os.environ.get("VAPI_BASE_URL", "https://api.vapi.ai"),
        headers={"Authorization": f"Bearer {os.environ['VAPI_API_KEY']}"},
        checks=[campaign_contract],  # or additional_checks=[...] beside the built-ins (see the README)
    )
