"""Run the suite: preflight (the snapshot), then the planner's stages; returns the outcome the CLI and reports use."""

from __future__ import annotations

import random
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone

from email.utils import parsedate_to_datetime

from ..contract.endpoint import EndpointModel
from ..contract.validator import Validator
from ..drift import KNOWN_LATER_PARAMETERS, parameters_from_spec, probe_undocumented
from ..errors import AuthRejected, ExitCode, TargetUnreachable
from ..http import ContractClient
from ..invariants import Violation, access
from ..invariants.model import Judgement
from . import basics, surface
from .config import RunConfig
from .counts import counts
from .filters import filters
from .fuzz import fuzz
from .plan import Planner, Stage
from .latency import Latency
from .progress import Progress, chain
from .session import Run
from .walks import walks
from .windows import Survey


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
    complete: bool = True  # every check exercised, every essential pass finished
    movement: dict = field(default_factory=dict)  # how much the data moved, what was set aside
    budget: dict = field(default_factory=dict)  # the planner's stages: requests, time, outcome

    latency: dict | None = None  # response-time figures (runner/latency.py): p50/p95/max ms, overall and page 1 at limit 1000


SNAPSHOT_MARGIN_MS = 1000


def preflight(run: Run) -> None:
    """One request with the key: unreachable -> exit 3; key rejected -> exit 2; only 5xx -> exit 3.
    Fixes the run's snapshot: the target's clock (its Date header) or ours, whichever is earlier,
    less a second, on a whole second (so a bound truncated to seconds still means the same)."""
    statuses = []
    for _ in range(3):
        obs = run.fetch([("limit", "1")])
        statuses.append(obs.status)
        if obs.status == 401:
            raise AuthRejected("the target rejected the key (401) on a well-formed request: check VAPI_API_KEY")
        if obs.status < 500:
            check_is_the_api(run.client.base_url, obs)
            run.snapshot_ms = snapshot_from(run.client.last_exchange.headers.get("date"), time.time())
            return
    raise TargetUnreachable(f"the target answers only server errors ({', '.join(map(str, statuses))}) to GET /campaign?limit=1")


def snapshot_from(date_header: str | None, now: float) -> int:
    """The run's snapshot instant in ms (see :func:`preflight`)."""
    ms = int(now * 1000)
    if date_header:
        try:
            ms = min(ms, int(parsedate_to_datetime(date_header).timestamp() * 1000))
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    ms -= SNAPSHOT_MARGIN_MS
    return ms - ms % 1000


def build_stages(run: Run, survey: Survey, config: RunConfig, rng: random.Random, model: EndpointModel,
                 spec_diff=None, only: str | None = None) -> list[Stage]:
    """The run's stages in the order of their value (see :mod:`.plan`)."""
    p = config.profile
    seed = config.seed
    stages = [
        Stage("auth", frozenset({"auth"}), lambda essential: basics.auth(run)),
        Stage("inputs", frozenset({"validation", "shape", "reliability"}), lambda essential: basics.inputs(run)),
        Stage("defaults", frozenset({"pagination", "shape", "reliability"}), lambda essential: basics.defaults(run)),
        Stage("survey", frozenset({"pagination", "filters", "shape", "tenancy", "reliability"}), lambda essential: survey.window(0)),
        Stage("filters", frozenset({"filters", "shape", "reliability"}),
              lambda essential: filters(run, survey, p, rng, essential), 0.35),
        Stage("walks", frozenset({"pagination", "shape", "reliability"}), lambda essential: walks(run, survey, p, essential), 0.3),
        Stage("counts", frozenset({"filters", "reliability"}), lambda essential: counts(run, survey, p, rng, essential), 0.1),
        Stage("surface", frozenset({"pagination", "filters", "validation", "shape", "reliability"}),
              lambda essential: surface.contract_surface(run, model, p, rng)),
        Stage("fuzz", frozenset({"validation", "shape", "reliability"}),
              lambda essential: fuzz(run, ESSENTIAL_FUZZ if essential else p.fuzz_examples, seed if essential else seed + 1,
                                     p.derandomize), 0.25),
    ]
    if config.probe_undocumented and only is None:
        stages.append(Stage("probes", frozenset({"drift"}),
                            lambda essential: probe_undocumented(run, {**KNOWN_LATER_PARAMETERS, **parameters_from_spec(spec_diff)})))
    if only:
        area = only.split(".", 1)[0]
        stages = [s for s in stages if area in s.areas]
    return stages


ESSENTIAL_FUZZ = 10


def check_is_the_api(base_url: str, obs) -> None:
    """The preflight answer comes from a List Campaigns endpoint, or the configuration is wrong
    (exit 2): a 404 (no such endpoint under the base URL), or a 2xx that is no JSON list at all
    (another service, a web page).  A list of the wrong shape is a finding, not this."""
    from urllib.parse import urlsplit

    from ..errors import ConfigError
    from ..http import public_url

    where = public_url(base_url + "/campaign")
    hint = ("--base-url must be the API root that /campaign is appended to (e.g. https://api.vapi.ai, "
            "or http://127.0.0.1:PORT for `vapi-contract serve`)")
    if obs.status == 404:
        raise ConfigError(f"GET {where}?limit=1 answered 404: no List Campaigns endpoint there; {hint}")
    if 200 <= obs.status < 300 and not _is_listing(obs.body):
        what = "no JSON body" if obs.body is None else "JSON without a list of results"
        shown = obs.content_type.split(";", 1)[0].strip() or "no content type"
        raise ConfigError(f"GET {where}?limit=1 answered {obs.status} with {what} ({shown}): "
                          f"is {urlsplit(where).netloc} the Vapi API? {hint}")


