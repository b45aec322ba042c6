"""``vapi-contract diff OLD NEW``: what changed for one operation between two published OpenAPI
documents (files or URLs; OLD may be the pinned ``contracts/``), classified for a client.

Exit codes: 0 nothing breaking; 1 at least one breaking change (with ``--fail-on warning``, also
a change that breaks strict clients only); 2 a document cannot be read or used, or ``--operation``
is malformed or in neither document.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import ExitCode
from .rules import BREAKING, WARNING


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="file, URL or the pinned contracts/ directory")
    parser.add_argument("new", metavar="NEW", help="file or URL")
    parser.add_argument("--format", choices=("text", "json", "html"), default="text",
                        help="text for people (default), json for tools, html for a self-contained page")
    parser.add_argument("--operation", default="GET /campaign", help='e.g. "GET /campaign" (default)')
    parser.add_argument("--fail-on", choices=(BREAKING, WARNING), default=BREAKING,
                        help="exit 1 on breaking changes (default), or also on changes that break strict clients")
    parser.add_argument("--output", "-o", default=None, help="write to this file instead of stdout")


def execute(args: argparse.Namespace) -> int:
    from . import diff_documents
    from .render import as_html, as_json, as_text

    result = diff_documents(args.old, args.new, args.operation)
    render = {"json": lambda: as_json(result.changes), "text": lambda: as_text(result.changes, result.old, result.new, args.operation),
              "html": lambda: as_html(result.changes, result.old, result.new, args.operation)}[args.format]
    text = render()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    failing = {BREAKING} if args.fail_on == BREAKING else {BREAKING, WARNING}
    return int(ExitCode.VIOLATION if any(c.level in failing for c in result.changes) else ExitCode.OK)
