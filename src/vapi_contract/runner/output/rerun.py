"""The command that re-runs a run, or one of its checks, as printed in the console and the reports."""

from __future__ import annotations

import os
import shlex
import sys

from ...contract import conventions as C
from ...defaults import SNAPSHOT_MARGIN


def program() -> list[str]:
    """The running ``vapi-contract``, as a command that works as printed (no activated venv, no
    PATH): the entry point's absolute path, else this interpreter with ``-m vapi_contract``."""
    entry = sys.argv[0] if sys.argv else ""
    if os.path.basename(entry) == "vapi-contract" and os.path.isfile(entry):
        return [os.path.abspath(entry)]
    return [sys.executable or "python3", "-m", "vapi_contract"]


def rerun_command(config, check: str | None = None) -> str:
    """The command that re-runs the run (or one check), shell-quoted; the key stays in $VAPI_API_KEY."""
    parts = [*program(), "run", "--profile", config.profile.name, "--seed", str(config.seed)]
    if config.endpoint.label != C.DEFAULT_OPERATION:
        parts += ["--operation", config.endpoint.label]
    if not config.embedded:
        parts += ["--base-url", config.base_url]
    if config.snapshot_margin != SNAPSHOT_MARGIN:
        parts += ["--snapshot-margin", f"{config.snapshot_margin:g}"]
    if check:
        parts += ["--only", check]
    return shlex.join(parts)
