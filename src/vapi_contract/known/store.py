"""known-deviations.toml on disk: read it (bounded, checked), add entries and remove entries while
keeping everything a person wrote — comments, blank lines, order, the way values are spelled.

The file is an array of tables, one ``[[deviation]]`` per entry (the format: :mod:`.entry`, the
README).  Reading and writing both go through tomlkit, a style-preserving TOML library: a file
parsed and written again is the same bytes, so ``known add`` changes nothing but the end of the
file (where the new entries go) and ``known prune`` nothing but the entries it removes.  Every
write is checked before it replaces the file: the result must parse, hold exactly the entries
intended, and (for an addition) begin with the file as it was.

A file that is not there is empty; a file that cannot be used is a :class:`KnownFileError` (exit 2)
whose message is one line naming the entry and the field.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .entry import Entry, Problem, read_entries

DEFAULT_FILE = "known-deviations.toml"
TABLE = "deviation"
MAX_BYTES = 1024 * 1024  # a file of a few hundred entries is ~100 KB
MAX_ENTRIES = 5000
_HEADER = re.compile(r"^\s*\[\[\s*" + TABLE + r"\s*\]\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\"-]+)\s*=")

NEW_FILE_HEADER = """\
# Known deviations: findings of vapi-contract that the team has acknowledged and cannot fix today.
# `vapi-contract run` reads this file from its working directory (or --known-deviations FILE): a
# finding an entry names is reported as known, not as a violation, until the entry's `expires`;
# after that day it fails the run again.  Entries are added by
#   vapi-contract known add REPORT_DIR --reason TEXT --expires YYYY-MM-DD [--ticket URL]
# linted by `vapi-contract known check`, and removed once a complete run no longer sees them by
# `vapi-contract known prune REPORT_DIR`.  Comments and order are kept; review changes in a pull request.
"""


class KnownFileError(ConfigError):
    """The known-deviations file cannot be used (exit 2): one line naming the entry and the field."""


@dataclass(frozen=True)
class KnownFile:
    """The entries of a known-deviations file, as a run uses them."""

    path: str  # as given (or the default name), for messages and the summary
    entries: tuple[Entry, ...]

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}


def read_text(path: Path, shown: str) -> str:
    """The file's text: bounded, UTF-8, a regular file."""
    try:
        if not path.is_file():
            raise KnownFileError(f"{shown}: not a file" if path.exists() else f"{shown}: no such file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise KnownFileError(f"{shown}: {size} bytes, more than a known-deviations file may hold ({MAX_BYTES})")
        data = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        raise KnownFileError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KnownFileError(f"{shown}: not UTF-8 text (byte {exc.start})") from None


def parse(text: str, shown: str):
    """The tomlkit document of ``text``; a syntax error is one line naming the entry and field it is in."""
    import tomlkit

    try:
        return tomlkit.parse(text)
    except Exception as exc:  # noqa: BLE001 — untrusted input: whatever the parser raises is one line
        line = getattr(exc, "line", None)
        why = " ".join(str(exc).split()) or type(exc).__name__
        raise KnownFileError(Problem(*_place(text, line), f"not valid TOML ({why})").line(shown)) from None


def _place(text: str, line: int | None) -> tuple[str, str]:
    """(entry, field) at 1-based ``line`` of the file, as far as the text tells."""
    if not isinstance(line, int) or line < 1:
        return "", ""
    lines = text.splitlines()[:line]
    entry = sum(1 for row in lines if _HEADER.match(row))
    key = _KEY.match(lines[-1]) if lines else None
    return (f"entry {entry}" if entry else ""), (key.group(1).strip('"') if key else "")


def problems_of(doc: Any) -> tuple[list[Entry], list[Problem]]:
    """The entries of a parsed file and everything wrong with it (:func:`.entry.read_entries`,
    plus what is wrong at the top level)."""
    plain = doc.unwrap() if hasattr(doc, "unwrap") else doc
    problems: list[Problem] = []
    for key in plain:
        if key != TABLE:
            problems.append(Problem("", str(key), f"unknown top-level key (entries are [[{TABLE}]] tables)"))
    rows = plain.get(TABLE, [])
    if not isinstance(rows, list):
        return [], problems + [Problem("", TABLE, f"must be an array of tables ([[{TABLE}]])")]
    if len(rows) > MAX_ENTRIES:
        return [], problems + [Problem("", TABLE, f"{len(rows)} entries, more than {MAX_ENTRIES}")]
    entries, found = read_entries(rows)
    return entries, problems + found


def load(path: str | Path, shown: str | None = None) -> KnownFile:
    """The file's entries; :class:`KnownFileError` with its first problem (and how many more)."""
    shown = shown if shown is not None else str(path)
    text = read_text(Path(path), shown)
    entries, problems = problems_of(parse(text, shown))
    if problems:
        more = f" (and {len(problems) - 1} more problem(s): vapi-contract known check --file {shown})" \
            if len(problems) > 1 else ""
        raise KnownFileError(problems[0].line(shown) + more)
    return KnownFile(shown, tuple(entries))


def lint(path: str | Path, shown: str | None = None) -> tuple[list[Entry], list[str]]:
    """Every problem of the file, one line each (``known check``); the entries that are fine."""
    shown = shown if shown is not None else str(path)
    try:
        text = read_text(Path(path), shown)
        entries, problems = problems_of(parse(text, shown))
    except KnownFileError as exc:
        return [], [exc.message]
    return entries, [p.line(shown) for p in problems]


def _entry_table(fields: dict[str, Any], first: bool, separate: bool):
    """A ``[[deviation]]`` table of ``fields`` (in the order given; an ``example`` dict becomes
    its ``[deviation.example]`` sub-table), preceded by a blank line when ``separate``."""
    import tomlkit

    table = tomlkit.table()
    if separate or not first:
        table.trivia.indent = "\n"
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, dict):
            sub = tomlkit.table()
            for k, v in value.items():
                if v:
                    sub.add(k, v)
            if len(sub):
                table.add(key, sub)
        else:
            table.add(key, value)
    return table


