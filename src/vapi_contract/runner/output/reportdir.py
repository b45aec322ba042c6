"""The report directory, claimed before the first request: usable, and one run's at a time.

A run that can only find out at its end that ``--report-dir`` is a file, or not writable, has
spent its budget for nothing (and crashed at the end, before).  So the directory is checked up
front, and a problem is one line and exit 2 before any request:

* it is a file, or cannot be created, or is not writable;
* a report file in it (summary.json, report.html, junit.xml, history.jsonl) is a directory or
  is not writable;
* another run is writing into it: two runs into one directory would silently overwrite each
  other's summary and report and interleave their history.  A run holds an exclusive lock on
  ``DIR/.lock`` (``flock``: released by the system when the process ends, even killed) from the
  check until its reports are written; a second run is refused, naming the holder's pid.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ...errors import ConfigError

try:
    import fcntl
except ImportError:  # not POSIX: no lock, the rest of the checks still hold
    fcntl = None

LOCK_FILE = ".lock"
REPORT_FILES = ("summary.json", "report.html", "junit.xml", "history.jsonl")


def check(report_dir: Path) -> None:
    """Raise ConfigError (exit 2) when ``report_dir`` cannot take the run's reports; create it."""
    if report_dir.exists() and not report_dir.is_dir():
        raise ConfigError(f"--report-dir {report_dir} is a file, not a directory")
    try:
        report_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"--report-dir {report_dir} cannot be created: {exc.strerror or type(exc).__name__}") from None
    if not os.access(report_dir, os.W_OK | os.X_OK):
        raise ConfigError(f"--report-dir {report_dir} is not writable")
    for name in REPORT_FILES:
        path = report_dir / name
        if path.is_dir() or (path.exists() and not os.access(path, os.W_OK)):
            raise ConfigError(f"{path} cannot be written ({'a directory' if path.is_dir() else 'not writable'})")


@contextmanager
def claimed(report_dir: Path) -> Iterator[Path]:
    """``check`` the directory, then hold its lock for the ``with`` block (see the module doc)."""
    report_dir = Path(report_dir)
    check(report_dir)
    if fcntl is None:
        yield report_dir
        return
    try:
        handle = open(report_dir / LOCK_FILE, "a+", encoding="ascii")
    except OSError as exc:
        raise ConfigError(f"--report-dir {report_dir}: cannot open {LOCK_FILE}: {exc.strerror or type(exc).__name__}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            raise ConfigError(f"another vapi-contract run is writing into {report_dir}"
                              + (f" (pid {holder} holds {report_dir / LOCK_FILE})" if holder.isdigit() else "")
                              + ": wait for it to finish, or give this run another --report-dir") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield report_dir
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


__all__ = ["LOCK_FILE", "REPORT_FILES", "check", "claimed"]
