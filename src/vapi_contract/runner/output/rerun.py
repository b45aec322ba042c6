"""The command that re-runs a run, or one of its checks, as printed in the console and the reports.

It reproduces: every option that can change what a run sends or how it judges is in it, as the
run resolved it — the profile and seed, the operation, the target (unless embedded), the contract
(``--contract-dir``, also when it came from ``$VAPI_CONTRACT_DIR``), the response-time and size
limits, the published document, ``--probe-undocumented``, the budgets and rate, each when it
differs from the profile's default, and ``--known-deviations`` when the run read another file
than ./known-deviations.toml.  The key never: it stays in ``$VAPI_API_KEY``.
"""

from __future__ import annotations

import os
import shlex
import sys

from ...known.store import DEFAULT_FILE as KNOWN_FILE
from ...settings import MAX_RESPONSE_BYTES, MAX_RESPONSE_TIME, RATE_LIMIT, SNAPSHOT_MARGIN


def program() -> list[str]:
    """The running ``vapi-contract``, as a command that works as printed (no activated venv, no
    PATH): the entry point's absolute path, else this interpreter with ``-m vapi_contract``."""
    entry = sys.argv[0] if sys.argv else ""
    if os.path.basename(entry) == "vapi-contract" and os.path.isfile(entry):
        return [os.path.abspath(entry)]
    return [sys.executable or "python3", "-m", "vapi_contract"]


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def rerun_command(config, check: str | None = None) -> str:
    """The command that re-runs the run (or one check), shell-quoted; the key stays in $VAPI_API_KEY."""
    parts = [*program(), "run", "--profile", config.profile.name, "--seed", str(config.seed)]
    if config.endpoint.label != config.default_operation:
        parts += ["--operation", config.endpoint.label]
    for name, value in config.endpoint.path_values:
        parts += ["--path-param", f"{name}={value}"]
    if not config.embedded:
        parts += ["--base-url", config.base_url]
    if config.contract_dir is not None:
        parts += ["--contract-dir", str(config.contract_dir)]
    if config.published_spec:
        parts += ["--published-spec", config.published_spec]
    if config.probe_undocumented:
        parts.append("--probe-undocumented")
    if config.max_response_time != MAX_RESPONSE_TIME:
        parts += ["--max-response-time", _number(config.max_response_time)]
    if config.max_response_bytes != MAX_RESPONSE_BYTES:
        parts += ["--max-response-bytes", str(config.max_response_bytes)]
    if config.max_requests != config.profile.max_requests:
        parts += ["--max-requests", str(config.max_requests)]
    if config.max_duration is not None and config.max_duration != config.profile.max_duration:
        parts += ["--max-duration", _number(config.max_duration)]
    default_rate = 0.0 if config.embedded else RATE_LIMIT
    if config.rate_limit != default_rate:
        parts += ["--rate-limit", _number(config.rate_limit)]
    if config.snapshot_margin != SNAPSHOT_MARGIN:
        parts += ["--snapshot-margin", f"{config.snapshot_margin:g}"]
    known = getattr(config, "known", None)
    if known is not None and known.path != KNOWN_FILE:  # the default file is read again from the same place
        parts += ["--known-deviations", known.path]
    if check:
        parts += ["--only", check]
    return shlex.join(parts)