def add_entries(path: Path, shown: str, new: list[dict[str, Any]]) -> str:
    """Append ``new`` entries (field dicts, checked by the caller) to the file at ``path``
    (created, with a header saying what it is, when absent) and return the text written.  The
    file must be valid first; everything in it stays as it was, byte for byte."""
    import tomlkit

    original = read_text(path, shown) if path.exists() else ""
    doc = parse(original, shown)
    entries, problems = problems_of(doc)
    if problems:
        raise KnownFileError(problems[0].line(shown) + " (nothing added: fix the file first; vapi-contract known check)")
    base = original if original.endswith("\n") or not original else original + "\n"
    if not base:
        base = NEW_FILE_HEADER
    doc = parse(base, shown)
    separate = bool(base) and not base.endswith("\n\n")
    tables = doc.get(TABLE)
    if tables is not None and not isinstance(tables, tomlkit.items.AoT):
        raise KnownFileError(f"{shown}: {TABLE} is written as an inline array: write its entries as [[{TABLE}]] "
                             "tables so that entries can be added")
    for i, fields in enumerate(new):
        table = _entry_table(fields, first=i == 0, separate=separate)
        if tables is None:
            tables = tomlkit.aot()
            tables.append(table)
            doc.append(TABLE, tables)
        else:
            tables.append(table)
    text = tomlkit.dumps(doc)
    after, found = problems_of(parse(text, shown))
    if found:
        raise KnownFileError(found[0].line(shown) + " (nothing written)")
    if not text.startswith(base) or [e.id for e in after] != [e.id for e in entries] + [f["id"] for f in new]:
        raise KnownFileError(f"{shown}: the entries could not be added without changing what is there (nothing written)")
    _replace(path, text, shown)
    return text


def remove_entries(path: Path, shown: str, ids: set[str]) -> list[Entry]:
    """Remove the entries whose id is in ``ids`` (each ``[[deviation]]`` table with the lines
    between its header and the next header); everything else stays as written.  Returns the
    entries removed."""
    text = read_text(path, shown)
    doc = parse(text, shown)
    entries, problems = problems_of(doc)
    if problems:
        raise KnownFileError(problems[0].line(shown) + " (nothing removed: fix the file first; vapi-contract known check)")
    removed = [e for e in entries if e.id in ids]
    if not removed:
        return []
    tables = doc[TABLE]
    for entry in sorted(removed, key=lambda e: e.index, reverse=True):
        del tables[entry.index - 1]
    import tomlkit

    if len(tables) == 0:
        doc.remove(TABLE)
    written = tomlkit.dumps(doc)
    after, found = problems_of(parse(written, shown))
    if found or [e.id for e in after] != [e.id for e in entries if e.id not in ids]:
        raise KnownFileError(f"{shown}: the entries could not be removed cleanly (nothing written)")
    _replace(path, written, shown)
    return removed


def _replace(path: Path, text: str, shown: str) -> None:
    """Write ``text`` to ``path`` atomically (a reader never sees half a file)."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if not path.exists():  # a new file: nobody reads it yet, and it gets the umask's mode
            path.write_text(text, encoding="utf-8")
            return
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            os.chmod(temp, path.stat().st_mode & 0o777)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise KnownFileError(f"{shown}: cannot be written: {exc.strerror or exc}") from None


__all__ = ["DEFAULT_FILE", "KnownFile", "KnownFileError", "add_entries", "lint", "load", "remove_entries"]
