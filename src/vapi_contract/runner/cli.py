"""``vapi-contract run``: the interface other tools call.

Exit codes (listed by ``--help``, from ``vapi_contract.cli.SUBCOMMANDS``): 0 the contract holds
and every check was exercised; 1 at least one confirmed violation (a broken answer of the API
included); 2 usage or configuration error (missing key, malformed URL, no List Campaigns endpoint
at the base URL, key rejected, something in front of the API: 403/WAF, a redirect, a TLS
mismatch; a report directory that cannot be used); 3 target unreachable, unusable or throttled,
or an outage mid-run; 4 incomplete: the run could not check everything (``--allow-incomplete``:
0); 70 an internal error; 130 / 143 interrupted by SIGINT / SIGTERM, reports written.
"""

from __future__ import annotations

import argparse

from ..settings import MAX_RESPONSE_BYTES, MAX_RESPONSE_TIME, SNAPSHOT_MARGIN
from .config import PROFILES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", default=None, help="target (default: $VAPI_BASE_URL, else the embedded reference target); the key comes from $VAPI_API_KEY")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="gate",
                        help="gate: seed 0, at most 600 requests, minutes (default); nightly: full page walks, "
                             "a random seed, up to 20,000 requests")
    parser.add_argument("--seed", type=int, default=None, help="reproduce a run (gate: 0; nightly: random, printed)")
    parser.add_argument("--report-dir", default="reports", metavar="DIR",
                        help="where report.html, junit.xml, summary.json and history.jsonl go (default: reports)")
    parser.add_argument("--rate-limit", type=float, default=None, help="max requests/s (default 5 against --base-url, unlimited embedded)")
    parser.add_argument("--max-requests", type=int, default=None, help="request budget (gate default 600)")
    parser.add_argument("--max-duration", type=float, default=None, metavar="SECONDS",
                        help="wall-clock budget of the whole run (gate default 300, nightly 3600); when it runs short the most valuable checks run first and the summary says what was skipped")
    parser.add_argument("--allow-incomplete", action="store_true",
                        help="exit 0 instead of 4 when the run could not check everything (budget, time, or data too "
                             "scarce); its verdict stays INCOMPLETE everywhere")
    parser.add_argument("--require-complete", action="store_true",
                        help="the default (an incomplete run exits 4); accepted for older scripts")
    parser.add_argument("--max-response-time", type=float, default=MAX_RESPONSE_TIME,
                        help=f"seconds; slower responses are violations (default {MAX_RESPONSE_TIME:g}); a response "
                             "still unfinished at three times this (at least 2 s) is cut off, headers and body together")
    parser.add_argument("--max-response-bytes", type=_byte_count, default=MAX_RESPONSE_BYTES, metavar="BYTES",
                        help=f"read at most this much of a response body, on the wire and once decoded (default "
                             f"{MAX_RESPONSE_BYTES:,} = 16 MiB; suffixes KiB, MiB); a larger body is a finding "
                             "(reliability.response-bounded), never read")
    parser.add_argument("--only", default=None, metavar="CHECK", help="re-run just the scenarios of one check id and report only it (exit 4 if it is never exercised)")
    parser.add_argument("--published-spec", default=None, metavar="PATH_OR_URL",
                        help="also diff the pinned contract against this published document")
    parser.add_argument("--contract-dir", default=None, metavar="DIR",
                        help="check the contract derived into DIR (`derive --from DOC --out DIR`) instead of the pinned one (default: $VAPI_CONTRACT_DIR)")
    parser.add_argument("--probe-undocumented", action="store_true",
                        help="also send query parameters later documents introduced (e.g. sortBy) and report, as drift, any the target honours")
    parser.add_argument("--snapshot-margin", type=float, default=SNAPSHOT_MARGIN, metavar="SECONDS",
                        help=f"how far the run's snapshot sits behind the target's clock (default {SNAPSHOT_MARGIN:g}): "
                             "writes committed later with an earlier instant stay out of the compared sets")
    parser.add_argument("--operation", default=None, metavar='"METHOD /path"',
                        help="the list operation checked, one of those the contract declares (default: List Campaigns, "
                             "'GET /campaign')")
    parser.add_argument("--path-param", action="append", default=None, metavar="NAME=VALUE",
                        help="the value of a path parameter of the listing (repeatable; GET /provider/{provider}/"
                             "{resourceName}: --path-param provider=cartesia); one not given is found in the pinned "
                             "listing it names an item of (GET /v2/campaign/{id}/contacts: a campaign of GET "
                             "/v2/campaign), else it is a configuration error (exit 2) naming it")
    parser.add_argument("--known-deviations", default=None, metavar="FILE",
                        help="the known deviations to acknowledge (default: known-deviations.toml in the working "
                             "directory, when there is one): their findings are reported as known, not as violations, "
                             "until each entry expires (see `vapi-contract known`)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no progress on stderr (the verdict and the report paths are still printed)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="list every finding of each failing check on the console, not just the first")


def path_params(given: list[str] | None) -> dict[str, str]:
    """``--path-param NAME=VALUE`` options as a mapping; ConfigError for one without ``=``."""
    from ..errors import ConfigError

    out: dict[str, str] = {}
    for text in given or ():
        name, sep, value = text.partition("=")
        if not sep or not name.strip() or not value:
            raise ConfigError(f"--path-param {text!r}: expected NAME=VALUE")
        out[name.strip()] = value
    return out


def execute(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from ..errors import ConfigError
    from ..invariants import CHECKS, applicable
    from .command import main
    from .config import resolve

    config = resolve(args.base_url, args.profile, args.seed, args.report_dir, args.rate_limit,
                     args.max_requests, args.max_response_time, args.published_spec,
                     probe_undocumented=args.probe_undocumented, contract_dir=args.contract_dir,
                     max_duration=args.max_duration, allow_incomplete=args.allow_incomplete,
                     operation=" ".join(args.operation.split()) if args.operation else None,
                     snapshot_margin=args.snapshot_margin, known_deviations=args.known_deviations,
                     max_response_bytes=args.max_response_bytes,
                     cwd=Path.cwd(), path_params=path_params(args.path_param))
    if args.only is not None:
        checks = applicable(config.endpoint)
        if args.only in CHECKS and args.only not in checks:
            needs = ", ".join(_element(e) for e in CHECKS[args.only].requires)
            raise ConfigError(f"--only {args.only!r} does not apply to {config.operation} of this contract (it does not "
                              f"declare {needs}); one of: {', '.join(checks)}")
        if args.only not in checks:
            raise ConfigError(f"--only {args.only!r} is not a check id; one of: {', '.join(checks)}")
    print(header(config), file=sys.stderr, flush=True)
    return main(config, only=args.only, quiet=args.quiet, verbose=args.verbose)


def header(config) -> str:
    """The run's first line on stderr: profile, seed, operation, the target and where it came from
    (``--base-url``, ``$VAPI_BASE_URL``, embedded), the path parameters' values (given, or the
    parent listing each is found in), the contract checked (the pin and its date,
    ``--contract-dir`` or ``$VAPI_CONTRACT_DIR``), the known-deviations file and how many entries
    it holds; scrubbed of every secret."""
    from ..http import Redactor
    from .command import contract_info
    from .config import EMBEDDED, PIN

    target = ("the embedded reference target" if config.target_source == EMBEDDED
              else f"{config.base_url} (from {config.target_source})")
    date = contract_info(config).get("date")
    if config.contract_source == PIN:
        contract = f"the pin of {date}" if date else "the pin"
    else:
        contract = f"{config.contract_source} {config.contract_dir}" + (f" (of {date})" if date else "")
    line = (f"vapi-contract: {config.profile.name} profile, seed {config.seed}, {config.operation}, target {target}, "
            f"contract: {contract}")
    for name, value in config.endpoint.path_values:
        line += f", {name}={value}"
    for name, parent in config.parents.items():
        line += f", {name}: to be found in {parent.label}"
    if config.known is not None:
        count = len(config.known.entries)
        line += f", known deviations: {config.known.path} ({count} entr{'y' if count == 1 else 'ies'})"
    return Redactor(config.secrets).scrub(line)


def _byte_count(text: str) -> int:
    """``16777216``, ``16MiB``, ``512 KiB``: a number of bytes (argparse type)."""
    import re

    found = re.fullmatch(r"\s*([0-9]{1,12}(?:\.[0-9]+)?)\s*(KiB|MiB|GiB|B)?\s*", text, re.I)
    if found is None:
        raise argparse.ArgumentTypeError(f"not a number of bytes: {text!r} (e.g. 16777216, 16MiB, 512KiB)")
    scale = {"kib": 2**10, "mib": 2**20, "gib": 2**30}.get((found.group(2) or "").lower(), 1)
    return int(float(found.group(1)) * scale)


def _element(requirement: str) -> str:
    """A check's contract requirement in words ("sort" -> "a sort-column parameter")."""
    kind, _, name = requirement.partition(":")
    return {"sort": "a sort-column parameter", "meta": f"a metadata field of the role {name}",
            "field": f"an item field of the role {name}", "filters": "any filter", "enum-filter": "an enum filter",
            "cursor": "a keyset cursor", "counters": "an includeCounters flag", "sibling": "another listing of its items",
            "organisation": "an item field naming the organisation"}.get(kind, requirement)
