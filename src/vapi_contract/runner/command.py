"""``vapi-contract run``'s main: run the engine, then write everything the run produces
(summary.json, then report.html, junit.xml and one history.jsonl line), with every text scrubbed
of the key; then print, on stdout, the verdict, one entry per failing check and where the files
are.  Progress goes to stderr while it runs."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

from ..contract.locate import PROVENANCE_FILE
from ..errors import ContractError
from ..report import REPORT_FILE, write_reports
from . import suite
from .config import RunConfig
from .engine.movement import Movement
from .engine.verdict import errored
from .output.console import artifacts, console
from .output.progress import Progress, for_cli
from .output.summary import build_summary, write_summary


def contract_info(config: RunConfig) -> dict:
    """Where the contract the run checked comes from (its provenance; the directory when it is
    not the pin)."""
    try:
        prov = json.loads((config.contract_root / PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    info = {"source": prov.get("source"), "date": prov.get("date"), "sha256": prov.get("sha256")}
    if config.contract_dir is not None:
        info["directory"] = str(config.contract_dir)
    return info


def published_spec_diff(config: RunConfig):
    """``--published-spec``: the checked contract against that document (read before any request,
    so an unreadable document stops the run at once with exit 2)."""
    if not config.published_spec:
        return None
    from ..specdiff import diff_documents

    return diff_documents(str(config.contract_root / "contracts"), config.published_spec, config.operation)


def main(config: RunConfig, only: str | None = None, *, quiet: bool = False, verbose: bool = False,
         progress: Progress | None = None) -> int:
    """Progress on stderr (none with ``quiet``; ``progress`` replaces the CLI's choice), the
    verdict and the files' paths on stdout (``verbose``: every finding)."""
    from ..http import Redactor

    redactor = Redactor([config.api_key] if config.api_key else [])
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    spec_diff = published_spec_diff(config)
    if progress is None:
        progress = for_cli(quiet, redact=redactor.scrub)
    try:
        result = suite.run(config, only=only, spec_diff=spec_diff, observers=(progress,))
    except ContractError as exc:
        # the run could not be carried out: still leave a summary and a report saying why
        error = type(exc)(redactor.scrub(exc.message))
        result = suite.RunResult(config, errored(error.exit_code), suite.public_target(config),
                                  started.isoformat(timespec="seconds"), round(time.perf_counter() - t0, 3),
                                  traffic=suite.Traffic.of(exc.stats), only=only, error=error.message,
                                  movement=Movement().to_dict(),
                                  budget={"max_requests": config.max_requests, "max_duration_s": config.max_duration, "stages": []})
        summary = build_summary(result, contract_info(config))
        path = write_summary(summary, config.report_dir, redactor.scrub)
        reports = write_reports(summary, config.report_dir, redactor.scrub)
        print(redactor.scrub(artifacts([path, *reports])), flush=True)
        raise error from None
    finally:
        progress.close()
    summary = build_summary(result, contract_info(config))
    path = write_summary(summary, config.report_dir, redactor.scrub)
    reports = write_reports(summary, config.report_dir, redactor.scrub)
    report = next((p for p in reports if p.name == REPORT_FILE), None)
    print(redactor.scrub(console(summary, verbose=verbose, only=only, report=report)))
    print(redactor.scrub(artifacts([path, *reports])), flush=True)
    return result.exit_code
