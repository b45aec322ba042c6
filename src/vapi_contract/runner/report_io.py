"""Run, then write everything the run produces (summary.json, then report.html, junit.xml and one
history.jsonl line), with every text scrubbed of the key."""

from __future__ import annotations

import json
import sys

from ..contract.derive import PROVENANCE_FILE
from ..contract.locate import contract_root
from ..errors import ContractError
from ..report import REPORT_FILE, write_reports
from .api import execute_run
from .summary import build_summary, console, write_summary


def contract_info() -> dict:
    try:
        prov = json.loads((contract_root() / PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {"source": prov.get("source"), "date": prov.get("date"), "sha256": prov.get("sha256")}


def finish_run(config, only: str | None = None) -> int:
    from ..http import Redactor

    redactor = Redactor([config.api_key] if config.api_key else [])
    try:
        outcome = execute_run(config, only=only)
    except ContractError as exc:
        raise type(exc)(redactor.scrub(exc.message)) from None
    summary = build_summary(outcome, contract_info())
    path = write_summary(summary, config.report_dir, redactor.scrub)
    reports = write_reports(summary, config.report_dir, redactor.scrub)
    print(redactor.scrub(console(summary)))
    print(f"summary: {path}", file=sys.stderr)
    for report in (p for p in reports if p.name == REPORT_FILE):
        print(f"report: {report}", file=sys.stderr)
    return outcome.exit_code