def _is_listing(body) -> bool:
    return isinstance(body, list) or (isinstance(body, dict) and isinstance(body.get("results"), list))


def final_verdict(failed: bool, coverage: dict[str, str], only: str | None, cut_short: bool = False,
                  require_complete: bool = False) -> tuple[str, ExitCode, bool]:
    """(verdict, exit code, complete).  A failure fails (1).  A run is complete when it exercised
    every check (with ``--only CHECK``: that check) and no stage's essential pass was cut short.
    An incomplete run is never a silent pass: with ``--only`` (nothing was checked) or
    ``--require-complete`` it is ``incomplete`` (4); otherwise it passes (0) and says it is not
    complete (the report's banner reads "incomplete")."""
    if only is not None:
        complete = coverage.get(only) == "exercised"
    else:
        complete = all(v == "exercised" for v in coverage.values()) and not cut_short
    if failed:
        return "fail", ExitCode.VIOLATION, complete
    if not complete and (only is not None or require_complete):
        return "incomplete", ExitCode.INCOMPLETE, complete
    return "pass", ExitCode.OK, complete


def execute_run(config: RunConfig, only: str | None = None, target_options: dict | None = None,
                target=None, spec_diff=None, progress: Progress | None = None) -> Outcome:
    """Run the profile against ``config.base_url``, or against the embedded reference target:
    ``target`` if one is running already, else one started here with ``target_options``
    (campaigns, seed, fault, drift, churn — for self-tests).  ``progress`` (runner/progress.py) is
    told the budget, each stage and each response; none by default."""
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    model = EndpointModel.load(config.contract_dir).require()  # the contract the run checks (exit 2 if unusable)
    with ExitStack() as stack:
        if config.embedded:
            from ..target.server import running_target

            if target is None:
                target = stack.enter_context(running_target(**(target_options or {})))
            config = config.with_target(target.base_url, target.api_key)
        client = stack.enter_context(ContractClient(
            config.base_url, config.api_key, rate_limit=config.rate_limit or 0.0,
            max_requests=config.max_requests, timeout=max(30.0, config.max_response_time * 3)))
        run = Run(config, client, validator=Validator.load(config.contract_dir))
        # progress and response-time figures: both fed by every response; progress closes on any exit
        latency, run.progress = Latency(), progress or Progress.disabled()
        client.on_exchange = chain(client.on_exchange, latency.on_exchange, run.progress.on_exchange)
        stack.callback(run.progress.close)
        run.progress.start(config.max_requests, config.max_duration)
        run.progress.stage("preflight")
        rng = random.Random(config.seed)
        preflight(run)
        survey = Survey(run, rng)
        planner = Planner(run, build_stages(run, survey, config, rng, model, spec_diff, only), config.max_requests,
                          config.max_duration)
        planner.execute()
        if run.orgs:
            run.settle(Judgement(access.single_org(run.orgs.values())), {"tenancy.single-org"})
        for record in planner.cut_short:
            run.note(f"stage {record.name} stopped early ({record.outcome}): some of its checks did not run")
        movement_note = run.movement.note()
        if movement_note:
            run.note(movement_note)
        if only:
            run.recorder.violations = [v for v in run.recorder.violations if v.check == only]
        stats = client.stats
        violations = run.recorder.violations
        drift = run.drift.results()
        # additions alone (drift or spec) pass, and are reported; breaking ones fail the run
        # (with --only, just that check decides: drift and the spec diff are not reported either)
        failed = bool(violations) or (only is None and (run.drift.breaking or bool(spec_diff and spec_diff.breaking)))
        coverage = surface.coverage(run, model)  # the checks that concern this contract; no-oracle elements noted
        verdict, code, complete = final_verdict(failed, coverage, only, bool(planner.cut_short) or bool(model.no_oracle()),
                                                config.require_complete)
        return Outcome(
            config=config, verdict=verdict, exit_code=int(code), violations=violations,
            coverage=coverage, notes=run.recorder.notes, requests=stats.total,
            status_histogram={str(k): v for k, v in sorted(stats.status_histogram.items())},
            methods=dict(stats.methods), started_at=started.isoformat(timespec="seconds"),
            duration_s=round(time.perf_counter() - t0, 3), target=_public_target(config),
            occurrences={f"{c}|{m}": n for (c, m), n in run.recorder.occurrences.items()}, error=None,
            drift=drift, parameter_areas={k: sorted(v) for k, v in run.recorder.parameter_areas.items()},
            spec_diff=spec_diff.to_dict() if spec_diff is not None else None, complete=complete,
            movement=run.movement.to_dict(), budget=planner.to_dict(), latency=latency.figures(),
        )


def _public_target(config: RunConfig) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(config.base_url or "")
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", "")) + (" (embedded reference target)" if config.embedded else "")
