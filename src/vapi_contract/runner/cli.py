"""``vapi-contract run``: the interface other tools call.

Exit codes: 0 the contract holds; 1 at least one confirmed violation; 2 usage or configuration
error (missing key, malformed URL, key rejected on a well-formed request); 3 target unreachable
or unusable (connection refused, timeouts, nothing but 5xx).
"""

from __future__ import annotations

import argparse

from .config import DEFAULT_MAX_RESPONSE_TIME, PROFILES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", default=None, help="target (default: $VAPI_BASE_URL, else the embedded reference target); the key comes from $VAPI_API_KEY")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="gate")
    parser.add_argument("--seed", type=int, default=None, help="reproduce a run (gate: 0; nightly: random, printed)")
    parser.add_argument("--report-dir", default="reports")
    parser.add_argument("--rate-limit", type=float, default=None, help="max requests/s (default 5 against --base-url, unlimited embedded)")
    parser.add_argument("--max-requests", type=int, default=None, help="request budget (gate default 600)")
    parser.add_argument("--max-response-time", type=float, default=DEFAULT_MAX_RESPONSE_TIME,
                        help=f"seconds; slower responses are violations (default {DEFAULT_MAX_RESPONSE_TIME:g})")
    parser.add_argument("--only", default=None, metavar="CHECK", help="re-run just the scenarios of one check id and report only it")
    parser.add_argument("--published-spec", default=None, metavar="PATH_OR_URL",
                        help="also diff the pinned contract against this published document")
    parser.add_argument("--probe-undocumented", action="store_true",
                        help="also send query parameters later documents introduced (e.g. sortBy) and report, as drift, any the target honours")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="no progress on stderr (the verdict and the report paths are still printed)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="list every finding of each failing check on the console, not just the first")


def execute(args: argparse.Namespace) -> int:
    import sys

    from ..errors import ConfigError
    from ..invariants import CHECKS
    from .config import resolve
    from .report_io import finish_run

    if args.only is not None and args.only not in CHECKS:
        raise ConfigError(f"--only {args.only!r} is not a check id; one of: {', '.join(CHECKS)}")
    config = resolve(args.base_url, args.profile, args.seed, args.report_dir, args.rate_limit,
                     args.max_requests, args.max_response_time, args.published_spec,
                     probe_undocumented=args.probe_undocumented)
    print(f"vapi-contract: {config.profile.name} profile, seed {config.seed}, target "
          f"{config.base_url or 'embedded reference target'}", file=sys.stderr)
    return finish_run(config, only=args.only, quiet=args.quiet, verbose=args.verbose)
