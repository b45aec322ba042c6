"""The ``vapi-contract`` command: a thin dispatcher over the subcommands' own modules."""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import ContractError

# subcommand -> module that provides ``add_arguments(parser)`` and ``execute(args) -> int``
SUBCOMMANDS = {
    "derive": ("vapi_contract.contract.derive_cli", "derive the pinned contract and schemas from a published OpenAPI document"),
    "serve": ("vapi_contract.target.cli", "serve the reference target (a local GET /campaign)"),
    "run": ("vapi_contract.runner.cli", "run the contract suite against a target"),
    "diff": ("vapi_contract.specdiff.cli", "compare two published OpenAPI documents for GET /campaign"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser; only ``command``'s module is imported (the others stay unloaded)."""
    parser = argparse.ArgumentParser(prog="vapi-contract", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
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
        code = 130
    sys.exit(code)
