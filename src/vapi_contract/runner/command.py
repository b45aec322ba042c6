"""``vapi-contract run``'s main: claim the report directory, run the engine, then write everything
the run produces (summary.json, then report.html, junit.xml and one history.jsonl line), with
every text scrubbed of the key; then print, on stdout, the verdict, one entry per failing check
and where the files are.  Progress goes to stderr while it runs.

Every run that got past its configuration leaves its reports, whatever ends it:

* a run carried out: its verdict (pass, fail, incomplete);
* a run that could not be (key rejected, target unreachable, something in front of the API):
  ``error``, with the one-line error, re-raised for the CLI to print and exit with;
* a run the API's outage stopped half-way: ``error`` (exit 3) with the findings made before it,
  printed like any run's, then the one-line error on stderr;
* a run that a bug of the suite stopped (an exception no rule expects): ``error`` with the
  exception's type and text, and the exception goes on up (a bug shows its traceback);
* a run stopped by SIGTERM or SIGINT: ``interrupted``, with what it found and the planner's
  record so far; exit 143 or 130;
* a published document (``--published-spec``) that cannot be read does not stop it: the spec
  diff says why ("could not be read: ..."), and the exit code is the checks'.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone
from pathlib import PurePath

from ..contract.locate import CONTRACT_FILE, PROVENANCE_FILE
from ..errors import ContractError, ExitCode, SourceError
from ..known.acknowledge import Acknowledgement
from ..report import REPORT_FILE, write_reports
from . import suite
from .config import RunConfig
from .engine.interrupt import Interrupted, interruptible
from .engine.movement import Movement
from .engine.verdict import Verdict, errored, interrupted
from .output.console import artifacts, console
from .output.progress import Progress, for_cli
from .output.reportdir import claimed
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
    """``--published-spec``: the checked contract against that document, read before any request.
    A document that cannot be fetched or read is no reason to lose the night: the result says
    why (``unreadable``) and compares nothing; the contract checks run all the same."""
    if not config.published_spec:
        return None
    from ..http import public_url
    from ..specdiff import DiffResult, diff_documents

    try:
        return diff_documents(str(config.contract_root / "contracts"), config.published_spec, config.operation)
    except SourceError as exc:
        source = config.published_spec
        shown = public_url(source) if "://" in source else source
        return DiffResult(PurePath(CONTRACT_FILE).name, shown, config.operation, [], unreadable=exc.message)


def main(config: RunConfig, only: str | None = None, *, quiet: bool = False, verbose: bool = False,
         progress: Progress | None = None) -> int:
    """Progress on stderr (none with ``quiet``; ``progress`` replaces the CLI's choice), the
    verdict and the files' paths on stdout (``verbose``: every finding)."""
    from ..http import Redactor

    redactor = Redactor(config.secrets)
    with claimed(config.report_dir), interruptible() as signals:
        started = datetime.now(timezone.utc)
        t0 = time.perf_counter()
        if progress is None:
            progress = for_cli(quiet, redact=redactor.scrub)
        error: ContractError | None = None
        try:
            spec_diff = published_spec_diff(config)
            result = suite.run(config, only=only, spec_diff=spec_diff, observers=(progress,))
        except Interrupted as stop:  # outside the engine's stages (reading the spec, starting the target)
            result = _not_carried_out(config, interrupted(stop.signum), started, t0, only,
                                      f"interrupted ({stop.name})", None)
        except ContractError as exc:
            # the run could not be carried out: still leave a summary and a report saying why
            signals.wrap_up()
            error = type(exc)(redactor.scrub(exc.message))
            result = _not_carried_out(config, errored(error.exit_code), started, t0, only, error.message, exc.stats)
        except Exception as bug:  # no rule expects it: the reports say so, then the traceback does
            signals.wrap_up()
            progress.close()
            why = redactor.scrub(f"internal error of vapi-contract: {type(bug).__name__}: {str(bug)[:300]}")
            result = _not_carried_out(config, errored(ExitCode.INTERNAL), started, t0, only, why, None)
            summary = build_summary(result, contract_info(config))
            write_summary(summary, config.report_dir, redactor.scrub)
            write_reports(summary, config.report_dir, redactor.scrub)
            raise
        finally:
            signals.wrap_up()  # from here on a signal cannot cut the reports short
            progress.close()
        summary = build_summary(result, contract_info(config))
        path = write_summary(summary, config.report_dir, redactor.scrub)
        reports = write_reports(summary, config.report_dir, redactor.scrub)
    if error is not None:
        print(redactor.scrub(artifacts([path, *reports])), flush=True)
        raise error from None
    report = next((p for p in reports if p.name == REPORT_FILE), None)
    print(redactor.scrub(console(summary, verbose=verbose, only=only, report=report)))
    print(redactor.scrub(artifacts([path, *reports])), flush=True)
    if result.verdict.name == "interrupted":
        print(redactor.scrub(f"vapi-contract: {result.error}: reports written"), file=sys.stderr, flush=True)
    elif result.verdict.name == "error":  # carried out part of the way: an outage stopped it
        print(redactor.scrub(f"vapi-contract: error: {result.error}"), file=sys.stderr, flush=True)
    return result.exit_code


def _not_carried_out(config: RunConfig, verdict: Verdict, started: datetime, t0: float, only: str | None,
                     why: str, stats) -> suite.RunResult:
    """The result of a run that never got to its stages: its verdict and why, what it sent."""
    return suite.RunResult(config, verdict, suite.public_target(config), started.isoformat(timespec="seconds"),
                           round(time.perf_counter() - t0, 3), traffic=suite.Traffic.of(stats), only=only, error=why,
                           movement=Movement().to_dict(),
                           budget={"max_requests": config.max_requests, "max_duration_s": config.max_duration, "stages": []},
                           known=Acknowledgement.of(config.known, config.today, config.operation, config.base_url)
                           .settle(complete=False))
