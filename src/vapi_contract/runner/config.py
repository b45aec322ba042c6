"""Run configuration: profiles, defaults, where the target and the key come from, and the
operation checked (its :class:`~vapi_contract.contract.endpoint.Endpoint`, read from the contract).

The target comes from ``--base-url``, else ``$VAPI_BASE_URL``, else it is the embedded reference
target; the contract from ``--contract-dir``, else ``$VAPI_CONTRACT_DIR``, else the pin.  The
configuration remembers which (``target_source``, ``contract_source``): a value left in the
environment never redirects a run silently, the run's header names it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..contract.endpoint import Endpoint
from ..contract.locate import CONTRACT_DIR_ENV, check_contract_dir, contract_root
from ..contract.reading import Contract
from ..contract.validator import Validator
from ..settings import (MAX_RESPONSE_BYTES, MIN_RESPONSE_DEADLINE, RATE_LIMIT, RESPONSE_DEADLINE_FACTOR,
                        SNAPSHOT_MARGIN)
from ..errors import ConfigError
from ..http.client import check_base_url
from ..http.urls import secret_parts
from ..known import clock
from ..known.store import DEFAULT_FILE as KNOWN_FILE, KnownFile, load as load_known

KEY_ENV, URL_ENV = "VAPI_API_KEY", "VAPI_BASE_URL"
EMBEDDED = "embedded"  # target_source of a run against the embedded reference target
PIN = "pin"  # contract_source of a run checking the pinned contract
MAX, DEFAULT = "max", "default"  # walk limits named by what the contract says of limit
NEWEST, OLDEST = "newest first", "oldest first"  # walk orders named by their meaning (the order parameter's values)
# --max-response-bytes: no fewer bytes than a page of one campaign needs, no more than memory bears
MIN_RESPONSE_BYTES, MAX_RESPONSE_BYTES_CEILING = 64 * 1024, 256 * 2**20
__all__ = ["KEY_ENV", "PROFILES", "URL_ENV", "Profile", "RunConfig", "resolve"]


@dataclass(frozen=True)
class Profile:
    """How deep a run goes.  Every figure is independent of the organisation's size: windows
    hold at most a maximum page of items, walks a few pages each (see :mod:`.engine.planner` for
    how the budgets are shared)."""

    name: str
    max_requests: int
    max_duration: float  # seconds of wall clock for the whole run
    walk_limits: tuple[tuple[int | str, tuple[str, ...]], ...]  # (limit, orders) walked; MAX / DEFAULT: limit's;
    #                                                                 NEWEST / OLDEST: the order's values
    window_pages: int  # pages of one window walk (and the whole listing walked when it fits)
    rewalks: int  # re-walks / re-measures of a relation while the data moves
    windows: int  # windows asked filters (deep pass)
    probe_instants: int  # instants per bound per window (deep pass)
    count_instants: int  # instants the whole is split at (deep pass)
    fuzz_examples: int  # schemathesis cases per generation mode (deep pass)
    derandomize: bool

    def walk_plan(self, endpoint: Endpoint) -> list[tuple[int, str]]:
        """(limit, order) of every walk, MAX and DEFAULT read from the endpoint's limit, NEWEST and
        OLDEST from its order."""
        named = {MAX: endpoint.max_limit, DEFAULT: endpoint.limit.default}
        orders = {NEWEST: endpoint.descending, OLDEST: endpoint.ascending}
        return [(int(named.get(limit, limit)), orders[order]) for limit, walked in self.walk_limits for order in walked]


_BOTH = (NEWEST, OLDEST)
PROFILES = {
    "gate": Profile("gate", 600, 300.0, ((MAX, _BOTH), (DEFAULT, (NEWEST,)), (7, _BOTH), (2, (NEWEST,))),
                    5, 2, 3, 2, 3, 30, True),
    "nightly": Profile("nightly", 20000, 3600.0,
                       ((MAX, _BOTH), (DEFAULT, _BOTH), (37, _BOTH), (7, _BOTH), (2, _BOTH), (1, (NEWEST,))),
                       8, 3, 25, 4, 12, 250, False),
}


@dataclass(frozen=True)
class RunConfig:
    base_url: str | None  # None: start the embedded reference target
    api_key: str | None = field(repr=False)
    profile: Profile
    seed: int
    report_dir: Path
    rate_limit: float
    max_requests: int
    max_response_time: float
    endpoint: Endpoint  # the operation checked, read from the contract under contract_root
    contract_root: Path  # the derived contract checked: the pin, or --contract-dir
    siblings: dict = field(compare=False)  # label -> Endpoint: the contract's other listings of the same items
    validator: Validator = field(compare=False, repr=False)  # the contract's schemas
    default_operation: str = ""  # the operation a run of this contract checks when not told (--operation)
    published_spec: str | None = None
    embedded: bool = False  # True: the run starts the embedded reference target
    probe_undocumented: bool = False  # also probe parameters later documents introduced (drift)
    max_duration: float | None = None  # seconds; None: the profile's
    allow_incomplete: bool = False  # an incomplete run exits 0 instead of 4 (its verdict stays incomplete)
    contract_dir: Path | None = None  # --contract-dir as given (None: the pin)
    snapshot_margin: float = SNAPSHOT_MARGIN  # seconds the snapshot sits behind the target's clock
    target_source: str = EMBEDDED  # where base_url came from: --base-url | $VAPI_BASE_URL | embedded
    contract_source: str = PIN  # where the contract came from: --contract-dir | $VAPI_CONTRACT_DIR | pin
    known: KnownFile | None = None  # the known deviations (--known-deviations, else ./known-deviations.toml)
    today: date = field(default_factory=clock.today)  # the day entries expire against (UTC; tests pass theirs)
    max_response_bytes: int = MAX_RESPONSE_BYTES  # a body is read up to this, on the wire and decoded
    # path parameter -> the parent listing's Endpoint, for each one the run finds there (not given)
    parents: dict = field(default_factory=dict, compare=False)

    @property
    def operation(self) -> str:
        return self.endpoint.label

    @property
    def secrets(self) -> list[str]:
        """What no output may show: the key, and the secret-looking parts of the base URL and of
        the published document's URL (:func:`~vapi_contract.http.urls.secret_parts`)."""
        return [s for s in (self.api_key, *secret_parts(self.base_url or ""), *secret_parts(self.published_spec or ""))
                if s]

    @property
    def response_deadline(self) -> float:
        """Seconds a response may take, headers and body together, before it is cut off: three
        times ``--max-response-time``, at least two seconds (``defaults``)."""
        return max(RESPONSE_DEADLINE_FACTOR * self.max_response_time, MIN_RESPONSE_DEADLINE)

    def with_target(self, base_url: str, api_key: str) -> "RunConfig":
        return replace(self, base_url=base_url, api_key=api_key)


