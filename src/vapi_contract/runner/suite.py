"""A run of the suite: preflight (the snapshot), the planner's stages, the verdict.

    result = run(config)                       # config.endpoint: the operation checked
    result = run(config, target_options={"fault": "page-off-by-one"})   # embedded, faulty

Data flows one way: the configuration (with its :class:`~vapi_contract.contract.endpoint.Endpoint`)
goes in; every request goes through one :class:`~.engine.context.RunContext`, whose stages
(:mod:`.stages`) report what they saw; the planner spends the budgets; the verdict is decided once
from the findings (less those a known deviation in force acknowledges: :mod:`vapi_contract.known`);
a :class:`RunResult` comes out, which the output layer turns into the
summary, the reports and the console text.  Observers (progress, response times) are told what
happens (:mod:`.engine.events`) and cannot change it.

A run stopped by SIGTERM or SIGINT (:class:`~.engine.interrupt.Interrupted`, while the caller
holds :func:`~.engine.interrupt.interruptible`) still returns its result: the verdict
``interrupted``, what it found and exercised so far, and the planner's record up to the stage
that was running.  So does a run stopped by an outage of the API (:class:`~vapi_contract.errors.Outage`,
:mod:`.engine.outage`): the verdict ``error`` (exit 3), the findings made before the outage.

Time: the run's ``--max-duration`` is a deadline from its start, preflight included, that the
HTTP layer holds every request and every wait to (``ContractClient.deadline``); every response
has its own deadline (``RunConfig.response_deadline``: three times ``--max-response-time``, at
least two seconds), headers and body together.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

from ..drift import DriftCollector
from ..errors import Outage
from ..http import ContractClient
from ..known.acknowledge import Acknowledgement
from ..known.matching import Outcome
from .config import RunConfig
from .engine import events
from .engine.context import Findings, RunContext, StageOutcome
from .engine.interrupt import Interrupted
from .engine.latency import Latency
from .engine.outage import OutageWatch
from .engine.planner import Planner
from .engine import parents
from .engine.preflight import preflight
from .engine.verdict import Verdict, coverage, decide, errored, interrupted
from .stages import probes, select


@dataclass
class Traffic:
    """What was sent: requests on the wire, answers by status, requests by method."""

    requests: int = 0
    status_histogram: dict[str, int] = field(default_factory=dict)
    methods: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, stats) -> "Traffic":
        if stats is None:
            return cls()
        return cls(stats.total, {str(k): v for k, v in sorted(stats.status_histogram.items())}, dict(stats.methods))


@dataclass
class RunResult:
    """Everything a run produced, for the summary, the reports and the console."""

    config: RunConfig
    verdict: Verdict
    target: str  # the target as reports show it (no credentials, no query)
    started_at: str
    duration_s: float
    traffic: Traffic = field(default_factory=Traffic)
    findings: Findings = field(default_factory=Findings)
    coverage: dict[str, str] = field(default_factory=dict)
    only: str | None = None
    movement: dict = field(default_factory=dict)
    budget: dict = field(default_factory=dict)
    latency: dict | None = None
    drift: list = field(default_factory=list)
    spec_diff: dict | None = None
    error: str | None = None
    known: Outcome | None = None  # each known deviation's state (known/matching.py); its findings are not violations

    @property
    def endpoint(self):
        return self.config.endpoint

    @property
    def violations(self):
        return self.findings.violations

    @property
    def exit_code(self) -> int:
        return self.verdict.exit_code



def run(config: RunConfig, *, target=None, target_options: dict | None = None, spec_diff=None, only: str | None = None,
        observers: tuple = ()) -> RunResult:
    """Run ``config``'s profile against ``config.base_url``, or against the embedded reference
    target: ``target`` if one is running already, else one started here with ``target_options``
    (campaigns, seed, fault, drift, churn: for self-tests).  ``observers`` are told the run's
    events (:mod:`.events`)."""
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    config.endpoint.require(valued=False)  # ContractModelError (exit 2) naming what the engine cannot do without
    endpoint = config.endpoint
    latency = Latency(endpoint)
    emit = events.broadcast((latency, *observers))
    with ExitStack() as stack:
        if config.embedded:
            from ..reference.server import running_target

            if target is None:
                target = stack.enter_context(running_target(**(target_options or {})))
            config = config.with_target(target.base_url, target.api_key)
        client = stack.enter_context(ContractClient(
            config.base_url, config.api_key, rate_limit=config.rate_limit or 0.0, max_requests=config.max_requests,
            timeout=max(30.0, config.max_response_time * 3), response_timeout=config.response_deadline,
            max_response_bytes=config.max_response_bytes,
            on_exchange=lambda exchange: emit(events.ResponseReceived(exchange))))
        if config.max_duration is not None:  # from the run's start: preflight, requests in flight and waits
            client.deadline = time.monotonic() - (time.perf_counter() - t0) + config.max_duration
        found = []
        if config.parents:  # path parameters found in their parent listing (engine/parents.py), or exit 2
            endpoint, found = parents.find(endpoint, config.parents, validator=config.validator, client=client,
                                           profile=config.profile, seed=config.seed,
                                           max_response_time=config.max_response_time, margin_s=config.snapshot_margin)
            config = replace(config, endpoint=endpoint, parents={})
        endpoint = endpoint.require()
        drift = DriftCollector(config.validator.schemas, endpoint)
        ctx = RunContext(endpoint=endpoint, validator=config.validator, client=client, profile=config.profile, seed=config.seed,
                         max_response_time=config.max_response_time, drift=drift, siblings=config.siblings)
        for value in found:
            ctx.note(value.note)
        emit(events.RunStarted(endpoint.label, config.max_requests, config.max_duration))
        planner = Planner(ctx, [], config.max_requests, config.max_duration, emit=emit, deadline=client.deadline)
        stopped: Interrupted | None = None
        outage: Outage | None = None
        interruption = None
        try:
            emit(events.StageStarted("preflight", "preflight", None))
            preflight(ctx, config.snapshot_margin)
            ctx.outage = OutageWatch(lambda: _probe(ctx), ctx.findings, probe_line=f"{endpoint.label}?{endpoint.limit.name}=1",
                                     deadline=lambda: client.deadline)
            probe_with = probes.candidates(endpoint, spec_diff) if config.probe_undocumented and only is None else None
            planner.stages = select(endpoint, probe_with, only)
            planner.execute()
        except Interrupted as stop:
            stopped = stop
            interruption = f"interrupted ({stop.name}) after {time.perf_counter() - t0:.0f} s, {_where(planner)}"
        except Outage as down:  # the API stopped answering: the run ends here, its findings so far are kept
            outage = down
            interruption = client.redactor.scrub(f"{down.message} ({_where(planner)})")
        for record in planner.cut_short:
            if stopped is None or record.outcome is not StageOutcome.INTERRUPTED:
                ctx.note(f"stage {record.name} stopped early ({record.text}): some of its checks did not run")
        for record in planner.answered_in_front:
            if record.phase != "essential":
                ctx.note(f"stage {record.name} ({record.phase}) stopped early ({record.text}): less depth")
        movement_note = ctx.movement.note()
        if movement_note:
            ctx.note(movement_note)
        for element in endpoint.no_oracle():
            ctx.note(f"not exercised: no oracle for {element}")
        findings = ctx.findings.only(only) if only else ctx.findings
        # additions alone (drift or spec) pass, and are reported; breaking ones fail the run
        # (with --only, just that check decides: drift and the spec diff are not reported either);
        # a finding a known deviation in force names is acknowledged: it fails nothing (known/)
        drift_entries = drift.results()
        spec = spec_diff.to_dict() if spec_diff is not None else None
        ack = Acknowledgement.of(config.known, config.today, endpoint.label, config.base_url, findings.violations,
                                 drift_entries if only is None else (), (spec or {}).get("changes") or () if only is None else ())
        findings = replace(findings, violations=ack.unknown_violations)
        failed = ack.failing
        covered = coverage(endpoint, findings.exercised)
        verdict = interrupted(stopped.signum) if stopped is not None else errored(outage.exit_code) \
            if outage is not None else decide(
            failed=failed, coverage=covered, only=only, cut_short=bool(planner.cut_short),
            no_oracle=bool(endpoint.no_oracle()), allow_incomplete=config.allow_incomplete)
        known = ack.settle(complete=verdict.complete, only=only,
                           exercised=[c for c, state in covered.items() if state == "exercised"],
                           spec_checked=bool(spec is not None and not spec.get("unreadable")))
        emit(events.RunFinished(verdict.name))
        return RunResult(
            config=config, verdict=verdict, target=public_target(config), started_at=started.isoformat(timespec="seconds"),
            duration_s=round(time.perf_counter() - t0, 3), traffic=Traffic.of(client.stats), findings=findings,
            coverage=covered, only=only, movement=ctx.movement.to_dict(), budget=planner.to_dict(),
            latency=latency.figures(),
            drift=drift_entries, spec_diff=spec, error=interruption, known=known)


def _where(planner: Planner) -> str:
    """Where in the run a signal or an outage stopped it: the stage it recorded as stopped, or the last one."""
    if not planner.records:
        return "during preflight"
    last = planner.records[-1]
    stopped = last.outcome in (StageOutcome.INTERRUPTED, StageOutcome.OUTAGE)
    return f"{'during' if stopped else 'after'} stage {last.name} ({last.phase})"


def _probe(ctx: RunContext):
    """The outage rule's probe: preflight's request again, sent as it was (no stage's limits)."""
    ctx.client.get(ctx.endpoint.url_path, ctx.at_limit([], 1))
    return ctx.client.last_exchange


def public_target(config: RunConfig) -> str:
    """The target as reports show it: scheme, host, port and path; no credentials, no query."""
    if not config.base_url:
        return "embedded reference target"
    parts = urlsplit(config.base_url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", "")) + (" (embedded reference target)" if config.embedded else "")


__all__ = ["RunResult", "Traffic", "public_target", "run"]
