"""The reports a run leaves beside summary.json: ``report.html`` (for people), ``junit.xml`` (for
CI test viewers) and one line appended to ``history.jsonl`` (for the next morning's comparison).

Every text is written through ``redact`` (it scrubs the API key), after the summary's own
strings have been scrubbed too, so that no escaping can hide a key from the scrubber.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

from . import history

REPORT_FILE = "report.html"
JUNIT_FILE = "junit.xml"

__all__ = ["JUNIT_FILE", "REPORT_FILE", "write_reports"]


def scrub_tree(value: Any, redact: Callable[[str], str]) -> Any:
    """``value`` with every string in it (keys included) passed through ``redact``."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {scrub_tree(k, redact) if isinstance(k, str) else k: scrub_tree(v, redact) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub_tree(v, redact) for v in value]
    return value


def write_reports(summary: dict[str, Any], report_dir: Path, redact: Callable[[str], str],
                  history_path: Path | None = None, *, strict: bool = False) -> list[Path]:
    """Append the run to the history, then write report.html and junit.xml into ``report_dir``.

    Returns the paths written.  A report that cannot be written is one warning line on stderr
    (the run's verdict and exit code stand); with ``strict`` the error is raised instead.
    """
    from . import html, junit  # jinja2 is imported only when a report is written

    summary = scrub_tree(summary, redact)
    report_dir = Path(report_dir)
    history_path = Path(history_path) if history_path is not None else report_dir / history.HISTORY_FILE
    written: list[Path] = []

    def attempt(label: str, action: Callable[[], Path | None]) -> None:
        try:
            path = action()
        except Exception as exc:  # noqa: BLE001 — a report must never cost the run its exit code
            if strict:
                raise
            reason = redact(f"{type(exc).__name__}: {exc}".splitlines()[0])
            print(f"vapi-contract: warning: could not write {label}: {reason}", file=sys.stderr)
        else:
            if path is not None:
                written.append(path)

    earlier = history.load(history_path)  # warns on stderr about lines it cannot read
    current = history.record(summary)
    attempt(history_path.name, lambda: (history.append(summary, history_path, redact), history_path)[1])
    trend = history.trend(earlier.entries, current, unreadable=earlier.unreadable)

    def write(name: str, text: str) -> Path:
        report_dir.mkdir(parents=True, exist_ok=True)
        path = report_dir / name
        path.write_text(redact(text), encoding="utf-8")
        return path

    attempt(REPORT_FILE, lambda: write(REPORT_FILE, html.render(summary, trend)))
    attempt(JUNIT_FILE, lambda: write(JUNIT_FILE, junit.render(summary)))
    return written
