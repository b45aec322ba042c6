"""Progress of a run on stderr: what the run is doing, how far it is, how fast, how long to go.

A progress is an observer of the engine's events (:mod:`..engine.events`): ``handle(event)``
turns RunStarted, StageStarted and ResponseReceived into the calls below (all of them cheap; none
of them ever raises into the run):

    progress.start(budget_requests, max_duration_s)   # once, before the first request
    progress.stage("walks", planned_requests=None)     # each time the run enters a stage
    progress.on_exchange(exchange)                     # each response
    progress.message("429 from api.vapi.ai; ...")      # something worth a glance (retries, 429s)
    progress.close()                                   # once, at the end (also on errors)

Three displays, chosen by :func:`for_cli`:

* **terminal** (stderr is an interactive terminal, as rich decides it: ``TTY_INTERACTIVE=0``
  forces the plain lines): one live line drawn by rich, redrawn 4 times a second and gone when
  the run ends::

      ⠹ walks · 1,234 of 20,000 requests · 4.9 req/s · at most 64 min left · 4:12 elapsed
        retry: 429 from api.vapi.ai; retry 1/3 in 2.00 s

* **lines** (CI logs): one plain line every ``interval`` seconds (30 by default; nothing at all
  for a run shorter than that), retries and 429s since the previous line folded into it::

      vapi-contract: progress 4:30 · walks · 1,234/20,000 requests · 4.9 req/s · at most 64 min left · 2 retries (last: 429 from api.vapi.ai; retry 1/3 in 2.00 s)

* **none** (``run --quiet``): nothing.

The estimate of time left is the unspent budget at the recent request rate (capped by what is
left of ``max_duration_s``): an upper bound, as a run stops when its scenarios are done.

While a progress is started it also takes the records of the ``vapi_contract.http`` logger
(retry and 429 warnings) as messages instead of letting them print as log lines; ``close`` gives
the logger back.  Every text shown is scrubbed of the key (``redact``, and every secret a client
registered for log records).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import deque
from typing import IO, Any, Callable

from ...http.redact import LOG_REDACTOR
from ..engine import events

LOGGER = "vapi_contract.http"  # retry and 429 warnings come from here (http/transport.py)
PLAIN_INTERVAL = 30.0
RATE_WINDOW = 60.0  # seconds of recent requests the rate (and so the estimate) is taken over

__all__ = ["PLAIN_INTERVAL", "Progress", "for_cli"]


_GIVEN_BACK: dict[str, bool] = {}  # logger name -> its propagate before the first display took it


def _holders(logger: logging.Logger) -> list:
    return [h for h in logger.handlers if isinstance(h, _ToProgress)]


class _ToProgress(logging.Handler):
    """Hands the records of a logger to ``progress.message`` (the logger's redacting filter has
    already scrubbed them; the progress scrubs again)."""

    def __init__(self, progress: "Progress"):
        super().__init__(logging.INFO)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.progress.message(record.getMessage())
        except Exception:  # noqa: BLE001 — a display problem never reaches the run
            pass


def _count(n: int) -> str:
    return f"{n:,}"


def _clock(seconds: float) -> str:
    """4:07, 1:02:07."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _span(seconds: float) -> str:
    """12 s, 4 min, 1 h 05 min."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes = (seconds + 30) // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


class Progress:
    """The state of a run's progress and the display showing it (``display``: ``"terminal"``,
    ``"lines"`` or ``"none"``).  Build one with :func:`for_cli`, or :meth:`disabled` for none at
    all (the default of ``execute_run``: a library caller's logging is left alone)."""

    def __init__(self, display: str = "none", *, stream: IO[str] | None = None, console=None,
                 interval: float = PLAIN_INTERVAL, redact: Callable[[str], str] | None = None,
                 capture_logs: bool = True, clock: Callable[[], float] = time.monotonic):
        if display not in ("terminal", "lines", "none"):
            raise ValueError(f"unknown progress display {display!r}")
        self.display = display
        self.stream = stream
        self.console = console  # rich Console (terminal display); one on stderr if not given
        self.interval = interval
        self._redact = redact or (lambda text: text)
        self.capture_logs = capture_logs
        self._clock = clock
        # state (on_exchange only bumps a counter: the display reads it when it draws)
        self.budget: int | None = None
        self.max_duration_s: float | None = None
        self.done = 0
        self.stage_name = ""
        self.stage_planned: int | None = None
        self.stage_start_done = 0
        self.retries = 0  # messages since start
        self.last_message = ""
        self._lines_retries = 0  # messages since the previous plain line
        self._started_at: float | None = None
        self._samples: deque[tuple[float, int]] = deque()
        self._live = None
        self._spinner = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._handler: _ToProgress | None = None
        self._lock = threading.Lock()

    @classmethod
    def disabled(cls) -> "Progress":
        """Shows nothing and leaves logging alone."""
        return cls("none", capture_logs=False)

    # -- the interface -------------------------------------------------------------------------
    def handle(self, event) -> None:
        """One of the engine's events."""
        if isinstance(event, events.ResponseReceived):
            self.on_exchange(event.exchange)
        elif isinstance(event, events.StageStarted):
            self.stage(event.name if event.phase == "preflight" else f"{event.name} ({event.phase})", event.granted)
        elif isinstance(event, events.RunStarted):
            self.start(event.max_requests, event.max_duration)

    def start(self, budget_requests: int | None, max_duration_s: float | None = None) -> None:
        """The run begins: at most ``budget_requests`` requests (``None``: unknown) and, if given,
        at most ``max_duration_s`` seconds.  Starts the display and takes the http logger."""
        if self._started_at is not None:
            return
        self.budget = budget_requests if budget_requests and budget_requests > 0 else None
        self.max_duration_s = max_duration_s
        self._started_at = self._clock()
        self._samples.append((self._started_at, 0))
        if self.capture_logs:
            self._take_logger()
        try:
            if self.display == "terminal":
                self._start_live()
            elif self.display == "lines":
                self._thread = threading.Thread(target=self._lines_loop, name="vapi-contract-progress", daemon=True)
                self._thread.start()
        except Exception:  # noqa: BLE001 — no display is better than a failed run
            self.display = "none"

    def stage(self, name: str, planned_requests: int | None = None) -> None:
        """The run enters stage ``name`` (a scenario: "auth", "walks", "fuzz", ...), planning
        ``planned_requests`` requests in it if known."""
        self.stage_name = self._redact(str(name))
        self.stage_planned = planned_requests
        self.stage_start_done = self.done

    def on_exchange(self, exchange=None) -> None:
        """One response came back (an ``http.Exchange``; only counted, never kept)."""
        self.done += 1

    def message(self, text: str) -> None:
        """Something worth showing (a retry, a 429): on the terminal under the live line, in CI
        folded into the next plain line."""
        line = self._scrub(" ".join(str(text).split()))
        with self._lock:
            self.retries += 1
            self._lines_retries += 1
            self.last_message = line[:200]

    def close(self) -> None:
        """The run ended (or failed): stop and clear the display, give the logger back.  Safe to
        call twice."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=2)
        live, self._live = self._live, None
        if live is not None:
            try:
                live.stop()
            except Exception:  # noqa: BLE001
                pass
        self._give_logger_back()

    # -- what the displays show ----------------------------------------------------------------
    def elapsed(self) -> float:
        return 0.0 if self._started_at is None else self._clock() - self._started_at

    def rate(self) -> float:
        """Requests per second over the last ``RATE_WINDOW`` seconds (since the start before that)."""
        now, done = self._clock(), self.done
        samples = self._samples
        samples.append((now, done))
        while len(samples) > 2 and now - samples[1][0] >= RATE_WINDOW:
            samples.popleft()
        then, before = samples[0]
        return (done - before) / (now - then) if now - then > 0.5 else 0.0

    def time_left(self, rate: float) -> float | None:
        """Seconds left at most: the unspent budget at ``rate``, capped by the time budget."""
        left = None
        if self.budget is not None and rate > 0:
            left = max(0, self.budget - self.done) / rate
        if self.max_duration_s is not None:
            cap = max(0.0, self.max_duration_s - self.elapsed())
            left = cap if left is None else min(left, cap)
        return left

    def parts(self) -> list[str]:
        """The pieces of a progress line: stage, requests, rate, time left."""
        rate = self.rate()
        parts = []
        if self.stage_name:
            stage = self.stage_name
            if self.stage_planned:
                stage += f" {_count(self.done - self.stage_start_done)}/{_count(self.stage_planned)}"
            parts.append(stage)
        parts.append(f"{_count(self.done)}/{_count(self.budget)} requests" if self.budget else f"{_count(self.done)} requests")
        parts.append(f"{rate:.1f} req/s")
        left = self.time_left(rate)
        if left is not None:
            parts.append(f"at most {_span(left)} left")
        return parts

    def line(self) -> str:
        """The plain (CI) line."""
        with self._lock:
            retries, last = self._lines_retries, self.last_message
            self._lines_retries = 0
        parts = [f"vapi-contract: progress {_clock(self.elapsed())}", *self.parts()]
        if retries:
            parts.append(f"{retries} retr{'y' if retries == 1 else 'ies'} (last: {last})")
        return self._scrub(" · ".join(parts))

    # -- displays ------------------------------------------------------------------------------
    def _lines_loop(self) -> None:
        stream = self.stream if self.stream is not None else sys.stderr
        while not self._stop.wait(self.interval):
            try:
                stream.write(self.line() + "\n")
                stream.flush()
            except Exception:  # noqa: BLE001 — a closed stream ends the lines, not the run
                return

    def _start_live(self) -> None:
        from rich.live import Live

        console = self.console
        if console is None:
            from rich.console import Console

            console = self.console = Console(stderr=True)
        # stdout stays stdout (the verdict goes there); stray stderr lines print above the live line
        self._live = Live(console=console, get_renderable=self._renderable, refresh_per_second=4,
                          transient=True, redirect_stdout=False, redirect_stderr=True)
        self._live.start()

    def _renderable(self):
        from rich.console import Group
        from rich.spinner import Spinner
        from rich.text import Text

        text = Text(self._scrub(" · ".join([*self.parts(), f"{_clock(self.elapsed())} elapsed"])))
        if self._spinner is None:  # one spinner: it animates by the time since it was made
            self._spinner = Spinner("dots", style="cyan")
        spinner = self._spinner
        spinner.update(text=text)
        with self._lock:
            last, retries = self.last_message, self.retries
        if not last:
            return spinner
        note = Text(self._scrub(f"  {retries} retr{'y' if retries == 1 else 'ies'}, last: {last}"), style="yellow")
        return Group(spinner, note)

    # -- helpers -------------------------------------------------------------------------------
    def _scrub(self, text: str) -> str:
        return LOG_REDACTOR.scrub(self._redact(text))

    def _take_logger(self) -> None:
        logger = logging.getLogger(LOGGER)
        if not _holders(logger):  # the first display to take it keeps how it was
            _GIVEN_BACK[LOGGER] = logger.propagate
        self._handler = _ToProgress(self)
        logger.addHandler(self._handler)
        logger.propagate = False  # no separate log line on stderr (nor the root handlers')

    def _give_logger_back(self) -> None:
        """Detach; the last display to let go restores the logger as the first one found it
        (displays may close in any order)."""
        if self._handler is None:
            return
        logger = logging.getLogger(LOGGER)
        logger.removeHandler(self._handler)
        self._handler = None
        if not _holders(logger):
            logger.propagate = _GIVEN_BACK.pop(LOGGER, True)


def for_cli(quiet: bool = False, *, redact: Callable[[str], str] | None = None, stream: IO[str] | None = None,
            interval: float = PLAIN_INTERVAL, console=None) -> Progress:
    """The progress ``vapi-contract run`` shows: none with ``quiet``; the live line when stderr is
    an interactive terminal (or ``console`` is given); else plain lines every ``interval`` s."""
    if quiet:
        return Progress("none", redact=redact)  # still takes the retry warnings: quiet is quiet
    if console is None and stream is None:
        from rich.console import Console

        console = Console(stderr=True)
        if not console.is_interactive:
            console = None
    if console is not None:
        return Progress("terminal", console=console, redact=redact)
    return Progress("lines", stream=stream, interval=interval, redact=redact)
