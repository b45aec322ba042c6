"""SIGTERM and SIGINT during a run: stop, and still write every report.

A CI job that times out or is cancelled sends SIGINT or SIGTERM (GitHub Actions: SIGINT, then
SIGTERM, then SIGKILL a few seconds later); a person presses Ctrl-C.  Either way the run must
leave its summary, report, junit.xml and history line, with the verdict ``interrupted`` and the
budget record so far.  The rule:

* while a run is :func:`interruptible`, the first SIGINT or SIGTERM raises :class:`Interrupted`
  in the main thread, wherever the run is (waiting for an answer, judging, between stages);
* it derives from ``BaseException``, like ``KeyboardInterrupt``: no ``except Exception`` of a
  stage or of a library (hypothesis, schemathesis) takes it for a failure and carries on;
* every later signal is only noted (``received``): the run is already stopping, and the reports
  must not be cut short.  :meth:`Signals.wrap_up` does the same for a run that ended by itself;
* the previous handlers are restored on leaving.

Only the main thread can install signal handlers; elsewhere (a run inside a test's worker
thread) nothing is installed and signals keep their previous meaning.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

from ...errors import Interrupted

HANDLED = (signal.SIGINT, signal.SIGTERM)


class Signals:
    """The handlers of one run (see the module doc); use as ``with interruptible() as signals``."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self._raising = True
        self._previous: dict[int, object] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received.append(signal.Signals(signum).name)
        if self._raising:
            self._raising = False
            raise Interrupted(signum)

    def wrap_up(self) -> None:
        """From now on signals are only noted: the reports are being written."""
        self._raising = False

    def __enter__(self) -> "Signals":
        if threading.current_thread() is threading.main_thread():
            for signum in HANDLED:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        self._previous.clear()


def interruptible() -> Signals:
    return Signals()


__all__ = ["HANDLED", "Interrupted", "Signals", "interruptible"]
