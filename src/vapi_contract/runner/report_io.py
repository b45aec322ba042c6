"""Run, then write everything the run produces (summary.json, then report.html, junit.xml and one
history.jsonl line), with every text scrubbed of the key; then print, on stdout, the verdict,
one entry per failing check and where the files are.  Progress goes to stderr while it runs."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

from ..contract.derive import PROVENANCE_FILE
from ..contract.locate import contract_root
from ..errors import ContractError
from ..report import REPORT_FILE, write_reports
from .api import execute_run
from .progress import Progress, for_cli
from .summary import artifacts, build_summary, console, error_summary, write_summary


def contract_info(root=None) -> dict:
    """Where the contract the run checked comes from (``root``: a --contract-dir; the pin when None)."""
    try:
        prov = json.loads((contract_root(root) / PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    info = {"source": prov.get("source"), "date": prov.get("date"), "sha256": prov.get("sha256")}
    if root is not None:
        info["directory"] = str(root)
    return info


def published_spec_diff(config):
    """``--published-spec``: the pinned contract against that document (read before any request,
    so an unreadable document stops the run at once with exit 2)."""
    if not config.published_spec:
        return None
    from ..specdiff import diff_documents

    return diff_documents(str(contract_root(config.contract_dir) / "contracts"), config.published_spec)


def finish_run(config, only: str | None = None, *, quiet: bool = False, verbose: bool = False,
               progress: Progress | None = None) -> int:
    """``vapi-contract run``: progress on stderr (none with ``quiet``; ``progress`` replaces the
    CLI's choice), the verdict and the files' paths on stdout (``verbose``: every finding)."""
    from ..http import Redactor

    redactor = Redactor([config.api_key] if config.api_key else [])
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    spec_diff = published_spec_diff(config)
    if progress is None:
        progress = for_cli(quiet, redact=redactor.scrub)
    try:
        outcome = execute_run(config, only=only, spec_diff=spec_diff, progress=progress)
    except ContractError as exc:
        # the run could not be carried out: still leave a summary and a report saying why
        error = type(exc)(redactor.scrub(exc.message))
        summary = error_summary(config, error, started.isoformat(timespec="seconds"),
                                round(time.perf_counter() - t0, 3), contract_info(config.contract_dir), stats=exc.stats)
        path = write_summary(summary, config.report_dir, redactor.scrub)
        reports = write_reports(summary, config.report_dir, redactor.scrub)
        print(redactor.scrub(artifacts([path, *reports])), flush=True)
        raise error from None
    summary = build_summary(outcome, contract_info(config.contract_dir))
    path = write_summary(summary, config.report_dir, redactor.scrub)
    reports = write_reports(summary, config.report_dir, redactor.scrub)
    report = next((p for p in reports if p.name == REPORT_FILE), None)
    print(redactor.scrub(console(summary, verbose=verbose, only=only, report=report)))
    print(redactor.scrub(artifacts([path, *reports])), flush=True)
    return outcome.exit_code