def resolve(base_url: str | None, profile: str, seed: int | None, report_dir: str, rate_limit: float | None,
            max_requests: int | None, max_response_time: float, published_spec: str | None = None,
            environ=os.environ, probe_undocumented: bool = False, max_duration: float | None = None,
            allow_incomplete: bool = False, contract_dir: str | None = None,
            operation: str | None = None, snapshot_margin: float = SNAPSHOT_MARGIN,
            max_response_bytes: int = MAX_RESPONSE_BYTES, known_deviations: str | None = None,
            cwd: str | Path | None = None, today: date | None = None,
            path_params: dict[str, str] | None = None) -> RunConfig:
    """Build the configuration; raise ConfigError (exit 2) for anything unusable.

    Known deviations: ``known_deviations`` (``--known-deviations FILE``) names the file, which must
    exist; else ``known-deviations.toml`` in ``cwd`` when there is one (the CLI passes the working
    directory; without ``cwd`` none is looked for).  A malformed file is refused here, before the
    first request, in one line naming the entry and the field."""
    chosen = PROFILES[profile]
    if seed is not None and not 0 <= seed < 2**63:
        raise ConfigError(f"--seed must be between 0 and {2**63 - 1} (got {seed})")
    contract = contract_dir or environ.get(CONTRACT_DIR_ENV) or None
    contract_source = "--contract-dir" if contract_dir else f"${CONTRACT_DIR_ENV}" if contract else PIN
    given_dir = check_contract_dir(contract).resolve() if contract else None
    root = given_dir if given_dir is not None else contract_root().resolve()
    loaded = Contract.load(root)
    endpoint = loaded.endpoint(operation or loaded.default_operation)  # what the engine needs of it is required when a run starts
    endpoint = endpoint.with_path_values(path_params or {})  # --path-param NAME=VALUE: every one valued, or exit 2
    url = base_url or environ.get(URL_ENV) or None
    target_source = "--base-url" if base_url else f"${URL_ENV}" if url else EMBEDDED
    key = environ.get(KEY_ENV) or None
    if url is not None:
        url = check_base_url(url, operations=[loaded.endpoint(op).path for op in loaded.operations])
        if not key:
            raise ConfigError(f"{KEY_ENV} is not set: the key for {urlsplit(url).hostname} comes from the environment only")
    if seed is None:
        seed = 0 if chosen.derandomize else int.from_bytes(os.urandom(4), "big")
    if max_response_time <= 0:
        raise ConfigError("--max-response-time must be positive")
    if max_duration is not None and max_duration <= 0:
        raise ConfigError("--max-duration must be positive")
    if max_requests is not None and max_requests < 1:
        raise ConfigError("--max-requests must be at least 1")
    if not 0 <= snapshot_margin <= 86400:
        raise ConfigError("--snapshot-margin must be 0-86400 seconds")
    if not MIN_RESPONSE_BYTES <= max_response_bytes <= MAX_RESPONSE_BYTES_CEILING:
        raise ConfigError(f"--max-response-bytes must be {MIN_RESPONSE_BYTES:,}-{MAX_RESPONSE_BYTES_CEILING:,} "
                          f"(got {max_response_bytes:,}; default {MAX_RESPONSE_BYTES:,}: 16 MiB)")
    limit = rate_limit if rate_limit is not None else (RATE_LIMIT if url else 0.0)
    known = _known_file(known_deviations, cwd)
    return RunConfig(url, key, chosen, seed, Path(report_dir), limit,
                     max_requests if max_requests is not None else chosen.max_requests, max_response_time,
                     endpoint, root, loaded.siblings(endpoint), Validator.load(root), loaded.default_operation,
                     published_spec, embedded=url is None, probe_undocumented=probe_undocumented,
                     max_duration=max_duration if max_duration is not None else chosen.max_duration,
                     allow_incomplete=allow_incomplete, contract_dir=given_dir, target_source=target_source,
                     contract_source=contract_source, snapshot_margin=snapshot_margin, known=known, max_response_bytes=max_response_bytes,
                     today=today if today is not None else clock.today(), parents=loaded.parents(endpoint))


def _known_file(given: str | None, cwd: str | Path | None) -> KnownFile | None:
    """The known deviations a run uses: ``given`` (which must exist), else ``cwd``'s
    known-deviations.toml when present, else none."""
    if given:
        return load_known(Path(given), given)
    if cwd is not None and (Path(cwd) / KNOWN_FILE).exists():
        return load_known(Path(cwd) / KNOWN_FILE, KNOWN_FILE)
    return None
