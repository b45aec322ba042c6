"""Run the suite: preflight, scenarios, fuzzing; returns the outcome the CLI and reports use."""

from __future__ import annotations

import random
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..drift import KNOWN_LATER_PARAMETERS, parameters_from_spec, probe_undocumented
from ..errors import AuthRejected, ExitCode, RequestBudgetExhausted, TargetUnreachable
from ..http import ContractClient
from ..invariants import Violation
from . import scenarios
from .config import RunConfig
from .fuzz import fuzz
from .latency import Latency
from .progress import Progress, chain
from .session import Run


@dataclass
class Outcome:
    config: RunConfig
    verdict: str  # pass | fail | error
    exit_code: int
    violations: list[Violation]
    coverage: dict[str, str]
    notes: list[str]
    requests: int
    status_histogram: dict[str, int]
    methods: dict[str, int]
    started_at: str
    duration_s: float
    target: str
    occurrences: dict = field(default_factory=dict)
    drift: list = field(default_factory=list)
    error: str | None = None
    parameter_areas: dict = field(default_factory=dict)  # query parameter -> areas of check exercised with it
    spec_diff: dict | None = None  # `--published-spec`: the pinned contract against that document
    complete: bool = True  # every check exercised, every scenario run
    latency: dict | None = None  # response-time figures (runner/latency.py): p50/p95/max ms, overall and page 1 at limit 1000


def preflight(run: Run) -> None:
    """One request with the key: unreachable -> exit 3; key rejected -> exit 2; only 5xx -> exit 3."""
    statuses = []
    for _ in range(3):
        obs = run.fetch([("limit", "1")])
        statuses.append(obs.status)
        if obs.status == 401:
            raise AuthRejected("the target rejected the key (401) on a well-formed request: check VAPI_API_KEY")
        if obs.status < 500:
            return
    raise TargetUnreachable(f"the target answers only server errors ({', '.join(map(str, statuses))}) to GET /campaign?limit=1")


# which scenarios can produce a finding of each area (for `--only CHECK`)
SCENARIOS_FOR_AREA = {
    "shape": {"defaults", "reference", "inputs", "fuzz"},
    "pagination": {"defaults", "reference", "walks"},
    "filters": {"reference", "filters", "metamorphic"},
    "validation": {"inputs", "fuzz"},
    "auth": {"auth"},
    "tenancy": {"reference"},
    "reliability": {"defaults", "reference", "walks", "filters", "inputs", "fuzz"},
}


def execute_run(config: RunConfig, only: str | None = None, target_options: dict | None = None,
                target=None, spec_diff=None, progress: Progress | None = None) -> Outcome:
    """Run the profile against ``config.base_url``, or against the embedded reference target:
    ``target`` if one is running already, else one started here with ``target_options``
    (campaigns, seed, fault, drift — for self-tests).  ``progress`` (runner/progress.py) is told
    the budget, each stage and each response; none by default."""
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    with ExitStack() as stack:
        if config.embedded:
            from ..target.server import running_target

            if target is None:
                target = stack.enter_context(running_target(**(target_options or {})))
            config = config.with_target(target.base_url, target.api_key)
        client = stack.enter_context(ContractClient(
            config.base_url, config.api_key, rate_limit=config.rate_limit or 0.0,
            max_requests=config.max_requests, timeout=max(30.0, config.max_response_time * 3)))
        snapshot = None if config.embedded else int(started.timestamp() * 1000)
        run = Run(config, client, snapshot_ms=snapshot)
        # progress and response-time figures: both fed by every response; progress closes on any exit
        latency, run.progress = Latency(), progress or Progress.disabled()
        client.on_exchange = chain(client.on_exchange, latency.on_exchange, run.progress.on_exchange)
        stack.callback(run.progress.close)
        run.progress.start(config.max_requests, None)
        run.progress.stage("preflight")
        rng = random.Random(config.seed)
        error = None
        preflight(run)
        wanted = SCENARIOS_FOR_AREA[only.split(".", 1)[0]] if only else None

        def wants(name: str) -> bool:
            return wanted is None or name in wanted

        try:
            if wants("auth"):
                run.progress.stage("auth")
                scenarios.auth(run)
            if wants("defaults"):
                run.progress.stage("defaults")
                scenarios.defaults(run)
            run.progress.stage("reference")
            items = scenarios.reference(run) if wanted is None or wanted & {"reference", "walks", "filters", "metamorphic"} else []
            if wants("walks"):
                run.progress.stage("walks")
                scenarios.walks(run, config.profile)
            if wants("filters"):
                run.progress.stage("filters")
                scenarios.filters(run, items, config.profile, rng)
            if wants("metamorphic"):
                run.progress.stage("metamorphic")
                scenarios.metamorphic(run, items, rng)
            if wants("inputs"):
                run.progress.stage("inputs")
                scenarios.inputs(run)
            if wants("fuzz"):
                run.progress.stage("fuzz")
                fuzz(run, config.profile.fuzz_examples, config.seed, config.profile.derandomize)
            if config.probe_undocumented and only is None:
                run.progress.stage("probe-undocumented")
                probe_undocumented(run, {**KNOWN_LATER_PARAMETERS, **parameters_from_spec(spec_diff)})
        except RequestBudgetExhausted:
            run.note(f"request budget of {config.max_requests} exhausted: the remaining scenarios did not run")
        if only:
            run.recorder.violations = [v for v in run.recorder.violations if v.check == only]
        stats = client.stats
        violations = run.recorder.violations
        drift = run.drift.results()
        # additions alone (drift or spec) pass, and are reported; breaking ones fail the run
        failed = bool(violations) or run.drift.breaking or bool(spec_diff and spec_diff.breaking)
        coverage = run.recorder.coverage()
        verdict, code = ("fail", ExitCode.VIOLATION) if failed else ("pass", ExitCode.OK)
        # nothing failed, but not everything could be checked: the run says so (the report's verdict
        # reads "incomplete"); the exit code stays 0, as the docs left nothing violated
        complete = only is not None or (all(v == "exercised" for v in coverage.values()) and not run.recorder.notes)
        return Outcome(
            config=config, verdict=verdict, exit_code=int(code), violations=violations,
            coverage=coverage, notes=run.recorder.notes, requests=stats.total,
            status_histogram={str(k): v for k, v in sorted(stats.status_histogram.items())},
            methods=dict(stats.methods), started_at=started.isoformat(timespec="seconds"),
            duration_s=round(time.perf_counter() - t0, 3), target=_public_target(config),
            occurrences={f"{c}|{m}": n for (c, m), n in run.recorder.occurrences.items()}, error=error,
            drift=drift, parameter_areas={k: sorted(v) for k, v in run.recorder.parameter_areas.items()},
            spec_diff=spec_diff.to_dict() if spec_diff is not None else None, complete=complete,
            latency=latency.figures(),
        )


def _public_target(config: RunConfig) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(config.base_url or "")
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", "")) + (" (embedded reference target)" if config.embedded else "")
