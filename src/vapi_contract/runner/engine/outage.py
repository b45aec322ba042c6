"""When the API stops answering in the middle of a run: an outage, not a list of violations.

Rule.  A request *fails* when it gets no usable answer: a 5xx, a 429 still answered after the
client waited as Retry-After asked (its retries spent), a body the server stopped sending or cut
short, or no answer at all (refused, reset, timed out: ``TargetUnreachable`` from the HTTP layer,
after its retries).  Any other answer — 2xx, 3xx, 4xx, a body over the cap or no JSON — is the
API answering, and resets the count.

* **An outage** is :data:`FAILED_REQUESTS` consecutive failed requests, after which the preflight
  request (``limit=1``, the one request known to have worked) fails as well, sent at once and
  again once the stretch has lasted :data:`SPAN` seconds (the watch waits for it, never past the
  run's deadline): a blip of a second or two is over by then, and a fault of some requests costs
  one request and no wait.  The run stops (:class:`~vapi_contract.errors.Outage`, exit 3, reports
  written); the findings made before the stretch began are kept, those of the stretch's own
  answers are withdrawn (they were the outage, not the contract).
* **Throttled**: the same, when every failure was a 429; and at once when a 429 asks for a wait
  (Retry-After) that would end past the run's deadline: no request can be sent before it, so the
  API throttles the rest of the run.
* When the preflight request answers, it was no outage: a fault of some requests (e.g. every
  invalid query answered 500).  The stretch is forgotten, its findings stand, the run goes on.

Isolated failures in a working run stay what they are: a 5xx or a stalled body is a reliability
finding, a request with no answer stops its stage (the planner records why).
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Callable

from ...errors import OutOfTime, Outage, RequestBudgetExhausted, TargetUnreachable
from ...http.body import CUT, STALLED

FAILED_REQUESTS = 5
SPAN = 10.0  # seconds


def failure(exchange) -> str | None:
    """What makes ``exchange`` a failed request (see the module doc), in a word; None: an answer."""
    if exchange.status >= 500:
        return str(exchange.status)
    if exchange.status == 429:
        return "429"
    if exchange.defect == STALLED:
        return "stopped sending"
    if exchange.defect == CUT:
        return "cut short"
    return None


class OutageWatch:
    """Watches every request of a run's stages (see the module doc).  ``probe()`` sends the
    preflight request again and returns its exchange (or raises the HTTP layer's error);
    ``findings`` is the run's :class:`~.context.Findings`."""

    def __init__(self, probe: Callable[[], object], findings, *, probe_line: str,
                 deadline: Callable[[], float | None] = lambda: None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, failed_requests: int = FAILED_REQUESTS,
                 span: float = SPAN):
        self._probe, self._findings, self.probe_line = probe, findings, probe_line
        self._deadline, self._clock, self._sleep = deadline, clock, sleep
        self.failed_requests, self.span = failed_requests, span
        self.stretch: list[tuple[float, str]] = []  # (when, what failed) since the last answer
        self._mark: tuple[int, Counter] | None = None  # the findings when the stretch began
        self.recovered = 0  # stretches the preflight request proved were no outage

    # -- what the run's requests got ---------------------------------------------------------------
    def answered(self, exchange) -> None:
        """One request's answer (raises :class:`Outage` when it completes one)."""
        if exchange.status == 429 and getattr(exchange, "wait_refused", False):
            self._failed("429")
            wait = exchange.retry_wait or 0.0
            asked = exchange.headers.get("retry-after")
            raise self._stop(f"throttled: {exchange.status} to {exchange.method} {exchange.url} asks to wait "
                             f"{wait:.0f} s" + (f" (Retry-After: {asked[:40]})" if asked else "")
                             + ", past the run's deadline: no request could be sent before it ends; retry later, "
                               "or lower --rate-limit if another client shares the key")
        what = failure(exchange)
        if what is None:
            self._reset()
        else:
            self._failed(what)

    def unanswered(self, message: str) -> None:
        """One request got no answer after its retries (``message``: the HTTP layer's line)."""
        self._failed("no answer")

    # -- the rule ----------------------------------------------------------------------------------
    def _reset(self) -> None:
        self.stretch.clear()
        self._mark = None

    def _failed(self, what: str) -> None:
        if not self.stretch:
            self._mark = (len(self._findings.violations), Counter(self._findings.occurrences))
        self.stretch.append((self._clock(), what))
        if len(self.stretch) >= self.failed_requests:
            self._confirm()

    def _confirm(self) -> None:
        """Send the preflight request again at once (an answer: a fault of some requests, no
        outage), then once the stretch has lasted ``span`` (within the deadline: a blip is over by
        then); when neither answers, the API is down."""
        probed = self._ask_again()
        if probed == "":
            return
        wait = self.stretch[0][0] + self.span - self._clock()
        deadline = self._deadline()
        if deadline is not None:
            wait = min(wait, deadline - self._clock() - 1.0)
        if wait > 0 and probed is not None:
            self._sleep(wait)
            probed = self._ask_again()
            if probed == "":
                return
        raise self._stop(self._describe(probed))

    def _ask_again(self) -> str | None:
        """The probe: "" when it was answered (the stretch is forgotten), else what it got; None
        when the run's time ran out before it could be sent."""
        try:
            exchange = self._probe()
        except TargetUnreachable as exc:
            return f"no answer ({exc.message})"
        except (OutOfTime, RequestBudgetExhausted):  # no time or request left to ask again: the stretch is the evidence
            return None
        what = failure(exchange)
        if what is None:
            self.recovered += 1
            self._reset()
            return ""
        return what

    def _describe(self, probed: str | None) -> str:
        """The outage in one line; ``probed``: what the probe got (None: no time or request was left to send it)."""
        kinds = Counter(what for _, what in self.stretch)
        lasted = self._clock() - self.stretch[0][0]
        failed = ", ".join(f"{what} x{n}" if n > 1 else what for what, n in kinds.most_common())
        again = (f"no time or request was left to send {self.probe_line} again" if probed is None
                 else f"{self.probe_line} failed too ({probed})")
        if set(kinds) == {"429"} and probed in ("429", None):
            return (f"throttled: {len(self.stretch)} requests in a row over {lasted:.0f} s were answered 429 after "
                    f"waiting as asked, and {again}: the API throttles this client; retry later, or lower --rate-limit "
                    "if another client shares the key")
        return (f"outage: {len(self.stretch)} requests in a row over {lasted:.0f} s failed ({failed}), and {again}: the "
                "API is down or unusable; the findings made before are kept")

    def _stop(self, message: str) -> Outage:
        """The outage: the findings of the stretch withdrawn, the error that stops the run."""
        if self._mark is not None:
            count, occurrences = self._mark
            del self._findings.violations[count:]
            self._findings.occurrences.clear()
            self._findings.occurrences.update(occurrences)
        return Outage(message)


class NoWatch:
    """Preflight and unit tests: no outage rule (preflight has its own)."""

    recovered = 0

    def answered(self, exchange) -> None:
        pass

    def unanswered(self, message: str) -> None:
        pass


__all__ = ["FAILED_REQUESTS", "NoWatch", "OutageWatch", "SPAN", "failure"]
