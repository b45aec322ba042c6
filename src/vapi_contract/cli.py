"""The ``vapi-contract`` command: a thin dispatcher over the subcommands' own modules."""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import ContractError, ExitCode, Interrupted

DESCRIPTION = """\
Contract tests for Vapi's GET /campaign (List Campaigns): run the suite against the live API or
the embedded reference target, serve that target, derive the pinned contract from Vapi's published
OpenAPI document, tell what changed between two published documents, and keep the known
deviations a team acknowledges (known add / prune / check).
The API key is read from $VAPI_API_KEY only, never from the command line."""

# subcommand -> (module providing ``add_arguments(parser)`` and ``execute(args) -> int``, help,
# exit codes)
SUBCOMMANDS = {
    "derive": ("vapi_contract.contract.derive_cli",
               "derive the pinned contract and schemas of every listing of a published OpenAPI document (or of "
               "--operation's)", (
                   (0, "contract derived (with --check: the committed files are current and valid)"),
                   (1, "--check: the committed files differ from what would be derived"),
                   (2, "the document cannot be fetched or read (neither JSON nor YAML, not OpenAPI 3.x, over 32 MiB, "
                       "nested more than 64 deep, a NaN, a name twice, a YAML alias bomb) or has no listing; an --operation is not one of its listings (they are named); it has a defect with no "
                       "evident meaning where a listing reaches (a $ref to a schema it does not define, a type that is "
                       "no type: each listed with its pointers, nothing written); or the derived contract is "
                       "invalid"))),
    "serve": ("vapi_contract.reference.cli", "serve the reference target (the campaign listings, and every other "
              "listing of --contract-dir generated from it)", (
        (0, "stopped (Ctrl-C), or --list-faults / --list-listings printed"),
        (2, "usage error: unknown fault or drift, a generic fault no listing served can show, bad --items, a "
            "--contract-dir without a derived contract, bad port, cannot listen"))),
    "run": ("vapi_contract.runner.cli", "run the contract suite against a target", (
        (0, "the contract holds and every check was exercised (additive drift is reported, not failed; a "
            "--published-spec that cannot be read is reported, and leaves the exit code to the checks); also an "
            "incomplete run with --allow-incomplete"),
        (1, "at least one confirmed violation, breaking drift, or (--published-spec) a breaking published change; "
            "also a broken answer of the API (no JSON, cut short, wrong shape, NaN, a name twice, over "
            "--max-response-bytes), each a finding with its curl line"),
        (2, "usage or configuration error, before or instead of any check: missing key, malformed URL or --seed, "
            "--report-dir unusable or in use by another run, no List Campaigns endpoint at --base-url (a 404, or "
            "a 2xx with no JSON, or JSON with neither results nor metadata), key rejected (401, or a JSON 403), "
            "something in front of the API (a WAF's block page, a redirect, https:// on a plain-http server, a "
            "certificate that does not verify)"),
        (3, "target unreachable, unusable or throttled: connection refused, timeouts, nothing but 5xx, the server "
            "stopped sending, 429 on every attempt; mid-run, an outage (5 failed requests in a row, then the "
            "preflight request failing too): reports written, findings before it kept"),
        (4, "incomplete: the run did not exercise every check (budget, time, scarce data, something in front of the "
            "API answering a stage, or the --only check never exercised); --allow-incomplete exits 0 instead"),
        (70, "internal error: a bug of vapi-contract (its traceback is printed; the reports say so)"),
        (130, "interrupted by SIGINT (Ctrl-C): the reports are written, verdict interrupted"),
        (143, "interrupted by SIGTERM (a CI timeout or cancel): the reports are written, verdict interrupted"))),
    "known": ("vapi_contract.known.cli", "known deviations: acknowledge a run's findings (add), remove those no "
              "longer seen (prune), lint the file (check)", (
                  (0, "done: entries added or removed (or nothing to do, said why); check: the file is valid"),
                  (1, "check: the file has problems (one line each, naming the entry and the field)"),
                  (2, "usage error: a summary.json or known-deviations file that cannot be read or is malformed, an "
                      "expiry in the past or more than a year ahead, an unknown check id"))),
    "diff": ("vapi_contract.specdiff.cli", "compare two published OpenAPI documents for GET /campaign", (
        (0, "nothing breaking (warnings and info are printed; defects of either document are listed)"),
        (1, "at least one breaking change (with --fail-on warning, also a warning, such as a defect NEW introduces: "
            "published-document-invalid)"),
        (2, "a document cannot be fetched or read (neither JSON nor YAML, not OpenAPI 3.x, over 32 MiB, nested "
            "more than 64 deep, a NaN, a name twice, a YAML alias bomb), --operation is malformed or in neither "
            "document, or --output cannot be written (checked first)"))),
}
INTERRUPTED = 130


def exit_codes_text(codes, interruptible: bool = True) -> str:
    import textwrap

    listed = {code for code, _ in codes}
    rows = [*codes, *([(INTERRUPTED, "interrupted (Ctrl-C)")] if interruptible and INTERRUPTED not in listed else [])]
    return "exit codes:\n" + "\n".join(
        textwrap.fill(meaning, width=96, initial_indent=f"  {code:<4} ", subsequent_indent=" " * 7) for code, meaning in rows)


def _top_epilog() -> str:
    lines = ["exit codes (details: vapi-contract COMMAND --help):"]
    for name, (_, _, codes) in SUBCOMMANDS.items():
        lines.append(f"  {name:7} " + ", ".join(str(code) for code, _ in codes))
    lines.append("errors are one line on stderr, never a traceback and never the key; 70: an internal error (a bug of "
                 "vapi-contract, with its traceback)")
    return "\n".join(lines)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser; only ``command``'s module is imported (the others stay unloaded)."""
    parser = argparse.ArgumentParser(prog="vapi-contract", description=DESCRIPTION, epilog=_top_epilog(),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text, codes) in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text, epilog=exit_codes_text(codes, interruptible=name != "serve"),
                            formatter_class=argparse.RawDescriptionHelpFormatter)
        if name == command:
            module = importlib.import_module(module_name)
            module.add_arguments(sp)
            sp.set_defaults(_execute=module.execute)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command if command in SUBCOMMANDS else None)
    args = parser.parse_args(argv)
    try:
        code = int(args._execute(args))
    except ContractError as exc:
        print(f"vapi-contract: error: {exc.message}", file=sys.stderr)
        code = int(exc.exit_code)
    except KeyboardInterrupt:
        print("vapi-contract: interrupted", file=sys.stderr)
        code = INTERRUPTED
    except Interrupted as stop:  # a run's signal that came before it could write anything
        print(f"vapi-contract: interrupted ({stop.name})", file=sys.stderr)
        code = stop.exit_code
    except Exception as bug:  # a bug of vapi-contract, never a verdict on the API: its own exit code
        import traceback

        traceback.print_exc(file=sys.stderr)
        print(f"vapi-contract: internal error ({type(bug).__name__}): a bug of vapi-contract, not a finding; please "
              "report it with the traceback above", file=sys.stderr)
        code = int(ExitCode.INTERNAL)
    sys.exit(code)
