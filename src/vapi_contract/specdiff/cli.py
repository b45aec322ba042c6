"""``vapi-contract diff OLD NEW``: what changed for one operation between two published OpenAPI
documents (files or URLs, JSON or YAML; OLD may be the pinned ``contracts/``), classified for a
client.  A document with defects (a ``$ref`` to a schema it does not define, ...) is compared all
the same: its defects are reported, and one NEW introduces is a warning
(``published-document-invalid``).

Exit codes: 0 nothing breaking; 1 at least one breaking change (with ``--fail-on warning``, also
a change that breaks strict clients only, a defect NEW introduces included); 2 a document cannot be
fetched or read (neither JSON nor YAML, not OpenAPI 3.x), ``--operation`` is malformed or in
neither document, or ``--output`` cannot be written (checked before any document is read).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import ConfigError, ExitCode
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


def check_output(output: str) -> Path:
    """``--output``: a file that can be written, in a directory that exists (exit 2 otherwise)."""
    path = Path(output)
    folder = path.parent
    if path.is_dir():
        raise ConfigError(f"--output {output}: is a directory; give a file name")
    if not folder.is_dir():
        raise ConfigError(f"--output {output}: directory {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(f"--output {output}: not writable")
    return path


def execute(args: argparse.Namespace) -> int:
    from . import diff_documents
    from .render import as_html, as_json, as_text

    output = check_output(args.output) if args.output else None
    result = diff_documents(args.old, args.new, args.operation)
    text = {"json": as_json, "text": as_text, "html": as_html}[args.format](result)
    if output is not None:
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"--output {args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text + "\n")
    failing = {BREAKING} if args.fail_on == BREAKING else {BREAKING, WARNING}
    return int(ExitCode.VIOLATION if any(c.level in failing for c in result.changes) else ExitCode.OK)
