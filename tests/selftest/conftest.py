"""Self-tests: the suite run against the embedded reference target, conformant and faulty."""

from __future__ import annotations

import os

import pytest
from loaded_machine import LOADED_MACHINE_RESPONSE_TIME

from vapi_contract.runner.config import resolve


@pytest.fixture
def gate_config(tmp_path):
    """The gate profile against the embedded target, as `vapi-contract run` would resolve it."""

    def make(**overrides):
        env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL")}
        contract = overrides.get("contract_dir")
        return resolve(None, "gate", overrides.get("seed"), str(tmp_path / "reports"), None, None,
                       overrides.get("max_response_time", LOADED_MACHINE_RESPONSE_TIME), environ=env,
                       max_duration=overrides.get("max_duration"), contract_dir=str(contract) if contract else None,
                       **({"operation": overrides["operation"]} if "operation" in overrides else {}))

    return make
